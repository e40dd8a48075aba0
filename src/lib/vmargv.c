#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "strbuf.h"
#include "vmargv.h"

/* the PCI class of a VGA-compatible display controller, without prog-if */
#define PCI_CLASS_VGA 0x0300

static int cmp_hostdev(const void *a, const void *b)
{
	return pci_addr_cmp(&((const struct vm_hostdev *)a)->addr, &((const struct vm_hostdev *)b)->addr);
}

int vm_hostdevs(const struct machine *m, struct vm_hostdev out[SS_MAX_FUNCS], size_t *n, struct ss_error *e)
{
	struct plan p;
	struct strbuf why = {0};
	int r = 0;

	*n = 0;
	plan_build(m, MODE_VM, &p);
	for (size_t i = 0; i < p.nchecks; i++)
		if (p.checks[i].status == CHECK_FAIL)
			strbuf_printf(&why, "%s%s", why.len ? "; " : "", p.checks[i].detail);
	if (p.refused) {
		r = ss_fail(e, -EPERM, "the plan refuses to switch to vm, so no VM can start: %s",
			    why.p ? why.p : "(out of memory)");
		goto out;
	}
	/* what the plan moves, or, in vm mode, moved: the target's functions */
	for (size_t i = 0; i < m->target.n; i++) {
		const struct pci_dev *d = pci_find(&m->devs, &m->target.fn[i].addr);
		out[*n].addr = m->target.fn[i].addr;
		out[*n].vga = d && (d->class >> 8) == PCI_CLASS_VGA;
		(*n)++;
	}
	qsort(out, *n, sizeof(out[0]), cmp_hostdev);
out:
	free(why.p);
	plan_free(&p);
	return r;
}

struct builder {
	struct vm_argv *a;
	size_t cap;
	bool oom;
};

static void push(struct builder *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void push(struct builder *b, const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	int n;

	if (b->oom)
		return;
	if (b->a->n + 2 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64;
		char **v = realloc(b->a->v, cap * sizeof(*v));
		if (!v) {
			b->oom = true;
			return;
		}
		b->a->v = v;
		b->cap = cap;
	}
	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->oom = true;
		return;
	}
	b->a->v[b->a->n++] = s;
	b->a->v[b->a->n] = NULL;
}

static void memory(struct builder *b, unsigned long mib)
{
	push(b, "-m");
	if (mib % 1024 == 0)
		push(b, "%luG", mib / 1024);
	else
		push(b, "%luM", mib);
}

static void cpu(struct builder *b, const struct vm_def *vm)
{
	push(b, "-cpu");
	push(b, "%s%s%s%s%s", vm->cpu, vm->cpu_options[0] ? "," : "", vm->cpu_options,
	     vm->hv_vendor_id[0] ? ",hv_vendor_id=" : "", vm->hv_vendor_id);
}

/* QEMU >= 7.1 has no -soundhw: a backend (-audiodev) and a device that
 * names it.  The seed's QEMU_AUDIO_DRV=pa is the backend pa here. */
static void audio(struct builder *b, const struct vm_def *vm)
{
	if (strcmp(vm->audio, "none") == 0)
		return;
	push(b, "-audiodev");
	push(b, "%s,id=snd0", vm->audio_backend);
	if (strcmp(vm->audio, "ac97") == 0) {
		push(b, "-device");
		push(b, "AC97,audiodev=snd0");
	} else {
		push(b, "-device");
		push(b, "ich9-intel-hda");
		push(b, "-device");
		push(b, "hda-duplex,audiodev=snd0");
	}
}

static int hostdevs(struct builder *b, const struct vm_def *vm, const struct vm_hostdev *hd, size_t n,
		    struct ss_error *e)
{
	unsigned guest_slot = vm->gpu_slot;
	int r = 0;

	for (size_t i = 0; r == 0 && i < n; i++) {
		char name[PCI_ADDR_LEN];
		bool first = i == 0 || !pci_addr_same_slot(&hd[i - 1].addr, &hd[i].addr);
		size_t in_slot = 0;
		for (size_t j = 0; j < n; j++)
			in_slot += pci_addr_same_slot(&hd[i].addr, &hd[j].addr);
		pci_addr_format(&hd[i].addr, name);
		if (first && i > 0)
			guest_slot++;
		if (first && hd[i].addr.fn != 0) {
			r = ss_fail(
			    e, -EINVAL,
			    "%s: function 0 of its slot is not passed through; a guest sees no "
			    "function of a slot without function 0 ([vm] devices of session-switch.conf)",
			    name);
		} else if (guest_slot > 0x1e) {
			r = ss_fail(e, -EINVAL, "more host slots than free guest slots after gpu_slot %x",
				    vm->gpu_slot);
		} else {
			push(b, "-device");
			push(b, "vfio-pci,host=%s,addr=%02x.%u%s%s", name, guest_slot, hd[i].addr.fn,
			     hd[i].addr.fn == 0 && in_slot > 1 ? ",multifunction=on" : "",
			     hd[i].addr.fn == 0 && hd[i].vga ? ",x-vga=on" : "");
		}
	}
	return r;
}

static void firmware(struct builder *b, const struct vm_def *vm)
{
	char vars[VM_PATH_LEN + 64];

	if (!vm->ovmf_code.line)
		return;
	vmconf_vars_path(vm, vars, sizeof(vars));
	push(b, "-drive");
	push(b, "if=pflash,format=raw,readonly=on,file=%s", vm->ovmf_code.path);
	push(b, "-drive");
	push(b, "if=pflash,format=raw,file=%s", vars);
}

static void inputs(struct builder *b, const struct vm_def *vm)
{
	unsigned nkbd = 0, nmouse = 0;

	for (size_t i = 0; i < vm->ninputs; i++) {
		const struct vm_input *in = &vm->inputs[i];
		bool kbd = in->kind == VM_KEYBOARD;
		unsigned nth = kbd ? ++nkbd : ++nmouse;
		char id[16];
		/* kbd, mouse, kbd2, ...: the seed's own ids */
		if (nth == 1)
			snprintf(id, sizeof(id), "%s", kbd ? "kbd" : "mouse");
		else
			snprintf(id, sizeof(id), "%s%u", kbd ? "kbd" : "mouse", nth);
		push(b, "-object");
		push(b, "input-linux,id=%s,evdev=/dev/input/by-id/%s%s%s%s%s", id, in->name,
		     kbd && vm->grab_all ? ",grab_all=on" : "", kbd ? ",repeat=on" : "",
		     kbd && vm->grab_toggle[0] ? ",grab-toggle=" : "", kbd ? vm->grab_toggle : "");
	}
}

static void disks(struct builder *b, const struct vm_def *vm)
{
	if (vm->ndisks == 0)
		return;
	push(b, "-device");
	push(b, "virtio-scsi-pci,id=scsi0");
	for (size_t i = 0; i < vm->ndisks; i++) {
		push(b, "-device");
		push(b, "scsi-hd,bus=scsi0.0,drive=disk%zu", i);
		push(b, "-drive");
		push(b, "id=disk%zu,file=%s,format=%s,if=none", i, vm->disks[i].p.path,
		     vmconf_format_str(vm->disks[i].format));
	}
}

/* A kernel booted without firmware or disk, and a serial console in a
 * file instead of a window: the test VM's, and a direct-kernel VM's. */
static void direct_boot(struct builder *b, const struct vm_def *vm)
{
	if (vm->kernel.line) {
		push(b, "-kernel");
		push(b, "%s", vm->kernel.path);
	}
	if (vm->initrd.line) {
		push(b, "-initrd");
		push(b, "%s", vm->initrd.path);
	}
	if (vm->append[0]) {
		push(b, "-append");
		push(b, "%s", vm->append);
	}
	if (vm->serial.line) {
		push(b, "-display");
		push(b, "none");
		push(b, "-serial");
		push(b, "file:%s", vm->serial.path);
	}
}

int vm_argv_build(const struct vm_def *vm, const struct vm_hostdev *hd, size_t nhd, struct vm_argv *out,
		  struct ss_error *e)
{
	struct builder b = {.a = out};
	int r;

	memset(out, 0, sizeof(*out));
	/* The seed's order, so that its command line and this one compare
	 * line by line. */
	push(&b, "%s", vm->emulator.path);
	if (strcmp(vm->accel, "kvm") == 0)
		push(&b, "-enable-kvm");
	memory(&b, vm->memory_mib);
	push(&b, "-machine");
	push(&b, "%s,accel=%s", vm->machine, vm->accel);
	cpu(&b, vm);
	push(&b, "-rtc");
	push(&b, "clock=host,base=%s", vm->rtc_localtime ? "localtime" : "utc");
	push(&b, "-smp");
	push(&b, "%u,sockets=%u,cores=%u,threads=%u", vm->sockets * vm->cores * vm->threads, vm->sockets,
	     vm->cores, vm->threads);
	/* the passed-through card is the guest's display */
	push(&b, "-vga");
	push(&b, "none");
	audio(&b, vm);
	r = hostdevs(&b, vm, hd, nhd, e);
	firmware(&b, vm);
	if (vm->iso.line) {
		push(&b, "-device");
		push(&b, "ide-cd,bus=ide.1,drive=cd0");
		push(&b, "-drive");
		push(&b, "media=cdrom,file=%s,id=cd0,if=none", vm->iso.path);
	}
	inputs(&b, vm);
	disks(&b, vm);
	direct_boot(&b, vm);
	if (r == 0 && b.oom)
		r = ss_fail(e, -ENOMEM, "out of memory");
	if (r < 0)
		vm_argv_free(out);
	return r;
}

void vm_argv_free(struct vm_argv *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
	a->v = NULL;
	a->n = 0;
}
