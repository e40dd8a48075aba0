/* Reading PCI devices from recorded trees, and clear errors from damaged ones. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fixture.h"
#include "pci.h"

static const struct pci_dev *find(const struct pci_list *l, const char *name)
{
	struct pci_addr a;
	assert_true(pci_addr_parse_strict(name, &a));
	const struct pci_dev *d = pci_find(l, &a);
	if (!d)
		fail_msg("%s not found", name);
	return d;
}

static void seed_machine(void **state)
{
	struct sysroot sr;
	struct pci_list l;
	struct ss_error e;
	char n[PCI_ADDR_LEN];

	assert_int_equal(sysroot_open(&sr, fixture_path("seed"), &e), 0);
	assert_int_equal(pci_scan(&sr, &l, &e), 0);
	/* the seed's listing: 19 functions */
	assert_int_equal(l.n, 19);
	for (size_t i = 1; i < l.n; i++)
		assert_true(pci_addr_cmp(&l.dev[i - 1].addr, &l.dev[i].addr) < 0);

	const struct pci_dev *gpu = find(&l, "0000:01:00.0");
	assert_int_equal(gpu->class, 0x030000);
	assert_int_equal(gpu->vendor, 0x10de);
	assert_int_equal(gpu->device, 0x1b80);
	assert_string_equal(gpu->driver, "nvidia");
	assert_string_equal(gpu->override, "");
	assert_int_equal(gpu->boot_vga, 1);
	assert_int_equal(gpu->iommu_group, 1);
	assert_true(gpu->has_parent);
	pci_addr_format(&gpu->parent, n);
	assert_string_equal(n, "0000:00:01.0");
	assert_true(pci_is_display(gpu));
	assert_string_equal(gpu->drm_card, "card1");

	const struct pci_dev *snd = find(&l, "0000:01:00.1");
	assert_true(pci_is_audio(snd));
	assert_string_equal(snd->driver, "snd_hda_intel");
	assert_int_equal(snd->boot_vga, -1);
	assert_string_equal(snd->sound_card, "card1");

	const struct pci_dev *igpu = find(&l, "0000:00:02.0");
	assert_false(igpu->has_parent);
	assert_int_equal(igpu->boot_vga, 0);
	assert_string_equal(igpu->driver, "i915");
	assert_int_equal(igpu->iommu_group, 2);

	const struct pci_dev *br = find(&l, "0000:00:01.0");
	assert_true(pci_is_bridge(br));
	assert_string_equal(br->driver, "pcieport");

	const struct pci_dev *nvme = find(&l, "0000:04:00.0");
	pci_addr_format(&nvme->parent, n);
	assert_string_equal(n, "0000:00:1d.0");

	/* unbound devices read as "" */
	assert_string_equal(find(&l, "0000:00:08.0")->driver, "");
	pci_list_free(&l);
	sysroot_close(&sr);
}

static void vm_mode_override(void **state)
{
	struct sysroot sr;
	struct pci_list l;
	struct ss_error e;

	assert_int_equal(sysroot_open(&sr, fixture_path("seed-vm"), &e), 0);
	assert_int_equal(pci_scan(&sr, &l, &e), 0);
	const struct pci_dev *gpu = find(&l, "0000:01:00.0");
	assert_string_equal(gpu->driver, "vfio-pci");
	assert_string_equal(gpu->override, ""); /* not read by the scan: it takes the device lock */
	char ov[PCI_DRIVER_LEN];
	assert_int_equal(pci_read_override(&sr, "0000:01:00.0", ov, sizeof(ov)), 0);
	assert_string_equal(ov, "vfio-pci");
	assert_string_equal(gpu->drm_card, "");
	pci_list_free(&l);
	sysroot_close(&sr);
}

static void bus_above_nine(void **state)
{
	struct sysroot sr;
	struct pci_list l;
	struct ss_error e;

	assert_int_equal(sysroot_open(&sr, fixture_path("bus16"), &e), 0);
	assert_int_equal(pci_scan(&sr, &l, &e), 0);
	const struct pci_dev *gpu = find(&l, "0000:10:00.0");
	assert_int_equal(gpu->addr.bus, 16);
	assert_true(gpu->has_parent);
	pci_list_free(&l);
	sysroot_close(&sr);
}

/* A damaged tree, built here: the message must name the file. */
static void damaged_tree(void **state)
{
	struct sysroot sr;
	struct pci_list l;
	struct ss_error e;
	char p[512];

	const char *tree = scratch_new("pci");
	scratch_mkdir("sys");
	scratch_mkdir("sys/bus");
	scratch_mkdir("sys/bus/pci");
	scratch_mkdir("sys/bus/pci/devices");
	scratch_mkdir("sys/devices");
	scratch_mkdir("sys/devices/pci0000:00");
	scratch_mkdir("sys/devices/pci0000:00/0000:00:02.0");
	scratch_put("sys/devices/pci0000:00/0000:00:02.0/class", "garbage\n");
	scratch_put("sys/devices/pci0000:00/0000:00:02.0/vendor", "0x8086\n");
	scratch_put("sys/devices/pci0000:00/0000:00:02.0/device", "0x3e92\n");
	scratch_link("../../../devices/pci0000:00/0000:00:02.0", "sys/bus/pci/devices/0000:00:02.0");

	assert_int_equal(sysroot_open(&sr, tree, &e), 0);
	assert_int_equal(pci_scan(&sr, &l, &e), -EINVAL);
	assert_contains(e.msg, "/sys/bus/pci/devices/0000:00:02.0/class");
	assert_contains(e.msg, "\"garbage\"");

	scratch_put("sys/devices/pci0000:00/0000:00:02.0/class", "0x030000\n");
	snprintf(p, sizeof(p), "%s/sys/devices/pci0000:00/0000:00:02.0/vendor", tree);
	unlink(p);
	assert_int_equal(pci_scan(&sr, &l, &e), -ENOENT);
	assert_contains(e.msg, "0000:00:02.0/vendor");

	scratch_put("sys/devices/pci0000:00/0000:00:02.0/vendor", "0x8086\n");
	assert_int_equal(pci_scan(&sr, &l, &e), 0);
	assert_int_equal(l.n, 1);
	pci_list_free(&l);

	/* a stray name in the bus directory */
	scratch_put("sys/bus/pci/devices/not-an-address", "");
	assert_int_equal(pci_scan(&sr, &l, &e), -EINVAL);
	assert_contains(e.msg, "not-an-address");
	sysroot_close(&sr);
	scratch_free();
}

static void missing_sysfs(void **state)
{
	struct sysroot sr;
	struct pci_list l;
	struct ss_error e;
	assert_int_equal(sysroot_open(&sr, "/proc/self", &e), 0);
	assert_int_equal(pci_scan(&sr, &l, &e), -ENOENT);
	assert_contains(e.msg, "is sysfs mounted?");
	sysroot_close(&sr);
}

/* The cards a function's drivers registered, found through the class
 * directories as the way back waits for them (the reference guest's own
 * recording): the "NVIDIA" GPU has DRM, its audio has sound, neither has
 * the other, and the iGPU's card is not the dGPU's. */
static void cards_of_one_function(void **state)
{
	struct sysroot sr;
	struct ss_error e;
	struct pci_addr gpu, snd, igpu;

	(void)state;
	assert_int_equal(sysroot_open(&sr, fixture_path("guest-q35"), &e), 0);
	assert_true(pci_addr_parse_strict("0000:01:00.0", &gpu));
	assert_true(pci_addr_parse_strict("0000:01:00.1", &snd));
	assert_true(pci_addr_parse_strict("0000:00:1f.3", &igpu));
	assert_true(pci_has_card(&sr, &gpu, "drm"));
	assert_false(pci_has_card(&sr, &gpu, "sound"));
	assert_true(pci_has_card(&sr, &snd, "sound"));
	assert_false(pci_has_card(&sr, &snd, "drm"));
	assert_false(pci_has_card(&sr, &igpu, "drm"));
	sysroot_close(&sr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(seed_machine),   cmocka_unit_test(vm_mode_override),
	    cmocka_unit_test(bus_above_nine), cmocka_unit_test(damaged_tree),
	    cmocka_unit_test(missing_sysfs),  cmocka_unit_test(cards_of_one_function),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
