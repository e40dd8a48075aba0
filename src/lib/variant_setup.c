/* `session-switch setup`: the variants of each mode worked out from the
 * detected hardware and written, or taken away again.  Only the command
 * links this; selecting a variant is variant.c. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lightdmconf.h"
#include "slimconf.h"
#include "variant.h"
#include "xorgconf.h"

static const char xorg_template[] =
#include "xorg_template.h"
    ;

/* A file name for a GPU's variant: its vendor, as the seed named them. */
static void gpu_name(const struct pci_dev *d, const char *fallback, char *out, size_t len)
{
	const char *n = d->vendor == 0x8086   ? "intel"
			: d->vendor == 0x10de ? "nvidia"
			: d->vendor == 0x1002 ? "amd"
					      : fallback;
	snprintf(out, len, "%s", n);
}

static void add_file(const struct machine *m, struct variant_set *v, const char *path, char *text,
		     const char *link)
{
	struct variant_file *f = &v->f[v->n++];
	bool exists;
	snprintf(f->path, sizeof(f->path), "%s", path);
	f->text = text;
	snprintf(f->link, sizeof(f->link), "%s", link ? link : "");
	if (!link)
		f->exists_foreign = !variant_is_ours(&m->root, path, &exists) && exists;
}

/* The display managers setup tells apart: the words the system names
 * them by (a binary's, a unit's or a service's name), and the files that
 * show one installed. */
static const struct dm_row {
	enum dm_id id;
	const char *name, *service;
	const char *words[3];
	const char *files[3];
} dm_rows[] = {
    {DMID_SLIM, "SLiM", "slim", {"slim"}, {SLIM_CONF}},
    {DMID_LIGHTDM, "LightDM", "lightdm", {"lightdm"}, {LIGHTDM_CONF, "/etc/lightdm"}},
    {DMID_GDM, "GDM", "gdm", {"gdm", "gdm3"}, {"/etc/gdm3/custom.conf", "/etc/gdm/custom.conf", "/etc/gdm3"}},
    {DMID_SDDM, "SDDM", "sddm", {"sddm"}, {"/etc/sddm.conf", "/etc/sddm.conf.d"}},
};

static const struct dm_row *dm_named(const char *word)
{
	char w[64];
	size_t n;
	const char *b = strrchr(word, '/');

	snprintf(w, sizeof(w), "%s", b ? b + 1 : word);
	n = strcspn(w, ".\"\n \t");
	w[n] = '\0';
	for (size_t i = 0; i < sizeof(dm_rows) / sizeof(dm_rows[0]); i++)
		for (size_t k = 0; k < 3 && dm_rows[i].words[k]; k++)
			if (strcmp(w, dm_rows[i].words[k]) == 0)
				return &dm_rows[i];
	return NULL;
}

void variant_dm_detect(const struct sysroot *sr, struct dm_found *dm)
{
	char buf[256], *p;
	const struct dm_row *row = NULL;

	memset(dm, 0, sizeof(*dm));
	if (sysroot_read(sr, "/etc/X11/default-display-manager", buf, sizeof(buf)) > 0 &&
	    (row = dm_named(buf)))
		snprintf(dm->why, sizeof(dm->why), "/etc/X11/default-display-manager");
	if (!row &&
	    sysroot_readlink(sr, "/etc/systemd/system/display-manager.service", buf, sizeof(buf)) > 0 &&
	    (row = dm_named(buf)))
		snprintf(dm->why, sizeof(dm->why), "/etc/systemd/system/display-manager.service");
	if (!row && sysroot_read(sr, "/etc/conf.d/display-manager", buf, sizeof(buf)) > 0 &&
	    (p = strstr(buf, "DISPLAYMANAGER=")) && (row = dm_named(p + 15 + (p[15] == '"'))))
		snprintf(dm->why, sizeof(dm->why), "/etc/conf.d/display-manager");
	for (size_t i = 0; !row && i < sizeof(dm_rows) / sizeof(dm_rows[0]); i++)
		for (size_t k = 0; k < 3 && dm_rows[i].files[k] && !row; k++)
			if (sysroot_exists(sr, dm_rows[i].files[k])) {
				row = &dm_rows[i];
				snprintf(dm->why, sizeof(dm->why), "%s", dm_rows[i].files[k]);
			}
	if (row) {
		dm->id = row->id;
		dm->name = row->name;
		dm->service = row->service;
	}
}

/* The "Windows VM" entry where the display manager looks for sessions:
 * a link to the installed entry, unless dir is where it is installed.
 * where: "/etc/slim.conf:12", for the messages. */
static int plan_session_link(const struct machine *m, struct variant_set *v, const char *value,
			     const char *where, struct ss_error *e)
{
	char dir[160], path[sizeof(v->f[0].path)], link[PATH_MAX];
	size_t n;

	snprintf(dir, sizeof(dir), "%s", value);
	for (n = strlen(dir); n > 1 && dir[n - 1] == '/';)
		dir[--n] = '\0';
	if (strcmp(dir, XSESSIONS_DIR) == 0)
		return 0; /* make install put the entry there */
	if (dir[0] != '/' || strlen(value) >= sizeof(dir))
		return ss_fail(e, -EINVAL,
			       "%s: the session directory \"%s\" is not an absolute path: name the "
			       "directory of your session entries (%s) and run setup again",
			       where, value, XSESSIONS_DIR);
	if (!sysroot_exists(&m->root, dir))
		return ss_fail(e, -ENOENT,
			       "%s: the session directory %s does not exist: create it, or name the one "
			       "that holds your session entries (%s), and run setup again",
			       where, dir, XSESSIONS_DIR);
	snprintf(path, sizeof(path), "%s/" SESSION_ENTRY, dir);
	struct variant_file *f = &v->f[v->n++];
	snprintf(f->path, sizeof(f->path), "%s", path);
	snprintf(f->link, sizeof(f->link), "%s", XSESSIONS_DIR "/" SESSION_ENTRY);
	f->session = true;
	ssize_t l = sysroot_readlink(&m->root, path, link, sizeof(link));
	bool there = l >= 0 || sysroot_exists(&m->root, path);
	f->exists_foreign = there && (l < 0 || strcmp(link, f->link) != 0);
	return 0;
}

/* The auto-login after a switch starts user-session: an entry LightDM
 * cannot find leaves the user at the greeter, and "Windows VM" itself would
 * switch again at each auto-login.  LightDM's own default, "default", is
 * an entry that Debian, for one, does not ship. */
static int check_user_session(const struct machine *m, const struct lightdm_user *u, struct ss_error *e)
{
	char dirs[sizeof(u->sessions)], path[1200], *save = NULL;
	bool found = false;

	snprintf(path, sizeof(path), "%s.desktop", u->session);
	if (strcmp(path, SESSION_ENTRY) == 0)
		return ss_fail(
		    e, -EINVAL,
		    "%s: user-session is \"%s\", the session that switches: LightDM's auto-login "
		    "after a switch would switch again; set user-session to the user's normal session "
		    "and run setup again",
		    u->session_where, u->session);
	snprintf(dirs, sizeof(dirs), "%s", u->sessions);
	for (char *d = strtok_r(dirs, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
		snprintf(path, sizeof(path), "%s/%s.desktop", d, u->session);
		found = d[0] == '/' && sysroot_exists(&m->root, path);
	}
	return found ? 0
		     : ss_fail(e, -ENOENT,
			       "%s: user-session \"%s\", the session of LightDM's auto-login after a switch, "
			       "has no %s.desktop in \"%s\": set user-session in [Seat:*] of %s to the "
			       "user's normal session (an entry of those directories) and run setup again",
			       u->session_where, u->session, u->session, u->sessions, LIGHTDM_CONF);
}

/* LightDM: a drop-in per mode and the link LightDM loads, the session
 * entry where its sessions-directory looks (the first directory of it
 * that exists, unless one of them holds the installed entry). */
static int plan_lightdm(const struct machine *m, struct variant_set *v, struct ss_error *e)
{
	struct lightdm_user u;
	char path[160], xname[64], target[64], dirs[sizeof(u.sessions)], *save = NULL, *first = NULL;
	char *text;
	bool installed = false;
	int r;

	if ((r = lightdmconf_read(&m->root, &u, e)) < 0)
		return r;
	v->have_lightdm = true;
	for (int mode = MODE_HOST; mode <= MODE_VM; mode++) {
		snprintf(xname, sizeof(xname), "xorg.conf.%s", v->xorg_name[mode]);
		if ((r = lightdmconf_variant(&u, mode_str(mode), xname, &text, e)) < 0)
			return r;
		snprintf(path, sizeof(path), "%s.%s", LIGHTDM_DROPIN, mode_str(mode));
		add_file(m, v, path, text, NULL);
	}
	struct mode_report mr;
	mode_of(&m->target, &m->devs, &mr);
	snprintf(target, sizeof(target), LIGHTDM_DROPIN_NAME ".%s",
		 mode_str(mr.mode == MODE_VM ? MODE_VM : MODE_HOST));
	add_file(m, v, LIGHTDM_DROPIN, NULL, target);
	struct variant_file *f = &v->f[v->n - 1];
	char now[128];
	ssize_t l = sysroot_readlink(&m->root, LIGHTDM_DROPIN, now, sizeof(now));
	f->unlink_on_undo = true;
	/* a drop-in of that name that is not our link is the user's */
	f->exists_foreign =
	    (l >= 0 || sysroot_exists(&m->root, LIGHTDM_DROPIN)) &&
	    (l < 0 || strncmp(now, LIGHTDM_DROPIN_NAME ".", sizeof(LIGHTDM_DROPIN_NAME)) != 0);

	snprintf(dirs, sizeof(dirs), "%s", u.sessions);
	for (char *d = strtok_r(dirs, ":", &save); d && !installed; d = strtok_r(NULL, ":", &save)) {
		size_t n = strlen(d);
		while (n > 1 && d[n - 1] == '/')
			d[--n] = '\0';
		installed = strcmp(d, XSESSIONS_DIR) == 0; /* make install put the entry there */
		if (!first && d[0] == '/' && !strstr(d, "wayland-sessions") && sysroot_exists(&m->root, d))
			first = d;
	}
	if (!first && !installed)
		return ss_fail(
		    e, -ENOENT,
		    "%s: none of the session directories \"%s\" exists: create one, or add %s, and "
		    "run setup again",
		    u.sessions_where, u.sessions, XSESSIONS_DIR);
	if ((r = check_user_session(m, &u, e)) < 0)
		return r;
	return installed ? 0 : plan_session_link(m, v, first, u.sessions_where, e);
}

int variant_plan(const struct machine *m, struct variant_set *v, struct ss_error *e)
{
	const struct target *t = &m->target;
	char path[128], *text, *orig = NULL;
	int r;

	memset(v, 0, sizeof(*v));
	if (m->target_err)
		return ss_fail(e, m->target_err, "%s", m->target_msg.msg);
	if (!t->has_host_gpu)
		return ss_fail(e, -ENODEV, "%s", t->host_gpu_msg.msg);
	const struct pci_dev *dgpu = NULL, *igpu = pci_find(&m->devs, &t->host_gpu);
	for (size_t i = 0; i < t->n && !dgpu; i++) {
		const struct pci_dev *d = pci_find(&m->devs, &t->fn[i].addr);
		if (d && pci_is_display(d))
			dgpu = d;
	}
	/* A 3D controller, or a card of [host] offload, drives no monitor:
	 * in host mode X stays on the host's GPU too, and the dGPU is a
	 * render offload device. */
	if (t->x_stays)
		dgpu = igpu;
	gpu_name(dgpu, t->x_stays ? "igpu" : "dgpu", v->xorg_name[MODE_HOST],
		 sizeof(v->xorg_name[MODE_HOST]));
	gpu_name(igpu, "igpu", v->xorg_name[MODE_VM], sizeof(v->xorg_name[MODE_VM]));
	/* two cards of one vendor (a GT 710 for the host beside a 1080 Ti),
	 * or X on the same GPU in both modes: one file per mode all the same */
	if (strcmp(v->xorg_name[MODE_HOST], v->xorg_name[MODE_VM]) == 0) {
		char base[sizeof(v->xorg_name[0]) - 8];
		snprintf(base, sizeof(base), "%.*s", (int)sizeof(base) - 1, v->xorg_name[MODE_VM]);
		snprintf(v->xorg_name[MODE_HOST], sizeof(v->xorg_name[MODE_HOST]), "%s-host", base);
		snprintf(v->xorg_name[MODE_VM], sizeof(v->xorg_name[MODE_VM]), "%s-vm", base);
	}

	const char *host_driver =
	    m->conf.xorg_host_driver[0] && !t->x_stays ? m->conf.xorg_host_driver : "modesetting";
	struct xorg_vars xv[2] = {
	    [MODE_HOST] = {"host", t->x_stays ? "igpu" : "dgpu", host_driver, dgpu->addr, ""},
	    [MODE_VM] = {"vm", "igpu", "modesetting", igpu->addr, ""},
	};
	for (int mode = MODE_HOST; mode <= MODE_VM; mode++) {
		if ((r = xorgconf_render(xorg_template, &xv[mode], &text, e)) < 0)
			goto fail;
		snprintf(path, sizeof(path), "/etc/X11/xorg.conf.%s", v->xorg_name[mode]);
		add_file(m, v, path, text, NULL);
	}

	variant_dm_detect(&m->root, &v->dm);
	if (v->dm.id == DMID_GDM || v->dm.id == DMID_SDDM) {
		r = ss_fail(e, -ENOTSUP,
			    "the display manager here is %s (%s), whose configuration session-switch cannot "
			    "switch yet; nothing was written.  What works: SLiM and LightDM (setup writes "
			    "their variants), or [display] manager = none and startx on a text console "
			    "(README, \"Display managers\")",
			    v->dm.name, v->dm.why);
		goto fail;
	}
	if (v->dm.id == DMID_LIGHTDM) {
		r = plan_lightdm(m, v, e);
		if (r < 0)
			goto fail;
		return 0;
	}
	/* slim.conf variants come from the user's own: the .orig kept by an
	 * earlier setup, or slim.conf itself the first time. */
	bool exists, have_orig = sysroot_exists(&m->root, SLIM_ORIG);
	const char *from = have_orig ? SLIM_ORIG : SLIM_CONF;
	if (!have_orig && variant_is_ours(&m->root, SLIM_CONF, &exists))
		return ss_fail(e, -EINVAL,
			       "%s was written by session-switch but %s is missing: restore your "
			       "own slim.conf as %s, then run setup again",
			       SLIM_CONF, SLIM_ORIG, SLIM_CONF);
	if (sysroot_slurp(&m->root, from, 1 << 20, &orig) >= 0) {
		v->have_slim = true;
		for (int mode = MODE_HOST; mode <= MODE_VM; mode++) {
			char xname[64];
			snprintf(xname, sizeof(xname), "xorg.conf.%s", v->xorg_name[mode]);
			if ((r = slimconf_variant(orig, mode_str(mode), xname, &text, e)) < 0)
				goto fail;
			snprintf(path, sizeof(path), "%s.%s", SLIM_CONF, mode_str(mode));
			add_file(m, v, path, text, NULL);
		}
		struct mode_report mr;
		mode_of(t, &m->devs, &mr);
		char target[32];
		snprintf(target, sizeof(target), "slim.conf.%s",
			 mode_str(mr.mode == MODE_VM ? MODE_VM : MODE_HOST));
		add_file(m, v, SLIM_CONF, NULL, target);
		/* SLiM offers the entries of its sessiondir, wherever that is */
		char dir[160], where[64];
		int line = 0;
		r = slimconf_value(orig, "sessiondir", dir, sizeof(dir), &line);
		snprintf(where, sizeof(where), "%s:%d", from, line);
		if (r < 0)
			r = ss_fail(e, -EINVAL, "%s: sessiondir is too long", where);
		else if (r > 0)
			r = plan_session_link(m, v, dir, where, e);
		if (r < 0)
			goto fail;
	}
	free(orig);
	return 0;
fail:
	free(orig);
	variant_free(v);
	return r;
}

void variant_free(struct variant_set *v)
{
	for (size_t i = 0; i < v->n; i++)
		free(v->f[i].text);
	v->n = 0;
}

/* Write text to path durably, through atomic_replace().  Its message
 * names the file in its directory; the directory is added here. */
int variant_write(const struct machine *m, const struct variant_set *v, struct ss_error *e)
{
	int r;

	for (size_t i = 0; i < v->n; i++)
		if (v->f[i].exists_foreign && v->f[i].session)
			return ss_fail(e, -EEXIST,
				       "%s exists and is not a link to %s: move it away and run setup again",
				       v->f[i].path, v->f[i].link);
		else if (v->f[i].exists_foreign)
			return ss_fail(e, -EEXIST,
				       "%s exists and was not written by session-switch: move it "
				       "away (or merge it into xorg/ of session-switch) and run setup again",
				       v->f[i].path);
	/* LightDM packages ship no lightdm.conf.d on every distribution */
	if (v->have_lightdm && !sysroot_exists(&m->root, LIGHTDM_CONFD)) {
		const char *base;
		int dfd = sysroot_parent(&m->root, LIGHTDM_CONFD, &base);
		r = dfd < 0 ? dfd : mkdirat(dfd, base, 0755) < 0 ? -errno : 0;
		if (dfd >= 0)
			close(dfd);
		if (r < 0)
			return ss_fail(e, r, "cannot create %s: %s", LIGHTDM_CONFD, strerror(-r));
	}
	/* Keep the user's slim.conf once, before the link replaces it. */
	if (v->have_slim && !sysroot_exists(&m->root, SLIM_ORIG)) {
		char *orig = NULL;
		if (sysroot_slurp(&m->root, SLIM_CONF, 1 << 20, &orig) < 0)
			return ss_fail(e, -EIO, "cannot read %s to keep it as %s", SLIM_CONF, SLIM_ORIG);
		r = variant_write_file(&m->root, SLIM_ORIG, orig, e);
		free(orig);
		if (r < 0)
			return r;
	}
	for (size_t i = 0; i < v->n; i++) {
		const struct variant_file *f = &v->f[i];
		r = f->text ? variant_write_file(&m->root, f->path, f->text, e)
			    : variant_set_link(&m->root, f->path, f->link, e);
		if (r < 0)
			return r;
	}
	return 0;
}

int variant_undo(const struct machine *m, struct ss_error *e)
{
	struct variant_set v;
	const char *base;
	int r, dfd;

	if ((r = variant_plan(m, &v, e)) < 0)
		return r;
	if (sysroot_exists(&m->root, SLIM_ORIG)) {
		dfd = sysroot_parent(&m->root, SLIM_CONF, &base);
		if (dfd < 0)
			return ss_fail(e, dfd, "/etc: %s", strerror(-dfd));
		r = renameat(dfd, "slim.conf.orig", dfd, "slim.conf");
		close(dfd);
		if (r < 0)
			return ss_fail(e, -errno, "restoring %s: %s", SLIM_CONF, strerror(errno));
	}
	for (size_t i = 0; i < v.n; i++)
		if (v.f[i].text)
			variant_remove_ours(&m->root, v.f[i].path);
		else if ((v.f[i].session || v.f[i].unlink_on_undo) && !v.f[i].exists_foreign)
			variant_remove_link(&m->root, v.f[i].path);
	variant_free(&v);
	return 0;
}
