#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"
#include "plan.h"
#include "strbuf.h"

static void text_step(size_t i, const struct plan_step *s)
{
	switch (s->kind) {
	case STEP_MODPROBE:
		printf("%3zu. modprobe %s\n", i, s->value);
		break;
	case STEP_WAIT_DEVICE:
		printf("%3zu. wait until %s exists again\n", i, s->path);
		break;
	case STEP_WAIT_DRIVER:
		if (s->value[0] == '!')
			printf("%3zu. wait until %s is bound to a driver other than %s\n", i, s->device,
			       s->value + 1);
		else
			printf("%3zu. wait until %s is bound to %s\n", i, s->device, s->value);
		break;
	case STEP_OVERRIDE:
		if (s->value[0])
			printf("%3zu. write %-9s > %s\n", i, s->value, s->path);
		else
			printf("%3zu. write %-9s > %s   (clear)\n", i, "\"\"", s->path);
		break;
	default:
		printf("%3zu. write %-9s > %s\n", i, s->value, s->path);
	}
}

/* The [ddc] row: after the devices, the monitor found by its EDID. */
static void text_ddc(size_t i, const struct plan_ddc *d)
{
	printf("\nThen the monitor's input ([ddc], by session-switch-ddc; a failure is a warning):\n");
	printf("%3zu. ddc: set input (VCP 0x60) of %s to 0x%02x\n", i, d->monitor, d->value);
	if (!d->nfound)
		printf("     not on any connector now: the switch will warn and go on\n");
	for (size_t k = 0; k < d->nfound; k++)
		printf("     found by EDID on %s, %s (%s %u \"%s\")\n", d->found[k].connector,
		       d->found[k].i2c[0] ? d->found[k].i2c : "no i2c adapter in sysfs", d->found[k].info.mfg,
		       d->found[k].info.product, d->found[k].info.name);
}

static void json_ddc(struct json *j, const struct plan_ddc *d)
{
	json_key(j, "ddc");
	if (!d->planned) {
		json_null(j);
		return;
	}
	json_begin_object(j);
	json_kstring(j, "monitor", d->monitor);
	json_kint(j, "value", d->value);
	json_key(j, "found");
	json_begin_array(j);
	for (size_t k = 0; k < d->nfound; k++) {
		json_begin_object(j);
		json_kstring(j, "connector", d->found[k].connector);
		json_key(j, "i2c");
		if (d->found[k].i2c[0])
			json_string(j, d->found[k].i2c);
		else
			json_null(j);
		json_kstring(j, "name", d->found[k].info.name);
		json_end_object(j);
	}
	json_end_array(j);
	json_end_object(j);
}

int cli_plan(const struct machine *m, enum mode to, bool json)
{
	struct plan p;
	struct strbuf reasons = {0};
	int rc;

	plan_build(m, to, &p);
	for (size_t i = 0; i < p.nchecks; i++) {
		if (p.checks[i].status != CHECK_FAIL)
			continue;
		strbuf_printf(&reasons, "%s%s", reasons.len ? "\n" : "", p.checks[i].detail);
	}
	rc = p.refused ? EXIT_REFUSED : EXIT_OK;
	if (json) {
		struct json j;
		json_init(&j, stdout);
		json_begin_object(&j);
		json_key(&j, "plan");
		json_begin_object(&j);
		json_kstring(&j, "to", mode_str(to));
		json_kbool(&j, "refused", p.refused);
		json_kbool(&j, "nothing_to_do", p.nothing_to_do);
		json_key(&j, "steps");
		json_begin_array(&j);
		for (size_t i = 0; i < p.n; i++) {
			json_begin_object(&j);
			json_kstring(&j, "action", step_kind_str(p.steps[i].kind));
			json_key(&j, "device");
			if (p.steps[i].device[0])
				json_string(&j, p.steps[i].device);
			else
				json_null(&j);
			json_kstring(&j, "value", p.steps[i].value);
			json_kstring(&j, "path", p.steps[i].path);
			json_end_object(&j);
		}
		json_end_array(&j);
		json_ddc(&j, &p.ddc);
		json_end_object(&j);
		cli_json_checks(&j, p.checks, p.nchecks);
		json_kbool(&j, "viable", !p.refused);
		cli_json_lines(&j, "reasons", reasons.p ? reasons.p : "");
		json_end_object(&j);
		json_finish(&j);
		goto out;
	}
	printf("Checks before switching to %s:\n", mode_str(to));
	cli_text_checks(p.checks, p.nchecks);
	if (p.refused) {
		fprintf(stderr, "session-switch: refusing to switch to %s:\n", mode_str(to));
		for (size_t i = 0; i < p.nchecks; i++) {
			if (p.checks[i].status != CHECK_FAIL)
				continue;
			fprintf(stderr, "  - ");
			cli_print_indented(stderr, p.checks[i].detail, 4);
			fprintf(stderr, "    fix: ");
			cli_print_indented(stderr, p.checks[i].fix, 9);
		}
		goto out;
	}
	if (p.nothing_to_do) {
		printf("\nAlready in %s mode: nothing to do.\n", mode_str(to));
		goto out;
	}
	printf("\nSteps (binding by driver_override, never new_id):\n");
	for (size_t i = 0; i < p.n; i++)
		text_step(i + 1, &p.steps[i]);
	if (p.ddc.planned)
		text_ddc(p.n + 1, &p.ddc);
out:
	free(reasons.p);
	plan_free(&p);
	return rc;
}
