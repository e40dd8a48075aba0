/* session-switch: the unprivileged command.  This file parses arguments,
 * loads the machine, runs one command, prints and exits; everything else
 * lives in the library. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "json.h"
#include "machine.h"
#include "pcinames.h"
#include "startx.h"

static void usage(FILE *out)
{
	fprintf(out, "Usage: session-switch [--sysroot DIR] [--config FILE] [--json] COMMAND\n"
		     "\n"
		     "Hand the discrete GPU to a VM (vfio-pci) and back; see session-switch(1).\n"
		     "\n"
		     "Commands:\n"
		     "  status       current mode (host, vm or mixed) and each function's driver\n"
		     "  doctor       readiness checks (kernel, IOMMU, vfio-pci, groups) with fixes\n"
		     "  groups       every IOMMU group and its devices; * marks what is passed through\n"
		     "  plan vm|host the exact sysfs operations a switch would perform\n"
		     "  probe        each GPU's DRM device and connectors, by PCI address\n"
		     "  setup [--dry-run|--undo]  write the Xorg and SLiM variants of each mode\n"
		     "  vm-config [--print] [NAME]  check /etc/session-switch/vm.conf; --print:\n"
		     "               the VM's QEMU argv, one argument per line\n"
		     "  vm           hand the discrete GPU to vfio-pci (through the helper)\n"
		     "  host         give it back to its host drivers\n"
		     "  recover [--boot]  finish or roll back a switch that was cut off\n"
		     "  play [NAME]  switch to vm, run the VM of vm.conf's [vm NAME] as you until\n"
		     "               it ends, then switch back to host\n"
		     "               (--boot: by the init system, before the display manager)\n"
		     "  startx [--print] [-- X-ARGS]  X on this text console with the variant of\n"
		     "               the current mode ([display] manager = none); vm or host\n"
		     "               inside it end X, switch, and start X again\n"
		     "  libvirt-hook DOMAIN OP SUBOP [EXTRA]  libvirt's qemu hook: prepare/begin\n"
		     "               of a [libvirt] domains domain switches to vm, release/end\n"
		     "               back to host; anything else does nothing\n"
		     "\n"
		     "Options:\n"
		     "  --sysroot DIR  read /sys, /proc, /etc, /boot, /lib/modules below DIR\n"
		     "                 (a tree recorded with record-sysfs)\n"
		     "  --config FILE  use FILE instead of /etc/session-switch.conf\n"
		     "  --json         machine-readable output on stdout\n"
		     "  --wait S       vm/host/recover/play: wait up to S seconds for a running switch\n"
		     "  --detach       vm/host/play: after the checks, go on in the background\n"
		     "                 (progress in /run/session-switch/switch.log and syslog)\n"
		     "  -h, --help     this text;  -V, --version\n"
		     "\n"
		     "Exit status:\n");
	for (int c = 0; c <= EXIT_MAX; c++)
		fprintf(out, "  %d  %s\n", c, outcome_of(c)->meaning);
}

int cli_fail_json(bool json, int code, const char *msg)
{
	fprintf(stderr, "session-switch: %s\n", msg);
	if (json) {
		struct json j;
		json_init(&j, stdout);
		json_begin_object(&j);
		json_kstring(&j, "error", msg);
		json_kint(&j, "exit", code);
		json_end_object(&j);
		json_finish(&j);
	}
	return code;
}

/* Inside the X of `session-switch startx` the switch is its wrapper's:
 * X must be gone from the card, and only the wrapper can start it again
 * on its VT.  0 when asked (or a failure's code), -1 when there is no
 * wrapper to ask. */
static int ask_startx(const char *verb, bool json)
{
	const char *env = getenv(STARTX_ENV);
	struct ss_error err = {""};
	struct sysroot sr;
	enum mode to = MODE_HOST;
	pid_t pid = 0;
	int r;

	if (!env || !mode_parse(verb, &to))
		return -1;
	if (sysroot_open_real(&sr, &err) < 0)
		return -1;
	r = startx_wrapper(&sr, env, getuid(), &pid);
	sysroot_close(&sr);
	if (r == 1)
		return -1;
	/* Said before it is asked: the wrapper ends this X session, and
	 * this process with it, before a message after the signal would be
	 * written (seen in the guest). */
	fprintf(stderr,
		"session-switch: asking session-switch startx (pid %ld) to switch to %s: this X session "
		"ends now, and X comes back when the switch is done\n",
		(long)pid, verb);
	if (json) {
		struct json j;
		json_init(&j, stdout);
		json_begin_object(&j);
		json_kstring(&j, "requested", verb);
		json_kint(&j, "startx_pid", pid);
		json_end_object(&j);
		json_finish(&j);
	}
	fflush(NULL);
	if (startx_ask(pid, to, &err) < 0) {
		fprintf(stderr, "session-switch: %s\n", err.msg);
		r = EXIT_REFUSED;
	} else {
		r = EXIT_OK;
	}
	return r;
}

/* The switch itself is the helper's: this process holds no privilege. */
static int run_helper(const char *verb, const char *name, const char *wait, bool json, bool detach, bool boot)
{
	char *argv[9];
	int n = 0;

	if (wait) {
		char *end;
		long v = strtol(wait, &end, 10);
		if (*end || end == wait || v < 0 || v > 3600)
			return cli_fail_json(json, EXIT_USAGE, "--wait takes seconds, 0 to 3600");
	}
	argv[n++] = "session-switch-helper";
	argv[n++] = (char *)verb;
	if (name)
		argv[n++] = (char *)name;
	if (wait) {
		argv[n++] = "--wait";
		argv[n++] = (char *)wait;
	}
	if (json)
		argv[n++] = "--json";
	if (detach)
		argv[n++] = "--detach";
	if (boot)
		argv[n++] = "--boot";
	argv[n] = NULL;
	fflush(NULL);
	execv(HELPER_PATH, argv);
	char msg[512];
	snprintf(msg, sizeof(msg), "cannot run " HELPER_PATH ": %s%s", strerror(errno),
		 errno == EACCES ? " (only root, members of group " SWITCH_GROUP
				   " and the user logged in at the "
				   "login screen may switch)"
				 : "");
	return cli_fail_json(json, EXIT_REFUSED, msg);
}

/* libvirt's qemu hook (https://libvirt.org/hooks.html): libvirtd runs
 * it as root, synchronously, with the domain XML on stdin, and refuses to
 * start the domain when prepare/begin exits non-zero.  It must never call
 * back into libvirt, and must return at once for every operation it does
 * not act on.  With --sysroot (the tests) it prints the switch it would
 * ask for instead of asking the helper. */
/* The machine and its configuration, or the exit code that says why not:
 * a configuration error is the user's to fix, the system's is a refusal. */
static int load(struct machine *m, const char *sysroot, const char *config, bool json)
{
	struct ss_error err = {""};
	int rc = EXIT_OK;

	switch (machine_load(m, sysroot, config, &err)) {
	case MACHINE_CONFIG:
		rc = cli_fail_json(json, EXIT_CONFIG, err.msg);
		break;
	case MACHINE_SYSTEM:
		rc = cli_fail_json(json, EXIT_REFUSED, err.msg);
		break;
	case MACHINE_OK:
		break;
	}
	return rc;
}

static int libvirt_hook(const char *sysroot, const char *config, int argc, char **argv)
{
	static const struct {
		const char *op, *subop, *verb;
	} acts[] = {{"prepare", "begin", "vm"}, {"release", "end", "host"}};
	const char *verb = NULL;
	struct machine m;
	char buf[4096];
	bool named = false;
	int rc = EXIT_OK;

	while (fread(buf, 1, sizeof(buf), stdin) > 0)
		; /* libvirt writes the XML and expects it read */
	if (argc < 3 || argc > 4)
		return cli_fail_json(false, EXIT_USAGE,
				     "libvirt-hook takes DOMAIN OPERATION SUB-OPERATION [EXTRA]");
	for (size_t i = 0; i < sizeof(acts) / sizeof(acts[0]); i++)
		if (strcmp(argv[1], acts[i].op) == 0 && strcmp(argv[2], acts[i].subop) == 0)
			verb = acts[i].verb;
	if (!verb)
		return EXIT_OK;
	if ((rc = load(&m, sysroot, config, false)) != EXIT_OK)
		goto out;
	for (size_t i = 0; i < m.conf.nlibvirt; i++)
		named |= strcmp(m.conf.libvirt_domains[i], argv[0]) == 0;
	if (!named)
		goto out;
	if (sysroot) {
		printf("libvirt-hook: %s %s/%s: would switch to %s\n", argv[0], argv[1], argv[2], verb);
		goto out;
	}
	machine_free(&m);
	return run_helper(verb, NULL, NULL, false, false, false);
out:
	machine_free(&m);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"sysroot", required_argument, NULL, 'r'}, {"config", required_argument, NULL, 'c'},
	    {"json", no_argument, NULL, 'j'},	       {"wait", required_argument, NULL, 'w'},
	    {"detach", no_argument, NULL, 'd'},	       {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},       {NULL, 0, NULL, 0},
	};
	const char *sysroot = NULL, *config = NULL, *wait = NULL, *cmd, *vm_name = NULL;
	bool json = false, dry_run = false, undo = false, detach = false, boot = false, print = false;
	struct machine m;
	struct ss_error err = {""};
	enum mode to = MODE_HOST;
	int c, rc;

	while ((c = getopt_long(argc, argv, "+hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			sysroot = optarg;
			break;
		case 'c':
			config = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'w':
			wait = optarg;
			break;
		case 'd':
			detach = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case 'V':
			printf("session-switch %s\n", PACKAGE_VERSION);
			return EXIT_OK;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return json ? cli_fail_json(json, EXIT_USAGE, "no command given (try --help)") : EXIT_USAGE;
	}
	cmd = argv[optind++];
	if (!strcmp(cmd, "vm") || !strcmp(cmd, "host") || !strcmp(cmd, "recover") || !strcmp(cmd, "play")) {
		bool play = strcmp(cmd, "play") == 0;
		const char *name = NULL;
		/* `session-switch vm --detach` reads as naturally as the
		 * options before the command */
		for (; optind < argc; optind++) {
			if (strcmp(argv[optind], "--detach") == 0 && strcmp(cmd, "recover") != 0) {
				detach = true;
			} else if (strcmp(argv[optind], "--boot") == 0 && strcmp(cmd, "recover") == 0) {
				boot = true;
			} else if (strcmp(argv[optind], "--json") == 0) {
				json = true;
			} else if (strcmp(argv[optind], "--wait") == 0 && optind + 1 < argc) {
				wait = argv[++optind];
			} else if (play && !name && argv[optind][0] != '-') {
				name = argv[optind];
			} else {
				snprintf(err.msg, sizeof(err.msg), "%s: unexpected argument '%s'", cmd,
					 argv[optind]);
				return cli_fail_json(json, EXIT_USAGE, err.msg);
			}
		}
		if (sysroot || config) {
			snprintf(err.msg, sizeof(err.msg),
				 "%s acts on this machine with /etc/session-switch.conf; "
				 "--sysroot and --config are for the read-only commands",
				 cmd);
			return cli_fail_json(json, EXIT_USAGE, err.msg);
		}
		if (detach && strcmp(cmd, "recover") == 0)
			return cli_fail_json(json, EXIT_USAGE, "--detach goes with vm, host or play");
		if ((rc = ask_startx(cmd, json)) >= 0)
			return rc;
		return run_helper(cmd, name, wait, json, detach, boot);
	}
	if (wait || detach)
		return cli_fail_json(json, EXIT_USAGE,
				     wait ? "--wait goes with vm, host, recover or play"
					  : "--detach goes with vm, host or play");
	if (strcmp(cmd, "startx") == 0) {
		/* everything after "--" is the X server's */
		for (; optind < argc && strcmp(argv[optind], "--") != 0; optind++) {
			if (strcmp(argv[optind], "--print") == 0) {
				print = true;
			} else {
				snprintf(err.msg, sizeof(err.msg),
					 "startx: unexpected argument '%s' (X server arguments go after --)",
					 argv[optind]);
				return cli_fail_json(json, EXIT_USAGE, err.msg);
			}
		}
		if (optind < argc)
			optind++;
		if (json)
			return cli_fail_json(json, EXIT_USAGE, "startx has no --json output");
		return cli_startx(sysroot, config, argv + optind, argc - optind, print);
	}
	if (strcmp(cmd, "libvirt-hook") == 0)
		return libvirt_hook(sysroot, config, argc - optind, argv + optind);
	if (strcmp(cmd, "probe") == 0) {
		if (optind < argc || sysroot)
			return cli_fail_json(json, EXIT_USAGE,
					     "probe reads the live DRM devices and takes no argument");
		return cli_probe(json);
	}
	if (strcmp(cmd, "plan") == 0) {
		if (optind >= argc || !mode_parse(argv[optind], &to))
			return cli_fail_json(json, EXIT_USAGE, "plan needs a mode: plan vm, or plan host");
		optind++;
	} else if (strcmp(cmd, "setup") == 0) {
		for (; optind < argc; optind++) {
			if (strcmp(argv[optind], "--dry-run") == 0)
				dry_run = true;
			else if (strcmp(argv[optind], "--undo") == 0)
				undo = true;
			else
				break;
		}
		if (dry_run && undo)
			return cli_fail_json(json, EXIT_USAGE, "setup takes --dry-run or --undo, not both");
	} else if (strcmp(cmd, "vm-config") == 0) {
		for (; optind < argc; optind++) {
			if (strcmp(argv[optind], "--print") == 0)
				print = true;
			else if (strcmp(argv[optind], "--json") == 0)
				json = true;
			else if (argv[optind][0] != '-' && !vm_name)
				vm_name = argv[optind];
			else
				break;
		}
	} else if (strcmp(cmd, "status") && strcmp(cmd, "doctor") && strcmp(cmd, "groups")) {
		snprintf(err.msg, sizeof(err.msg), "unknown command '%s' (try --help)", cmd);
		return cli_fail_json(json, EXIT_USAGE, err.msg);
	}
	if (optind < argc) {
		snprintf(err.msg, sizeof(err.msg), "%s: unexpected argument '%s'", cmd, argv[optind]);
		return cli_fail_json(json, EXIT_USAGE, err.msg);
	}

	if ((rc = load(&m, sysroot, config, json)) != EXIT_OK)
		goto out;
	if (strcmp(cmd, "groups") == 0)
		rc = cli_groups(&m, json);
	else if (strcmp(cmd, "doctor") == 0)
		rc = cli_doctor(&m, json);
	else if (strcmp(cmd, "status") == 0)
		rc = cli_status(&m, json);
	else if (strcmp(cmd, "setup") == 0)
		rc = cli_setup(&m, dry_run, undo, json);
	else if (strcmp(cmd, "vm-config") == 0)
		rc = cli_vm_config(&m, vm_name, print, json);
	else
		rc = cli_plan(&m, to, json);
out:
	machine_free(&m);
	pcinames_cleanup();
	return rc;
}
