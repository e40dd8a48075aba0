/* EDID decoding on published EDIDs (tests/data/README.md), the [ddc]
 * keys, and the connector found by EDID on the recorded tree seed-ddc. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "edid.h"
#include "fixture.h"

static void read_edid(const char *tree, const char *conn, unsigned char buf[EDID_BLOCK])
{
	struct sysroot sr;
	struct ss_error e;
	char path[128], *raw = NULL;
	ssize_t n;

	assert_int_equal(sysroot_open(&sr, fixture_path(tree), &e), 0);
	snprintf(path, sizeof(path), "/sys/class/drm/%s/edid", conn);
	n = sysroot_slurp(&sr, path, 4096, &raw);
	assert_int_equal(n, 2 * EDID_BLOCK);
	memcpy(buf, raw, EDID_BLOCK);
	free(raw);
	sysroot_close(&sr);
}

static void dell_d1918h(void **state)
{
	unsigned char b[EDID_BLOCK];
	struct edid_info i;
	struct ss_error e;

	(void)state;
	read_edid("seed-ddc", "card1-DP-1", b);
	assert_int_equal(edid_parse(b, sizeof(b), &i, &e), 0);
	/* what edid-decode printed for it (linuxhw/EDID) */
	assert_string_equal(i.mfg, "DEL");
	assert_int_equal(i.product, 8197);
	assert_int_equal(i.serial, 0x01010101UL);
	assert_string_equal(i.name, "D1918H");
	assert_string_equal(i.serial_str, "2C8FJ8255K5E");
}

static void lg_without_serial_descriptor(void **state)
{
	unsigned char b[EDID_BLOCK];
	struct edid_info i;
	struct ss_error e;

	(void)state;
	read_edid("seed-ddc", "card1-DP-2", b);
	assert_int_equal(edid_parse(b, sizeof(b), &i, &e), 0);
	assert_string_equal(i.mfg, "GSM");
	assert_int_equal(i.product, 23305);
	assert_int_equal(i.serial, 0x00016876UL);
	assert_string_equal(i.name, "LG Ultra HD");
	assert_string_equal(i.serial_str, "");
}

static void bad_blocks_are_refused(void **state)
{
	unsigned char b[EDID_BLOCK];
	struct edid_info i;
	struct ss_error e;

	(void)state;
	read_edid("seed-ddc", "card1-DP-1", b);
	assert_int_equal(edid_parse(b, 100, &i, &e), -EINVAL);
	b[20] ^= 1;
	assert_int_equal(edid_parse(b, sizeof(b), &i, &e), -EINVAL);
	assert_contains(e.msg, "checksum");
	b[20] ^= 1;
	b[0] = 1;
	assert_int_equal(edid_parse(b, sizeof(b), &i, &e), -EINVAL);
	assert_contains(e.msg, "header");
}

static void identity_matches(void **state)
{
	struct edid_info dell = {"DEL", 8197, 0x01010101UL, "D1918H", "2C8FJ8255K5E"};
	struct edid_info lg = {"GSM", 23305, 0x00016876UL, "LG Ultra HD", ""};
	struct monitor_id id;
	const char *why;
	char shown[64];

	(void)state;
	assert_int_equal(monitor_id_parse("DEL:D1918H:2C8FJ8255K5E", &id, &why), 0);
	assert_true(edid_matches(&dell, &id));
	assert_false(edid_matches(&lg, &id));
	monitor_id_format(&id, shown, sizeof(shown));
	assert_string_equal(shown, "DEL:D1918H:2C8FJ8255K5E");
	assert_int_equal(monitor_id_parse("DEL:0x2005", &id, &why), 0);
	assert_true(edid_matches(&dell, &id));
	assert_int_equal(monitor_id_parse("DEL:D1918H:OTHER", &id, &why), 0);
	assert_false(edid_matches(&dell, &id));
	assert_int_equal(monitor_id_parse("GSM:LG Ultra HD:92278", &id, &why), 0);
	assert_true(edid_matches(&lg, &id));
	assert_int_equal(monitor_id_parse("GSM:23305", &id, &why), 0);
	assert_true(edid_matches(&lg, &id));
	/* no name descriptor never matches an empty or odd model */
	assert_int_equal(monitor_id_parse("GSM:LG", &id, &why), 0);
	assert_false(edid_matches(&lg, &id));
	assert_int_equal(monitor_id_parse("dell:D1918H", &id, &why), -EINVAL);
	assert_contains(why, "three capital letters");
	assert_int_equal(monitor_id_parse("DEL", &id, &why), -EINVAL);
	assert_contains(why, "no model");
	assert_int_equal(monitor_id_parse("DEL:D1918H:", &id, &why), -EINVAL);
	assert_int_equal(monitor_id_parse("DEL:A NAME LONGER THAN 13", &id, &why), -EINVAL);
}

static void hex_round_trip(void **state)
{
	unsigned char b[EDID_BLOCK], back[EDID_BLOCK];
	char hex[2 * EDID_BLOCK + 1];

	(void)state;
	read_edid("seed-ddc", "card0-DP-1", b);
	edid_hex(b, hex);
	assert_int_equal(strlen(hex), 2 * EDID_BLOCK);
	assert_memory_equal(hex, "00ffffffffffff0010ac0520", 24);
	assert_int_equal(edid_unhex(hex, back), 0);
	assert_memory_equal(b, back, EDID_BLOCK);
	hex[7] = 'g';
	assert_int_equal(edid_unhex(hex, back), -EINVAL);
	assert_int_equal(edid_unhex("00ff", back), -EINVAL);
}

/* One monitor cabled to both GPUs is found on both, each with its
 * adapter; in vm mode only the iGPU's connector is left. */
static void found_by_edid_on_the_tree(void **state)
{
	struct edid_found f[EDID_MAX_FOUND];
	struct monitor_id id;
	struct sysroot sr;
	struct ss_error e;
	const char *why;
	size_t n;

	(void)state;
	assert_int_equal(monitor_id_parse("DEL:D1918H", &id, &why), 0);
	assert_int_equal(sysroot_open(&sr, fixture_path("seed-ddc"), &e), 0);
	assert_int_equal(edid_find(&sr, &id, f, EDID_MAX_FOUND, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_string_equal(f[0].connector, "card0-DP-1");
	assert_string_equal(f[0].i2c, "i2c-5"); /* DP AUX: i2c-N below the connector */
	assert_string_equal(f[1].connector, "card1-DP-1");
	assert_string_equal(f[1].i2c, "i2c-3"); /* the ddc link */
	assert_int_equal(monitor_id_parse("GSM:LG Ultra HD", &id, &why), 0);
	assert_int_equal(edid_find(&sr, &id, f, EDID_MAX_FOUND, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_string_equal(f[0].connector, "card1-DP-2");
	assert_int_equal(monitor_id_parse("AUS:PG279Q", &id, &why), 0);
	assert_int_equal(edid_find(&sr, &id, f, EDID_MAX_FOUND, &n, &e), 0);
	assert_int_equal(n, 0);
	sysroot_close(&sr);
	assert_int_equal(sysroot_open(&sr, fixture_path("seed-ddc-vm"), &e), 0);
	assert_int_equal(monitor_id_parse("DEL:D1918H", &id, &why), 0);
	assert_int_equal(edid_find(&sr, &id, f, EDID_MAX_FOUND, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_string_equal(f[0].connector, "card0-DP-1");
	sysroot_close(&sr);
}

static void ddc_keys(void **state)
{
	struct ss_config c;
	struct ss_error e;

	(void)state;
	assert_int_equal(config_parse("t.conf",
				      "[ddc]\nmonitor = DEL:DELL U2715H:ABC123\nvm_input = 0x0f\n"
				      "host_input = 17\n",
				      &c, &e),
			 0);
	assert_true(c.has_ddc);
	assert_string_equal(c.ddc_monitor.model, "DELL U2715H");
	assert_int_equal(c.ddc_vm_input, 0x0f);
	assert_int_equal(c.ddc_host_input, 17);
	assert_int_equal(config_parse("t.conf", "[ddc]\nmonitor = DEL:D1918H\nvm_input = 0x0f\n", &c, &e), 0);
	assert_int_equal(c.ddc_host_input, 0);
	assert_int_equal(config_parse("t.conf", "[ddc]\nmonitor = del:x\n", &c, &e), -EINVAL);
	assert_contains(e.msg, "t.conf:2: [ddc] monitor");
	assert_contains(e.msg, "three capital letters");
	assert_int_equal(config_parse("t.conf", "[ddc]\nmonitor = DEL:D1918H\nvm_input = 0x100\n", &c, &e),
			 -EINVAL);
	assert_contains(e.msg, "t.conf:3: [ddc] vm_input");
	assert_int_equal(config_parse("t.conf", "[ddc]\nmonitor = DEL:D1918H\nhost_input = HDMI\n", &c, &e),
			 -EINVAL);
	assert_contains(e.msg, "t.conf:3: [ddc] host_input");
	assert_int_equal(config_parse("t.conf", "[ddc]\nvm_input = 15\n", &c, &e), -EINVAL);
	assert_contains(e.msg, "t.conf:2: [ddc] has an input but no monitor");
	assert_int_equal(config_parse("t.conf", "\n[ddc]\nmonitor = DEL:D1918H\n", &c, &e), -EINVAL);
	assert_contains(e.msg, "t.conf:3: [ddc] monitor has no vm_input or host_input");
	assert_int_equal(config_parse("t.conf", "[vm]\ndevices = 0000:01:00.0\n", &c, &e), 0);
	assert_false(c.has_ddc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(dell_d1918h),
	    cmocka_unit_test(lg_without_serial_descriptor),
	    cmocka_unit_test(bad_blocks_are_refused),
	    cmocka_unit_test(identity_matches),
	    cmocka_unit_test(hex_round_trip),
	    cmocka_unit_test(found_by_edid_on_the_tree),
	    cmocka_unit_test(ddc_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
