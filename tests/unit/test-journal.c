/* The journal: a durable round trip, and a damaged file named precisely. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fixture.h"
#include "journal.h"

static struct pci_addr A(const char *s) {
	struct pci_addr a;
	assert_true(pci_addr_parse_strict(s, &a));
	return a;
}

static void
round_trip(void **state)
{
	char root[] = "/tmp/ss-journal-XXXXXX", dir[128];
	struct journal j = {0}, back;
	struct sysroot sr;
	struct ss_error e;

	assert_non_null(mkdtemp(root));
	snprintf(dir, sizeof(dir), "%s/var", root);
	mkdir(dir, 0755);
	snprintf(dir, sizeof(dir), "%s/var/lib", root);
	mkdir(dir, 0755);
	snprintf(dir, sizeof(dir), "%s" JOURNAL_DIR, root);
	mkdir(dir, 0755);
	int dfd = open(dir, O_RDONLY | O_DIRECTORY);
	assert_true(dfd >= 0);

	j.state = JOURNAL_PENDING;
	j.from = MODE_HOST;
	j.to = MODE_VM;
	j.uid = 1000;
	j.started = 1764040000;
	j.has_bridge = true;
	j.bridge = A("0000:00:01.0");
	j.fn[0] = (struct journal_fn){A("0000:01:00.0"), "nvidia", "vfio-pci", "nvidia", "drm"};
	j.fn[1] = (struct journal_fn){A("0000:01:00.1"), "", "vfio-pci", "", "sound"};
	j.n = 2;
	assert_int_equal(journal_save(dfd, &j, &e), 0);

	assert_int_equal(sysroot_open(&sr, root, &e), 0);
	assert_int_equal(journal_load(&sr, &back, &e), 0);
	assert_int_equal(back.state, JOURNAL_PENDING);
	assert_int_equal(back.from, MODE_HOST);
	assert_int_equal(back.to, MODE_VM);
	assert_int_equal(back.uid, 1000);
	assert_true(back.has_bridge);
	assert_int_equal(back.n, 2);
	assert_string_equal(back.fn[0].before, "nvidia");
	assert_string_equal(back.fn[1].before, "");
	assert_string_equal(back.fn[0].had, "drm");
	assert_string_equal(back.fn[1].had, "sound");
	assert_non_null(journal_find(&back, &j.fn[1].addr));

	/* world-readable, no temporary left behind */
	struct stat st;
	char p[160];
	snprintf(p, sizeof(p), "%s/" JOURNAL_FILE, dir);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	snprintf(p, sizeof(p), "%s/" JOURNAL_FILE ".new", dir);
	assert_int_equal(access(p, F_OK), -1);

	close(dfd);
	sysroot_close(&sr);
	snprintf(p, sizeof(p), "rm -rf '%s'", root);
	assert_int_equal(system(p), 0);
}

static void damaged(void **state)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
	    {"version=3\n", "version 3"},
	    {"version=2\nstate=pending\nversion=1\n", "j:3: version= must come first, and once"},
	    {"state=done\nversion=1\n", "j:2: version= must come first"},
	    {"version=1\nstep=variant - -\n", "j:2: unknown key"},
	    {"version=2\nstate=done\nfrom=host\nto=vm\nfn=0000:01:00.0 before= after= host=\nstep=unbind "
	     "0000:01:00.0\n",
	     "j:6: step= needs a name, a device and a value"},
	    {"version=2\nstep=../x - -\n", "j:2: step= \"../x - -\" is not a step"},
	    {"version=2\nstep=unbind 01:00.0 -\n", "is not a step"},
	    {"version=2\nstep=variant - a/b\n", "is not a step"},
	    {"version=2\nreached=x\n", "j:2: reached= needs a step number"},
	    {"version=2\nstate=done\nfrom=host\nto=vm\nfn=0000:01:00.0 before= after= host=\nstep=unbind "
	     "0000:01:00.0 -\n",
	     "reached= is missing"},
	    {"version=2\nstate=done\nfrom=host\nto=vm\nfn=0000:01:00.0 before= after= host=\nstep=unbind "
	     "0000:01:00.0 -\n"
	     "reached=1\n",
	     "names no step"},
	    {"version=1\nstate=maybe\n", "j:2: state must be"},
	    {"version=1\nstate=done\nfrom=host\nto=vm\n", "incomplete"},
	    {"version=1\nstate=done\nfrom=host\nto=vm\nfn=0000:01:00.0 before=x after=y\n", "j:5: fn= needs"},
	    {"version=1\nfn=01:00.0 before= after= host=\n", "j:2: fn= needs a PCI address"},
	    {"version=1\nfn=0000:01:00.0 before=a/b after= host=\n", "not a driver name"},
	    {"version=1\nmode=vm\n", "j:2: unknown key"},
	    {"version=1\nfn=0000:01:00.0 before= after= host= had=x\n", "had= lists sound and drm only"},
	    {"garbage\n", "j:1: expected key=value"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct journal j;
		struct ss_error e;
		if (journal_parse(cases[i].text, "j", &j, &e) != -EINVAL ||
		    !fixture_contains(e.msg, cases[i].want))
			fail_msg("case %zu", i);
	}
}

/* The rows of a switch and how far it got survive the file; empty fields
 * come back empty. */
static void steps_round_trip(void **state)
{
	char root[] = "/tmp/ss-journal-XXXXXX", dir[160], p[200];
	struct journal j = {0}, back;
	struct sysroot sr;
	struct ss_error e;

	(void)state;
	assert_non_null(mkdtemp(root));
	snprintf(dir, sizeof(dir), "%s/var/lib/session-switch", root);
	snprintf(p, sizeof(p), "mkdir -p '%s'", dir);
	assert_int_equal(system(p), 0);
	int dfd = open(dir, O_RDONLY | O_DIRECTORY);
	assert_true(dfd >= 0);
	j.state = JOURNAL_PENDING;
	j.to = MODE_VM;
	j.fn[0] = (struct journal_fn){A("0000:01:00.0"), "nvidia", "vfio-pci", "nvidia", "drm"};
	j.n = 1;
	j.step[0] = (struct journal_step){"display_stop", "0000:01:00.0", ""};
	j.step[1] = (struct journal_step){"driver_override", "0000:01:00.0", "vfio-pci"};
	j.step[2] = (struct journal_step){"variant", "", "alice"};
	j.nsteps = 3;
	j.reached = 1;
	assert_int_equal(journal_save(dfd, &j, &e), 0);
	assert_int_equal(sysroot_open(&sr, root, &e), 0);
	assert_int_equal(journal_load(&sr, &back, &e), 0);
	assert_int_equal(back.version, 2);
	assert_int_equal(back.nsteps, 3);
	assert_int_equal(back.reached, 1);
	assert_string_equal(back.step[0].name, "display_stop");
	assert_string_equal(back.step[0].value, "");
	assert_string_equal(back.step[1].device, "0000:01:00.0");
	assert_string_equal(back.step[1].value, "vfio-pci");
	assert_string_equal(back.step[2].device, "");
	assert_string_equal(back.step[2].value, "alice");
	close(dfd);
	sysroot_close(&sr);
	snprintf(p, sizeof(p), "rm -rf '%s'", root);
	assert_int_equal(system(p), 0);
}

/* A write that never returned is named by its step and its boot; until
 * the kernel's boot id changes, the journal says it is still stuck. */
static void a_stuck_step_is_kept_with_its_boot(void **state)
{
	static const char head[] =
	    "version=2\nstate=pending\nfrom=host\nto=vm\n"
	    "fn=0000:01:00.0 before=nvidia after=vfio-pci host=nvidia\n"
	    "step=service_stop - nvidia-persistenced\nstep=unbind 0000:01:00.0 0000:01:00.0\n"
	    "reached=1\n";
	char text[1024];
	struct journal j;
	struct sysroot sr;
	struct ss_error e;

	(void)state;
	snprintf(text, sizeof(text), "%sstuck=2 6a1c0f3e-1111-2222-3333-444455556666\n", head);
	assert_int_equal(journal_parse(text, "j", &j, &e), 0);
	assert_int_equal(j.stuck, 2);
	assert_string_equal(j.stuck_boot, "6a1c0f3e-1111-2222-3333-444455556666");
	assert_string_equal(j.step[0].value, "nvidia-persistenced");
	sysroot_open(&sr, scratch_new("journal"), &e);
	/* no boot id to compare with: assume the worst */
	assert_true(journal_stuck_now(&sr, &j));
	scratch_mkdir_p("proc/sys/kernel/random");
	scratch_put("proc/sys/kernel/random/boot_id", "6a1c0f3e-1111-2222-3333-444455556666\n");
	assert_true(journal_stuck_now(&sr, &j));
	scratch_put("proc/sys/kernel/random/boot_id", "0b7e2d41-aaaa-bbbb-cccc-ddddeeeeffff\n");
	assert_false(journal_stuck_now(&sr, &j)); /* rebooted since */
	sysroot_close(&sr);
	scratch_free();
	snprintf(text, sizeof(text), "%sstuck=3 6a1c\n", head);
	assert_int_equal(journal_parse(text, "j", &j, &e), -EINVAL);
	assert_contains(e.msg, "stuck= names no step");
	snprintf(text, sizeof(text), "%sstuck=1 /etc/passwd\n", head);
	assert_int_equal(journal_parse(text, "j", &j, &e), -EINVAL);
	assert_contains(e.msg, "stuck= needs a step number and a boot id");
	assert_int_equal(journal_parse(head, "j", &j, &e), 0);
	assert_int_equal(j.stuck, 0);
	assert_false(journal_stuck_now(&sr, &j));
}

/* A journal of the first helper (no steps) is read as version 1. */
static void version1_read(void **state)
{
	struct journal j;
	struct ss_error e;

	(void)state;
	assert_int_equal(journal_parse("version=1\nstate=pending\nfrom=host\nto=vm\n"
				       "fn=0000:01:00.0 before=nvidia after=vfio-pci host=nvidia\n",
				       "j", &j, &e),
			 0);
	assert_int_equal(j.version, 1);
	assert_int_equal(j.nsteps, 0);
	assert_int_equal(j.reached, -1);
}

static void none_yet(void **state)
{
	struct journal j;
	struct ss_error e;
	struct machine m;
	fixture_machine(&m, "seed", NULL, MACHINE_OK, &e);
	assert_int_equal(journal_load(&m.root, &j, &e), -ENOENT);
	assert_int_equal(m.journal_err, -ENOENT);
	machine_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(round_trip),	cmocka_unit_test(a_stuck_step_is_kept_with_its_boot),
	    cmocka_unit_test(damaged),		cmocka_unit_test(none_yet),
	    cmocka_unit_test(steps_round_trip), cmocka_unit_test(version1_read),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
