/* Threat model: runs as root inside the setuid helper.  The names written
 * come from sysfs, read when the switch is planned, or from the root-owned
 * journal; each is checked against a fixed alphabet ("vtcon" and digits; a
 * platform device and driver of letters, digits, '_', '-' and '.', no
 * "..") before it names a file below /sys/class/vtconsole or
 * /sys/bus/platform/drivers, and every write goes through the one guarded
 * sysfs write (pciop.h), so a console that hangs cannot hang the switch. */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/fb.h>

#include "console.h"
#include "pciop.h"

static bool vt_name_ok(const char *s)
{
	bool ok = strncmp(s, "vtcon", 5) == 0 && s[5] && strlen(s) < 12;
	for (const char *p = s + 5; ok && *p; p++)
		ok = isdigit((unsigned char)*p);
	return ok;
}

static bool plat_name_ok(const char *s, size_t n)
{
	bool ok = n > 0 && n < CONSOLE_NAME && s[0] != '.';
	for (size_t i = 0; ok && i < n; i++)
		ok = isalnum((unsigned char)s[i]) || strchr("_-.", s[i]);
	return ok && !memmem(s, n, "..", 2);
}

/* Does the class device (/sys/class/graphics/fb0) hang below one of the
 * target's functions? */
static bool below_target(const struct machine *m, const char *link)
{
	for (size_t i = 0; i < m->target.n; i++) {
		char needle[PCI_ADDR_LEN + 2];
		snprintf(needle, sizeof(needle), "/%s/", m->target.fn[i].name);
		if (strstr(link, needle))
			return true;
	}
	return false;
}

/* A firmware framebuffer (efifb, simplefb, simpledrm, vesafb) is a
 * platform device with a framebuffer or a DRM card below it. */
static void firmware_fb(const struct machine *m, const char *link, struct console_found *out)
{
	const char *p = strstr(link, "/devices/platform/");
	char dev[CONSOLE_NAME], path[160], drv[256];
	size_t n;

	if (!p)
		return;
	p += strlen("/devices/platform/");
	n = strcspn(p, "/");
	if (!plat_name_ok(p, n))
		return;
	snprintf(dev, sizeof(dev), "%.*s", (int)(n < 30 ? n : 30), p);
	snprintf(path, sizeof(path), "/sys/bus/platform/devices/%s/driver", dev);
	ssize_t l = sysroot_readlink(&m->root, path, drv, sizeof(drv));
	if (l < 0)
		return;
	const char *b = strrchr(drv, '/');
	b = b ? b + 1 : drv;
	for (size_t i = 0; i < out->nfw; i++)
		if (strncmp(out->fw[i], dev, strlen(dev)) == 0 && out->fw[i][strlen(dev)] == ':')
			return;
	if (out->nfw < CONSOLE_MAX && plat_name_ok(b, strlen(b)) &&
	    strlen(dev) + strlen(b) + 2 <= CONSOLE_NAME)
		snprintf(out->fw[out->nfw++], CONSOLE_NAME, "%.30s:%.30s", dev, b);
}

static bool boot_vga_in_target(const struct machine *m)
{
	for (size_t i = 0; i < m->target.n; i++) {
		const struct pci_dev *d = pci_find(&m->devs, &m->target.fn[i].addr);
		if (d && d->boot_vga == 1)
			return true;
	}
	return false;
}

/* fbcon draws on its primary framebuffer, the boot VGA device's, unless
 * the command line maps consoles elsewhere (fbcon=map:); a framebuffer on
 * a card that is not the boot VGA carries no console, and its driver
 * takes it away by itself.  Unbinding fbcon there would gain nothing and
 * cost the host its text console: after an unbind, the kernel binds fbcon
 * again only when its primary framebuffer registers anew (seen in the
 * reference guest: writing 1 to the vtcon's bind then changes nothing). */
static bool fbcon_mapped_by_cmdline(const struct machine *m)
{
	char cmdline[4096];

	if (sysroot_read(&m->root, "/proc/cmdline", cmdline, sizeof(cmdline)) < 0)
		return false;
	return strstr(cmdline, "fbcon=map:") != NULL;
}

void console_detect(const struct machine *m, struct console_found *out)
{
	static const char *const classes[] = {"/sys/class/graphics", "/sys/class/drm"};
	bool card_fb = false, boot = boot_vga_in_target(m);
	struct dirent *de;
	DIR *dp;

	memset(out, 0, sizeof(*out));
	for (size_t c = 0; c < 2; c++) {
		if (sysroot_opendir(&m->root, classes[c], &dp) < 0)
			continue;
		while ((de = readdir(dp))) {
			char path[128], link[512];
			if (strncmp(de->d_name, c == 0 ? "fb" : "card", c == 0 ? 2 : 4) != 0 ||
			    strchr(de->d_name, '-') || strlen(de->d_name) > 16)
				continue;
			snprintf(path, sizeof(path), "%s/%.16s", classes[c], de->d_name);
			if (sysroot_readlink(&m->root, path, link, sizeof(link)) < 0)
				continue;
			if (c == 0 && below_target(m, link))
				card_fb = boot || fbcon_mapped_by_cmdline(m);
			else if (boot)
				firmware_fb(m, link, out);
		}
		closedir(dp);
	}
	if (!card_fb && out->nfw == 0)
		return;
	/* fbcon is the console that draws on framebuffers: its vtcon says so. */
	if (sysroot_opendir(&m->root, "/sys/class/vtconsole", &dp) < 0)
		return;
	while ((de = readdir(dp)) && out->nvt < CONSOLE_MAX) {
		char path[96], name[128], bind[8];
		if (!vt_name_ok(de->d_name))
			continue;
		snprintf(path, sizeof(path), "/sys/class/vtconsole/%.12s/name", de->d_name);
		if (sysroot_read(&m->root, path, name, sizeof(name)) < 0 || !strstr(name, "frame buffer"))
			continue;
		snprintf(path, sizeof(path), "/sys/class/vtconsole/%.12s/bind", de->d_name);
		if (sysroot_read(&m->root, path, bind, sizeof(bind)) >= 0 && strcmp(bind, "1") == 0)
			snprintf(out->vt[out->nvt++], CONSOLE_NAME, "%.12s", de->d_name);
	}
	closedir(dp);
}

static int write_below(const struct sysroot *sr, const char *dir, const char *rel, const char *value,
		       int timeout_ms, struct ss_error *e)
{
	int fd = sysroot_openat(sr, dir, O_PATH | O_DIRECTORY), r;

	if (fd < 0)
		return ss_fail(e, fd, "%s: %s", dir, strerror(-fd));
	r = sysfs_write_guarded(fd, rel, value, timeout_ms);
	close(fd);
	if (r == -ETIMEDOUT)
		return ss_fail(e, r,
			       "writing %s/%s did not return within %d ms; reboot, then run session-switch "
			       "recover",
			       dir, rel, timeout_ms);
	if (r < 0)
		return ss_fail(e, r, "writing \"%.*s\" to %s/%s: %s", (int)strcspn(value, "\n"), value, dir,
			       rel, strerror(-r));
	return 0;
}

/* The framebuffer fbcon should take: the boot VGA's (its primary), else
 * the first one registered.  -1 when there is none. */
static int takeover_fb(const struct sysroot *sr)
{
	int best = -1;
	bool best_boot = false;
	struct dirent *de;
	DIR *dp;

	if (sysroot_opendir(sr, "/sys/class/graphics", &dp) < 0)
		return -1;
	while ((de = readdir(dp))) {
		char path[96], boot[8], *end;
		long n;

		if (strncmp(de->d_name, "fb", 2) != 0 || !isdigit((unsigned char)de->d_name[2]))
			continue;
		n = strtol(de->d_name + 2, &end, 10);
		if (*end || n >= 32)
			continue;
		snprintf(path, sizeof(path), "/sys/class/graphics/fb%ld/device/boot_vga", n);
		bool is_boot = sysroot_read(sr, path, boot, sizeof(boot)) >= 0 && strcmp(boot, "1") == 0;
		if (best < 0 || (is_boot && !best_boot) || (is_boot == best_boot && n < best)) {
			best = (int)n;
			best_boot = is_boot;
		}
	}
	closedir(dp);
	return best;
}

/* Once unbound, fbcon binds again by itself only when its primary
 * framebuffer registers anew (the card's driver coming back); where that
 * framebuffer never went away (a rollback before the card moved), writing
 * 1 to the vtcon's bind changes nothing (seen in the reference guest).
 * Mapping a console to a framebuffer, as con2fbmap(1) does, makes fbcon
 * take the consoles over again. */
static int fbcon_take_over(const struct sysroot *sr, const char *vtcon, struct ss_error *e)
{
	int n = takeover_fb(sr), fd, r = 0;
	char dev[24];

	if (n < 0)
		return ss_fail(e, -ENODEV, "%s stayed unbound: no framebuffer is registered for it to take",
			       vtcon);
	snprintf(dev, sizeof(dev), "/dev/fb%d", n);
	fd = sysroot_openat(sr, dev, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return ss_fail(e, fd, "%s stayed unbound, and %s: %s", vtcon, dev, strerror(-fd));
	struct fb_con2fbmap map = {.console = 1, .framebuffer = (unsigned)n};
	if (ioctl(fd, FBIOPUT_CON2FBMAP, &map) < 0)
		r = ss_fail(e, -errno, "%s stayed unbound, and mapping console 1 to %s failed: %s", vtcon,
			    dev, strerror(errno));
	close(fd);
	return r;
}

int console_vt(const struct sysroot *sr, const char *vtcon, bool bind, int timeout_ms, struct ss_error *e)
{
	char rel[32], path[48], now[8];
	int r;

	if (!vt_name_ok(vtcon))
		return ss_fail(e, -EINVAL, "\"%s\" is not a virtual console", vtcon);
	snprintf(path, sizeof(path), "/sys/class/vtconsole/%s/bind", vtcon);
	if (sysroot_read(sr, path, now, sizeof(now)) >= 0 && strcmp(now, bind ? "1" : "0") == 0)
		return 0;
	snprintf(rel, sizeof(rel), "%s/bind", vtcon);
	r = write_below(sr, "/sys/class/vtconsole", rel, bind ? "1\n" : "0\n", timeout_ms, e);
	if (r == 0 && bind && sysroot_read(sr, path, now, sizeof(now)) >= 0 && strcmp(now, "0") == 0)
		r = fbcon_take_over(sr, vtcon, e);
	if (r == 0 && sysroot_read(sr, path, now, sizeof(now)) >= 0 && strcmp(now, bind ? "1" : "0") != 0)
		r = ss_fail(
		    e, -EIO,
		    bind ? "%s did not bind again: the kernel kept the text console off its framebuffer"
			 : "%s stayed bound: the kernel has no other console to give the screens to",
		    vtcon);
	return r;
}

int console_fw(const struct sysroot *sr, const char *dev_driver, bool bind, int timeout_ms,
	       struct ss_error *e)
{
	const char *colon = strchr(dev_driver, ':');
	char dev[CONSOLE_NAME], drv[CONSOLE_NAME], path[160], rel[CONSOLE_NAME + 8], val[CONSOLE_NAME + 2];
	size_t dn = colon ? (size_t)(colon - dev_driver) : 0;

	if (!colon || !plat_name_ok(dev_driver, dn) || !plat_name_ok(colon + 1, strlen(colon + 1)))
		return ss_fail(e, -EINVAL, "\"%s\" is not a platform device and its driver", dev_driver);
	snprintf(dev, sizeof(dev), "%.*s", (int)dn, dev_driver);
	snprintf(drv, sizeof(drv), "%s", colon + 1);
	snprintf(path, sizeof(path), "/sys/bus/platform/devices/%s/driver", dev);
	if (sysroot_exists(sr, path) == bind)
		return 0;
	snprintf(path, sizeof(path), "/sys/bus/platform/drivers/%s", drv);
	snprintf(rel, sizeof(rel), "%s", bind ? "bind" : "unbind");
	snprintf(val, sizeof(val), "%s\n", dev);
	return write_below(sr, path, rel, val, timeout_ms, e);
}
