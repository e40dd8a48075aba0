#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "json.h"
#include "lock.h"
#include "variant.h"

/* What stops and starts the display manager here, for [display] manager. */
static const char *dm_default(const struct sysroot *sr)
{
	if (sysroot_exists(sr, "/run/systemd/system"))
		return "systemd:display-manager.service";
	if (sysroot_exists(sr, "/run/openrc") && sysroot_exists(sr, "/etc/init.d/xdm"))
		return "openrc:xdm"; /* Gentoo's, the seed's */
	if (sysroot_exists(sr, "/etc/sv/slim"))
		return "runit:slim";
	return "none";
}

static int setup_fail_code(bool json, const char *msg, int code)
{
	fprintf(stderr, "session-switch: %s\n", msg);
	if (json) {
		struct json j;
		json_init(&j, stdout);
		json_begin_object(&j);
		json_kstring(&j, "error", msg);
		json_kint(&j, "exit", code);
		json_end_object(&j);
		json_finish(&j);
	}
	return code;
}

static int setup_fail(bool json, const char *msg)
{
	return setup_fail_code(json, msg, EXIT_REFUSED);
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
	json_key(&j, "display_manager_hint");
	if (m->conf.dm == DM_UNSET)
		json_string(&j, dm_default(&m->root));
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
		return setup_fail_code(json, msg, lock == -EBUSY ? EXIT_BUSY : EXIT_REFUSED);
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
	if (!v.have_slim)
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
		       SS_DEFAULT_CONFIG, dm_default(&m->root));
	/* The login-screen route needs the module in SLiM's session stack;
	 * setup does not edit PAM files, it says what to add. */
	char *pam = NULL;
	if (rc == EXIT_OK && v.have_slim && sysroot_slurp(&m->root, "/etc/pam.d/slim", 1 << 16, &pam) >= 0 &&
	    !strstr(pam, "pam_session_switch.so"))
		printf("\nFor the \"Windows VM\" session at the login screen, add to /etc/pam.d/slim:\n"
		       "  session optional pam_session_switch.so\n");
	free(pam);
	variant_free(&v);
	return rc;
}
