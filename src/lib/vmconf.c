#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kvlines.h"
#include "vmconf.h"

/* A few VM definitions: a few kilobytes. */
#define VMCONF_MAX (64 * 1024)
#define VMCONF_LINE 1024
#define PASSWD_MAX (1024 * 1024)

const char *vmconf_format_str(enum vm_disk_format f)
{
	return f == VM_DISK_QCOW2 ? "qcow2" : "raw";
}

void vmconf_vars_path(const struct vm_def *vm, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s/%s", VM_STATE_DIR, vm->name, VM_VARS_FILE);
}

static int bad(struct ss_error *e, const struct vm_where *w, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Every message of a setter starts "path:line: key", so none can forget
 * to say which line is wrong. */
static int bad(struct ss_error *e, const struct vm_where *w, const char *fmt, ...)
{
	char what[SS_ERRLEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return ss_fail(e, -EINVAL, "%s:%d: %s%s", w->path, w->line, w->key->name, what);
}

/* A word QEMU reads inside an option list: a ',' would start another
 * option and '=' another value, so neither may be in it. */
static bool word_ok(const char *s, const char *extra)
{
	bool ok = *s != '\0';

	for (; ok && *s; s++)
		ok = isalnum((unsigned char)*s) || strchr(extra, *s);
	return ok;
}

static int set_word(char *dst, size_t len, const char *value, const struct vm_where *w, struct ss_error *e)
{
	int r = 0;

	if (strlen(value) >= len || !word_ok(value, "_.-"))
		r = bad(e, w, ": \"%s\" is not a name (letters, digits, '_', '.', '-'); expected %s", value,
			w->key->expects);
	else
		snprintf(dst, len, "%s", value);
	return r;
}

static int set_path(struct vm_path *p, const char *value, const struct vm_where *w, struct ss_error *e)
{
	int r = 0;

	/* A ',' would end the file= option and start one the definition
	 * never had; QEMU's ",," escape is not worth the surprise. */
	if (value[0] != '/' || strlen(value) >= sizeof(p->path) || strpbrk(value, " \t,") ||
	    strstr(value, "/../") || strstr(value, "/./"))
		r = bad(e, w, ": \"%s\" is not an absolute path without blanks, ',' or '..'", value);
	else {
		snprintf(p->path, sizeof(p->path), "%s", value);
		p->line = w->line;
	}
	return r;
}

static int set_yes_no(bool *dst, const char *value, const struct vm_where *w, struct ss_error *e)
{
	int r = 0;

	if (strcmp(value, "yes") != 0 && strcmp(value, "no") != 0)
		r = bad(e, w, ": \"%s\" is neither yes nor no", value);
	else
		*dst = value[0] == 'y';
	return r;
}

static int set_number(unsigned *dst, const char *value, unsigned max, int base, const struct vm_where *w,
		      struct ss_error *e)
{
	char *end = NULL;
	unsigned long n = 0;
	int r = 0;

	errno = 0;
	if (isdigit((unsigned char)value[0]))
		n = strtoul(value, &end, base);
	if (!end || *end || errno || n < 1 || n > max)
		r = bad(e, w, ": \"%s\" is not a number from 1 to %u; expected %s", value, max,
			w->key->expects);
	else
		*dst = (unsigned)n;
	return r;
}

static int set_emulator(struct vm_def *vm, const char *value, const struct vm_where *w, struct ss_error *e)
{
	return set_path(&vm->emulator, value, w, e);
}

/* "8G", "8192M", "8GiB", "512MiB": kept in MiB. */
static int set_memory(struct vm_def *vm, const char *value, const struct vm_where *w, struct ss_error *e)
{
	static const struct {
		const char *suffix;
		unsigned long mib;
	} units[] = {{"M", 1},	    {"MiB", 1},		{"G", 1024},
		     {"GiB", 1024}, {"T", 1024 * 1024}, {"TiB", 1024 * 1024}};
	char *end = NULL;
	unsigned long n = 0, mult = 0;
	int r = 0;

	errno = 0;
	if (isdigit((unsigned char)value[0]))
		n = strtoul(value, &end, 10);
	for (size_t i = 0; end && !errno && i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(end, units[i].suffix) == 0)
			mult = units[i].mib;
	/* 128 MiB is the least a guest boots in; 16 TiB is far beyond any desktop */
	if (!mult || n == 0 || n > (16UL * 1024 * 1024) / mult || n * mult < 128)
		r = bad(e, w, ": \"%s\" is not a memory size; expected %s", value, w->key->expects);
	else
		vm->memory_mib = n * mult;
	return r;
}

static int set_sockets(struct vm_def *vm, const char *value, const struct vm_where *w, struct ss_error *e)
{
	return set_number(&vm->sockets, value, 16, 10, w, e);
}

static int set_cores(struct vm_def *vm, const char *value, const struct vm_where *w, struct ss_error *e)
{
	return set_number(&vm->cores, value, 256, 10, w, e);
}

static int set_threads(struct vm_def *vm, const char *value, const struct vm_where *w, struct ss_error *e)
{
	return set_number(&vm->threads, value, 8, 10, w, e);
}

static int set_machine(struct vm_def *vm, const char *value, const struct vm_where *w, struct ss_error *e)
{
	return set_word(vm->machine, sizeof(vm->machine), value, w, e);
}

static int set_accel(struct vm_def *vm, const char *value, const struct vm_where *w, struct ss_error *e)
{
	int r = 0;

	if (strcmp(value, "kvm") != 0 && strcmp(value, "tcg") != 0)
		r = bad(e, w, ": \"%s\" is not understood; expected %s", value, w->key->expects);
	else
		snprintf(vm->accel, sizeof(vm->accel), "%s", value);
	return r;
}

static int set_cpu(struct vm_def *vm, const char *value, const struct vm_where *w, struct ss_error *e)
{
	return set_word(vm->cpu, sizeof(vm->cpu), value, w, e);
}

/* kvm=off,hv_relaxed,hv_spinlocks=0x1fff,+avx2: each item a flag or
 * flag=value of plain words; the vendor id has its own key. */
static int set_cpu_options(struct vm_def *vm, const char *value, const struct vm_where *w, struct ss_error *e)
{
	char list[VMCONF_LINE], *save = NULL, *item;
	int r = 0;

	snprintf(list, sizeof(list), "%s", value);
	if (strlen(value) >= sizeof(vm->cpu_options) || strstr(value, ",,") || value[0] == ',' ||
	    value[strlen(value) - 1] == ',')
		r = bad(e, w, ": \"%s\" is not a list of options separated by single commas", value);
	for (item = strtok_r(list, ",", &save); r == 0 && item; item = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(item, '=');
		const char *flag = item[0] == '+' || item[0] == '-' ? item + 1 : item;
		if (eq)
			*eq = '\0';
		if (!word_ok(flag, "_-.") || (eq && !word_ok(eq + 1, "_-.")))
			r = bad(e, w,
				": \"%s%s%s\" is not FLAG or FLAG=VALUE of letters, digits, '_', '-', '.'",
				item, eq ? "=" : "", eq ? eq + 1 : "");
		else if (strcmp(flag, "hv_vendor_id") == 0 || strcmp(flag, "hv-vendor-id") == 0)
			r = bad(e, w, ": the vendor id has its own key: hv_vendor_id = %s",
				eq ? eq + 1 : "ID");
	}
	if (r == 0)
		snprintf(vm->cpu_options, sizeof(vm->cpu_options), "%s", value);
	return r;
}

static int set_hv_vendor_id(struct vm_def *vm, const char *value, const struct vm_where *w,
			    struct ss_error *e)
{
	int r = 0;

	/* KVM's CPUID leaf holds 12 bytes; QEMU refuses longer ids */
	if (strlen(value) > 12 || !word_ok(value, ""))
		r = bad(e, w, ": \"%s\" is not 1 to 12 letters and digits", value);
	else
		snprintf(vm->hv_vendor_id, sizeof(vm->hv_vendor_id), "%s", value);
	return r;
}

static int set_rtc(struct vm_def *vm, const char *value, const struct vm_where *w, struct ss_error *e)
{
	int r = 0;

	if (strcmp(value, "localtime") != 0 && strcmp(value, "utc") != 0)
		r = bad(e, w, ": \"%s\" is neither localtime nor utc", value);
	else
		vm->rtc_localtime = value[0] == 'l';
	return r;
}

static int set_ovmf_code(struct vm_def *vm, const char *value, const struct vm_where *w, struct ss_error *e)
{
	return set_path(&vm->ovmf_code, value, w, e);
}

static int set_ovmf_vars(struct vm_def *vm, const char *value, const struct vm_where *w, struct ss_error *e)
{
	return set_path(&vm->ovmf_vars_template, value, w, e);
}

static int set_iso(struct vm_def *vm, const char *value, const struct vm_where *w, struct ss_error *e)
{
	return set_path(&vm->iso, value, w, e);
}

/* "PATH [qcow2|raw]".  The format is never guessed from the file's
 * content: a raw disk whose guest wrote a qcow2 header would then be read
 * as qcow2, with a backing file of the guest's choosing. */
static int set_disk(struct vm_def *vm, const char *value, const struct vm_where *w, struct ss_error *e)
{
	char one[VMCONF_LINE], *sp, *fmt = NULL;
	struct vm_disk d = {0};
	int r = 0;

	snprintf(one, sizeof(one), "%s", value);
	sp = strpbrk(one, " \t");
	if (sp) {
		*sp = '\0';
		fmt = kv_trim(sp + 1);
	}
	size_t len = strlen(one);
	if (vm->ndisks == VM_MAX_DISKS)
		r = bad(e, w, ": more than %d disks", VM_MAX_DISKS);
	else if (fmt && strcmp(fmt, "qcow2") != 0 && strcmp(fmt, "raw") != 0)
		r = bad(e, w, ": format \"%s\" is neither qcow2 nor raw", fmt);
	else
		r = set_path(&d.p, one, w, e);
	if (r < 0)
		return r;
	if (fmt)
		d.format = fmt[0] == 'q' ? VM_DISK_QCOW2 : VM_DISK_RAW;
	else if (len > 6 && strcmp(one + len - 6, ".qcow2") == 0)
		d.format = VM_DISK_QCOW2;
	else if (strncmp(one, "/dev/", 5) == 0 ||
		 (len > 4 && (strcmp(one + len - 4, ".img") == 0 || strcmp(one + len - 4, ".raw") == 0)))
		d.format = VM_DISK_RAW;
	else
		r = bad(e, w, ": say the format of %s after it: disk = %s qcow2, or disk = %s raw", one, one,
			one);
	if (r == 0)
		vm->disks[vm->ndisks++] = d;
	return r;
}

/* A name in /dev/input/by-id: one path component, and a word QEMU's
 * evdev= option cannot read more into. */
static int add_input(struct vm_def *vm, enum vm_input_kind kind, const char *value, const struct vm_where *w,
		     struct ss_error *e)
{
	int r = 0;

	if (vm->ninputs == VM_MAX_INPUTS)
		r = bad(e, w, ": more than %d input devices", VM_MAX_INPUTS);
	else if (strlen(value) >= VM_EVDEV_LEN || !word_ok(value, "_.-:@+") || value[0] == '.')
		r = bad(e, w,
			": \"%s\" is not a name in /dev/input/by-id (give the name alone, as ls "
			"/dev/input/by-id lists it)",
			value);
	else {
		struct vm_input *in = &vm->inputs[vm->ninputs++];
		in->kind = kind;
		in->line = w->line;
		snprintf(in->name, sizeof(in->name), "%s", value);
	}
	return r;
}

static int set_keyboard(struct vm_def *vm, const char *value, const struct vm_where *w, struct ss_error *e)
{
	return add_input(vm, VM_KEYBOARD, value, w, e);
}

static int set_mouse(struct vm_def *vm, const char *value, const struct vm_where *w, struct ss_error *e)
{
	return add_input(vm, VM_MOUSE, value, w, e);
}

static int set_grab_all(struct vm_def *vm, const char *value, const struct vm_where *w, struct ss_error *e)
{
	return set_yes_no(&vm->grab_all, value, w, e);
}

static int set_grab_toggle(struct vm_def *vm, const char *value, const struct vm_where *w, struct ss_error *e)
{
	/* the values of QEMU's input-linux grab-toggle */
	static const char *const toggles[] = {"ctrl-ctrl", "alt-alt",	 "shift-shift",
					      "meta-meta", "scrolllock", "ctrl-scrolllock"};
	bool known = false;

	for (size_t i = 0; i < sizeof(toggles) / sizeof(toggles[0]); i++)
		known |= strcmp(value, toggles[i]) == 0;
	if (!known)
		return bad(e, w, ": \"%s\" is not understood; expected %s", value, w->key->expects);
	snprintf(vm->grab_toggle, sizeof(vm->grab_toggle), "%s", value);
	return 0;
}

static int set_audio(struct vm_def *vm, const char *value, const struct vm_where *w, struct ss_error *e)
{
	int r = 0;

	if (strcmp(value, "none") != 0 && strcmp(value, "ac97") != 0 && strcmp(value, "hda") != 0)
		r = bad(e, w, ": \"%s\" is not understood; expected %s", value, w->key->expects);
	else
		snprintf(vm->audio, sizeof(vm->audio), "%s", value);
	return r;
}

static int set_audio_backend(struct vm_def *vm, const char *value, const struct vm_where *w,
			     struct ss_error *e)
{
	static const char *const backends[] = {"pa", "pipewire", "alsa", "sdl", "none"};
	bool known = false;

	for (size_t i = 0; i < sizeof(backends) / sizeof(backends[0]); i++)
		known |= strcmp(value, backends[i]) == 0;
	if (!known)
		return bad(e, w, ": \"%s\" is not understood; expected %s", value, w->key->expects);
	snprintf(vm->audio_backend, sizeof(vm->audio_backend), "%s", value);
	return 0;
}

static int set_user(struct vm_def *vm, const char *value, const struct vm_where *w, struct ss_error *e)
{
	int r = set_word(vm->user, sizeof(vm->user), value, w, e);

	if (r == 0)
		vm->user_line = w->line;
	return r;
}

static int set_gpu_slot(struct vm_def *vm, const char *value, const struct vm_where *w, struct ss_error *e)
{
	/* slot 0 is the host bridge; 0x1f is the ICH9 LPC/SMBus slot of q35 */
	int r = set_number(&vm->gpu_slot, value, 0x1e, 16, w, e);

	if (r == 0 && vm->gpu_slot < 2)
		r = bad(e, w, ": slot %s is the machine's own (host bridge, VGA); expected %s", value,
			w->key->expects);
	return r;
}

static int set_return(struct vm_def *vm, const char *value, const struct vm_where *w, struct ss_error *e)
{
	return set_yes_no(&vm->return_host, value, w, e);
}

static int set_desktop(struct vm_def *vm, const char *value, const struct vm_where *w, struct ss_error *e)
{
	return set_yes_no(&vm->desktop, value, w, e);
}

static int set_kernel(struct vm_def *vm, const char *value, const struct vm_where *w, struct ss_error *e)
{
	return set_path(&vm->kernel, value, w, e);
}

static int set_initrd(struct vm_def *vm, const char *value, const struct vm_where *w, struct ss_error *e)
{
	return set_path(&vm->initrd, value, w, e);
}

/* The kernel's command line is one argument of QEMU's -append, read by
 * the kernel only: words of a fixed alphabet, blanks between them, no
 * ',' (one rule for every value). */
static int set_append(struct vm_def *vm, const char *value, const struct vm_where *w, struct ss_error *e)
{
	int r = 0;

	for (const char *p = value; r == 0 && *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr(" _.-=/:+@", *p))
			r = bad(e, w, ": '%c' is not allowed; expected %s", *p, w->key->expects);
	if (r == 0 && strlen(value) >= sizeof(vm->append))
		r = bad(e, w, ": longer than %zu characters", sizeof(vm->append) - 1);
	if (r == 0)
		snprintf(vm->append, sizeof(vm->append), "%s", value);
	return r;
}

static int set_serial(struct vm_def *vm, const char *value, const struct vm_where *w, struct ss_error *e)
{
	return set_path(&vm->serial, value, w, e);
}

/* The order is the man page's and the messages'; nothing depends on a
 * key's position. */
static const struct vm_key keys[] = {
    {.name = "emulator",
     .expects = "the absolute path of qemu-system-x86_64",
     .def = "/usr/bin/qemu-system-x86_64",
     .def_is_value = true,
     .set = set_emulator},
    {.name = "memory",
     .expects = "a size with M, MiB, G, GiB, T or TiB (8G), at least 128M",
     .def = "4G",
     .def_is_value = true,
     .set = set_memory},
    {.name = "sockets",
     .expects = "the guest's CPU sockets (1-16)",
     .def = "1",
     .def_is_value = true,
     .set = set_sockets},
    {.name = "cores",
     .expects = "the cores per socket (1-256)",
     .def = "2",
     .def_is_value = true,
     .set = set_cores},
    {.name = "threads",
     .expects = "the threads per core (1-8)",
     .def = "1",
     .def_is_value = true,
     .set = set_threads},
    {.name = "machine",
     .expects = "a QEMU machine type (q35, pc-q35-3.0)",
     .def = "q35",
     .def_is_value = true,
     .set = set_machine},
    {.name = "accel", .expects = "kvm or tcg", .def = "kvm", .def_is_value = true, .set = set_accel},
    {.name = "cpu",
     .expects = "a QEMU CPU model (host)",
     .def = "host",
     .def_is_value = true,
     .set = set_cpu},
    {.name = "cpu_options",
     .expects = "the CPU options after the model, separated by commas "
		"(kvm=off,hv_relaxed,hv_spinlocks=0x1fff,hv_time,hv_vapic)",
     .def = "none",
     .set = set_cpu_options},
    {.name = "hv_vendor_id",
     .expects = "the Hyper-V vendor id the guest sees, 1 to 12 letters and digits (0xDEADBEEFFF)",
     .def = "none: QEMU's own",
     .set = set_hv_vendor_id},
    {.name = "rtc",
     .expects = "localtime or utc: what the guest's clock keeps",
     .def = "localtime",
     .def_is_value = true,
     .set = set_rtc},
    {.name = "ovmf_code",
     .expects = "the absolute path of the UEFI firmware's code (OVMF_CODE.fd), mapped read-only",
     .def = "none: QEMU's BIOS",
     .set = set_ovmf_code},
    {.name = "ovmf_vars",
     .expects = "the absolute path of the firmware variables' template (OVMF_VARS.fd)",
     .def = "none; required with ovmf_code",
     .set = set_ovmf_vars},
    {.name = "iso",
     .expects = "the absolute path of an installer ISO, as a CD-ROM",
     .def = "none",
     .set = set_iso},
    {.name = "disk",
     .expects = "the absolute path of an image or block device, and qcow2 or raw after it",
     .def = "none",
     .repeatable = true,
     .set = set_disk},
    {.name = "keyboard",
     .expects = "a keyboard's name in /dev/input/by-id",
     .def = "none",
     .repeatable = true,
     .set = set_keyboard},
    {.name = "mouse",
     .expects = "a mouse's name in /dev/input/by-id",
     .def = "none",
     .repeatable = true,
     .set = set_mouse},
    {.name = "grab_all",
     .expects = "yes or no: the keyboards' grab toggle also grabs every other input device",
     .def = "yes",
     .def_is_value = true,
     .set = set_grab_all},
    {.name = "grab_toggle",
     .expects = "ctrl-ctrl, alt-alt, shift-shift, meta-meta, scrolllock or ctrl-scrolllock",
     .def = "QEMU's: both Ctrl keys",
     .set = set_grab_toggle},
    {.name = "audio", .expects = "none, ac97 or hda", .def = "none", .def_is_value = true, .set = set_audio},
    {.name = "audio_backend",
     .expects = "pa, pipewire, alsa, sdl or none: where the guest's sound goes on the host",
     .def = "pa",
     .def_is_value = true,
     .set = set_audio_backend},
    {.name = "user",
     .expects = "the account that may own the VM's files besides root",
     .def = "none: only root",
     .set = set_user},
    {.name = "gpu_slot",
     .expects = "the guest PCI slot, in hex, of the passed-through card (2-1e)",
     .def = "10",
     .def_is_value = true,
     .set = set_gpu_slot},
    {.name = "return",
     .expects = "yes or no: session-switch play switches back to host mode when the VM ends",
     .def = "yes",
     .def_is_value = true,
     .set = set_return},
    {.name = "desktop",
     .expects = "yes or no: the \"Windows VM\" session also logs the seat user into their desktop on the "
		"host's GPU while the VM runs",
     .def = "yes",
     .def_is_value = true,
     .set = set_desktop},
    {.name = "kernel",
     .expects = "the absolute path of a Linux kernel that QEMU boots directly (-kernel)",
     .def = "none",
     .set = set_kernel},
    {.name = "initrd",
     .expects = "the absolute path of the initramfs of kernel (-initrd)",
     .def = "none",
     .set = set_initrd},
    {.name = "append",
     .expects = "the kernel's command line: letters, digits, blanks and _ . - = / : + @",
     .def = "none",
     .set = set_append},
    {.name = "serial",
     .expects = "the absolute path of the file the guest's first serial port writes",
     .def = "none: QEMU's window",
     .set = set_serial},
};
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

const struct vm_key *vmconf_keys(size_t *n)
{
	*n = NKEYS;
	return keys;
}

void vmconf_init_vm(struct vm_def *vm, const char *name, int line)
{
	struct ss_error ignored;

	memset(vm, 0, sizeof(*vm));
	snprintf(vm->name, sizeof(vm->name), "%s", name);
	vm->line = line;
	for (size_t i = 0; i < NKEYS; i++) {
		struct vm_where w = {"(default)", 0, &keys[i]};
		/* the documented text itself, parsed as a file's value is;
		 * test-vmconf proves each one parses */
		if (keys[i].def_is_value)
			(void)keys[i].set(vm, keys[i].def, &w, &ignored);
	}
}

#define FAIL(...) ss_fail(e, -EINVAL, __VA_ARGS__)

struct parse {
	const char *path;
	int line;
	struct vm_conf *c;
	struct vm_def *vm; /* the section being read, or NULL */
	bool seen[NKEYS];
};

/* What a finished section must hold together. */
static int section_end(const struct parse *ps, struct ss_error *e)
{
	const struct vm_def *vm = ps->vm;
	int r = 0;

	if (!vm)
		r = 0;
	else if (vm->ovmf_code.line && !vm->ovmf_vars_template.line)
		r = FAIL("%s:%d: [vm %s] ovmf_code needs ovmf_vars, the template of the VM's own copy of the "
			 "firmware variables (OVMF_VARS.fd beside OVMF_CODE.fd)",
			 ps->path, vm->ovmf_code.line, vm->name);
	else if (vm->ovmf_vars_template.line && !vm->ovmf_code.line)
		r = FAIL("%s:%d: [vm %s] ovmf_vars without ovmf_code: name the firmware's code too", ps->path,
			 vm->ovmf_vars_template.line, vm->name);
	else if (vm->ndisks == 0 && !vm->iso.line && !vm->kernel.line)
		r = FAIL("%s:%d: [vm %s] has no disk, iso or kernel: nothing to boot", ps->path, vm->line,
			 vm->name);
	else if ((vm->initrd.line || vm->append[0]) && !vm->kernel.line)
		r = FAIL("%s:%d: [vm %s] initrd and append are for a kernel: name it (kernel = PATH)",
			 ps->path, vm->line, vm->name);
	else if (vm->sockets * vm->cores * vm->threads > 1024)
		r = FAIL("%s:%d: [vm %s] sockets x cores x threads is %u, more than 1024 CPUs", ps->path,
			 vm->line, vm->name, vm->sockets * vm->cores * vm->threads);
	return r;
}

static int parse_header(struct parse *ps, char *line, struct ss_error *e)
{
	char *close = strchr(line, ']'), *inner, *name;
	int r = section_end(ps, e);

	if (r < 0)
		return r;
	if (!close || *kv_trim(close + 1))
		return FAIL("%s:%d: a section header is [vm NAME] alone on its line", ps->path, ps->line);
	*close = '\0';
	inner = kv_trim(line + 1);
	name = inner + strcspn(inner, " \t");
	if (*name)
		*name++ = '\0';
	name = kv_trim(name);
	if (strcmp(inner, "vm") != 0)
		r = FAIL("%s:%d: unknown section [%s]; every section is [vm NAME]", ps->path, ps->line,
			 inner);
	else if (!*name || strlen(name) >= VM_NAME_LEN || !word_ok(name, "_-") || strchr(name, ' '))
		r = FAIL("%s:%d: [vm %s]: the VM's name is 1 to %d letters, digits, '_' and '-' (win10)",
			 ps->path, ps->line, name, VM_NAME_LEN - 1);
	else if (vmconf_find(ps->c, name, NULL))
		r = FAIL("%s:%d: [vm %s] is defined twice", ps->path, ps->line, name);
	else if (ps->c->n == VM_MAX)
		r = FAIL("%s:%d: more than %d VMs", ps->path, ps->line, VM_MAX);
	else {
		ps->vm = &ps->c->vm[ps->c->n++];
		vmconf_init_vm(ps->vm, name, ps->line);
		memset(ps->seen, 0, sizeof(ps->seen));
	}
	return r;
}

static void known_list(char *out, size_t len)
{
	size_t used = 0;

	out[0] = '\0';
	for (size_t i = 0; i < NKEYS; i++) {
		int w = snprintf(out + used, len - used, "%s%s", used ? ", " : "", keys[i].name);
		if (w < 0 || (size_t)w >= len - used)
			break;
		used += (size_t)w;
	}
}

static int parse_assignment(struct parse *ps, char *line, char *eq, struct ss_error *e)
{
	char *key, *val, known[512];
	size_t k = 0;
	int r;

	kv_split(line, eq, &key, &val);
	while (k < NKEYS && strcmp(keys[k].name, key) != 0)
		k++;
	if (!ps->vm) {
		r = FAIL("%s:%d: key '%s' before any [vm NAME]", ps->path, ps->line, key);
	} else if (k == NKEYS) {
		known_list(known, sizeof(known));
		r = FAIL("%s:%d: unknown key '%s' in [vm %s]; known keys: %s", ps->path, ps->line, key,
			 ps->vm->name, known);
	} else if (ps->seen[k] && !keys[k].repeatable) {
		r = FAIL("%s:%d: [vm %s] %s is set twice", ps->path, ps->line, ps->vm->name, key);
	} else if (!*val) {
		r = FAIL("%s:%d: [vm %s] %s has no value; expected %s", ps->path, ps->line, ps->vm->name, key,
			 keys[k].expects);
	} else {
		struct vm_where w = {ps->path, ps->line, &keys[k]};
		ps->seen[k] = true;
		r = keys[k].set(ps->vm, val, &w, e);
	}
	return r;
}

/* A trimmed line that is not blank and not a comment (kv_each_line). */
static int parse_line(void *arg, char *line, int lineno, struct ss_error *e)
{
	struct parse *ps = arg;
	char *eq;
	int r;

	ps->line = lineno;
	if (*line == '[')
		r = parse_header(ps, line, e);
	else if (!(eq = strchr(line, '=')))
		r = FAIL("%s:%d: expected key = value, [vm NAME], or a # comment", ps->path, ps->line);
	else
		r = parse_assignment(ps, line, eq, e);
	return r;
}

int vmconf_parse(const char *path, const char *text, struct vm_conf *c, struct ss_error *e)
{
	struct parse ps = {.path = path, .c = c};
	int r;

	memset(c, 0, sizeof(*c));
	snprintf(c->path, sizeof(c->path), "%s", path);
	r = kv_each_line(path, text, VMCONF_LINE, parse_line, &ps, e);
	if (r == 0)
		r = section_end(&ps, e);
	if (r == 0 && c->n == 0)
		r = FAIL("%s: defines no VM; expected a [vm NAME] section (session-switch-vm.conf(5))", path);
	return r;
}

/* The file read through the descriptor whose owner and mode were
 * checked, not by its name again: the same file, whatever is renamed in
 * between. */
static int fd_slurp(int fd, char **out)
{
	char *buf = malloc(VMCONF_MAX + 1);
	size_t len = 0;
	ssize_t n = 1;

	if (!buf)
		return -ENOMEM;
	while (n > 0 && len <= VMCONF_MAX) {
		n = read(fd, buf + len, VMCONF_MAX + 1 - len);
		if (n < 0 && errno == EINTR)
			n = 1;
		else if (n > 0)
			len += (size_t)n;
	}
	if (n < 0 || len > VMCONF_MAX) {
		int r = n < 0 ? -errno : -EFBIG;
		free(buf);
		return r;
	}
	buf[len] = '\0';
	*out = buf;
	return (int)len;
}

int vmconf_load(const struct sysroot *sr, const char *path, uid_t owner, struct vm_conf *c,
		struct ss_error *e)
{
	char shown[PATH_MAX];
	struct stat st;
	char *text = NULL;
	int fd = sysroot_openat(sr, path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	int r = fd;

	sysroot_show(sr, path, shown, sizeof(shown));
	if (fd == -ENOENT)
		r = ss_fail(e, -ENOENT,
			    "%s does not exist: write the VM's definition there (session-switch-vm.conf(5))",
			    shown);
	else if (fd == -ELOOP)
		r = ss_fail(e, -ELOOP, "%s is a symbolic link; the VM definition must be a plain file",
			    shown);
	else if (fd < 0)
		r = ss_fail(e, fd, "%s: %s", shown, strerror(-fd));
	else if (fstat(fd, &st) < 0)
		r = ss_fail(e, -errno, "%s: %s", shown, strerror(errno));
	else if (!S_ISREG(st.st_mode))
		r = ss_fail(e, -EINVAL, "%s is not a regular file", shown);
	else if (owner != VMCONF_ANY_OWNER && st.st_uid != owner)
		r = ss_fail(e, -EPERM, "%s is owned by uid %u, not %u: chown root:root %s", shown,
			    (unsigned)st.st_uid, (unsigned)owner, path);
	else if (st.st_mode & (S_IWGRP | S_IWOTH))
		r = ss_fail(e, -EPERM, "%s is writable by group or others (mode %04o): chmod go-w %s", shown,
			    (unsigned)(st.st_mode & 07777), path);
	else if ((r = fd_slurp(fd, &text)) < 0)
		r = ss_fail(e, r, "%s: %s", shown, r == -EFBIG ? "larger than 64 KiB" : strerror(-r));
	else if (memchr(text, '\0', (size_t)r))
		r = ss_fail(e, -EINVAL, "%s: contains a NUL byte; this is not a text file", shown);
	else
		r = vmconf_parse(shown, text, c, e);
	if (fd >= 0)
		close(fd);
	free(text);
	return r;
}

const struct vm_def *vmconf_find(const struct vm_conf *c, const char *name, struct ss_error *e)
{
	const struct vm_def *found = NULL;
	char names[VM_MAX * (VM_NAME_LEN + 2)] = "";

	for (size_t i = 0; i < c->n; i++) {
		if (name && strcmp(c->vm[i].name, name) == 0)
			found = &c->vm[i];
		snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s", i ? ", " : "",
			 c->vm[i].name);
	}
	if (!name && c->n == 1)
		found = &c->vm[0];
	if (!found && e && name)
		ss_fail(e, -ENOENT, "%s defines no VM '%s'; it defines: %s", c->path, name, names);
	else if (!found && e)
		ss_fail(e, -ENOENT, "%s defines %zu VMs (%s): name one", c->path, c->n, names);
	return found;
}

/* The uid of user in the root's /etc/passwd: -ENOENT when there is none. */
static int user_uid(const struct sysroot *sr, const char *user, uid_t *uid)
{
	char *text = NULL;
	ssize_t n = sysroot_slurp(sr, "/etc/passwd", PASSWD_MAX, &text);
	size_t ulen = strlen(user);
	int r = n < 0 ? (int)n : -ENOENT;

	for (char *line = n >= 0 ? text : NULL; line && r == -ENOENT; line = strchr(line, '\n')) {
		unsigned long v;
		char *end;
		line += *line == '\n';
		if (strncmp(line, user, ulen) != 0 || line[ulen] != ':')
			continue;
		/* name:password:uid: */
		char *f = strchr(line + ulen + 1, ':');
		v = f ? strtoul(f + 1, &end, 10) : 0;
		if (f && end != f + 1 && *end == ':') {
			*uid = (uid_t)v;
			r = 0;
		}
	}
	free(text);
	return r;
}

enum file_kind { FILE_REGULAR, FILE_DISK };

/* One file the VM opens: it exists inside the root, is the right kind,
 * is owned by root or by the VM's user, and nobody else can change it. */
static int check_file(const struct sysroot *sr, const char *conf_path, const struct vm_def *vm,
		      const char *key, const struct vm_path *p, enum file_kind kind, bool has_uid, uid_t uid,
		      struct ss_error *e)
{
	char shown[PATH_MAX];
	struct stat st = {0};
	int fd = sysroot_openat(sr, p->path, O_PATH | O_CLOEXEC);
	int r = 0;
	mode_t forbidden;

	sysroot_show(sr, p->path, shown, sizeof(shown));
	if (fd < 0)
		return ss_fail(e, fd == -ENOENT ? -ENOENT : fd, "%s:%d: [vm %s] %s: %s: %s", conf_path,
			       p->line, vm->name, key, shown,
			       fd == -ENOENT ? "does not exist" : strerror(-fd));
	if (fstat(fd, &st) < 0)
		r = ss_fail(e, -errno, "%s:%d: [vm %s] %s: %s: %s", conf_path, p->line, vm->name, key, shown,
			    strerror(errno));
	/* a block device is root:disk 0660 by the system's own rules; only
	 * others writing to it is a mistake of this machine */
	forbidden = S_ISBLK(st.st_mode) ? S_IWOTH : S_IWGRP | S_IWOTH;
	if (r == 0 && !S_ISREG(st.st_mode) && !(kind == FILE_DISK && S_ISBLK(st.st_mode)))
		r = ss_fail(e, -EINVAL, "%s:%d: [vm %s] %s: %s is not a %s", conf_path, p->line, vm->name,
			    key, shown, kind == FILE_DISK ? "regular file or block device" : "regular file");
	else if (r == 0 && st.st_uid != 0 && !(has_uid && st.st_uid == uid))
		r = ss_fail(e, -EPERM,
			    "%s:%d: [vm %s] %s: %s is owned by uid %u, neither root nor %s: chown root %s%s",
			    conf_path, p->line, vm->name, key, shown, (unsigned)st.st_uid,
			    has_uid ? vm->user : "a [user] of the VM", p->path,
			    has_uid ? "" : ", or name its owner in user =");
	else if (r == 0 && (st.st_mode & forbidden))
		r = ss_fail(e, -EPERM, "%s:%d: [vm %s] %s: %s is writable by %s (mode %04o): chmod %s %s",
			    conf_path, p->line, vm->name, key, shown,
			    S_ISBLK(st.st_mode) ? "others" : "group or others",
			    (unsigned)(st.st_mode & 07777), S_ISBLK(st.st_mode) ? "o-w" : "go-w", p->path);
	close(fd);
	return r;
}

static int check_input(const struct sysroot *sr, const char *conf_path, const struct vm_def *vm,
		       const struct vm_input *in, struct ss_error *e)
{
	char path[PATH_MAX], shown[PATH_MAX];
	struct stat st;
	int fd, r = 0;

	snprintf(path, sizeof(path), "/dev/input/by-id/%s", in->name);
	sysroot_show(sr, path, shown, sizeof(shown));
	fd = sysroot_openat(sr, path, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return ss_fail(e, fd == -ENOENT ? -ENOENT : fd,
			       "%s:%d: [vm %s] %s: %s: %s; ls /dev/input/by-id lists the names (the device "
			       "must be plugged in)",
			       conf_path, in->line, vm->name, in->kind == VM_KEYBOARD ? "keyboard" : "mouse",
			       shown, fd == -ENOENT ? "no such input device" : strerror(-fd));
	if (fstat(fd, &st) < 0)
		r = ss_fail(e, -errno, "%s:%d: %s: %s", conf_path, in->line, shown, strerror(errno));
	/* a recorded tree holds no device nodes: there the link's target
	 * existing is what can be checked */
	else if (!sr->prefixed && !S_ISCHR(st.st_mode))
		r = ss_fail(e, -EINVAL, "%s:%d: [vm %s] %s: %s is not an event device", conf_path, in->line,
			    vm->name, in->kind == VM_KEYBOARD ? "keyboard" : "mouse", shown);
	close(fd);
	return r;
}

int vmconf_check(const struct sysroot *sr, const char *conf_path, const struct vm_def *vm, struct ss_error *e)
{
	bool has_uid = vm->user[0] != '\0';
	uid_t uid = 0;
	int r = 0;

	if (has_uid && user_uid(sr, vm->user, &uid) < 0)
		r = ss_fail(e, -EINVAL, "%s:%d: [vm %s] user: there is no account %s in /etc/passwd",
			    conf_path, vm->user_line, vm->name, vm->user);
	if (r == 0 && vm->emulator.line == 0) {
		/* the default: named by the key table, checked like a value */
		struct vm_path def = vm->emulator;
		def.line = vm->line;
		r = check_file(sr, conf_path, vm, "emulator", &def, FILE_REGULAR, has_uid, uid, e);
	} else if (r == 0) {
		r = check_file(sr, conf_path, vm, "emulator", &vm->emulator, FILE_REGULAR, has_uid, uid, e);
	}
	if (r == 0 && vm->ovmf_code.line)
		r = check_file(sr, conf_path, vm, "ovmf_code", &vm->ovmf_code, FILE_REGULAR, has_uid, uid, e);
	if (r == 0 && vm->ovmf_vars_template.line)
		r = check_file(sr, conf_path, vm, "ovmf_vars", &vm->ovmf_vars_template, FILE_REGULAR, has_uid,
			       uid, e);
	if (r == 0 && vm->iso.line)
		r = check_file(sr, conf_path, vm, "iso", &vm->iso, FILE_REGULAR, has_uid, uid, e);
	if (r == 0 && vm->kernel.line)
		r = check_file(sr, conf_path, vm, "kernel", &vm->kernel, FILE_REGULAR, has_uid, uid, e);
	if (r == 0 && vm->initrd.line)
		r = check_file(sr, conf_path, vm, "initrd", &vm->initrd, FILE_REGULAR, has_uid, uid, e);
	for (size_t i = 0; r == 0 && i < vm->ndisks; i++)
		r = check_file(sr, conf_path, vm, "disk", &vm->disks[i].p, FILE_DISK, has_uid, uid, e);
	for (size_t i = 0; r == 0 && i < vm->ninputs; i++)
		r = check_input(sr, conf_path, vm, &vm->inputs[i], e);
	return r;
}

/* One step of the walk down to the emulator: a directory (or, last, the
 * file itself) that only root can change, and no link, which a later
 * lookup would follow anew.  In a recorded tree the directories are its
 * maker's (tree_uid); the file is root's alone everywhere. */
static int check_step(const char *conf_path, const struct vm_def *vm, const struct vm_path *p, const char *at,
		      const struct stat *st, bool last, uid_t tree_uid, struct ss_error *e)
{
	const char *what = last ? "the file" : "the directory";
	uid_t owner = last ? 0 : tree_uid;
	int r = 0;

	if (S_ISLNK(st->st_mode))
		r = ss_fail(e, -EPERM,
			    "%s:%d: [vm %s] emulator: %s: %s is a symbolic link: name the emulator by the "
			    "path it leads to (realpath %s)",
			    conf_path, p->line, vm->name, p->path, at, p->path);
	else if (last ? !S_ISREG(st->st_mode) : !S_ISDIR(st->st_mode))
		r = ss_fail(e, -EINVAL, "%s:%d: [vm %s] emulator: %s: %s is not a %s", conf_path, p->line,
			    vm->name, p->path, at, last ? "regular file" : "directory");
	else if (st->st_mode & (S_IWGRP | S_IWOTH))
		r = ss_fail(e, -EPERM,
			    "%s:%d: [vm %s] emulator: %s: %s %s is writable by group or others (mode %04o): "
			    "chmod go-w %s",
			    conf_path, p->line, vm->name, p->path, what, at, (unsigned)(st->st_mode & 07777),
			    at);
	else if (st->st_uid != 0 && st->st_uid != owner)
		r = ss_fail(
		    e, -EPERM,
		    "%s:%d: [vm %s] emulator: %s: %s %s is owned by uid %u, not by root: chown root %s",
		    conf_path, p->line, vm->name, p->path, what, at, (unsigned)st->st_uid, at);
	return r;
}

int vmconf_open_emulator(const struct sysroot *sr, const char *conf_path, const struct vm_def *vm,
			 struct ss_error *e)
{
	struct vm_path p = vm->emulator;
	char at[VM_PATH_LEN + 1] = "/", name[VM_PATH_LEN];
	struct stat st;
	uid_t tree_uid = 0;
	const char *s;
	int fd, r = 0;

	if (!p.line)
		p.line = vm->line; /* the default: the section's line */
	fd = sysroot_openat(sr, "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return ss_fail(e, fd, "the root directory: %s", strerror(-fd));
	if (fstat(fd, &st) < 0)
		r = ss_fail(e, -errno, "the root directory: %s", strerror(errno));
	else if (sr->prefixed)
		tree_uid = st.st_uid;
	if (r == 0)
		r = check_step(conf_path, vm, &p, at, &st, false, tree_uid, e);
	/* down from the root one component at a time, none followed: each
	 * directory is checked before what is in it is opened, so nobody but
	 * root can swap anything between the check and the exec of the fd */
	for (s = p.path; r == 0 && *s;) {
		size_t n;
		int next;
		bool last;
		while (*s == '/')
			s++;
		n = strcspn(s, "/");
		if (n == 0)
			break;
		snprintf(name, sizeof(name), "%.*s", (int)n, s);
		s += n;
		while (*s == '/')
			s++;
		last = *s == '\0';
		/* the file itself first as vm-config sees it (has_uid false:
		 * the user's own emulator is not good enough here), for its
		 * messages; then as opened here */
		if (last &&
		    (r = check_file(sr, conf_path, vm, "emulator", &p, FILE_REGULAR, false, 0, e)) < 0)
			break;
		snprintf(at + strlen(at), sizeof(at) - strlen(at), "%s%s", strlen(at) > 1 ? "/" : "", name);
		next = sysroot_open_child(fd, name, O_PATH);
		close(fd);
		fd = next;
		if (fd < 0)
			r = ss_fail(e, fd, "%s:%d: [vm %s] emulator: %s: %s", conf_path, p.line, vm->name, at,
				    strerror(-fd));
		else if (fstat(fd, &st) < 0)
			r = ss_fail(e, -errno, "%s:%d: [vm %s] emulator: %s: %s", conf_path, p.line, vm->name,
				    at, strerror(errno));
		else
			r = check_step(conf_path, vm, &p, at, &st, last, tree_uid, e);
	}
	if (r == 0 && !S_ISREG(st.st_mode)) /* "/" alone */
		r = ss_fail(e, -EINVAL, "%s:%d: [vm %s] emulator: %s is not a regular file", conf_path,
			    p.line, vm->name, p.path);
	if (r < 0 && fd >= 0)
		close(fd);
	return r < 0 ? r : fd;
}
