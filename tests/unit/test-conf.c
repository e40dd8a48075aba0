/* The configuration parser: values, and an error for every mistake that
 * names the file, the line, the key and what was expected. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "conf.h"
#include "fixture.h"

static int parse(const char *text, struct ss_config *c, struct ss_error *e)
{
	e->msg[0] = '\0';
	return config_parse("/etc/session-switch.conf", text, c, e);
}

static void full_file(void **state)
{
	struct ss_config c;
	struct ss_error e;
	char n[PCI_ADDR_LEN];
	int r = parse("# the seed's machine\n"
		      "[vm]\n"
		      "devices = 0000:01:00.0, 01:00.1   # GPU and its audio\n"
		      "bridge=0000:00:01.0\n"
		      "\n"
		      "[host]\n"
		      "drivers = 0000:01:00.0=nvidia 0000:01:00.1=snd_hda_intel\n",
		      &c, &e);
	assert_int_equal(r, 0);
	assert_true(c.loaded);
	assert_int_equal(c.ndevices, 2);
	pci_addr_format(&c.devices[1], n);
	assert_string_equal(n, "0000:01:00.1");
	assert_true(c.has_bridge);
	pci_addr_format(&c.bridge, n);
	assert_string_equal(n, "0000:00:01.0");
	assert_int_equal(c.nhost, 2);
	assert_string_equal(config_host_driver(&c, &c.devices[0]), "nvidia");
	assert_string_equal(config_host_driver(&c, &c.devices[1]), "snd_hda_intel");
}

static void empty_file_is_valid(void **state)
{
	struct ss_config c;
	struct ss_error e;
	assert_int_equal(parse("", &c, &e), 0);
	assert_int_equal(c.ndevices, 0);
	assert_false(c.has_bridge);
	assert_int_equal(parse("# only comments\n\n; and this\n", &c, &e), 0);
}

struct bad {
	const char *text;
	const char *want[3];
};

static void every_error_names_file_line_and_fix(void **state)
{
	static const struct bad cases[] = {
	    {"[vm]\ndevice = 0000:01:00.0\n", {"conf:2:", "unknown key 'device'", "did you mean 'devices'?"}},
	    {"[vn]\n", {"conf:1:", "unknown section [vn]", "did you mean 'vm'?"}},
	    {"[displays]\n", {"conf:1:", "unknown section [displays]", "known sections: vm, host, display"}},
	    {"[display]\nmanager = systemd\n", {"conf:2:", "not understood", "systemd:UNIT"}},
	    {"[display]\nmanager = command:bin/dm\n", {"conf:2:", "single absolute path", ""}},
	    {"[display]\nmanager = openrc:x d m\n", {"conf:2:", "not a unit or service name", ""}},
	    {"[display]\ndisplay = 0\n", {"conf:2:", "expected :0", ""}},
	    {"devices = 0000:01:00.0\n", {"conf:1:", "before any [section]", ""}},
	    {"[vm]\ndevices = 0000:01:00.0 1:0.0\n",
	     {"conf:2:", "\"1:0.0\" is not a PCI address", "0000:01:00.0"}},
	    {"[vm]\ndevices = 0000:01:00.0 0000:01:00.0\n", {"conf:2:", "listed twice", ""}},
	    {"[vm]\ndevices =\n", {"conf:2:", "has no value", "expected PCI addresses"}},
	    {"[vm]\ndevices = 0000:01:00.0\ndevices = 0000:01:00.1\n", {"conf:3:", "set twice", ""}},
	    {"[vm]\nbridge = 0000:00:01.0 0000:00:1c.0\n", {"conf:2:", "exactly one PCI address", ""}},
	    {"[host]\ndrivers = 0000:01:00.0\n", {"conf:2:", "has no '='", "address=driver"}},
	    {"[host]\ndrivers = 0000:01:00.0=nv/idia\n", {"conf:2:", "not a driver name", ""}},
	    {"[host]\ndrivers = 0000:01:00.0=vfio-pci\n", {"conf:2:", "makes no sense", ""}},
	    {"[vm]\ngarbage\n", {"conf:2:", "expected key = value", ""}},
	    {"[host]\nservices = nvidia-persistenced\n",
	     {"conf:2:", "not understood", "openrc:nvidia-persistenced"}},
	    {"[host]\nservices = openrc:a openrc:a\n", {"conf:2:", "listed twice", ""}},
	    {"[host]\nservices = command:/a/x openrc:x\n", {"conf:2:", "x is listed twice", ""}},
	    {"[host]\nservices = openrc:../etc\n", {"conf:2:", "not a unit or service name", ""}},
	    {"[host]\nunload = nvidia/drm\n", {"conf:2:", "not a module name", ""}},
	    {"[host]\nunload = nvidia nvidia\n", {"conf:2:", "listed twice", ""}},
	    {"[host]\nunload = nvidia-drm nvidia_drm\n", {"conf:2:", "nvidia_drm is listed twice", ""}},
	    {"[host]\noffload = true\n", {"conf:2:", "[host] offload", "neither yes nor no"}},
	    {"[vm\n", {"conf:1:", "[name] alone", ""}},
	    {"[vm]\ndevices = 0000:01:00.0\x01\n", {"conf:2:", "control character", ""}},
	    {"[vm]\ndevices = 0000:01:00.0 0000:01:00.1 0000:01:00.2 0000:01:00.3 0000:01:00.4 "
	     "0000:01:00.5 0000:01:00.6 0000:01:00.7 0000:02:00.0\n",
	     {"conf:2:", "more than 8", ""}},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ss_config c;
		struct ss_error e;
		int r = parse(cases[i].text, &c, &e);
		if (r != -EINVAL)
			fail_msg("case %zu parsed (r=%d): %s", i, r, cases[i].text);
		for (int k = 0; k < 3; k++)
			if (cases[i].want[k][0] && !fixture_contains(e.msg, cases[i].want[k]))
				fail_msg("case %zu", i);
		assert_false(c.loaded);
	}
}

static void display_keys(void **state)
{
	struct ss_config c;
	struct ss_error e;
	assert_int_equal(
	    parse("[display]\nmanager = systemd:slim.service\ndisplay = :1\nauthfile = /var/run/slim.auth\n",
		  &c, &e),
	    0);
	assert_int_equal(c.dm, DM_SYSTEMD);
	assert_string_equal(c.dm_name, "slim.service");
	assert_int_equal(c.display, 1);
	assert_string_equal(c.xauthority, "/var/run/slim.auth");
	assert_int_equal(parse("[display]\nmanager = openrc:xdm\n", &c, &e), 0);
	assert_int_equal(c.dm, DM_OPENRC);
	assert_int_equal(parse("[display]\nmanager = command:/usr/local/sbin/dm-ctl\n", &c, &e), 0);
	assert_int_equal(c.dm, DM_COMMAND);
	assert_int_equal(parse("[display]\nmanager = none\n", &c, &e), 0);
	assert_int_equal(c.dm, DM_NONE);
}

static void offload_is_yes_no_or_unset(void **state)
{
	struct ss_config c;
	struct ss_error e;
	assert_int_equal(parse("[host]\noffload = yes\n", &c, &e), 0);
	assert_true(c.has_offload);
	assert_true(c.offload);
	assert_int_equal(parse("[host]\noffload = no\n", &c, &e), 0);
	assert_true(c.has_offload);
	assert_false(c.offload);
	/* unset: the card's class decides, so "no" is not assumed */
	assert_int_equal(parse("[host]\ngpu = 00:02.0\n", &c, &e), 0);
	assert_false(c.has_offload);
}

static void services_and_module_stack(void **state)
{
	struct ss_config c;
	struct ss_error e;
	assert_int_equal(
	    parse("[host]\nservices = openrc:nvidia-persistenced, systemd:nvidia-powerd.service "
		  "command:/usr/local/sbin/gpu-ctl\nunload = nvidia-drm nvidia_modeset nvidia_uvm nvidia\n",
		  &c, &e),
	    0);
	assert_int_equal(c.nservices, 3);
	assert_int_equal(c.services[0].kind, DM_OPENRC);
	assert_string_equal(config_service_jname(&c.services[2]), "gpu-ctl");
	assert_ptr_equal(config_service_find(&c, "gpu-ctl"), &c.services[2]);
	assert_null(config_service_find(&c, "sshd"));
	assert_int_equal(c.nunload, 4);
	assert_string_equal(c.unload[0], "nvidia_drm"); /* modprobe's spelling, /sys/module's name */
	assert_string_equal(c.unload[3], "nvidia");
	assert_int_equal(parse("", &c, &e), 0);
	assert_int_equal(c.nservices, 0);
	assert_int_equal(c.nunload, 0);
}

static void key_table_is_whole(void **state)
{
	size_t n;
	const struct config_key *k = config_keys(&n);

	assert_true(n > 0);
	for (size_t i = 0; i < n; i++) {
		assert_non_null(k[i].set);
		assert_true(k[i].section[0] && k[i].name[0] && k[i].expects[0] && k[i].def[0]);
		for (size_t j = 0; j < i; j++)
			if (strcmp(k[i].section, k[j].section) == 0 && strcmp(k[i].name, k[j].name) == 0)
				fail_msg("[%s] %s is in the table twice", k[i].section, k[i].name);
	}
}

/* config_init() and a file that states every default give the same
 * configuration: the default is the documented text, not a second copy. */
static void defaults_are_the_documented_text(void **state)
{
	size_t n;
	const struct config_key *k = config_keys(&n);
	struct ss_config init, c;
	struct ss_error e;

	config_init(&init);
	assert_string_equal(init.xorg_host_driver, "modesetting");
	assert_int_equal(init.dm, DM_UNSET);
	assert_int_equal(init.display, 0);
	assert_string_equal(init.xauthority, "/var/run/slim.auth");
	assert_true(init.login_auto);
	assert_int_equal(init.login_window, 120);
	for (size_t i = 0; i < n; i++) {
		char text[256];
		if (!k[i].def_is_value)
			continue;
		snprintf(text, sizeof(text), "[%s]\n%s = %s\n", k[i].section, k[i].name, k[i].def);
		if (parse(text, &c, &e) != 0)
			fail_msg("the default of [%s] %s does not parse: %s", k[i].section, k[i].name, e.msg);
		assert_string_equal(c.xorg_host_driver, init.xorg_host_driver);
		assert_int_equal(c.dm, init.dm);
		assert_string_equal(c.dm_name, init.dm_name);
		assert_int_equal(c.display, init.display);
		assert_string_equal(c.xauthority, init.xauthority);
		assert_int_equal(c.login_auto, init.login_auto);
		assert_int_equal(c.login_window, init.login_window);
		assert_int_equal(c.ndevices, 0);
		assert_false(c.has_bridge);
		assert_int_equal(c.nhost, 0);
	}
}

/* Each key's "expected ..." comes from its row, whatever its position. */
static void empty_value_says_what_the_key_expects(void **state)
{
	size_t n;
	const struct config_key *k = config_keys(&n);

	for (size_t i = 0; i < n; i++) {
		struct ss_config c;
		struct ss_error e;
		char text[128], want[512];
		snprintf(text, sizeof(text), "[%s]\n%s =\n", k[i].section, k[i].name);
		snprintf(want, sizeof(want), "/etc/session-switch.conf:2: [%s] %s has no value; expected %s",
			 k[i].section, k[i].name, k[i].expects);
		assert_int_equal(parse(text, &c, &e), -EINVAL);
		assert_string_equal(e.msg, want);
	}
}

static void driver_names(void **state)
{
	assert_true(pci_driver_name_valid("snd_hda_intel"));
	assert_true(pci_driver_name_valid("vfio-pci"));
	assert_false(pci_driver_name_valid(""));
	assert_false(pci_driver_name_valid("a b"));
	assert_false(pci_driver_name_valid("../x"));
	assert_false(
	    pci_driver_name_valid("0123456789012345678901234567890123456789012345678901234567890123"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(full_file),
	    cmocka_unit_test(empty_file_is_valid),
	    cmocka_unit_test(every_error_names_file_line_and_fix),
	    cmocka_unit_test(display_keys),
	    cmocka_unit_test(offload_is_yes_no_or_unset),
	    cmocka_unit_test(services_and_module_stack),
	    cmocka_unit_test(driver_names),
	    cmocka_unit_test(key_table_is_whole),
	    cmocka_unit_test(defaults_are_the_documented_text),
	    cmocka_unit_test(empty_value_says_what_the_key_expects),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
