/* session-switch.conf(5) and the parser's key table cannot drift apart:
 * every key of the table has its entry under SECTIONS AND KEYS with its
 * default, the page has no entry the table lacks, and every example in
 * the page is a file the parser takes. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "fixture.h"

#define MAX_ENTRIES 64
#define MAX_EXAMPLES 16
#define TEXT_LEN 8192

struct entry {
	char section[32];
	char name[64];
	char text[TEXT_LEN]; /* the entry's prose, roff removed, one space between words */
	int line;
};

struct page {
	struct entry entry[MAX_ENTRIES];
	size_t nentries;
	char sections[MAX_ENTRIES][32]; /* the .SS headers under SECTIONS AND KEYS, without [] */
	size_t nsections;
	char example[MAX_EXAMPLES][TEXT_LEN];
	size_t nexamples;
};

static struct page page;

/* The text roff prints for a line: font changes and zero-width marks
 * dropped, the escapes this page uses turned into their characters. */
static void unroff(const char *in, char *out, size_t len)
{
	size_t o = 0;

	while (*in && o + 1 < len) {
		if (in[0] != '\\' || !in[1]) {
			out[o++] = *in++;
		} else if (in[1] == 'f') {
			in += 2;
			if (*in == '(')
				in += *(in + 1) && *(in + 2) ? 3 : 1;
			else if (*in == '[')
				in = strchr(in, ']') ? strchr(in, ']') + 1 : in + 1;
			else if (*in)
				in++;
		} else if (in[1] == '(' && in[2] && in[3]) {
			out[o++] = strncmp(in + 2, "aq", 2) == 0   ? '\''
				   : strncmp(in + 2, "dq", 2) == 0 ? '"'
								   : '*';
			in += 4;
		} else if (in[1] == '&' || in[1] == '%') {
			in += 2;
		} else if (in[1] == '-' || in[1] == 'e' || in[1] == '~' || in[1] == ' ') {
			out[o++] = in[1] == '-' ? '-' : in[1] == 'e' ? '\\' : ' ';
			in += 2;
		} else {
			out[o++] = in[1];
			in += 2;
		}
	}
	out[o] = '\0';
}

/* The arguments of a macro line, as one text line: ".BI systemd: UNIT" is
 * "systemd: UNIT".  Quotes only group words here. */
static void macro_args(const char *line, char *out, size_t len)
{
	char tmp[1024];
	size_t o = 0;
	const char *p = line + strcspn(line, " \t");

	while (*p == ' ' || *p == '\t')
		p++;
	for (; *p && o + 1 < sizeof(tmp); p++)
		if (*p != '"')
			tmp[o++] = *p;
	tmp[o] = '\0';
	unroff(tmp, out, len);
}

static bool is_macro(const char *line, const char *name)
{
	size_t n = strlen(name);
	return line[0] == '.' && strncmp(line + 1, name, n) == 0 &&
	       (line[n + 1] == '\0' || line[n + 1] == ' ');
}

static bool is_font_macro(const char *line)
{
	static const char *const fonts[] = {"B", "I", "BR", "RB", "BI", "IB", "IR", "RI"};
	bool font = false;

	for (size_t i = 0; i < sizeof(fonts) / sizeof(fonts[0]); i++)
		font |= is_macro(line, fonts[i]);
	return font;
}

static void append_words(char *text, const char *words)
{
	size_t used = strlen(text);

	for (const char *w = words; *w && used + 2 < TEXT_LEN; w++) {
		bool blank = *w == ' ' || *w == '\t';
		if (blank && (used == 0 || text[used - 1] == ' '))
			continue;
		text[used++] = blank ? ' ' : *w;
	}
	if (used > 0 && used + 1 < TEXT_LEN && text[used - 1] != ' ')
		text[used++] = ' ';
	text[used] = '\0';
}

static char *slurp_page(void)
{
	const char *src = getenv("SS_SRCDIR");
	char path[4096];
	FILE *f;
	char *buf = calloc(1, 1 << 20);
	size_t n;

	assert_non_null(buf);
	if (!src)
		fail_msg("SS_SRCDIR is not set: run this through make check");
	snprintf(path, sizeof(path), "%s/doc/session-switch.conf.5", src);
	f = fopen(path, "r");
	if (!f)
		fail_msg("%s: %s", path, strerror(errno));
	n = fread(buf, 1, (1 << 20) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

static void read_page(void)
{
	char *buf = slurp_page(), *save = NULL, *line;
	bool in_keys = false, in_example = false, want_tag = false;
	struct entry *cur = NULL;
	char words[1024];
	int lineno = 0, depth = 0;

	memset(&page, 0, sizeof(page));
	/* strtok_r would merge empty lines, which an example keeps. */
	for (line = buf; line; line = save) {
		save = strchr(line, '\n');
		if (save)
			*save++ = '\0';
		lineno++;
		if (in_example) {
			if (is_macro(line, "EE")) {
				in_example = false;
				page.nexamples++;
			} else {
				char *ex = page.example[page.nexamples];
				unroff(line, words, sizeof(words));
				if (strlen(ex) + strlen(words) + 2 < TEXT_LEN)
					strcat(strcat(ex, words), "\n");
			}
			continue;
		}
		if (want_tag) {
			want_tag = false;
			if (line[0] == '.')
				macro_args(line, words, sizeof(words));
			else
				unroff(line, words, sizeof(words));
			assert_true(page.nentries < MAX_ENTRIES);
			cur = &page.entry[page.nentries++];
			cur->line = lineno;
			memcpy(cur->section, page.sections[page.nsections - 1], sizeof(cur->section));
			snprintf(cur->name, sizeof(cur->name), "%.*s", (int)strcspn(words, " ="), words);
			continue;
		}
		if (is_macro(line, "SH")) {
			macro_args(line, words, sizeof(words));
			in_keys = strcmp(words, "SECTIONS AND KEYS") == 0;
			cur = NULL;
		} else if (is_macro(line, "SS")) {
			cur = NULL;
			if (in_keys) {
				size_t n;
				macro_args(line, words, sizeof(words));
				n = strlen(words);
				if (n < 3 || words[0] != '[' || words[n - 1] != ']')
					fail_msg("session-switch.conf.5:%d: a subsection of SECTIONS AND "
						 "KEYS is a "
						 "[section], not \"%s\"",
						 lineno, words);
				assert_true(page.nsections < MAX_ENTRIES);
				snprintf(page.sections[page.nsections++], 32, "%.*s", (int)(n - 2),
					 words + 1);
			}
		} else if (is_macro(line, "EX")) {
			assert_true(page.nexamples < MAX_EXAMPLES && lineno < TEXT_LEN / 2);
			/* Empty lines up to here: the parser's line numbers are the page's. */
			memset(page.example[page.nexamples], '\n', (size_t)lineno);
			in_example = true;
		} else if (is_macro(line, "RS")) {
			depth++;
		} else if (is_macro(line, "RE")) {
			depth--;
		} else if ((is_macro(line, "PP") || is_macro(line, "LP") || is_macro(line, "P")) &&
			   depth == 0) {
			cur = NULL;
		} else if (is_macro(line, "TP") && depth == 0) {
			/* A tag at the top level of a key section names a key;
			 * inside .RS it is part of the entry (manager's kinds). */
			cur = NULL;
			want_tag = in_keys && page.nsections > 0;
		} else if (cur && is_font_macro(line)) {
			macro_args(line, words, sizeof(words));
			append_words(cur->text, words);
		} else if (cur && line[0] != '.' && line[0] != '\'') {
			unroff(line, words, sizeof(words));
			append_words(cur->text, words);
		}
	}
	free(buf);
	if (in_example)
		fail_msg("session-switch.conf.5: an .EX without its .EE");
}

static int setup(void **state)
{
	read_page();
	return 0;
}

static struct entry *find_entry(const char *section, const char *name)
{
	struct entry *found = NULL;

	for (size_t i = 0; !found && i < page.nentries; i++)
		if (strcmp(page.entry[i].section, section) == 0 && strcmp(page.entry[i].name, name) == 0)
			found = &page.entry[i];
	return found;
}

static void every_key_has_its_entry_and_default(void **state)
{
	size_t n, missing = 0;
	const struct config_key *k = config_keys(&n);

	for (size_t i = 0; i < n; i++) {
		struct entry *en = find_entry(k[i].section, k[i].name);
		char want[512];
		snprintf(want, sizeof(want), "Default: %s.", k[i].def);
		printf("[%s] %s: %s\n", k[i].section, k[i].name, want);
		if (!en) {
			printf("  session-switch.conf.5 has no entry for [%s] %s\n", k[i].section, k[i].name);
			missing++;
		} else if (!strstr(en->text, want)) {
			printf("  session-switch.conf.5:%d: [%s] %s does not say \"%s\"; it says: %s\n",
			       en->line, k[i].section, k[i].name, want, en->text);
			missing++;
		}
	}
	if (missing)
		fail_msg("%zu key(s) of the table are not in session-switch.conf(5) as the table has them",
			 missing);
}

static void the_page_has_no_key_the_table_lacks(void **state)
{
	size_t n, extra = 0;
	const struct config_key *k = config_keys(&n);

	for (size_t i = 0; i < page.nentries; i++) {
		bool known = false, twice = false;
		for (size_t j = 0; j < n; j++)
			known |= strcmp(page.entry[i].section, k[j].section) == 0 &&
				 strcmp(page.entry[i].name, k[j].name) == 0;
		for (size_t j = 0; j < i; j++)
			twice |= strcmp(page.entry[i].section, page.entry[j].section) == 0 &&
				 strcmp(page.entry[i].name, page.entry[j].name) == 0;
		if (!known || twice) {
			printf("session-switch.conf.5:%d: [%s] %s %s\n", page.entry[i].line,
			       page.entry[i].section, page.entry[i].name,
			       twice ? "is described twice" : "is not a key of the parser");
			extra++;
		}
	}
	for (size_t i = 0; i < page.nsections; i++) {
		bool known = false;
		for (size_t j = 0; j < n; j++)
			known |= strcmp(page.sections[i], k[j].section) == 0;
		if (!known) {
			printf("session-switch.conf.5: [%s] is not a section of the parser\n",
			       page.sections[i]);
			extra++;
		}
	}
	if (extra)
		fail_msg("session-switch.conf(5) describes %zu thing(s) the parser does not have", extra);
	assert_true(page.nentries > 0);
}

static void every_example_parses(void **state)
{
	assert_true(page.nexamples > 0);
	for (size_t i = 0; i < page.nexamples; i++) {
		struct ss_config c;
		struct ss_error e = {""};
		if (config_parse("session-switch.conf.5", page.example[i], &c, &e) != 0)
			fail_msg("an example is not a valid file: %s", e.msg);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(every_key_has_its_entry_and_default),
	    cmocka_unit_test(the_page_has_no_key_the_table_lacks),
	    cmocka_unit_test(every_example_parses),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
