/* Xorg and SLiM variants: decimal BusIDs, the user's slim.conf kept line
 * for line but for what the mode needs. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "slimconf.h"
#include "xorgconf.h"

static struct pci_addr A(const char *s) {
	struct pci_addr a;
	assert_true(pci_addr_parse_strict(s, &a));
	return a;
}

static void
busid_is_decimal(void **state)
{
	char b[40];
	struct pci_addr a = A("0000:10:00.0");
	xorg_busid(&a, b, sizeof(b));
	assert_string_equal(b, "PCI:16:0:0");
	a = A("0000:00:02.0");
	xorg_busid(&a, b, sizeof(b));
	assert_string_equal(b, "PCI:0:2:0");
	a = A("0000:0a:1f.7");
	xorg_busid(&a, b, sizeof(b));
	assert_string_equal(b, "PCI:10:31:7");
	a = A("0001:01:00.0");
	xorg_busid(&a, b, sizeof(b));
	assert_string_equal(b, "PCI:1@1:0:0");
}

static char *slurp(const char *rel)
{
	char p[4096];
	snprintf(p, sizeof(p), "%s/%s", getenv("SS_SRCDIR"), rel);
	FILE *f = fopen(p, "r");
	assert_non_null(f);
	char *buf = calloc(1, 65536);
	assert_non_null(buf);
	size_t n = fread(buf, 1, 65535, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void xorg_template(void **state)
{
	struct ss_error e;
	char *tmpl = slurp("xorg/xorg.conf.in"), *out = NULL;
	struct xorg_vars v = {"host", "dgpu", "nvidia", A("0000:10:00.0"), ""};
	assert_int_equal(xorgconf_render(tmpl, &v, &out, &e), 0);
	assert_contains(out, "BusID      \"PCI:16:0:0\"");
	assert_contains(out, "Driver     \"nvidia\"");
	assert_contains(out, SS_MARKER);
	assert_contains(out, "0000:10:00.0");
	assert_null(strstr(out, "@"));
	free(out);
	assert_int_equal(xorgconf_render("x @NOPE@ y", &v, &out, &e), -EINVAL);
	assert_contains(e.msg, "@NOPE@");
	assert_int_equal(xorgconf_render("x @BUSID y", &v, &out, &e), -EINVAL);
	free(tmpl);
}

static const char user_conf[] = "# my own comment\n"
				"default_path        /usr/local/bin:/usr/bin:/bin\n"
				"xserver_arguments   -nolisten tcp -config old.conf vt07\n"
				"current_theme       my-theme\n"
				"login_cmd           exec /bin/bash -login /etc/X11/Xsession %session";

static void slim_keeps_everything_else(void **state)
{
	struct ss_error e;
	char *out = NULL, *again = NULL;
	assert_int_equal(slimconf_variant(user_conf, "vm", "xorg.conf.intel", &out, &e), 0);
	assert_contains(out, "# my own comment\n");
	assert_contains(out, "current_theme       my-theme\n");
	assert_contains(out, "default_path        /usr/local/bin:/usr/bin:/bin\n");
	assert_contains(out, "xserver_arguments   -nolisten tcp vt07 -config xorg.conf.intel\n");
	assert_null(strstr(out, "old.conf"));
	/* login_cmd: an empty %session (nobody chose one) becomes "default";
	   it was the last line, and gained its newline */
	assert_contains(out, "\nlogin_cmd           exec /bin/sh -c 'exec /bin/bash -login /etc/X11/Xsession "
			     "\"${1:-default}\"' session-switch-login '%session'\n");
	assert_true(strncmp(out, "# " SS_MARKER, strlen("# " SS_MARKER)) == 0);
	/* made again from a variant: the same text, one marker */
	assert_int_equal(slimconf_variant(out, "vm", "xorg.conf.intel", &again, &e), 0);
	assert_string_equal(again, out);
	free(out);
	free(again);
}

static void slim_login_cmd_forms(void **state)
{
	static const struct {
		const char *in, *out;
	} ok[] = {
	    {"login_cmd exec /bin/bash -login /etc/X11/Xsession '%session'\n",
	     "login_cmd           exec /bin/sh -c 'exec /bin/bash -login /etc/X11/Xsession "
	     "\"${1:-default}\"' "
	     "session-switch-login '%session'\n"},
	    {"login_cmd exec /bin/sh - ~/.xinitrc \"%session\" \n",
	     "login_cmd           exec /bin/sh -c 'exec /bin/sh - ~/.xinitrc \"${1:-default}\"' "
	     "session-switch-login '%session'\n"},
	    {"login_cmd  exec /usr/bin/startx\n", "login_cmd           exec /usr/bin/startx\n"},
	};
	struct ss_error e;
	char *out = NULL;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(slimconf_variant(ok[i].in, "vm", "xorg.conf.intel", &out, &e), 0);
		assert_contains(out, ok[i].out);
		free(out);
	}
	assert_int_equal(slimconf_variant("login_cmd exec 'my xsession' %session\n", "vm", "x", &out, &e),
			 -EINVAL);
	assert_contains(e.msg, "slim.conf: login_cmd has a single quote");
	assert_int_equal(slimconf_variant("login_cmd x %session %session\n", "vm", "x", &out, &e), -EINVAL);
	assert_contains(e.msg, "names %session twice");
}

static void slim_without_arguments_gets_them(void **state)
{
	struct ss_error e;
	char *out = NULL;
	assert_int_equal(slimconf_variant("current_theme x\n", "host", "xorg.conf.dgpu", &out, &e), 0);
	assert_contains(out, "current_theme x\nxserver_arguments   -nolisten tcp -config xorg.conf.dgpu\n");
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(busid_is_decimal),
	    cmocka_unit_test(xorg_template),
	    cmocka_unit_test(slim_keeps_everything_else),
	    cmocka_unit_test(slim_login_cmd_forms),
	    cmocka_unit_test(slim_without_arguments_gets_them),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
