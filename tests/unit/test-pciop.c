/* The sysfs write layer on a scratch tree: the right files get exactly the
 * right bytes, and names that are not PCI addresses never reach openat().
 * (The kernel's side of these writes is proven in the reference guest.) */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fixture.h"
#include "pciop.h"

static char tree[64];

static void path(char *out, size_t len, const char *rel)
{
	snprintf(out, len, "%s/%s", tree, rel);
}

static void mk(const char *rel)
{
	char p[256];
	path(p, sizeof(p), rel);
	assert_int_equal(mkdir(p, 0755), 0);
}

static void put(const char *rel)
{
	char p[256];
	path(p, sizeof(p), rel);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	close(fd);
}

static void content(const char *rel, const char *want)
{
	char p[256], buf[64] = "";
	path(p, sizeof(p), rel);
	FILE *f = fopen(p, "r");
	assert_non_null(f);
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	assert_string_equal(buf, want);
}

static int setup(void **state)
{
	char p[256];
	snprintf(tree, sizeof(tree), "/tmp/ss-pciop-XXXXXX");
	assert_non_null(mkdtemp(tree));
	mk("sys");
	mk("sys/bus");
	mk("sys/bus/pci");
	mk("sys/bus/pci/devices");
	mk("sys/bus/pci/drivers");
	mk("sys/bus/pci/drivers/nvidia");
	put("sys/bus/pci/drivers/nvidia/unbind");
	put("sys/bus/pci/drivers_probe");
	put("sys/bus/pci/rescan");
	mk("sys/devices");
	mk("sys/devices/0000:01:00.0");
	put("sys/devices/0000:01:00.0/driver_override");
	put("sys/devices/0000:01:00.0/remove");
	path(p, sizeof(p), "sys/bus/pci/devices/0000:01:00.0");
	assert_int_equal(symlink("../../../devices/0000:01:00.0", p), 0);
	path(p, sizeof(p), "sys/devices/0000:01:00.0/driver");
	assert_int_equal(symlink("../../bus/pci/drivers/nvidia", p), 0);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tree);
	return system(cmd) == 0 ? 0 : -1;
}

static void writes_exact_values(void **state)
{
	struct sysroot sr;
	struct pciop op;
	struct ss_error e;
	char drv[64];

	assert_int_equal(sysroot_open(&sr, tree, &e), 0);
	assert_int_equal(pciop_open(&op, &sr, 2000, &e), 0);
	assert_int_equal(pciop_driver(&op, "0000:01:00.0", drv, sizeof(drv)), 0);
	assert_string_equal(drv, "nvidia");
	assert_true(pciop_present(&op, "0000:01:00.0"));
	assert_false(pciop_present(&op, "0000:02:00.0"));

	assert_int_equal(pciop_set_override(&op, "0000:01:00.0", "vfio-pci", &e), 0);
	content("sys/devices/0000:01:00.0/driver_override", "vfio-pci\n");
	assert_int_equal(pciop_unbind(&op, "0000:01:00.0", &e), 0);
	content("sys/bus/pci/drivers/nvidia/unbind", "0000:01:00.0\n");
	assert_int_equal(pciop_probe(&op, "0000:01:00.0", &e), 0);
	content("sys/bus/pci/drivers_probe", "0000:01:00.0\n");
	assert_int_equal(pciop_remove(&op, "0000:01:00.0", &e), 0);
	content("sys/devices/0000:01:00.0/remove", "1\n");
	assert_int_equal(pciop_rescan(&op, &e), 0);
	content("sys/bus/pci/rescan", "1\n");

	/* anything but an exact address is refused before any open */
	assert_int_equal(pciop_set_override(&op, "../../../etc", "x", &e), -EINVAL);
	assert_int_equal(pciop_set_override(&op, "0000:01:00.0/../..", "x", &e), -EINVAL);
	assert_int_equal(pciop_probe(&op, "01:00.0", &e), -EINVAL);
	/* an absent device is named */
	assert_int_equal(pciop_set_override(&op, "0000:02:00.0", "vfio-pci", &e), -ENOENT);
	assert_contains(e.msg, "0000:02:00.0");
	pciop_close(&op);
	sysroot_close(&sr);
}

static void refuses_symlinked_attribute(void **state)
{
	struct sysroot sr;
	struct pciop op;
	struct ss_error e;
	char p[256];

	/* an attribute replaced by a link is not written through */
	path(p, sizeof(p), "sys/devices/0000:01:00.0/driver_override");
	unlink(p);
	assert_int_equal(symlink("/etc/passwd", p), 0);
	assert_int_equal(sysroot_open(&sr, tree, &e), 0);
	assert_int_equal(pciop_open(&op, &sr, 2000, &e), 0);
	assert_int_equal(pciop_set_override(&op, "0000:01:00.0", "vfio-pci", &e), -ELOOP);
	pciop_close(&op);
	sysroot_close(&sr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(writes_exact_values),
		cmocka_unit_test(refuses_symlinked_attribute),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
