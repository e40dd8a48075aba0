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

static const char *tree;

static int setup(void **state)
{
	tree = scratch_new("pciop");
	scratch_mkdir("sys");
	scratch_mkdir("sys/bus");
	scratch_mkdir("sys/bus/pci");
	scratch_mkdir("sys/bus/pci/devices");
	scratch_mkdir("sys/bus/pci/drivers");
	scratch_mkdir("sys/bus/pci/drivers/nvidia");
	scratch_put("sys/bus/pci/drivers/nvidia/unbind", "");
	scratch_put("sys/bus/pci/drivers_probe", "");
	scratch_put("sys/bus/pci/rescan", "");
	scratch_mkdir("sys/devices");
	scratch_mkdir("sys/devices/0000:01:00.0");
	scratch_put("sys/devices/0000:01:00.0/driver_override", "");
	scratch_put("sys/devices/0000:01:00.0/remove", "");
	scratch_link("../../../devices/0000:01:00.0", "sys/bus/pci/devices/0000:01:00.0");
	scratch_link("../../bus/pci/drivers/nvidia", "sys/devices/0000:01:00.0/driver");
	return 0;
}

static int teardown(void **state)
{
	scratch_free();
	return 0;
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
	scratch_expect("sys/devices/0000:01:00.0/driver_override", "vfio-pci\n");
	assert_int_equal(pciop_unbind(&op, "0000:01:00.0", &e), 0);
	scratch_expect("sys/bus/pci/drivers/nvidia/unbind", "0000:01:00.0\n");
	assert_int_equal(pciop_probe(&op, "0000:01:00.0", &e), 0);
	scratch_expect("sys/bus/pci/drivers_probe", "0000:01:00.0\n");
	assert_int_equal(pciop_remove(&op, "0000:01:00.0", &e), 0);
	scratch_expect("sys/devices/0000:01:00.0/remove", "1\n");
	assert_int_equal(pciop_rescan(&op, &e), 0);
	scratch_expect("sys/bus/pci/rescan", "1\n");

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
	/* an attribute replaced by a link is not written through */
	scratch_link("/etc/passwd", "sys/devices/0000:01:00.0/driver_override");
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
