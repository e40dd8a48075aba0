/* The hand-written PCI address validator (doc/security.md rule 8). */
#include "config.h"

#include "fixture.h"
#include "pciaddr.h"

static void strict_accepts_kernel_form(void **state)
{
	struct pci_addr a;
	char out[PCI_ADDR_LEN];
	assert_true(pci_addr_parse_strict("0000:01:00.0", &a));
	assert_int_equal(a.domain, 0);
	assert_int_equal(a.bus, 1);
	assert_int_equal(a.dev, 0);
	assert_int_equal(a.fn, 0);
	assert_true(pci_addr_parse_strict("0001:10:1f.7", &a));
	assert_int_equal(a.domain, 1);
	assert_int_equal(a.bus, 0x10);
	assert_int_equal(a.dev, 0x1f);
	assert_int_equal(a.fn, 7);
	pci_addr_format(&a, out);
	assert_string_equal(out, "0001:10:1f.7");
}

static void strict_refuses_everything_else(void **state)
{
	static const char *bad[] = {
	    "",
	    "01:00.0",
	    "0000:01:00.8",
	    "0000:01:20.0",
	    "0000:01:00.0\n",
	    " 0000:01:00.0",
	    "0000:01:00.0 ",
	    "0000:1:00.0",
	    "0000:01:0.0",
	    "0000:01:00",
	    "0000-01-00.0",
	    "../01:00.0",
	    "0000:01:00.0/../..",
	    "0000:0G:00.0",
	    "+000:01:00.0",
	    "0000:01:00.-",
	    "0000:01:00.00",
	    "00000:01:00.0",
	    "0000:01:00.0x",
	    "0000:AB:00.0",
	    "0000:01:00:0",
	};
	struct pci_addr a = {9, 9, 9, 9};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (pci_addr_parse_strict(bad[i], &a))
			fail_msg("accepted \"%s\"", bad[i]);
	}
	assert_false(pci_addr_parse_strict(NULL, &a));
	/* a failed parse leaves the output alone */
	assert_int_equal(a.domain, 9);
}

static void user_form_is_normalised(void **state)
{
	struct pci_addr a;
	char out[PCI_ADDR_LEN];
	assert_true(pci_addr_parse_user("01:00.1", &a));
	pci_addr_format(&a, out);
	assert_string_equal(out, "0000:01:00.1");
	assert_true(pci_addr_parse_user("0000:0A:1F.3", &a));
	pci_addr_format(&a, out);
	assert_string_equal(out, "0000:0a:1f.3");
	assert_false(pci_addr_parse_user("1:00.0", &a));
	assert_false(pci_addr_parse_user("01:00.9", &a));
	assert_false(pci_addr_parse_user("01:00.0,", &a));
}

static void compare_and_slot(void **state)
{
	struct pci_addr a, b, c;
	assert_true(pci_addr_parse_strict("0000:01:00.0", &a));
	assert_true(pci_addr_parse_strict("0000:01:00.1", &b));
	assert_true(pci_addr_parse_strict("0000:10:00.0", &c));
	assert_true(pci_addr_cmp(&a, &b) < 0);
	assert_true(pci_addr_cmp(&c, &b) > 0);
	assert_int_equal(pci_addr_cmp(&a, &a), 0);
	assert_true(pci_addr_same_slot(&a, &b));
	assert_false(pci_addr_same_slot(&a, &c));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(strict_accepts_kernel_form),
	    cmocka_unit_test(strict_refuses_everything_else),
	    cmocka_unit_test(user_form_is_normalised),
	    cmocka_unit_test(compare_and_slot),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
