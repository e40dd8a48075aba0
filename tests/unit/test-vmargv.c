/* The QEMU argv of a VM definition: the seed's own definition gives the
 * seed's command line, modulo what the plan supplies and the named
 * differences below; the passed-through functions are the plan's, with
 * multifunction and x-vga on function 0. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "vmargv.h"
#include "vmconf.h"

/* The seed's command line (the seed, "qemu-system-x86_64 -enable-kvm -m 8G
 * ..."), as its owner typed it. */
static const char seed_cmdline[] =
    "qemu-system-x86_64 -enable-kvm -m 8G "
    "-machine pc-q35-3.0,accel=kvm "
    "-cpu host,kvm=off,hv_relaxed,hv_spinlocks=0x1fff,hv_time,hv_vapic,hv_vendor_id=0xDEADBEEFFF "
    "-rtc clock=host,base=localtime "
    "-smp 4,sockets=1,cores=2,threads=2 "
    "-vga none "
    "-soundhw ac97 "
    "-device vfio-pci,host=01:00.0,multifunction=on,x-vga=on "
    "-device vfio-pci,host=01:00.1 "
    "-drive if=pflash,format=raw,file=/usr/share/edk2-ovmf/OVMF_CODE.fd "
    "-device ide-cd,bus=ide.1,drive=virtiocd1 "
    "-drive media=cdrom,file=/tank/vm/win10.iso,id=virtiocd1,if=none "
    "-object "
    "input-linux,id=kbd,evdev=/dev/input/by-id/usb-04d9_USB-HID_Keyboard-event-kbd,grab_all=on,repeat=on "
    "-object input-linux,id=mouse,evdev=/dev/input/by-id/"
    "usb-Logitech_G102_Prodigy_Gaming_Mouse_017F36743435-event-mouse "
    "-object input-linux,id=kbd2,evdev=/dev/input/by-id/"
    "usb-Logitech_G102_Prodigy_Gaming_Mouse_017F36743435-if01-event-kbd,grab_all=on,repeat=on "
    "-device virtio-scsi-pci,id=scsi0 "
    "-device scsi-hd,bus=scsi0.0,drive=rootfs "
    "-drive id=rootfs,file=/tank/vm/photog.qcow2,id=disk,format=qcow2,if=none";

/* Every way the generated argv differs from the seed's, and why: one or
 * two of the seed's words and what stands there instead. */
static const struct edit {
	const char *from[2];
	const char *to[6];
} edits[] = {
    /* the launch execs a path, it never searches $PATH */
    {{"qemu-system-x86_64", NULL}, {"/usr/bin/qemu-system-x86_64", NULL}},
    /* QEMU 7.1 removed -soundhw; the seed's QEMU_AUDIO_DRV=pa is the backend */
    {{"-soundhw", "ac97"}, {"-audiodev", "pa,id=snd0", "-device", "AC97,audiodev=snd0", NULL}},
    /* what the plan supplies: the seed tree's plan moves 0000:01:00.0 and
     * .1, placed in one guest slot (gpu_slot) as functions .0 and .1 */
    {{"vfio-pci,host=01:00.0,multifunction=on,x-vga=on", NULL},
     {"vfio-pci,host=0000:01:00.0,addr=10.0,multifunction=on,x-vga=on", NULL}},
    {{"vfio-pci,host=01:00.1", NULL}, {"vfio-pci,host=0000:01:00.1,addr=10.1", NULL}},
    /* the firmware's code read-only, and the VM's own variables (issue 17) */
    {{"if=pflash,format=raw,file=/usr/share/edk2-ovmf/OVMF_CODE.fd", NULL},
     {"if=pflash,format=raw,readonly=on,file=/usr/share/edk2-ovmf/OVMF_CODE.fd", "-drive",
      "if=pflash,format=raw,file=/var/lib/session-switch/vm/win10/OVMF_VARS.fd", NULL}},
    /* generated ids; the seed's drive had two (id=rootfs and id=disk) */
    {{"ide-cd,bus=ide.1,drive=virtiocd1", NULL}, {"ide-cd,bus=ide.1,drive=cd0", NULL}},
    {{"media=cdrom,file=/tank/vm/win10.iso,id=virtiocd1,if=none", NULL},
     {"media=cdrom,file=/tank/vm/win10.iso,id=cd0,if=none", NULL}},
    {{"scsi-hd,bus=scsi0.0,drive=rootfs", NULL}, {"scsi-hd,bus=scsi0.0,drive=disk0", NULL}},
    {{"id=rootfs,file=/tank/vm/photog.qcow2,id=disk,format=qcow2,if=none", NULL},
     {"id=disk0,file=/tank/vm/photog.qcow2,format=qcow2,if=none", NULL}},
};

#define MAX_WORDS 128

/* The seed's words with the edits applied; each edit must apply once. */
static size_t expected(char *words[MAX_WORDS], char *buf)
{
	char *seed[MAX_WORDS], *save = NULL;
	size_t nseed = 0, n = 0;
	bool used[sizeof(edits) / sizeof(edits[0])] = {false};

	strcpy(buf, seed_cmdline);
	for (char *w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save))
		seed[nseed++] = w;
	for (size_t i = 0; i < nseed; i++) {
		bool done = false;
		for (size_t k = 0; !done && k < sizeof(edits) / sizeof(edits[0]); k++) {
			const struct edit *ed = &edits[k];
			if (strcmp(seed[i], ed->from[0]) != 0 ||
			    (ed->from[1] && (i + 1 >= nseed || strcmp(seed[i + 1], ed->from[1]) != 0)))
				continue;
			for (size_t t = 0; ed->to[t]; t++)
				words[n++] = (char *)ed->to[t];
			i += ed->from[1] ? 1 : 0;
			used[k] = done = true;
		}
		if (!done)
			words[n++] = seed[i];
	}
	for (size_t k = 0; k < sizeof(edits) / sizeof(edits[0]); k++)
		if (!used[k])
			fail_msg("edit %zu (%s) matches nothing of the seed's command line", k,
				 edits[k].from[0]);
	return n;
}

static struct vm_conf conf;
static struct ss_error err;

static const struct vm_def *parse(const char *text)
{
	err.msg[0] = '\0';
	if (vmconf_parse("/etc/session-switch/vm.conf", text, &conf, &err) != 0)
		fail_msg("%s", err.msg);
	return &conf.vm[0];
}

/* The plan's functions on a recorded tree. */
static size_t plan_devs(const char *tree, struct vm_hostdev hd[SS_MAX_FUNCS])
{
	struct machine m;
	size_t n = 0;

	fixture_machine(&m, tree, NULL, MACHINE_OK, &err);
	if (vm_hostdevs(&m, hd, &n, &err) != 0)
		fail_msg("%s: %s", tree, err.msg);
	machine_free(&m);
	return n;
}

static void seed_definition_is_the_seed_command_line(void **state)
{
	char buf[sizeof(seed_cmdline)], *want[MAX_WORDS];
	size_t nwant = expected(want, buf);
	struct vm_hostdev hd[SS_MAX_FUNCS];
	size_t nhd = plan_devs("seed", hd);
	char *text = fixture_vm_seed();
	const struct vm_def *vm = parse(text);
	struct vm_argv a;

	assert_int_equal(vm_argv_build(vm, hd, nhd, &a, &err), 0);
	for (size_t i = 0; i < nwant && i < a.n; i++)
		if (strcmp(a.v[i], want[i]) != 0)
			fail_msg("argument %zu is \"%s\", the seed's is \"%s\"", i, a.v[i], want[i]);
	assert_int_equal(a.n, nwant);
	assert_null(a.v[a.n]);
	vm_argv_free(&a);
	free(text);
}

/* In vm mode the plan has nothing to move: the functions are the ones it moved. */
static void seed_vm_mode_same_functions(void **state)
{
	struct vm_hostdev a[SS_MAX_FUNCS], b[SS_MAX_FUNCS];
	size_t na = plan_devs("seed", a), nb = plan_devs("seed-vm", b);

	assert_int_equal(na, 2);
	assert_int_equal(nb, 2);
	for (size_t i = 0; i < na; i++)
		assert_int_equal(pci_addr_cmp(&a[i].addr, &b[i].addr), 0);
	assert_true(a[0].vga);
	assert_false(a[1].vga);
}

static void refused_plan_no_functions(void **state)
{
	struct machine m;
	struct vm_hostdev hd[SS_MAX_FUNCS];
	size_t n = 9;

	fixture_machine(&m, "seed-iommu-off", NULL, MACHINE_OK, &err);
	assert_int_equal(vm_hostdevs(&m, hd, &n, &err), -EPERM);
	assert_int_equal(n, 0);
	assert_contains(err.msg, "the plan refuses to switch to vm");
	assert_contains(err.msg, "IOMMU is off");
	machine_free(&m);
}

static const char *find_prefix(const struct vm_argv *a, const char *prefix, size_t nth)
{
	for (size_t i = 0; i < a->n; i++)
		if (strncmp(a->v[i], prefix, strlen(prefix)) == 0 && nth-- == 0)
			return a->v[i];
	return NULL;
}

static void four_functions_of_turing(void **state)
{
	struct vm_hostdev hd[SS_MAX_FUNCS];
	size_t n = plan_devs("turing", hd);
	const struct vm_def *vm = parse("[vm t]\niso = /i.iso\ngpu_slot = 5\n");
	struct vm_argv a;

	assert_int_equal(n, 4);
	assert_int_equal(vm_argv_build(vm, hd, n, &a, &err), 0);
	assert_contains(find_prefix(&a, "vfio-pci,", 0), "addr=05.0,multifunction=on,x-vga=on");
	for (size_t i = 1; i < 4; i++) {
		char want[32];
		snprintf(want, sizeof(want), "addr=05.%zu", i);
		const char *dev = find_prefix(&a, "vfio-pci,", i);
		assert_non_null(dev);
		assert_contains(dev, want);
		assert_null(strstr(dev, "multifunction"));
		assert_null(strstr(dev, "x-vga"));
	}
	assert_null(find_prefix(&a, "vfio-pci,", 4));
	vm_argv_free(&a);
}

static void hostdev_rules(void **state)
{
	const struct vm_def *vm = parse("[vm t]\niso = /i.iso\n");
	struct vm_hostdev one[] = {{{0, 1, 0, 0}, false}};
	struct vm_hostdev two_slots[] = {{{0, 1, 0, 0}, true}, {{0, 1, 0, 1}, false}, {{0, 2, 0, 0}, false}};
	struct vm_hostdev no_fn0[] = {{{0, 1, 0, 1}, false}};
	struct vm_argv a;

	/* a 3D controller alone: neither x-vga (no VGA) nor multifunction */
	assert_int_equal(vm_argv_build(vm, one, 1, &a, &err), 0);
	assert_string_equal(find_prefix(&a, "vfio-pci,", 0), "vfio-pci,host=0000:01:00.0,addr=10.0");
	vm_argv_free(&a);
	/* the next host slot is the next guest slot */
	assert_int_equal(vm_argv_build(vm, two_slots, 3, &a, &err), 0);
	assert_string_equal(find_prefix(&a, "vfio-pci,", 2), "vfio-pci,host=0000:02:00.0,addr=11.0");
	vm_argv_free(&a);
	assert_int_equal(vm_argv_build(vm, no_fn0, 1, &a, &err), -EINVAL);
	assert_contains(err.msg, "0000:01:00.1: function 0 of its slot is not passed through");
	assert_null(a.v);
}

static void other_values(void **state)
{
	const struct vm_def *vm =
	    parse("[vm t]\naccel = tcg\nmachine = q35\nmemory = 1536M\naudio = hda\n"
		  "audio_backend = pipewire\nrtc = utc\nkeyboard = k\nmouse = m\n"
		  "mouse = m2\ngrab_all = no\ngrab_toggle = scrolllock\ndisk = /dev/sdb\n"
		  "disk = /v/b.qcow2\n");
	struct vm_argv a;

	assert_int_equal(vm_argv_build(vm, NULL, 0, &a, &err), 0);
	assert_null(find_prefix(&a, "-enable-kvm", 0));
	assert_non_null(find_prefix(&a, "q35,accel=tcg", 0));
	assert_non_null(find_prefix(&a, "1536M", 0));
	assert_string_equal(find_prefix(&a, "host", 0), "host");
	assert_non_null(find_prefix(&a, "clock=host,base=utc", 0));
	assert_non_null(find_prefix(&a, "pipewire,id=snd0", 0));
	assert_non_null(find_prefix(&a, "ich9-intel-hda", 0));
	assert_non_null(find_prefix(&a, "hda-duplex,audiodev=snd0", 0));
	assert_null(find_prefix(&a, "if=pflash", 0));
	assert_null(find_prefix(&a, "ide-cd", 0));
	assert_string_equal(find_prefix(&a, "input-linux,id=kbd", 0),
			    "input-linux,id=kbd,evdev=/dev/input/by-id/k,repeat=on,grab-toggle=scrolllock");
	assert_string_equal(find_prefix(&a, "input-linux,id=mouse2", 0),
			    "input-linux,id=mouse2,evdev=/dev/input/by-id/m2");
	assert_string_equal(find_prefix(&a, "id=disk0", 0), "id=disk0,file=/dev/sdb,format=raw,if=none");
	assert_string_equal(find_prefix(&a, "id=disk1", 0), "id=disk1,file=/v/b.qcow2,format=qcow2,if=none");
	assert_non_null(find_prefix(&a, "scsi-hd,bus=scsi0.0,drive=disk1", 0));
	vm_argv_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(seed_definition_is_the_seed_command_line),
	    cmocka_unit_test(seed_vm_mode_same_functions),
	    cmocka_unit_test(refused_plan_no_functions),
	    cmocka_unit_test(four_functions_of_turing),
	    cmocka_unit_test(hostdev_rules),
	    cmocka_unit_test(other_values),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
