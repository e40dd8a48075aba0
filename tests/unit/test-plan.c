/* The exact ordered sysfs operations of a switch, and refusals. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "plan.h"

/* One plan for the whole file: each plan_for frees the texts of the last. */
static struct plan p;

/* The plan as one line per step: "action device value". */
static void render(const struct plan *pl, char *out, size_t len)
{
	size_t used = 0;
	out[0] = '\0';
	for (size_t i = 0; i < pl->n; i++) {
		int w = snprintf(out + used, len - used, "%s %s %s\n", step_kind_str(pl->steps[i].kind),
				 pl->steps[i].device[0] ? pl->steps[i].device : "-",
				 pl->steps[i].value[0] ? pl->steps[i].value : "\"\"");
		assert_true(w > 0 && (size_t)w < len - used);
		used += (size_t)w;
	}
}

static void plan_for(const char *fixture, const char *conf, enum mode to, struct plan *pl, char *out,
		     size_t len)
{
	struct machine m;
	struct ss_error e;
	fixture_machine(&m, fixture, conf, MACHINE_OK, &e);
	plan_free(pl); /* the last plan_for's texts; plan_build starts empty */
	plan_build(&m, to, pl);
	render(pl, out, len);
	machine_free(&m);
}

static const struct check *check_named(const struct plan *pl, const char *name, enum check_status st)
{
	for (size_t i = 0; i < pl->nchecks; i++)
		if (strcmp(pl->checks[i].name, name) == 0 && pl->checks[i].status == st)
			return &pl->checks[i];
	fail_msg("no %s check %s", check_status_str(st), name);
	return NULL;
}

/* The seed's nvidia driver is bound and built in as recorded (no module
 * link): its way back is there; a module stack to unload must exist as
 * files for the running kernel, or the switch refuses before leaving. */
static void the_way_back_is_checked_before_leaving(void **state)
{
	char s[4096];

	plan_for("seed", NULL, MODE_VM, &p, s, sizeof(s));
	assert_false(p.refused);
	assert_contains(check_named(&p, "way-back", CHECK_OK)->detail, "are there for 4.17.9-gentoo");
	/* the seed's modules.dep has nvidia-drm.ko and nvidia.ko, not
	 * nvidia-peermem.ko */
	plan_for("seed", "[host]\nunload = nvidia_drm nvidia\n", MODE_VM, &p, s, sizeof(s));
	assert_false(p.refused);
	assert_contains(check_named(&p, "way-back", CHECK_OK)->detail, "are there for 4.17.9-gentoo");
	plan_for("seed", "[host]\nunload = nvidia_peermem nvidia_drm nvidia\n", MODE_VM, &p, s, sizeof(s));
	assert_true(p.refused);
	assert_contains(check_named(&p, "way-back", CHECK_FAIL)->detail,
			"[host] unload names nvidia_peermem, which is not in /lib/modules/4.17.9-gentoo");
	assert_contains(check_named(&p, "way-back", CHECK_FAIL)->fix, "dkms autoinstall");
	/* a host driver that is neither registered nor a module file:
	 * wayback.c's host-module check says it, once */
	plan_for("seed", "[host]\ndrivers = 0000:01:00.0=nouveau\n", MODE_VM, &p, s, sizeof(s));
	assert_true(p.refused);
	assert_contains(check_named(&p, "host-module", CHECK_FAIL)->detail,
			"the host driver nouveau of 0000:01:00.0 is neither loaded, built in, nor in "
			"/lib/modules/4.17.9-gentoo");
	/* the way back to host is not a way out: not checked then */
	plan_for("seed-vm", "[host]\nunload = nvidia_peermem nvidia_drm nvidia\n", MODE_HOST, &p, s,
		 sizeof(s));
	assert_false(p.refused);
}

static void seed_to_vm(void **state)
{
	char s[4096];
	plan_for("seed", NULL, MODE_VM, &p, s, sizeof(s));
	assert_false(p.refused);
	assert_string_equal(s, "driver_override 0000:01:00.0 vfio-pci\n"
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
	char s[4096];
	plan_for("seed", "[vm]\ndevices = 01:00.0 01:00.1\nbridge = 00:01.0\n", MODE_VM, &p, s, sizeof(s));
	assert_false(p.refused);
	assert_string_equal(s, "remove 0000:00:01.0 1\n"
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
	char s[4096];
	/* no host driver known: clear the override, the kernel's first match binds */
	plan_for("seed-vm", NULL, MODE_HOST, &p, s, sizeof(s));
	assert_false(p.refused);
	assert_string_equal(s, "driver_override 0000:01:00.0 \"\"\n"
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
	assert_string_equal(s, "driver_override 0000:01:00.0 nvidia\n"
			       "unbind 0000:01:00.0 0000:01:00.0\n"
			       "drivers_probe 0000:01:00.0 0000:01:00.0\n"
			       "wait_driver 0000:01:00.0 nvidia\n"
			       "driver_override 0000:01:00.0 \"\"\n"
			       "driver_override 0000:01:00.1 \"\"\n"
			       "unbind 0000:01:00.1 0000:01:00.1\n"
			       "drivers_probe 0000:01:00.1 0000:01:00.1\n"
			       "wait_driver 0000:01:00.1 !vfio-pci\n");
	/* with the bridge: the rescan re-creates them on their own drivers */
	plan_for("seed-vm", "[vm]\ndevices = 01:00.0 01:00.1\nbridge = 00:01.0\n", MODE_HOST, &p, s,
		 sizeof(s));
	assert_string_equal(s, "remove 0000:00:01.0 1\n"
			       "rescan - 1\n"
			       "wait_device 0000:01:00.0 \"\"\n"
			       "wait_device 0000:01:00.1 \"\"\n"
			       "wait_driver 0000:01:00.0 !vfio-pci\n"
			       "wait_driver 0000:01:00.1 !vfio-pci\n");
}

static void repeated_switch_is_a_no_op(void **state)
{
	char s[4096];
	plan_for("seed", NULL, MODE_HOST, &p, s, sizeof(s));
	assert_true(p.nothing_to_do);
	assert_int_equal(p.n, 0);
	plan_for("seed-vm", NULL, MODE_VM, &p, s, sizeof(s));
	assert_true(p.nothing_to_do);
	/* mixed: only the odd function moves */
	plan_for("seed-mixed", NULL, MODE_VM, &p, s, sizeof(s));
	assert_false(p.nothing_to_do);
	assert_string_equal(s, "driver_override 0000:01:00.1 vfio-pci\n"
			       "unbind 0000:01:00.1 0000:01:00.1\n"
			       "drivers_probe 0000:01:00.1 0000:01:00.1\n"
			       "wait_driver 0000:01:00.1 vfio-pci\n");
}

/* The [ddc] row is planned only where [ddc] names an input for the new
 * mode; the monitor is looked for by its EDID on the connectors there are. */
static void ddc_is_planned_only_when_configured(void **state)
{
	const char *both = "[ddc]\nmonitor = DEL:D1918H\nvm_input = 0x0f\nhost_input = 0x11\n";
	char s[4096];

	(void)state;
	plan_for("seed-ddc", NULL, MODE_VM, &p, s, sizeof(s));
	assert_false(p.ddc.planned);
	plan_for("seed", both, MODE_VM, &p, s, sizeof(s));
	assert_true(p.ddc.planned); /* planned, though no connector shows an EDID: the step warns */
	assert_int_equal(p.ddc.nfound, 0);
	plan_for("seed-ddc", both, MODE_VM, &p, s, sizeof(s));
	assert_true(p.ddc.planned);
	assert_int_equal(p.ddc.value, 0x0f);
	assert_string_equal(p.ddc.monitor, "DEL:D1918H");
	assert_int_equal(p.ddc.nfound, 2);
	assert_string_equal(p.ddc.found[0].connector, "card0-DP-1");
	assert_string_equal(p.ddc.found[1].connector, "card1-DP-1");
	assert_string_equal(p.ddc.found[1].i2c, "i2c-3");
	plan_for("seed-ddc-vm", both, MODE_HOST, &p, s, sizeof(s));
	assert_true(p.ddc.planned);
	assert_int_equal(p.ddc.value, 0x11);
	assert_int_equal(p.ddc.nfound, 1);
	/* only the vm input configured: the way back leaves the input alone */
	plan_for("seed-ddc-vm", "[ddc]\nmonitor = DEL:D1918H\nvm_input = 15\n", MODE_HOST, &p, s, sizeof(s));
	assert_false(p.ddc.planned);
	/* nothing to do: no row either */
	plan_for("seed-ddc", both, MODE_HOST, &p, s, sizeof(s));
	assert_true(p.nothing_to_do);
	assert_false(p.ddc.planned);
}

static const struct check *find_check(const struct plan *pl, const char *name)
{
	for (size_t i = 0; i < pl->nchecks; i++)
		if (strcmp(pl->checks[i].name, name) == 0)
			return &pl->checks[i];
	fail_msg("no check %s", name);
	return NULL;
}

static void refusals_say_why(void **state)
{
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

/* The first version cut each check at 512 bytes: the device that made the
 * group non-viable was lost ("... 0000:05:00.0 (Ethern").  And its advice
 * to add a NIC to [vm] devices was then refused by the configuration. */
static void reasons_are_whole_and_advise_what_the_config_takes(void **state)
{
	char s[4096];
	(void)state;
	plan_for("b550-6950xt-rx550", "[vm]\ndevices = 04:00.0 04:00.1\n", MODE_VM, &p, s, sizeof(s));
	assert_true(p.refused);
	const char *d = find_check(&p, "viable")->detail;
	assert_true(strlen(d) > 512);
	assert_contains(
	    d,
	    "0000:05:00.0 (Ethernet controller, driver r8169) shares IOMMU group 15 with 0000:04:00.0 "
	    "and cannot go to the VM: move the card to a slot with an IOMMU group of its own, or enable ACS "
	    "in the firmware");
	assert_null(strstr(d, "to [vm] devices"));
	/* a function of the card itself may be added: that advice stays */
	plan_for("seed", "[vm]\ndevices = 01:00.0\n", MODE_VM, &p, s, sizeof(s));
	assert_contains(find_check(&p, "viable")->detail, "add 0000:01:00.1 to [vm] devices");
	/* and a GPU the host keeps is never offered to the VM */
	struct machine m;
	struct ss_error e;
	struct strbuf why = {0};
	struct pci_addr set[1], host;
	fixture_machine(&m, "b550-6950xt-rx550", NULL, MACHINE_OK, &e);
	assert_true(pci_addr_parse_strict("0000:04:00.1", &set[0]));
	assert_true(pci_addr_parse_strict("0000:04:00.0", &host));
	assert_false(iommu_viable(&m.groups, &m.devs, set, 1, &host, &why));
	assert_contains(why.p,
			"0000:04:00.0 (VGA compatible controller, driver amdgpu) belongs to the host's GPU");
	assert_null(strstr(why.p, "add 0000:04:00.0"));
	free(why.p);
	machine_free(&m);
}

static void check_texts_are_never_cut(void **state)
{
	struct check c[1];
	size_t n = 0;
	char big[6000];
	(void)state;
	memset(big, 'x', sizeof(big) - 2);
	big[sizeof(big) - 2] = 'y';
	big[sizeof(big) - 1] = '\0';
	check_add(c, &n, 1, "long", CHECK_FAIL, big, "%s", big);
	assert_int_equal(strlen(c[0].detail), sizeof(big) - 1);
	assert_int_equal(c[0].detail[sizeof(big) - 2], 'y');
	assert_int_equal(strlen(c[0].fix), sizeof(big) - 1);
	/* full: nothing added, nothing overwritten */
	assert_null(check_add(c, &n, 1, "more", CHECK_OK, NULL, "z"));
	assert_int_equal(n, 1);
	check_free(c, n);
}

static void no_plan_leaves_the_host_without_a_gpu(void **state)
{
	char s[4096];
	(void)state;
	/* three cards, [vm] devices for one: refused until [host] gpu says */
	plan_for("trx40-k420-2xa6000", "[vm]\ndevices = 42:00.0 42:00.1\n", MODE_VM, &p, s, sizeof(s));
	assert_true(p.refused);
	assert_int_equal(p.n, 0);
	assert_int_equal(find_check(&p, "host-gpu")->status, CHECK_FAIL);
	plan_for("trx40-k420-2xa6000", "[vm]\ndevices = 42:00.0 42:00.1\n[host]\ngpu = 41:00.0\n", MODE_VM,
		 &p, s, sizeof(s));
	assert_false(p.refused);
	/* an APU alone: nothing is planned, least of all its PSP or USB */
	plan_for("b550itx-cezanne", NULL, MODE_VM, &p, s, sizeof(s));
	assert_true(p.refused);
	assert_int_equal(p.n, 0);
	assert_int_equal(find_check(&p, "target")->status, CHECK_FAIL);
}

static void vfio_ids_on_the_command_line_refuse_vm(void **state)
{
	char s[4096];
	(void)state;
	plan_for("b550m-gt1030-rx550", "[vm]\ndevices = 08:00.0 08:00.1\n", MODE_VM, &p, s, sizeof(s));
	assert_true(p.refused);
	assert_int_equal(find_check(&p, "cmdline-ids")->status, CHECK_FAIL);
	assert_contains(find_check(&p, "cmdline-ids")->detail, "vfio_pci.ids=10de:1d01,10de:0fb8");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(seed_to_vm),
	    cmocka_unit_test(the_way_back_is_checked_before_leaving),
	    cmocka_unit_test(bridge_dance_comes_first),
	    cmocka_unit_test(back_to_host),
	    cmocka_unit_test(repeated_switch_is_a_no_op),
	    cmocka_unit_test(ddc_is_planned_only_when_configured),
	    cmocka_unit_test(refusals_say_why),
	    cmocka_unit_test(reasons_are_whole_and_advise_what_the_config_takes),
	    cmocka_unit_test(check_texts_are_never_cut),
	    cmocka_unit_test(no_plan_leaves_the_host_without_a_gpu),
	    cmocka_unit_test(vfio_ids_on_the_command_line_refuse_vm),
	};
	int r = cmocka_run_group_tests(tests, NULL, NULL);
	plan_free(&p);
	return r;
}
