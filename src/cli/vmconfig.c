/* session-switch vm-config: read /etc/session-switch/vm.conf inside the
 * root, check what it names, and show the VM's exact QEMU argv with the
 * functions the plan passes through.  Read-only: it creates nothing, not
 * even the VM's copy of the firmware variables. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"
#include "vmargv.h"
#include "vmconf.h"

static int refuse(bool json, int code, const struct ss_error *e)
{
	fprintf(stderr, "session-switch: %s\n", e->msg);
	if (json) {
		struct json j;
		json_init(&j, stdout);
		json_begin_object(&j);
		json_kstring(&j, "error", e->msg);
		json_kstring(&j, "result", outcome_of(code)->result);
		json_kint(&j, "exit", code);
		json_end_object(&j);
		json_finish(&j);
	}
	return code;
}

int cli_vm_config(const struct machine *m, const char *name, bool print, bool json)
{
	struct vm_conf *c = calloc(1, sizeof(*c));
	struct vm_hostdev hd[SS_MAX_FUNCS];
	struct vm_argv a = {0};
	struct ss_error e = {""};
	const struct vm_def *vm = NULL;
	size_t nhd = 0;
	int r, rc = EXIT_OK;

	if (!c) {
		snprintf(e.msg, sizeof(e.msg), "out of memory");
		rc = refuse(json, EXIT_REFUSED, &e);
		goto out;
	}
	r = vmconf_load(&m->root, VM_DEFAULT_CONFIG, m->root.prefixed ? VMCONF_ANY_OWNER : 0, c, &e);
	if (r == 0 && !(vm = vmconf_find(c, name, &e)))
		rc = refuse(json, EXIT_USAGE, &e);
	else if (r == 0 && (r = vmconf_check(&m->root, c->path, vm, &e)) == 0 &&
		 (r = vm_hostdevs(m, hd, &nhd, &e)) < 0)
		rc = refuse(json, EXIT_REFUSED, &e);
	else if (r == 0 && (r = vm_argv_build(vm, hd, nhd, &a, &e)) == -ENOMEM)
		rc = refuse(json, EXIT_REFUSED, &e);
	if (r < 0 && rc == EXIT_OK)
		rc = refuse(json, EXIT_CONFIG, &e);
	if (rc != EXIT_OK)
		goto out;
	if (json) {
		struct json j;
		json_init(&j, stdout);
		json_begin_object(&j);
		json_kstring(&j, "vm", vm->name);
		json_kstring(&j, "file", c->path);
		json_kint(&j, "line", vm->line);
		json_kstring(&j, "result", outcome_of(EXIT_OK)->result);
		json_key(&j, "argv");
		json_begin_array(&j);
		for (size_t i = 0; i < a.n; i++)
			json_string(&j, a.v[i]);
		json_end_array(&j);
		json_end_object(&j);
		json_finish(&j);
	} else if (print) {
		/* one argument per line: nothing to unquote, and a line is
		 * exactly one element of the vector the launch will exec */
		for (size_t i = 0; i < a.n; i++)
			printf("%s\n", a.v[i]);
	} else {
		printf("%s:%d: [vm %s] is valid: %zu arguments, %zu passed-through functions "
		       "(vm-config --print shows the command line)\n",
		       c->path, vm->line, vm->name, a.n, nhd);
	}
out:
	vm_argv_free(&a);
	free(c);
	return rc;
}
