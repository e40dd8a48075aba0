/* What the helper logs and relays to a terminal carries no control
 * characters: C0, DEL, C1 (as UTF-8 or as a lone byte) and malformed
 * UTF-8 leave as '?', printable UTF-8 stays (src/helper/audit.c). */
#include "config.h"

#include <string.h>

#include "audit.h"
#include "fixture.h"

static const char *clean(const char *in)
{
	static char out[64];
	audit_clean(in, out, sizeof(out));
	return out;
}

static void c0_del_and_c1_leave_as_question_marks(void **state)
{
	(void)state;
	assert_string_equal(clean("Xorg\x1b[2Jgone\n"), "Xorg?[2Jgone?");
	assert_string_equal(clean("a\x7f"
				  "b"),
			    "a?b");
	/* CSI as a lone byte (8-bit terminals) and as UTF-8 U+009B */
	assert_string_equal(clean("a\x9b"
				  "31m"),
			    "a?31m");
	assert_string_equal(clean("a\xc2\x9b"
				  "31m"),
			    "a?"
			    "?31m");
	assert_string_equal(clean("\xc2\x85next line"), "??next line");
}

static void printable_utf8_stays(void **state)
{
	(void)state;
	assert_string_equal(clean("Gr\xc3\xa4"
				  "fin \xe2\x82\xac \xf0\x9f\x96\xa5"),
			    "Gr\xc3\xa4"
			    "fin \xe2\x82\xac \xf0\x9f\x96\xa5");
	/* U+00A0 is the first code point after C1 */
	assert_string_equal(clean("\xc2\xa0"), "\xc2\xa0");
}

static void malformed_utf8_leaves_byte_by_byte(void **state)
{
	(void)state;
	assert_string_equal(clean("\xc0\xaf"), "??");	   /* overlong '/' */
	assert_string_equal(clean("\xe0\x80\x80"), "???"); /* overlong NUL */
	assert_string_equal(clean("\xed\xa0\x80"), "???"); /* a surrogate */
	assert_string_equal(clean("\xe2\x82"), "??");	   /* cut short */
	assert_string_equal(clean("\xff\xfe"), "??");
}

static void a_sequence_that_does_not_fit_is_not_cut(void **state)
{
	(void)state;
	char out[4];
	audit_clean("ab\xe2\x82\xac", out, sizeof(out));
	assert_string_equal(out, "ab");
	audit_clean("abc", out, 1);
	assert_string_equal(out, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(c0_del_and_c1_leave_as_question_marks),
	    cmocka_unit_test(printable_utf8_stays),
	    cmocka_unit_test(malformed_utf8_leaves_byte_by_byte),
	    cmocka_unit_test(a_sequence_that_does_not_fit_is_not_cut),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
