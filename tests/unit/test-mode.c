/* The mode as the devices tell it. */
#include "config.h"

#include "fixture.h"
#include "mode.h"

static enum mode mode_for(const char *fixture, struct mode_report *r)
{
	struct machine m;
	struct ss_error e;
	fixture_machine(&m, fixture, NULL, MACHINE_OK, &e);
	mode_of(&m.target, &m.devs, r);
	machine_free(&m);
	return r->mode;
}

static void modes(void **state)
{
	struct mode_report r;
	enum mode m;
	assert_int_equal(mode_for("seed", &r), MODE_HOST);
	assert_int_equal(mode_for("seed-vm", &r), MODE_VM);
	assert_int_equal(mode_for("seed-mixed", &r), MODE_MIXED);
	/* half and half: name the ones on vfio-pci */
	assert_contains(r.odd, "0000:01:00.0 on vfio-pci");
	assert_string_equal(mode_str(MODE_MIXED), "mixed");
	assert_true(mode_parse("vm", &m) && m == MODE_VM);
	assert_true(mode_parse("host", &m) && m == MODE_HOST);
	assert_false(mode_parse("mixed", &m));
	assert_false(mode_parse("VM", &m));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(modes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
