/* The exact ordered sysfs operations of a switch, and refusals. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "fixture.h"
#include "plan.h"

/* The plan as one line per step: "action device value". */
static void render(const struct plan *p, char *out, size_t len)
{
	size_t used = 0;
	out[0] = '\0';
	for (size_t i = 0; i < p->n; i++) {
		int w = snprintf(out + used, len - used, "%s %s %s\n", step_kind_str(p->steps[i].kind),
				 p->steps[i].device[0] ? p->steps[i].device : "-",
				 p->steps[i].value[0] ? p->steps[i].value : "\"\"");
		assert_true(w > 0 && (size_t)w < len - used);
		used += (size_t)w;
	}
}

static void plan_for(const char *fixture, const char *conf, enum mode to, struct plan *p, char *out, size_t len)
{
	struct machine m;
	struct ss_error e;
	fixture_machine(&m, fixture, conf, MACHINE_OK, &e);
	plan_build(&m, to, p);
	render(p, out, len);
	machine_free(&m);
}

static const struct check *check_named(const struct plan *p, const char *name, enum check_status st)
{
	for (size_t i = 0; i < p->nchecks; i++)
		if (strcmp(p->checks[i].name, name) == 0 && p->checks[i].status == st)
			return &p->checks[i];
	fail_msg("no %s check %s", check_status_str(st), name);
	return NULL;
}

/* The seed's nvidia driver is bound and built in as recorded (no module
 * link): its way back is there; a module stack to unload must exist as
 * files for the running kernel, or the switch refuses before leaving. */
static void the_way_back_is_checked_before_leaving(void **state)
{
	struct plan p;
	char s[4096];

	plan_for("seed", NULL, MODE_VM, &p, s, sizeof(s));
	assert_false(p.refused);
	assert_contains(check_named(&p, "way-back", CHECK_OK)->detail, "are there for 4.17.9-gentoo");
	plan_for("seed", "[host]\nunload = nvidia_drm nvidia\n", MODE_VM, &p, s, sizeof(s));
	assert_true(p.refused);
	assert_contains(check_named(&p, "way-back", CHECK_FAIL)->detail,
			"[host] unload names nvidia_drm, which is not in /lib/modules/4.17.9-gentoo");
	assert_contains(check_named(&p, "way-back", CHECK_FAIL)->fix, "dkms autoinstall");
	/* a host driver that is neither registered nor a module file */
	plan_for("seed", "[host]\ndrivers = 0000:01:00.0=nouveau\n", MODE_VM, &p, s, sizeof(s));
	assert_true(p.refused);
	assert_contains(check_named(&p, "way-back", CHECK_FAIL)->detail,
			"0000:01:00.0 goes back to nouveau, whose module nouveau is not in");
	/* the way back to host is not a way out: not checked then */
	plan_for("seed-vm", "[host]\nunload = nvidia_drm nvidia\n", MODE_HOST, &p, s, sizeof(s));
	assert_false(p.refused);
}

static void seed_to_vm(void **state)
{
	struct plan p;
	char s[4096];
	plan_for("seed", NULL, MODE_VM, &p, s, sizeof(s));
	assert_false(p.refused);
	assert_string_equal(s,
		"driver_override 0000:01:00.0 vfio-pci\n"
		"unbind 0000:01:00.0 0000:01:00.0\n"
		"drivers_probe 0000:01:00.0 0000:01:00.0\n"
		"wait_driver 0000:01:00.0 vfio-pci\n"
		"driver_override 0000:01:00.1 vfio-pci\n"
		"unbind 0000:01:00.1 0000:01:00.1\n"
		"drivers_probe 0000:01:00.1 0000:01:00.1\n"
		"wait_driver 0000:01:00.1 vfio-pci\n");
	assert_string_equal(p.steps[0].path, "/sys/bus/pci/devices/0000:01:00.0/driver_override");
	assert_string_equal(p.steps[1].path, "/sys/bus/pci/devices/0000:01:00.0/driver/unbind");
	assert_string_equal(p.steps[2].path, "/sys/bus/pci/drivers_probe");
	/* never new_id */
	for (size_t i = 0; i < p.n; i++)
		assert_null(strstr(p.steps[i].path, "new_id"));
}

static void bridge_dance_comes_first(void **state)
{
	struct plan p;
	char s[4096];
	plan_for("seed", "[vm]\ndevices = 01:00.0 01:00.1\nbridge = 00:01.0\n", MODE_VM, &p, s, sizeof(s));
	assert_false(p.refused);
	assert_string_equal(s,
		"remove 0000:00:01.0 1\n"
		"rescan - 1\n"
		"wait_device 0000:01:00.0 \"\"\n"
		"wait_device 0000:01:00.1 \"\"\n"
		"driver_override 0000:01:00.0 vfio-pci\n"
		"unbind 0000:01:00.0 0000:01:00.0\n"
		"drivers_probe 0000:01:00.0 0000:01:00.0\n"
		"wait_driver 0000:01:00.0 vfio-pci\n"
		"driver_override 0000:01:00.1 vfio-pci\n"
		"unbind 0000:01:00.1 0000:01:00.1\n"
		"drivers_probe 0000:01:00.1 0000:01:00.1\n"
		"wait_driver 0000:01:00.1 vfio-pci\n");
	assert_string_equal(p.steps[0].path, "/sys/bus/pci/devices/0000:00:01.0/remove");
	assert_string_equal(p.steps[1].path, "/sys/bus/pci/rescan");
}

static void back_to_host(void **state)
{
	struct plan p;
	char s[4096];
	/* no host driver known: clear the override, the kernel's first match binds */
	plan_for("seed-vm", NULL, MODE_HOST, &p, s, sizeof(s));
	assert_false(p.refused);
	assert_string_equal(s,
		"driver_override 0000:01:00.0 \"\"\n"
		"unbind 0000:01:00.0 0000:01:00.0\n"
		"drivers_probe 0000:01:00.0 0000:01:00.0\n"
		"wait_driver 0000:01:00.0 !vfio-pci\n"
		"driver_override 0000:01:00.1 \"\"\n"
		"unbind 0000:01:00.1 0000:01:00.1\n"
		"drivers_probe 0000:01:00.1 0000:01:00.1\n"
		"wait_driver 0000:01:00.1 !vfio-pci\n");
	/* a configured host driver: override to it, then clear the override */
	plan_for("seed-vm", "[vm]\ndevices = 01:00.0 01:00.1\n[host]\ndrivers = 01:00.0=nvidia\n", MODE_HOST,
		 &p, s, sizeof(s));
	assert_string_equal(s,
		"driver_override 0000:01:00.0 nvidia\n"
		"unbind 0000:01:00.0 0000:01:00.0\n"
		"drivers_probe 0000:01:00.0 0000:01:00.0\n"
		"wait_driver 0000:01:00.0 nvidia\n"
		"driver_override 0000:01:00.0 \"\"\n"
		"driver_override 0000:01:00.1 \"\"\n"
		"unbind 0000:01:00.1 0000:01:00.1\n"
		"drivers_probe 0000:01:00.1 0000:01:00.1\n"
		"wait_driver 0000:01:00.1 !vfio-pci\n");
	/* with the bridge: the rescan re-creates them on their own drivers */
	plan_for("seed-vm", "[vm]\ndevices = 01:00.0 01:00.1\nbridge = 00:01.0\n", MODE_HOST, &p, s, sizeof(s));
	assert_string_equal(s,
		"remove 0000:00:01.0 1\n"
		"rescan - 1\n"
		"wait_device 0000:01:00.0 \"\"\n"
		"wait_device 0000:01:00.1 \"\"\n"
		"wait_driver 0000:01:00.0 !vfio-pci\n"
		"wait_driver 0000:01:00.1 !vfio-pci\n");
}

static void repeated_switch_is_a_no_op(void **state)
{
	struct plan p;
	char s[4096];
	plan_for("seed", NULL, MODE_HOST, &p, s, sizeof(s));
	assert_true(p.nothing_to_do);
	assert_int_equal(p.n, 0);
	plan_for("seed-vm", NULL, MODE_VM, &p, s, sizeof(s));
	assert_true(p.nothing_to_do);
	/* mixed: only the odd function moves */
	plan_for("seed-mixed", NULL, MODE_VM, &p, s, sizeof(s));
	assert_false(p.nothing_to_do);
	assert_string_equal(s,
		"driver_override 0000:01:00.1 vfio-pci\n"
		"unbind 0000:01:00.1 0000:01:00.1\n"
		"drivers_probe 0000:01:00.1 0000:01:00.1\n"
		"wait_driver 0000:01:00.1 vfio-pci\n");
}

static const struct check *find_check(const struct plan *p, const char *name)
{
	for (size_t i = 0; i < p->nchecks; i++)
		if (strcmp(p->checks[i].name, name) == 0)
			return &p->checks[i];
	fail_msg("no check %s", name);
	return NULL;
}

static void refusals_say_why(void **state)
{
	struct plan p;
	char s[4096];
	plan_for("seed-iommu-off", NULL, MODE_VM, &p, s, sizeof(s));
	assert_true(p.refused);
	assert_int_equal(p.n, 0);
	assert_int_equal(find_check(&p, "iommu")->status, CHECK_FAIL);
	assert_contains(find_check(&p, "iommu")->fix, "intel_iommu=on");

	plan_for("nonviable", NULL, MODE_VM, &p, s, sizeof(s));
	assert_true(p.refused);
	assert_int_equal(find_check(&p, "viable")->status, CHECK_FAIL);
	assert_contains(find_check(&p, "viable")->detail, "0000:02:00.0");

	plan_for("two-dgpu", NULL, MODE_VM, &p, s, sizeof(s));
	assert_true(p.refused);
	assert_int_equal(find_check(&p, "target")->status, CHECK_FAIL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(seed_to_vm),
		cmocka_unit_test(the_way_back_is_checked_before_leaving),
		cmocka_unit_test(bridge_dance_comes_first),
		cmocka_unit_test(back_to_host),
		cmocka_unit_test(repeated_switch_is_a_no_op),
		cmocka_unit_test(refusals_say_why),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
