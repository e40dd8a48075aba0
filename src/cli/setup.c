#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "drvdata.h"
#include "json.h"
#include "lightdmconf.h"
#include "lock.h"
#include "mode.h"
#include "variant.h"

/* What stops and starts the display manager here, for [display] manager:
 * LightDM's own unit or service where setup wrote its variants. */
static const char *dm_default(const struct sysroot *sr, const struct dm_found *dm)
{
	if (dm->id == DMID_LIGHTDM) {
		if (sysroot_exists(sr, "/run/systemd/system"))
			return "systemd:lightdm.service";
		if (sysroot_exists(sr, "/run/openrc") && sysroot_exists(sr, "/etc/init.d/lightdm"))
			return "openrc:lightdm";
		if (sysroot_exists(sr, "/run/openrc") && sysroot_exists(sr, "/etc/init.d/xdm"))
			return "openrc:xdm"; /* Gentoo's, with DISPLAYMANAGER="lightdm" */
		if (sysroot_exists(sr, "/etc/sv/lightdm"))
			return "runit:lightdm";
		return "none";
	}
	if (sysroot_exists(sr, "/run/systemd/system"))
		return "systemd:display-manager.service";
	if (sysroot_exists(sr, "/run/openrc") && sysroot_exists(sr, "/etc/init.d/xdm"))
		return "openrc:xdm"; /* Gentoo's, the seed's */
	if (sysroot_exists(sr, "/etc/sv/slim"))
		return "runit:slim";
	return "none";
}

/* What setup proposes for [host] services and [host] unload, found from
 * the data file of each host driver of the target (drvdata.c) and what is
 * installed and loaded here: never a driver's name in code. */
struct host_hint {
	char services[512]; /* "systemd:nvidia-persistenced ...", "" none */
	char unload[512];   /* "nvidia_drm nvidia_modeset ...", "" none */
	char from[2 * PATH_MAX];
};

static void hint_add(char *list, size_t len, const char *word)
{
	size_t used = strlen(list), wl = strlen(word);

	for (const char *p = list; (p = strstr(p, word)); p++)
		if ((p == list || p[-1] == ' ') && (p[wl] == ' ' || !p[wl]))
			return; /* listed already, by an earlier card's driver */
	snprintf(list + used, len - used, "%s%s", used ? " " : "", word);
}

/* A service is installed where the running init system would find it;
 * with none recognised, wherever any of them would. */
static void hint_service(const struct sysroot *sr, const char *name, char *list, size_t len)
{
	static const struct {
		const char *kind, *running, *dir, *suffix;
	} where[] = {
	    {"systemd", "/run/systemd/system", "/etc/systemd/system/", ".service"},
	    {"systemd", "/run/systemd/system", "/usr/lib/systemd/system/", ".service"},
	    {"systemd", "/run/systemd/system", "/lib/systemd/system/", ".service"},
	    {"openrc", "/run/openrc", "/etc/init.d/", ""},
	    {"runit", "/run/runit", "/etc/sv/", ""},
	};
	bool known = false;
	char path[200], word[140];

	for (size_t i = 0; i < sizeof(where) / sizeof(where[0]); i++)
		known |= sysroot_exists(sr, where[i].running);
	for (size_t i = 0; i < sizeof(where) / sizeof(where[0]); i++) {
		if (known && !sysroot_exists(sr, where[i].running))
			continue;
		snprintf(path, sizeof(path), "%s%s%s", where[i].dir, name, where[i].suffix);
		if (sysroot_exists(sr, path)) {
			snprintf(word, sizeof(word), "%s:%s", where[i].kind, name);
			hint_add(list, len, word);
			return;
		}
	}
}

static bool module_live(const struct sysroot *sr, const char *name)
{
	char path[96], state[32];

	snprintf(path, sizeof(path), "/sys/module/%s/initstate", name);
	return sysroot_read(sr, path, state, sizeof(state)) >= 0 && strcmp(state, "live") == 0;
}

static void host_hint(const struct machine *m, struct host_hint *h)
{
	const struct target *t = &m->target;
	struct drvdata dd;
	struct ss_error ignored;

	memset(h, 0, sizeof(*h));
	for (size_t i = 0; !m->target_err && i < t->n; i++) {
		const struct pci_dev *d = pci_find(&m->devs, &t->fn[i].addr);
		const char *drv = t->fn[i].host_driver[0] ? t->fn[i].host_driver : d ? d->driver : "";
		if (!drv[0] || strcmp(drv, VFIO_DRIVER) == 0 ||
		    drvdata_load(&m->root, drv, false, &dd, &ignored) < 0 || !dd.found)
			continue;
		if (!strstr(h->from, dd.from))
			snprintf(h->from + strlen(h->from), sizeof(h->from) - strlen(h->from), "%s%s",
				 h->from[0] ? ", " : "", dd.from);
		for (size_t k = 0; k < dd.nservices; k++)
			hint_service(&m->root, dd.services[k], h->services, sizeof(h->services));
		for (size_t k = 0; k < dd.nmodules; k++)
			if (module_live(&m->root, dd.modules[k]))
				hint_add(h->unload, sizeof(h->unload), dd.modules[k]);
	}
	/* what the configuration says already is not proposed again */
	if (m->conf.nservices)
		h->services[0] = '\0';
	if (m->conf.nunload)
		h->unload[0] = '\0';
}

static int setup_fail(bool json, const char *msg)
{
	return cli_fail_json(json, EXIT_REFUSED, msg);
}

/* The files setup writes or would write, as data. */
static int setup_json(const struct machine *m, const struct variant_set *v, bool dry_run, const char *err)
{
	struct json j;
	json_init(&j, stdout);
	json_begin_object(&j);
	json_kbool(&j, "dry_run", dry_run);
	json_key(&j, "files");
	json_begin_array(&j);
	for (size_t i = 0; i < v->n; i++) {
		const struct variant_file *f = &v->f[i];
		json_begin_object(&j);
		json_kstring(&j, "path", f->path);
		json_kstring(&j, "action", f->text ? "write" : "link");
		json_key(&j, "link");
		if (f->text)
			json_null(&j);
		else
			json_string(&j, f->link);
		json_kbool(&j, "refused_foreign", f->text && f->exists_foreign);
		json_end_object(&j);
	}
	json_end_array(&j);
	json_kbool(&j, "slim", v->have_slim);
	json_kbool(&j, "lightdm", v->have_lightdm);
	json_key(&j, "display_manager");
	if (v->dm.name)
		json_string(&j, v->dm.name);
	else
		json_null(&j);
	json_key(&j, "display_manager_hint");
	if (m->conf.dm == DM_UNSET)
		json_string(&j, dm_default(&m->root, &v->dm));
	else
		json_null(&j);
	struct host_hint h;
	host_hint(m, &h);
	json_key(&j, "services_hint");
	if (h.services[0])
		json_string(&j, h.services);
	else
		json_null(&j);
	json_key(&j, "unload_hint");
	if (h.unload[0])
		json_string(&j, h.unload);
	else
		json_null(&j);
	json_key(&j, "error");
	if (err)
		json_string(&j, err);
	else
		json_null(&j);
	json_end_object(&j);
	json_finish(&j);
	return err ? EXIT_REFUSED : EXIT_OK;
}

static int setup_locked(const struct machine *m, bool dry_run, bool undo, bool json);

/* The variants are what a switch selects: setup takes the switch's own
 * lock, so that it never rewrites them under a switch (doc/security.md
 * rule 11).  A replayed tree (--sysroot) and --dry-run touch no system. */
int cli_setup(const struct machine *m, bool dry_run, bool undo, bool json)
{
	struct ss_error e;
	int rundir, lock, rc;

	if (!m->root.prefixed && !dry_run && geteuid() != 0)
		return setup_fail(json,
				  "setup writes /etc/X11 and /etc/slim.conf: run it as root (or see what it "
				  "would write with --dry-run)");
	if (m->root.prefixed || dry_run)
		return setup_locked(m, dry_run, undo, json);
	if ((rundir = rundir_open(&e)) < 0)
		return setup_fail(json, e.msg);
	lock = lock_take(rundir, 0, &e);
	close(rundir);
	if (lock < 0) {
		char msg[sizeof e.msg + 16];
		snprintf(msg, sizeof msg, "setup: %s", e.msg);
		return cli_fail_json(json, lock == -EBUSY ? EXIT_BUSY : EXIT_REFUSED, msg);
	}
	rc = setup_locked(m, dry_run, undo, json);
	close(lock);
	return rc;
}

static int setup_locked(const struct machine *m, bool dry_run, bool undo, bool json)
{
	struct variant_set v;
	struct ss_error e;

	if (undo) {
		if (variant_undo(m, &e) < 0)
			return setup_fail(json, e.msg);
		if (json) {
			struct json j;
			json_init(&j, stdout);
			json_begin_object(&j);
			json_kbool(&j, "undone", true);
			json_end_object(&j);
			json_finish(&j);
			return EXIT_OK;
		}
		struct dm_found dm;
		variant_dm_detect(&m->root, &dm);
		if (dm.id == DMID_LIGHTDM)
			printf("removed %s%s; the variants session-switch wrote are removed\n",
			       m->root.prefixed ? m->root.prefix : "", LIGHTDM_DROPIN);
		else
			printf("restored %s%s; the variants session-switch wrote are removed\n",
			       m->root.prefixed ? m->root.prefix : "", SLIM_CONF);
		return EXIT_OK;
	}
	if (variant_plan(m, &v, &e) < 0)
		return setup_fail(json, e.msg);
	if (json) {
		int rc = !dry_run && variant_write(m, &v, &e) < 0 ? setup_json(m, &v, dry_run, e.msg)
								  : setup_json(m, &v, dry_run, NULL);
		variant_free(&v);
		return rc;
	}
	for (size_t i = 0; i < v.n; i++) {
		const struct variant_file *f = &v.f[i];
		if (f->text)
			printf("%s %s%s\n", dry_run ? "would write" : "writing", f->path,
			       f->exists_foreign ? "  (EXISTS, not ours: refused)" : "");
		else
			printf("%s %s -> %s\n", dry_run ? "would link" : "linking", f->path, f->link);
		if (dry_run && f->text)
			printf("%s\n", f->text);
	}
	if (!v.have_slim && !v.have_lightdm)
		printf("no %s: only the Xorg variants (a display manager other than SLiM starts X with "
		       "-config xorg.conf.%s / xorg.conf.%s)\n",
		       SLIM_CONF, v.xorg_name[MODE_HOST], v.xorg_name[MODE_VM]);
	int rc = EXIT_OK;
	if (!dry_run && variant_write(m, &v, &e) < 0) {
		fprintf(stderr, "session-switch: %s\n", e.msg);
		rc = EXIT_REFUSED;
	}
	if (rc == EXIT_OK && m->conf.dm == DM_UNSET)
		printf("\nTo stop and start the display manager around a switch, add to %s:\n"
		       "  [display]\n  manager = %s\n",
		       SS_DEFAULT_CONFIG, dm_default(&m->root, &v.dm));
	if (rc == EXIT_OK && v.have_lightdm && strcmp(m->conf.xauthority, "/var/run/slim.auth") == 0)
		printf("\nLightDM keeps the X authority of its server elsewhere: add to %s:\n"
		       "  [display]\n  authfile = /var/run/lightdm/root/:0\n",
		       SS_DEFAULT_CONFIG);
	struct host_hint h;
	host_hint(m, &h);
	if (rc == EXIT_OK && (h.services[0] || h.unload[0]))
		printf("\nWhat holds the card (from %s, and what is installed and loaded here): to "
		       "%s around a switch, add to %s:\n  [host]\n%s%s%s%s%s%s",
		       h.from,
		       h.services[0] && h.unload[0] ? "stop its services and unload its modules"
		       : h.services[0]		    ? "stop its services"
						    : "unload its modules instead of unbinding it",
		       SS_DEFAULT_CONFIG, h.services[0] ? "  services = " : "", h.services,
		       h.services[0] ? "\n" : "", h.unload[0] ? "  unload = " : "", h.unload,
		       h.unload[0] ? "\n" : "");
	/* The login-screen route needs the module in the display manager's
	 * session stacks (LightDM's auto-login has a stack of its own, and its
	 * close_session is what switches back); setup does not edit PAM
	 * files, it says what to add. */
	static const struct {
		const char *file;
		bool lightdm;
	} stacks[] = {
	    {"/etc/pam.d/slim", false}, {"/etc/pam.d/lightdm", true}, {"/etc/pam.d/lightdm-autologin", true}};
	for (size_t i = 0; rc == EXIT_OK && i < sizeof(stacks) / sizeof(stacks[0]); i++) {
		char *pam = NULL;
		if ((stacks[i].lightdm ? v.have_lightdm : v.have_slim) &&
		    sysroot_slurp(&m->root, stacks[i].file, 1 << 16, &pam) >= 0 &&
		    !strstr(pam, "pam_session_switch.so"))
			printf("\nFor the \"Windows VM\" session at the login screen, add to %s:\n"
			       "  session optional pam_session_switch.so\n",
			       stacks[i].file);
		free(pam);
	}
	variant_free(&v);
	return rc;
}
