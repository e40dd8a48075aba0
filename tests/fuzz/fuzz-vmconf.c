/* vmconf_parse() and vm_argv_build(): /etc/session-switch/vm.conf, and the
 * argv of every VM it defines.  No value the file gives may carry a ',' into
 * a path or a device name: QEMU would read it as another option. */
#include "config.h"

#include "fuzz.h"
#include "vmargv.h"
#include "vmconf.h"

static void no_comma(const char *s)
{
	if (strchr(s, ','))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vm_conf c;
	/* the seed's GPU and its audio, as the plan would give them */
	static const struct vm_hostdev hd[] = {{{0, 1, 0, 0}, true}, {{0, 1, 0, 1}, false}};
	struct ss_error e = {""};
	char *t = fuzz_text(data, size);
	int r = vmconf_parse("/etc/session-switch/vm.conf", t, &c, &e);

	fuzz_said_why(r, &e);
	for (size_t i = 0; r == 0 && i < c.n; i++) {
		const struct vm_def *vm = &c.vm[i];
		struct vm_argv a;
		no_comma(vm->emulator.path);
		no_comma(vm->ovmf_code.path);
		no_comma(vm->ovmf_vars_template.path);
		no_comma(vm->iso.path);
		for (size_t d = 0; d < vm->ndisks; d++)
			no_comma(vm->disks[d].p.path);
		for (size_t k = 0; k < vm->ninputs; k++)
			no_comma(vm->inputs[k].name);
		if (vm_argv_build(vm, hd, 2, &a, &e) == 0)
			vm_argv_free(&a);
		else
			fuzz_said_why(-1, &e);
	}
	free(t);
	return 0;
}
