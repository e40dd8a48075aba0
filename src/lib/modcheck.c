#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include "drvdata.h"
#include "modcheck.h"
#include "mode.h"

#define CHECK(...) check_add(arr, n, max, __VA_ARGS__)

/* The module a registered PCI driver comes from: its module link.  ""
 * when the driver is built in, or not registered: wayback.c finds the
 * module of a driver that is not loaded, and says when there is none. */
static void module_of(const struct machine *m, const char *drv, char *out, size_t len)
{
	char path[160], link[256];
	ssize_t l;

	out[0] = '\0';
	snprintf(path, sizeof(path), "/sys/bus/pci/drivers/%s/module", drv);
	l = sysroot_readlink(&m->root, path, link, sizeof(link));
	if (l >= 0) {
		const char *b = strrchr(link, '/');
		snprintf(out, len, "%.55s", b ? b + 1 : link);
	}
}

/* Module files are named with '-' or '_' (snd-hda-intel.ko, virtio_pci.ko). */
static enum kmod module_file(const struct machine *m, const char *module)
{
	char dashed[SS_MODULE_LEN];
	enum kmod k = kernel_module_file(&m->root, &m->kernel, module);

	if (k == KMOD_MISSING) {
		snprintf(dashed, sizeof(dashed), "%s", module);
		for (char *p = dashed; *p; p++)
			*p = *p == '_' ? '-' : *p;
		k = kernel_module_file(&m->root, &m->kernel, dashed);
	}
	return k;
}

static void way_back(const struct machine *m, struct check *arr, size_t *n, size_t max)
{
	const struct target *t = &m->target;
	const struct ss_config *c = &m->conf;
	char fix[400];
	int missing = 0;

	snprintf(fix, sizeof(fix),
		 "install the driver's module for the running kernel %s (for NVIDIA's: "
		 "reinstall the driver or run dkms autoinstall), or boot the kernel it was built for",
		 m->kernel.release);
	for (size_t i = 0; i < t->n; i++) {
		char mod[SS_MODULE_LEN];
		if (!t->fn[i].host_driver[0] || !pci_driver_name_valid(t->fn[i].host_driver))
			continue;
		module_of(m, t->fn[i].host_driver, mod, sizeof(mod));
		if (mod[0] && module_file(m, mod) == KMOD_MISSING && missing++ < 4)
			CHECK("way-back", CHECK_FAIL, fix,
			      "%s goes back to %s, whose module %s is not in "
			      "/lib/modules/%s (modules.dep, modules.builtin): once unbound it could not be "
			      "loaded "
			      "again",
			      t->fn[i].name, t->fn[i].host_driver, mod, m->kernel.release);
	}
	for (size_t i = 0; i < c->nunload; i++)
		if (module_file(m, c->unload[i]) == KMOD_MISSING && missing++ < 4)
			CHECK("way-back", CHECK_FAIL, fix,
			      "[host] unload names %s, which is not in /lib/modules/%s: "
			      "once unloaded it could not be loaded again",
			      c->unload[i], m->kernel.release);
	if (!missing)
		CHECK("way-back", CHECK_OK, NULL, "the host drivers' modules are there for %s",
		      m->kernel.release);
}

static bool in_unload(const struct ss_config *c, const char *mod);

/* The way back binds the card to the module that is loaded now (or, with
 * [host] unload, loads it again): a user-space driver upgraded since it
 * was loaded fails there with NVIDIA's "API mismatch", X does not start
 * and the switch rolls back into vm mode.  What to compare is the driver
 * data file's (version, userspace); without them nothing is knowable. */
static void version_check(const struct machine *m, struct check *arr, size_t *n, size_t max)
{
	const struct target *t = &m->target;
	char done[SS_MAX_FUNCS][PCI_DRIVER_LEN];
	size_t ndone = 0;

	for (size_t i = 0; i < t->n; i++) {
		const struct pci_dev *d = pci_find(&m->devs, &t->fn[i].addr);
		const char *drv = t->fn[i].host_driver[0] ? t->fn[i].host_driver : d ? d->driver : "";
		char mod[SS_MODULE_LEN];
		struct drvdata_versions v;
		struct drvdata dd;
		struct kernel_modver kv;
		struct ss_error e = {""};
		bool seen = false, unload, disk = false;
		int r;

		for (size_t k = 0; k < ndone; k++)
			seen |= strcmp(done[k], drv) == 0;
		if (seen || !drv[0] || strcmp(drv, VFIO_DRIVER) == 0)
			continue;
		snprintf(done[ndone++], PCI_DRIVER_LEN, "%s", drv);
		r = drvdata_load(&m->root, drv, !m->root.prefixed, &dd, &e);
		if (r < 0) {
			CHECK("driver-version", CHECK_FAIL, "mend or remove that file", "%s", e.msg);
			continue;
		}
		if (!dd.found || (!dd.nversion && !dd.nuserspace))
			continue;
		drvdata_versions(&m->root, &dd, &v);
		module_of(m, drv, mod, sizeof(mod));
		if (!mod[0])
			snprintf(mod, sizeof(mod), "%.55s", drv);
		/* With [host] unload the way back loads the module file again:
		 * its version is the one that meets the user-space driver. */
		unload = in_unload(&m->conf, mod);
		if (unload && v.user[0] && kernel_module_version(&m->root, &m->kernel, mod, &kv, &e) == 0) {
			snprintf(v.kernel, sizeof(v.kernel), "%s", kv.version);
			snprintf(v.kernel_from, sizeof(v.kernel_from), "%.*s", (int)sizeof(v.kernel_from) - 1,
				 kv.path);
			drvdata_userspace(&m->root, &dd, &v);
			disk = true;
		}
		if (v.match)
			CHECK("driver-version", CHECK_OK, NULL,
			      "the %s %s module and the user-space driver are both %s (%s, %s)",
			      disk ? "unloaded and reloaded" : "loaded", drv, v.kernel, v.kernel_from,
			      v.user_from);
		else if (v.kernel[0] && v.user[0] && disk)
			CHECK(
			    "driver-version", CHECK_FAIL,
			    "rebuild the module for the installed driver (dkms autoinstall, or reinstall "
			    "the driver), then switch",
			    "[host] unload loads %s again from %s, version %s, but the installed user-space "
			    "driver is %s (%s): back on the host, X on the card would fail with an API "
			    "mismatch",
			    mod, v.kernel_from, v.kernel, v.user, v.user_from);
		else if (v.kernel[0] && v.user[0])
			CHECK(
			    "driver-version", unload ? CHECK_WARN : CHECK_FAIL,
			    "reboot (or reload the driver's modules) so that the kernel module matches the "
			    "installed driver, then switch",
			    "the loaded %s module is %s (%s) but the installed user-space driver is %s (%s): "
			    "back on the host, X on the card would fail with an API mismatch%s%s",
			    drv, v.kernel, v.kernel_from, v.user, v.user_from,
			    unload ? "; [host] unload loads the module again from /lib/modules, whose "
				     "version could not be read: "
				   : "",
			    unload ? e.msg : "");
		else if (v.kernel[0] || v.user[0]) /* neither: not this driver's machine */
			CHECK("driver-version", CHECK_WARN, NULL,
			      "cannot compare the %s module with its user-space driver: %s", drv,
			      !v.kernel[0] ? "no loaded module says its version"
					   : "no user-space driver found");
	}
}

static bool in_target(const struct target *t, const char *name)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->fn[i].name, name) == 0)
			return true;
	return false;
}

static bool in_unload(const struct ss_config *c, const char *mod)
{
	for (size_t i = 0; i < c->nunload; i++)
		if (strcmp(c->unload[i], mod) == 0)
			return true;
	return false;
}

/* Unloading a module takes every card its drivers drive, and it cannot
 * go while a module outside the list uses it. */
static void unload_check(const struct machine *m, struct check *arr, size_t *n, size_t max)
{
	const struct ss_config *c = &m->conf;
	int bad = 0;

	for (size_t i = 0; i < c->nunload && bad < 4; i++) {
		char path[160];
		struct dirent *de;
		DIR *dp;
		snprintf(path, sizeof(path), "/sys/module/%s/drivers", c->unload[i]);
		if (sysroot_opendir(&m->root, path, &dp) == 0) {
			while ((de = readdir(dp)) && bad < 4) {
				if (strncmp(de->d_name, "pci:", 4) != 0)
					continue;
				for (size_t k = 0; k < m->devs.n; k++) {
					const struct pci_dev *d = &m->devs.dev[k];
					if (strcmp(d->driver, de->d_name + 4) != 0 ||
					    in_target(&m->target, d->name))
						continue;
					CHECK("unload", CHECK_FAIL,
					      "leave [host] unload out (the card is then unbound "
					      "instead), or pass that device through as well",
					      "module %s drives %s (driver %s) too, which stays on the host: "
					      "unloading "
					      "it would take that device away",
					      c->unload[i], d->name, d->driver);
					bad++;
				}
			}
			closedir(dp);
		}
		snprintf(path, sizeof(path), "/sys/module/%s/holders", c->unload[i]);
		if (sysroot_opendir(&m->root, path, &dp) == 0) {
			while ((de = readdir(dp)) && bad < 4)
				if (de->d_name[0] != '.' && !in_unload(c, de->d_name)) {
					CHECK("unload", CHECK_FAIL,
					      "add it to [host] unload, before the module it uses",
					      "module %s uses %s and is not in [host] unload: %s could not "
					      "be unloaded",
					      de->d_name, c->unload[i], c->unload[i]);
					bad++;
				}
			closedir(dp);
		}
	}
	if (c->nunload && !bad)
		CHECK("unload", CHECK_OK, NULL, "%zu module(s) unloaded in order; nothing else uses them",
		      c->nunload);
}

void modcheck_checks(const struct machine *m, struct check *arr, size_t *n, size_t max)
{
	if (m->target_err)
		return;
	way_back(m, arr, n, max);
	version_check(m, arr, n, max);
	unload_check(m, arr, n, max);
}

void modcheck_stuck_check(const struct machine *m, struct check *arr, size_t *n, size_t max)
{
	const struct journal *j = &m->journal;
	const struct journal_step *s;

	if (m->journal_err || j->state != JOURNAL_PENDING || j->stuck <= 0)
		return;
	s = &j->step[j->stuck - 1];
	if (journal_stuck_now(&m->root, j))
		CHECK("stuck", CHECK_FAIL,
		      "reboot (the stuck process cannot be killed), then run session-switch recover",
		      "a switch to %s is stuck at step %d (%s %s %s): the kernel never returned from it (for "
		      "NVIDIA's "
		      "driver, a remove waiting for its usage count); nothing more was written",
		      mode_str(j->to), j->stuck, s->name, s->device[0] ? s->device : "-",
		      s->value[0] ? s->value : "-");
	else
		CHECK(
		    "stuck", CHECK_WARN, "run session-switch recover",
		    "a switch to %s was stuck at step %d (%s %s %s) in an earlier boot and is still pending",
		    mode_str(j->to), j->stuck, s->name, s->device[0] ? s->device : "-",
		    s->value[0] ? s->value : "-");
}
