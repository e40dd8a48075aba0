/* The framebuffer console on the card, found in a recorded sysfs: fbcon's
 * vtcon when the card has a framebuffer, the firmware framebuffer of the
 * boot VGA, and nothing where neither is there. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "console.h"
#include "fixture.h"

static struct pci_dev devs[1];

static void machine_of(struct machine *m, int boot_vga)
{
	struct ss_error e;

	memset(m, 0, sizeof(*m));
	memset(devs, 0, sizeof(devs));
	assert_true(pci_addr_parse_strict("0000:01:00.0", &devs[0].addr));
	snprintf(devs[0].name, sizeof(devs[0].name), "0000:01:00.0");
	devs[0].boot_vga = boot_vga;
	m->devs.dev = devs;
	m->devs.n = 1;
	m->target.n = 1;
	m->target.fn[0].addr = devs[0].addr;
	snprintf(m->target.fn[0].name, sizeof(m->target.fn[0].name), "0000:01:00.0");
	assert_int_equal(sysroot_open(&m->root, scratch_new("console"), &e), 0);
}

static void vtcons(const char *fbcon_bind)
{
	scratch_mkdir_p("sys/class/vtconsole/vtcon0");
	scratch_put("sys/class/vtconsole/vtcon0/name", "(S) dummy device\n");
	scratch_put("sys/class/vtconsole/vtcon0/bind", "0\n");
	scratch_mkdir_p("sys/class/vtconsole/vtcon1");
	scratch_put("sys/class/vtconsole/vtcon1/name", "(M) frame buffer device\n");
	scratch_put("sys/class/vtconsole/vtcon1/bind", fbcon_bind);
	scratch_mkdir_p("sys/class/graphics");
	scratch_link("../../devices/virtual/graphics/fbcon", "sys/class/graphics/fbcon");
}

static void card_framebuffers(void)
{
	scratch_link("../../devices/pci0000:00/0000:00:1c.0/0000:01:00.0/virtio1/graphics/fb1",
		     "sys/class/graphics/fb1");
	scratch_link("../../devices/pci0000:00/0000:00:02.0/graphics/fb0", "sys/class/graphics/fb0");
}

/* fbcon draws on the boot VGA's framebuffer, or where fbcon=map: puts it */
static void fbcon_on_the_cards_framebuffer_is_found(void **state)
{
	struct console_found cf;
	struct machine m;

	machine_of(&m, 1);
	vtcons("1\n");
	card_framebuffers();
	console_detect(&m, &cf);
	assert_int_equal(cf.nvt, 1);
	assert_string_equal(cf.vt[0], "vtcon1");
	assert_int_equal(cf.nfw, 0);
	sysroot_close(&m.root);
	scratch_free();

	machine_of(&m, 0);
	vtcons("1\n");
	card_framebuffers();
	scratch_mkdir_p("proc");
	scratch_put("proc/cmdline", "root=/dev/sda1 fbcon=map:1 quiet\n");
	console_detect(&m, &cf);
	assert_int_equal(cf.nvt, 1);
	sysroot_close(&m.root);
	scratch_free();
}

/* a framebuffer on a card that is not the boot VGA carries no console:
 * unbinding fbcon would only cost the host its text console */
static void a_card_that_is_not_the_boot_vga_is_left_alone(void **state)
{
	struct console_found cf;
	struct machine m;

	machine_of(&m, 0);
	vtcons("1\n");
	card_framebuffers();
	scratch_mkdir_p("proc");
	scratch_put("proc/cmdline", "root=/dev/sda1 quiet\n");
	console_detect(&m, &cf);
	assert_int_equal(cf.nvt + cf.nfw, 0);
	sysroot_close(&m.root);
	scratch_free();
}

static void nothing_when_the_card_has_no_framebuffer_or_fbcon_is_unbound(void **state)
{
	struct console_found cf;
	struct machine m;

	machine_of(&m, 1);
	vtcons("1\n");
	scratch_link("../../devices/pci0000:00/0000:00:02.0/graphics/fb0", "sys/class/graphics/fb0");
	console_detect(&m, &cf);
	assert_int_equal(cf.nvt + cf.nfw, 0); /* fbcon draws on the other GPU only */
	scratch_link("../../devices/pci0000:00/0000:00:1c.0/0000:01:00.0/graphics/fb1",
		     "sys/class/graphics/fb1");
	scratch_put("sys/class/vtconsole/vtcon1/bind", "0\n");
	console_detect(&m, &cf);
	assert_int_equal(cf.nvt + cf.nfw, 0); /* unbound already: left as it is */
	sysroot_close(&m.root);
	scratch_free();
}

static void the_boot_vgas_firmware_framebuffer_is_found_with_its_driver(void **state)
{
	struct console_found cf;
	struct machine m;

	machine_of(&m, 1);
	vtcons("1\n");
	scratch_link("../../devices/platform/efi-framebuffer.0/graphics/fb0", "sys/class/graphics/fb0");
	scratch_mkdir_p("sys/bus/platform/devices/efi-framebuffer.0");
	scratch_link("../../../bus/platform/drivers/efi-framebuffer",
		     "sys/bus/platform/devices/efi-framebuffer.0/driver");
	scratch_mkdir_p("sys/class/drm");
	scratch_link("../../devices/platform/simple-framebuffer.0/drm/card0", "sys/class/drm/card0");
	console_detect(&m, &cf);
	assert_int_equal(cf.nfw, 1); /* simple-framebuffer.0 has no driver: nothing to unbind */
	assert_string_equal(cf.fw[0], "efi-framebuffer.0:efi-framebuffer");
	assert_int_equal(cf.nvt, 1);
	sysroot_close(&m.root);
	scratch_free();
	/* the same tree on a card that is not the boot VGA: not its framebuffer */
	machine_of(&m, 0);
	vtcons("1\n");
	scratch_link("../../devices/platform/efi-framebuffer.0/graphics/fb0", "sys/class/graphics/fb0");
	console_detect(&m, &cf);
	assert_int_equal(cf.nvt + cf.nfw, 0);
	sysroot_close(&m.root);
	scratch_free();
}

static void names_are_checked_before_they_become_paths(void **state)
{
	struct sysroot sr;
	struct ss_error e;

	assert_int_equal(sysroot_open(&sr, scratch_new("console"), &e), 0);
	assert_int_equal(console_vt(&sr, "../../etc", false, 1000, &e), -EINVAL);
	assert_int_equal(console_vt(&sr, "vtcon1x", false, 1000, &e), -EINVAL);
	assert_int_equal(console_fw(&sr, "efi-framebuffer.0:../x", false, 1000, &e), -EINVAL);
	assert_int_equal(console_fw(&sr, "efi-framebuffer.0", false, 1000, &e), -EINVAL);
	sysroot_close(&sr);
	scratch_free();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(fbcon_on_the_cards_framebuffer_is_found),
	    cmocka_unit_test(a_card_that_is_not_the_boot_vga_is_left_alone),
	    cmocka_unit_test(nothing_when_the_card_has_no_framebuffer_or_fbcon_is_unbound),
	    cmocka_unit_test(the_boot_vgas_firmware_framebuffer_is_found_with_its_driver),
	    cmocka_unit_test(names_are_checked_before_they_become_paths),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
