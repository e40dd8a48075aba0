/* Threat model: runs as root inside the setuid helper.  A module name
 * reaching here comes from [host] unload of the root-owned configuration or
 * from the root-owned journal, and is validated again before it becomes a
 * syscall argument or modprobe's argv (config_module_name_valid: letters,
 * digits, '_').  Unloading calls the driver's remove for each card, which
 * for NVIDIA's driver waits on its usage count and may never return: it
 * runs in a child with a deadline, so the helper is never the process stuck
 * in the kernel, and the caller learns -ETIMEDOUT and MUST NOT touch the
 * card after it (doc/design.md step 5). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conf.h"
#include "kmod.h"
#include "pciop.h"
#include "spawn.h"

bool kmod_loaded(const struct sysroot *sr, const char *name)
{
	char path[96], state[32];

	if (!config_module_name_valid(name))
		return false;
	snprintf(path, sizeof(path), "/sys/module/%s/initstate", name);
	return sysroot_read(sr, path, state, sizeof(state)) >= 0 && strcmp(state, "live") == 0;
}

int kmod_unload(const struct sysroot *sr, const char *name, int timeout_ms, struct ss_error *e)
{
	int status, r;
	pid_t pid;

	if (!config_module_name_valid(name))
		return ss_fail(e, -EINVAL, "\"%s\" is not a module name", name);
	if (!kmod_loaded(sr, name))
		return 0;
	pid = fork();
	if (pid < 0)
		return ss_fail(e, -errno, "fork: %s", strerror(errno));
	if (pid == 0) {
		/* O_NONBLOCK: refuse at once while the module is in use rather
		 * than wait for its users, as rmmod does. */
		child_keep_only(-1);
		long rc = syscall(SYS_delete_module, name, O_NONBLOCK);
		_exit(rc == 0 ? 0 : (errno & 0xff));
	}
	r = child_wait(pid, timeout_ms, &status);
	if (r == -ETIMEDOUT)
		return ss_fail(
		    e, r,
		    "unloading module %s did not return within %d ms: its driver's remove is "
		    "stuck in the kernel (for NVIDIA's driver: something still holds the GPU, or legacy "
		    "persistence mode is on). Nothing more was done; reboot, then run session-switch "
		    "recover",
		    name, timeout_ms);
	if (r < 0)
		return ss_fail(e, r, "waiting for the unload of %s: %s", name, strerror(-r));
	r = WIFEXITED(status) ? -WEXITSTATUS(status) : -EINTR;
	if (r == -EWOULDBLOCK || r == -EBUSY)
		return ss_fail(e, -EBUSY,
			       "module %s is in use (%s lists what depends on it): close what uses "
			       "the GPU, or list those modules first in [host] unload",
			       name, "lsmod");
	if (r < 0)
		return ss_fail(e, r, "unloading module %s: %s", name, strerror(-r));
	return 0;
}

int kmod_load(const struct sysroot *sr, const char *name, int timeout_ms, struct ss_error *e)
{
	char *argv[] = {"modprobe", (char *)name, NULL};
	int r;

	if (!config_module_name_valid(name))
		return ss_fail(e, -EINVAL, "\"%s\" is not a module name", name);
	if (kmod_loaded(sr, name))
		return 0;
	r = spawn_wait(MODPROBE_PATH, argv, timeout_ms, e);
	if (r > 0)
		r = ss_fail(e, -ENOENT,
			    MODPROBE_PATH " %s failed (exit %d): is the module installed for this "
					  "kernel (uname -r)?",
			    name, r);
	return r;
}
