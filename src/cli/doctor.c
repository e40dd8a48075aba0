#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "doctor.h"
#include "json.h"

void cli_print_indented(FILE *out, const char *text, int indent)
{
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		int n = nl ? (int)(nl - p) : (int)strlen(p);
		fprintf(out, "%*s%.*s\n", p == text ? 0 : indent, "", n, p);
		p += n + (nl ? 1 : 0);
	}
	if (!*text)
		fputc('\n', out);
}

void cli_json_checks(struct json *j, const struct check *c, size_t n)
{
	json_key(j, "checks");
	json_begin_array(j);
	for (size_t i = 0; i < n; i++) {
		json_begin_object(j);
		json_kstring(j, "name", c[i].name);
		json_kstring(j, "status", check_status_str(c[i].status));
		json_kstring(j, "detail", c[i].detail);
		json_kstring(j, "fix", c[i].fix);
		json_end_object(j);
	}
	json_end_array(j);
}

/* A detail of several lines (one per device of a group) keeps its column. */
void cli_text_checks(const struct check *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		printf("%-4s  %-24s ", check_status_str(c[i].status), c[i].name);
		cli_print_indented(stdout, c[i].detail, 31);
		if (c[i].status != CHECK_OK && c[i].fix[0]) {
			printf("      %-24s fix: ", "");
			cli_print_indented(stdout, c[i].fix, 36);
		}
	}
}

int cli_doctor(const struct machine *m, bool json)
{
	struct doctor d;

	doctor_run(m, &d);
	if (json) {
		struct json j;
		json_init(&j, stdout);
		json_begin_object(&j);
		cli_json_checks(&j, d.checks, d.n);
		json_kint(&j, "fails", (long long)d.fails);
		json_kint(&j, "warns", (long long)d.warns);
		json_kbool(&j, "ready", d.fails == 0);
		if (d.fails)
			json_kstring(&j, "report", DOCTOR_REPORT);
		json_end_object(&j);
		json_finish(&j);
	} else {
		cli_text_checks(d.checks, d.n);
		printf("\n%s: %zu failed, %zu warning(s)\n", d.fails ? "NOT READY" : "ready", d.fails,
		       d.warns);
		if (d.fails)
			printf("\n%c%s.\n", 'I', DOCTOR_REPORT + 1);
	}
	int rc = d.fails ? EXIT_REFUSED : EXIT_OK;
	doctor_free(&d);
	return rc;
}
