/* Threat model: see pciop.h.  This file writes to sysfs as root. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pci.h"
#include "pciop.h"
#include "spawn.h"

int pciop_open(struct pciop *op, const struct sysroot *sr, int timeout_ms, struct ss_error *e)
{
	op->timeout_ms = timeout_ms;
	op->bus_fd = sysroot_openat(sr, "/sys/bus/pci", O_PATH | O_DIRECTORY);
	if (op->bus_fd < 0)
		return ss_fail(e, op->bus_fd, "/sys/bus/pci: %s", strerror(-op->bus_fd));
	op->devices_fd = openat(op->bus_fd, "devices", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (op->devices_fd < 0) {
		int r = -errno;
		close(op->bus_fd);
		return ss_fail(e, r, "/sys/bus/pci/devices: %s", strerror(-r));
	}
	return 0;
}

void pciop_close(struct pciop *op)
{
	if (op->devices_fd >= 0)
		close(op->devices_fd);
	if (op->bus_fd >= 0)
		close(op->bus_fd);
	op->devices_fd = op->bus_fd = -1;
}

/* open + one write(), in this process.  Returns 0 or -errno. */
static int write_once(int dirfd, const char *rel, const char *value)
{
	size_t len = strlen(value);
	ssize_t n;
	int fd, r = 0;

	fd = openat(dirfd, rel, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	do
		n = write(fd, value, len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		r = -errno;
	else if ((size_t)n != len)
		r = -EIO; /* a short write to sysfs means the kernel took part of it */
	if (close(fd) < 0 && r == 0 && errno != EINTR)
		r = -errno;
	return r;
}

/* The write runs in a child so that a write stuck in the kernel leaves the
 * child in D state, not us.  The child reports -errno as its exit status. */
void child_keep_only(int keep)
{
	/* A child stuck in the kernel keeps what it holds until the reboot:
	 * the switch lock above all, which would then refuse every later
	 * helper (recover too) as "busy"; and the caller's stdio, which a
	 * shell's $(...) would wait on for ever. */
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null >= 0) {
		dup2(null, 0), dup2(null, 1), dup2(null, 2);
		if (null > 2)
			close(null);
	}
	if (keep > 3)
		close_range(3, (unsigned)keep - 1, 0);
	close_range((unsigned)(keep >= 3 ? keep + 1 : 3), ~0U, 0);
}

int sysfs_write_guarded(int dirfd, const char *rel, const char *value, int timeout_ms)
{
	int status, r;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		child_keep_only(dirfd);
		r = write_once(dirfd, rel, value);
		_exit(r < 0 ? (-r & 0xff) : 0);
	}
	r = child_wait(pid, timeout_ms, &status);
	if (r < 0)
		return r;
	if (WIFEXITED(status))
		return -WEXITSTATUS(status);
	return -EINTR;
}

static int write_guarded(struct pciop *op, int dirfd, const char *rel, const char *value)
{
	return sysfs_write_guarded(dirfd, rel, value, op->timeout_ms);
}

static int dev_dir(struct pciop *op, const char *dev, struct ss_error *e)
{
	struct pci_addr a;
	int fd;

	/* Defence in depth: callers pass validated names, but nothing else ever
	 * reaches openat() (doc/security.md rules 8 and 9). */
	if (!pci_addr_parse_strict(dev, &a))
		return ss_fail(e, -EINVAL, "\"%s\" is not a PCI address", dev);
	fd = openat(op->devices_fd, dev, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return ss_fail(e, -errno, "PCI device %s: %s", dev, strerror(errno));
	return fd;
}

static int dev_write(struct pciop *op, const char *dev, const char *attr, const char *value, const char *what,
		     struct ss_error *e)
{
	int fd = dev_dir(op, dev, e), r;
	if (fd < 0)
		return fd;
	r = write_guarded(op, fd, attr, value);
	close(fd);
	if (r == -ETIMEDOUT)
		return ss_fail(e, r,
			       "%s %s: the kernel did not finish within %d ms (a driver is stuck); "
			       "reboot, then run session-switch recover",
			       what, dev, op->timeout_ms);
	if (r < 0)
		return ss_fail(e, r, "%s %s: writing /sys/bus/pci/devices/%s/%s: %s", what, dev, dev, attr,
			       strerror(-r));
	return 0;
}

int pciop_set_override(struct pciop *op, const char *dev, const char *value, struct ss_error *e)
{
	char v[PCI_DRIVER_LEN + 2];
	snprintf(v, sizeof(v), "%s\n", value);
	return dev_write(op, dev, "driver_override", v,
			 value[0] ? "setting driver_override of" : "clearing driver_override of", e);
}

int pciop_driver(struct pciop *op, const char *dev, char *out, size_t len)
{
	char target[PATH_MAX], path[64];
	ssize_t n;

	out[0] = '\0';
	snprintf(path, sizeof(path), "%s/driver", dev);
	n = readlinkat(op->devices_fd, path, target, sizeof(target) - 1);
	if (n < 0)
		return errno == ENOENT ? 0 : -errno;
	target[n] = '\0';
	const char *b = strrchr(target, '/');
	snprintf(out, len, "%s", b ? b + 1 : target);
	return 0;
}

bool pciop_present(struct pciop *op, const char *dev)
{
	struct pci_addr a;
	if (!pci_addr_parse_strict(dev, &a))
		return false;
	return faccessat(op->devices_fd, dev, F_OK, 0) == 0;
}

int pciop_unbind(struct pciop *op, const char *dev, struct ss_error *e)
{
	char drv[PCI_DRIVER_LEN];
	int r = pciop_driver(op, dev, drv, sizeof(drv));
	if (r < 0)
		return ss_fail(e, r, "reading the driver of %s: %s", dev, strerror(-r));
	if (!drv[0])
		return 0;
	char v[PCI_ADDR_LEN + 1];
	snprintf(v, sizeof(v), "%s\n", dev);
	return dev_write(op, dev, "driver/unbind", v, "unbinding", e);
}

int pciop_probe(struct pciop *op, const char *dev, struct ss_error *e)
{
	char v[PCI_ADDR_LEN + 1];
	struct pci_addr a;
	int r;

	if (!pci_addr_parse_strict(dev, &a))
		return ss_fail(e, -EINVAL, "\"%s\" is not a PCI address", dev);
	snprintf(v, sizeof(v), "%s\n", dev);
	r = write_guarded(op, op->bus_fd, "drivers_probe", v);
	/* drivers_probe answers an error when no driver takes the device;
	 * the caller checks the driver link instead. */
	if (r == -ETIMEDOUT)
		return ss_fail(e, r,
			       "probing %s: the kernel did not finish within %d ms; reboot, then run "
			       "session-switch recover",
			       dev, op->timeout_ms);
	return 0;
}

int pciop_remove(struct pciop *op, const char *dev, struct ss_error *e)
{
	return dev_write(op, dev, "remove", "1\n", "removing", e);
}

int pciop_rescan(struct pciop *op, struct ss_error *e)
{
	int r = write_guarded(op, op->bus_fd, "rescan", "1\n");
	if (r == -ETIMEDOUT)
		return ss_fail(e, r,
			       "the PCI rescan did not finish within %d ms; reboot, then run "
			       "session-switch recover",
			       op->timeout_ms);
	if (r < 0)
		return ss_fail(e, r, "writing /sys/bus/pci/rescan: %s", strerror(-r));
	return 0;
}
