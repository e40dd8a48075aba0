#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomicfile.h"
#include "slimconf.h"
#include "variant.h"
#include "xorgconf.h"

static const char xorg_template[] =
#include "xorg_template.h"
	;

/* A file name for a GPU's variant: its vendor, as the seed named them. */
static void gpu_name(const struct pci_dev *d, const char *fallback, char *out, size_t len)
{
	const char *n = d->vendor == 0x8086 ? "intel" : d->vendor == 0x10de ? "nvidia" :
			d->vendor == 0x1002 ? "amd" : fallback;
	snprintf(out, len, "%s", n);
}

static bool is_ours(const struct sysroot *sr, const char *path, bool *exists)
{
	char head[256];
	ssize_t n = sysroot_read(sr, path, head, sizeof(head));
	*exists = n >= 0 || n == -EFBIG;
	if (n == -EFBIG) {
		/* larger than the buffer: look at its start only */
		int fd = sysroot_openat(sr, path, O_RDONLY);
		if (fd < 0)
			return false;
		n = read(fd, head, sizeof(head) - 1);
		close(fd);
		if (n < 0)
			return false;
		head[n] = '\0';
	}
	return n >= 0 && strstr(head, SS_MARKER) != NULL;
}

/* Remove path if session-switch wrote it; anything else stays. */
static void remove_ours(const struct sysroot *sr, const char *path)
{
	const char *base;
	bool exists;
	int dfd;

	if (!is_ours(sr, path, &exists))
		return;
	dfd = sysroot_parent(sr, path, &base);
	if (dfd >= 0) {
		unlinkat(dfd, base, 0);
		close(dfd);
	}
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
		f->exists_foreign = !is_ours(&m->root, path, &exists) && exists;
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
	/* A 3D controller drives no monitor: in host mode X stays on the
	 * host's GPU too, and the dGPU is a render offload device. */
	if (t->render_only)
		dgpu = igpu;
	gpu_name(dgpu, "dgpu", v->xorg_name[MODE_HOST], sizeof(v->xorg_name[MODE_HOST]));
	gpu_name(igpu, "igpu", v->xorg_name[MODE_VM], sizeof(v->xorg_name[MODE_VM]));
	/* two cards of one vendor (a GT 710 for the host beside a 1080 Ti),
	 * or X on the same GPU in both modes: one file per mode all the same */
	if (strcmp(v->xorg_name[MODE_HOST], v->xorg_name[MODE_VM]) == 0) {
		char base[sizeof(v->xorg_name[0]) - 8];
		snprintf(base, sizeof(base), "%.*s", (int)sizeof(base) - 1, v->xorg_name[MODE_VM]);
		snprintf(v->xorg_name[MODE_HOST], sizeof(v->xorg_name[MODE_HOST]), "%s-host", base);
		snprintf(v->xorg_name[MODE_VM], sizeof(v->xorg_name[MODE_VM]), "%s-vm", base);
	}

	const char *host_driver = m->conf.xorg_host_driver[0] && !t->render_only ? m->conf.xorg_host_driver :
										  "modesetting";
	struct xorg_vars xv[2] = {
		[MODE_HOST] = { "host", "dgpu", host_driver, dgpu->addr, "" },
		[MODE_VM] = { "vm", "igpu", "modesetting", igpu->addr, "" },
	};
	for (int mode = MODE_HOST; mode <= MODE_VM; mode++) {
		if ((r = xorgconf_render(xorg_template, &xv[mode], &text, e)) < 0)
			goto fail;
		snprintf(path, sizeof(path), "/etc/X11/xorg.conf.%s", v->xorg_name[mode]);
		add_file(m, v, path, text, NULL);
	}

	/* slim.conf variants come from the user's own: the .orig kept by an
	 * earlier setup, or slim.conf itself the first time. */
	bool exists, have_orig = sysroot_exists(&m->root, SLIM_ORIG);
	const char *from = have_orig ? SLIM_ORIG : SLIM_CONF;
	if (!have_orig && is_ours(&m->root, SLIM_CONF, &exists))
		return ss_fail(e, -EINVAL, "%s was written by session-switch but %s is missing: restore your "
			       "own slim.conf as %s, then run setup again", SLIM_CONF, SLIM_ORIG, SLIM_CONF);
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
		snprintf(target, sizeof(target), "slim.conf.%s", mode_str(mr.mode == MODE_VM ? MODE_VM : MODE_HOST));
		add_file(m, v, SLIM_CONF, NULL, target);
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
static int write_file(const struct sysroot *sr, const char *path, const char *text, struct ss_error *e)
{
	struct ss_error ae;
	const char *base;
	int dfd = sysroot_parent(sr, path, &base), r;

	if (dfd < 0)
		return ss_fail(e, dfd, "%s: %s", path, strerror(-dfd));
	r = atomic_replace(dfd, base, text, strlen(text), 0644, ATOMIC_KEEP_ID, ATOMIC_KEEP_ID, &ae);
	close(dfd);
	if (r < 0)
		return ss_fail(e, r, "%.*s%s", (int)(base - path), path, ae.msg);
	return 0;
}

/* Replace the link at path by one to target, through atomic_symlink(). */
static int set_link(const struct sysroot *sr, const char *path, const char *target, struct ss_error *e)
{
	struct ss_error ae;
	const char *base;
	int dfd = sysroot_parent(sr, path, &base), r;

	if (dfd < 0)
		return ss_fail(e, dfd, "%s: %s", path, strerror(-dfd));
	r = atomic_symlink(dfd, target, base, &ae);
	close(dfd);
	if (r < 0)
		return ss_fail(e, r, "%.*s%s", (int)(base - path), path, ae.msg);
	return 0;
}

int variant_write(const struct machine *m, const struct variant_set *v, struct ss_error *e)
{
	int r;

	for (size_t i = 0; i < v->n; i++)
		if (v->f[i].exists_foreign)
			return ss_fail(e, -EEXIST, "%s exists and was not written by session-switch: move it "
				       "away (or merge it into xorg/ of session-switch) and run setup again",
				       v->f[i].path);
	/* Keep the user's slim.conf once, before the link replaces it. */
	if (v->have_slim && !sysroot_exists(&m->root, SLIM_ORIG)) {
		char *orig = NULL;
		if (sysroot_slurp(&m->root, SLIM_CONF, 1 << 20, &orig) < 0)
			return ss_fail(e, -EIO, "cannot read %s to keep it as %s", SLIM_CONF, SLIM_ORIG);
		r = write_file(&m->root, SLIM_ORIG, orig, e);
		free(orig);
		if (r < 0)
			return r;
	}
	for (size_t i = 0; i < v->n; i++) {
		const struct variant_file *f = &v->f[i];
		r = f->text ? write_file(&m->root, f->path, f->text, e) : set_link(&m->root, f->path, f->link, e);
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
			remove_ours(&m->root, v.f[i].path);
	variant_free(&v);
	return 0;
}

int variant_current(const struct sysroot *sr)
{
	char target[64];
	if (sysroot_readlink(sr, SLIM_CONF, target, sizeof(target)) < 0)
		return -1;
	if (strcmp(target, "slim.conf.host") == 0 || strcmp(target, "slim.conf.host" LOGIN_SUFFIX) == 0)
		return MODE_HOST;
	if (strcmp(target, "slim.conf.vm") == 0 || strcmp(target, "slim.conf.vm" LOGIN_SUFFIX) == 0)
		return MODE_VM;
	return -1;
}

/* A one-shot auto-login variant that is no longer selected goes: it
 * names a user, and nothing may select it again by mistake. */
static void drop_login_variants(const struct sysroot *sr)
{
	for (int mode = MODE_HOST; mode <= MODE_VM; mode++) {
		char path[64];
		snprintf(path, sizeof(path), "%s.%s" LOGIN_SUFFIX, SLIM_CONF, mode_str(mode));
		remove_ours(sr, path);
	}
}

int variant_select(const struct sysroot *sr, enum mode to, struct ss_error *e)
{
	char target[32], path[64];
	int r;

	if (variant_current(sr) < 0)
		return 1; /* setup never made variants here: nothing to select */
	snprintf(target, sizeof(target), "slim.conf.%s", mode_str(to));
	snprintf(path, sizeof(path), "/etc/%s", target);
	if (!sysroot_exists(sr, path))
		return ss_fail(e, -ENOENT, "%s is missing: run session-switch setup", path);
	if ((r = set_link(sr, SLIM_CONF, target, e)) == 0)
		drop_login_variants(sr);
	return r;
}

int variant_select_login(const struct sysroot *sr, enum mode to, const char *user, struct ss_error *e)
{
	char target[48], path[64], login[80];
	char *text = NULL, *out = NULL;
	int r;

	if (variant_current(sr) < 0)
		return 1;
	snprintf(path, sizeof(path), "%s.%s", SLIM_CONF, mode_str(to));
	if (sysroot_slurp(sr, path, 1 << 20, &text) < 0)
		return ss_fail(e, -ENOENT, "%s is missing: run session-switch setup", path);
	r = slimconf_autologin(text, user, &out, e);
	free(text);
	if (r < 0)
		return r;
	snprintf(login, sizeof(login), "%s" LOGIN_SUFFIX, path);
	r = write_file(sr, login, out, e);
	free(out);
	if (r < 0)
		return r;
	snprintf(target, sizeof(target), "slim.conf.%s" LOGIN_SUFFIX, mode_str(to));
	return set_link(sr, SLIM_CONF, target, e);
}
