/* The read-only commands of session-switch: each prints one view of the
 * loaded machine, as text or --json, and returns the exit code. */
#ifndef SS_CLI_H
#define SS_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "machine.h"
#include "mode.h"
#include "outcome.h"

int cli_groups(const struct machine *m, bool json);
int cli_doctor(const struct machine *m, bool json);
int cli_status(const struct machine *m, bool json);
int cli_plan(const struct machine *m, enum mode to, bool json);
int cli_probe(bool json);
int cli_setup(const struct machine *m, bool dry_run, bool undo, bool json);
/* name NULL: the only VM of /etc/session-switch/vm.conf */
int cli_vm_config(const struct machine *m, const char *name, bool print, bool json);

/* the wrapper of session-switch startx; print: what it would run, and
 * stdin need not be a VT */
int cli_startx(const char *sysroot, const char *config, char **xargs, int nx, bool print);

struct json;
struct check;
/* "reasons" array from a newline-separated list */
void cli_json_lines(struct json *j, const char *key, const char *lines);
void cli_json_checks(struct json *j, const struct check *c, size_t n);
/* "gpus": every display controller, its kind and its role */
void cli_json_gpus(struct json *j, const struct machine *m);
/* "ok", "ambiguous", "none", "host_gpu_ambiguous" */
const char *cli_target_state(const struct machine *m);
void cli_text_checks(const struct check *c, size_t n);
/* msg on stderr and, with --json, {"error": msg, "exit": code} on stdout;
 * returns code */
int cli_fail_json(bool json, int code, const char *msg);
/* "target_error": why no target or no host GPU was found, or null */
void cli_json_target_error(struct json *j, const struct machine *m);
/* text, its lines after the first indented by indent columns */
void cli_print_indented(FILE *out, const char *text, int indent);

#endif
