/* The seat login record, the [login] keys and the one-shot auto-login
 * variant: what the PAM module writes is what the helper reads; anything
 * planted, stale or malformed is refused with a message. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fixture.h"
#include "seat.h"
#include "lightdmconf.h"
#include "slimconf.h"
#include "variant.h"
#include "xorgconf.h"

static struct seat_login sample(void)
{
	struct seat_login s = {.uid = 1101,
			       .time = 1764050000,
			       .pid = 4242,
			       .start = 987654,
			       .mode = MODE_HOST,
			       .xpid = 4240,
			       .xstart = 987600};
	snprintf(s.user, sizeof(s.user), "alice");
	snprintf(s.tty, sizeof(s.tty), ":0.0");
	snprintf(s.service, sizeof(s.service), "slim");
	return s;
}

/* LightDM's PAM_TTY is a VT and its display is in PAM_XDISPLAY; SLiM's
 * PAM_TTY is the display.  Anything else has no display. */
static void vt_and_xdisplay(void **state)
{
	assert_true(seat_is_vt("/dev/tty7"));
	assert_true(seat_is_vt("tty12"));
	assert_false(seat_is_vt("/dev/tty"));
	assert_false(seat_is_vt("/dev/ttyS0"));
	assert_false(seat_is_vt("/dev/tty123"));
	assert_false(seat_is_vt("/dev/pts/3"));
	assert_false(seat_is_vt(NULL));
	assert_string_equal(seat_display(":0.0", ":1"), ":0.0");
	assert_string_equal(seat_display("/dev/tty7", ":0"), ":0");
	assert_null(seat_display("/dev/tty7", NULL));
	assert_null(seat_display("/dev/tty7", "host:0"));
	assert_null(seat_display("/dev/pts/1", ":0"));
	assert_null(seat_display(NULL, ":0"));
}

/* The greeter's user is a system account by login.defs, or by its
 * defaults; root and people are not. */
static void system_accounts(void **state)
{
	const char *tree = scratch_new("logindefs");
	struct sysroot sr;
	struct ss_error e;

	assert_int_equal(sysroot_open(&sr, tree, &e), 0);
	assert_true(seat_system_account(&sr, 112)); /* Debian's lightdm */
	assert_true(seat_system_account(&sr, 65534));
	assert_false(seat_system_account(&sr, 0));
	assert_false(seat_system_account(&sr, 1000));
	scratch_mkdir("etc");
	scratch_put("etc/login.defs", "# comment UID_MIN 5\nUID_MIN\t\t\t  500\nUID_MAX 70000\n");
	assert_false(seat_system_account(&sr, 500));
	assert_true(seat_system_account(&sr, 499));
	assert_false(seat_system_account(&sr, 65534));
	sysroot_close(&sr);
	scratch_free();
}

static void names_and_displays(void **state)
{
	assert_true(seat_valid_user("alice"));
	assert_true(seat_valid_user("a.b-c_d9"));
	assert_true(seat_valid_user("_svc"));
	assert_false(seat_valid_user(""));
	assert_false(seat_valid_user("-rf"));
	assert_false(seat_valid_user(".hidden"));
	assert_false(seat_valid_user("../etc"));
	assert_false(seat_valid_user("al ice"));
	assert_false(seat_valid_user("alice\nuser=root"));
	assert_false(seat_valid_user("alice$"));
	assert_false(seat_valid_user("abcdefghijabcdefghijabcdefghijabc")); /* 33 */
	assert_true(seat_is_display(":0"));
	assert_true(seat_is_display(":0.0"));
	assert_true(seat_is_display(":12.3"));
	assert_false(seat_is_display(NULL));
	assert_false(seat_is_display(""));
	assert_false(seat_is_display(":"));
	assert_false(seat_is_display(":0."));
	assert_false(seat_is_display(":.0"));
	assert_false(seat_is_display("/dev/tty1"));
	assert_false(seat_is_display("tty7"));
	assert_false(seat_is_display("host:0"));
	assert_false(seat_is_display(":0;x"));
	assert_false(seat_is_display(":123456"));
}

static void format_parse_round_trip(void **state)
{
	struct seat_login s = sample(), back;
	struct ss_error e;
	char buf[512];

	assert_true(seat_format(&s, buf, sizeof(buf)) > 0);
	assert_contains(buf, "\nuser=alice\nuid=1101\ntty=:0.0\nservice=slim\ntime=1764050000\npid=4242\n"
			     "start=987654\nmode=host\n");
	assert_int_equal(seat_parse(buf, "seat", &back, &e), 0);
	assert_string_equal(back.user, "alice");
	assert_int_equal(back.uid, 1101);
	assert_string_equal(back.tty, ":0.0");
	assert_int_equal(back.pid, 4242);
	assert_true(back.start == 987654);
	assert_int_equal(back.mode, MODE_HOST);
	assert_int_equal(back.xpid, 4240);
	assert_true(back.xstart == 987600);
}

static void parse_refuses(void **state)
{
	static const struct {
		const char *text, *msg;
	} bad[] = {
	    {"user=alice\n", "seat: incomplete"},
	    {"user=../x\nuid=1\ntty=:0\nservice=s\ntime=1\npid=2\nstart=1\nmode=host\n",
	     "seat:1: \"../x\" is not a user name"},
	    {"user=a\nuid=-1\n", "seat:2: bad uid"},
	    {"user=a\nuid=1\ntty=/dev/tty1\n", "seat:3: \"/dev/tty1\" is not an X display"},
	    {"user=a\nuid=1\ntty=:0\nservice=a b\n", "seat:4: \"a b\" is not a PAM service name"},
	    {"user=a\nuid=1\ntty=:0\nservice=s\ntime=x\n", "seat:5: bad time"},
	    {"user=a\nuid=1\ntty=:0\nservice=s\ntime=1\npid=1\n", "seat:6: bad pid"},
	    {"user=a\nuid=1\ntty=:0\nservice=s\ntime=1\npid=2\nstart=1\nmode=mixed\n",
	     "seat:8: mode must be host or vm"},
	    {"user=a\nuid=1\ntty=:0\nservice=s\ntime=1\npid=2\nstart=1\nmode=host\n", "seat: incomplete"},
	    {"user=a\nuid=1\ntty=:0\nservice=s\ntime=1\npid=2\nstart=1\nmode=host\nxpid=1\n",
	     "seat:9: bad X server pid"},
	    {"user=a\nuser=b\n", "seat:2: user given twice"},
	    {"shell=/bin/sh\n", "seat:1: unknown key \"shell\""},
	    {"user\n", "seat:1: expected key=value"},
	};
	struct seat_login s;
	struct ss_error e;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(seat_parse(bad[i].text, "seat", &s, &e), -EINVAL);
		assert_string_equal(e.msg, bad[i].msg);
	}
}

static void save_load_remove(void **state)
{
	const char *dir = scratch_new("seat");
	struct seat_login s = sample(), back, other;
	struct ss_error e;
	struct stat st;
	char path[4200];
	int fd = open(dir, O_RDONLY | O_DIRECTORY);

	assert_true(fd >= 0);
	assert_int_equal(seat_load(fd, &back, &e), -ENOENT);
	assert_int_equal(seat_save(fd, &s, &e), 0);
	snprintf(path, sizeof(path), "%s/" SEAT_FILE, dir);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(seat_load(fd, &back, &e), 0);
	assert_string_equal(back.user, "alice");
	/* another login's record is not removed by this one */
	other = s;
	other.pid = 4243;
	assert_int_equal(seat_remove(fd, &other), 0);
	assert_int_equal(seat_remove(fd, &s), 1);
	assert_int_equal(seat_load(fd, &back, &e), -ENOENT);
	/* a record others could have written is not believed */
	assert_int_equal(seat_save(fd, &s, &e), 0);
	assert_int_equal(chmod(path, 0620), 0);
	assert_int_equal(seat_load(fd, &back, &e), -EPERM);
	assert_contains(e.msg, "not a file that only root can write");
	/* nor a link to one */
	unlink(path);
	scratch_put("elsewhere", "user=alice\n");
	scratch_link("elsewhere", SEAT_FILE);
	assert_true(seat_load(fd, &back, &e) < 0);
	close(fd);
	scratch_free();
}

static void alive_only_while_the_same_process(void **state)
{
	struct seat_login s = sample();
	struct sysroot sr;
	struct ss_error e;

	assert_int_equal(sysroot_open(&sr, NULL, &e), 0);
	s.pid = getpid();
	assert_int_equal(proc_start_time(&sr, s.pid, &s.start), 0);
	/* the login's X server stands in as our parent */
	s.xpid = getppid();
	assert_int_equal(proc_start_time(&sr, s.xpid, &s.xstart), 0);
	assert_true(seat_alive(&sr, &s));
	s.xstart++; /* the login's X server ended (a logout), another runs with its pid */
	assert_false(seat_alive(&sr, &s));
	s.xstart--;
	s.xpid = 4194303; /* no X server any more */
	assert_false(seat_alive(&sr, &s));
	s.xpid = getppid();
	assert_true(seat_alive(&sr, &s));
	s.start++; /* a new process with the same pid */
	assert_false(seat_alive(&sr, &s));
	s.start--;
	s.pid = 4194303; /* no such process */
	assert_false(seat_alive(&sr, &s));
	sysroot_close(&sr);
}

static void autologin_only_once_in_the_window(void **state)
{
	struct seat_login s = sample(); /* logged in at 1764050000, host mode */
	assert_true(seat_may_autologin(&s, true, 120, s.time + 3));
	assert_true(seat_may_autologin(&s, true, 120, s.time + 120));
	assert_false(seat_may_autologin(&s, true, 120, s.time + 121));
	assert_false(seat_may_autologin(&s, true, 120, s.time - 5)); /* from the future */
	assert_false(seat_may_autologin(&s, false, 120, s.time + 3));
	s.mode = MODE_VM; /* a login on the iGPU asking again */
	assert_false(seat_may_autologin(&s, true, 120, s.time + 3));
}

static void login_keys(void **state)
{
	struct ss_config c;
	struct ss_error e;

	assert_int_equal(config_parse("/etc/session-switch.conf", "", &c, &e), 0);
	assert_true(c.login_auto);
	assert_int_equal(c.login_window, 120);
	assert_int_equal(
	    config_parse("/etc/session-switch.conf", "[login]\nauto = no\nwindow = 30\n", &c, &e), 0);
	assert_false(c.login_auto);
	assert_int_equal(c.login_window, 30);
	assert_int_equal(config_parse("/etc/session-switch.conf", "[login]\nauto = maybe\n", &c, &e),
			 -EINVAL);
	assert_string_equal(e.msg,
			    "/etc/session-switch.conf:2: [login] auto: \"maybe\" is neither yes nor no");
	assert_int_equal(config_parse("/etc/session-switch.conf", "[login]\nwindow = 0\n", &c, &e), -EINVAL);
	assert_string_equal(e.msg, "/etc/session-switch.conf:2: [login] window: \"0\" is not a number of "
				   "seconds from 1 to 600");
	assert_int_equal(config_parse("/etc/session-switch.conf", "[login]\nautologin = yes\n", &c, &e),
			 -EINVAL);
	assert_contains(e.msg, ":2: unknown key 'autologin' in [login]");
}

static void autologin_variant(void **state)
{
	struct ss_error e;
	char *out = NULL;
	const char *variant = "# " SS_MARKER ": the slim.conf of vm mode\n"
			      "login_cmd           exec /bin/bash -login /etc/X11/Xsession %session\n"
			      "default_user        bob\n"
			      "  auto_login   no\n"
			      "default_username_x  kept\n";
	assert_int_equal(slimconf_autologin(variant, "alice", &out, &e), 0);
	assert_contains(out, "one-shot auto-login of alice");
	/* the session starts only once the guard has found the display
	 * manager's own X server on the display (rule 22) */
	assert_contains(out, "login_cmd           " XGUARD_PATH
			     " && exec /bin/bash -login /etc/X11/Xsession %session\n");
	assert_contains(out, "default_username_x  kept\n");
	assert_contains(out, "default_user        alice\nauto_login          yes\n");
	assert_null(strstr(out, "bob"));
	assert_null(strstr(out, "auto_login   no"));
	assert_null(strstr(out, "the slim.conf of vm mode")); /* one marker, not two */
	free(out);
	/* without a login_cmd of its own, SLiM's default, guarded */
	assert_int_equal(slimconf_autologin("default_user bob\n", "alice", &out, &e), 0);
	assert_contains(out, "login_cmd           " XGUARD_PATH " && exec /bin/sh - ~/.xinitrc %session\n");
	free(out);
	assert_int_equal(slimconf_autologin(variant, "alice\nauto_login yes", &out, &e), -EINVAL);
	assert_int_equal(slimconf_autologin(variant, "-x", &out, &e), -EINVAL);
}

static void select_login_then_plain(void **state)
{
	const char *tree = scratch_new("login");
	scratch_mkdir("etc");
	struct sysroot sr;
	struct ss_error e;
	char link[64];

	scratch_put("etc/slim.conf.host",
		    "# " SS_MARKER ": host\nxserver_arguments -config xorg.conf.nvidia\n");
	scratch_put("etc/slim.conf.vm", "# " SS_MARKER ": vm\nxserver_arguments -config xorg.conf.intel\n");
	scratch_link("slim.conf.host", "etc/slim.conf");
	assert_int_equal(sysroot_open(&sr, tree, &e), 0);
	assert_int_equal(variant_select_login(&sr, MODE_VM, "alice", &e), 0);
	assert_true(sysroot_readlink(&sr, "/etc/slim.conf", link, sizeof(link)) > 0);
	assert_string_equal(link, "slim.conf.vm.login");
	assert_int_equal(variant_current(&sr), MODE_VM);
	char *text = NULL;
	assert_true(sysroot_slurp(&sr, "/etc/slim.conf", 65536, &text) > 0);
	assert_contains(text, "xserver_arguments -config xorg.conf.intel\n");
	assert_contains(text, "default_user        alice\nauto_login          yes\n");
	free(text);
	/* the plain variant again: the login copy is gone */
	assert_int_equal(variant_select(&sr, MODE_VM, &e), 0);
	assert_true(sysroot_readlink(&sr, "/etc/slim.conf", link, sizeof(link)) > 0);
	assert_string_equal(link, "slim.conf.vm");
	assert_false(sysroot_exists(&sr, "/etc/slim.conf.vm.login"));
	/* and a rollback from the login copy goes straight to host */
	assert_int_equal(variant_select_login(&sr, MODE_VM, "alice", &e), 0);
	assert_int_equal(variant_select(&sr, MODE_HOST, &e), 0);
	assert_true(sysroot_readlink(&sr, "/etc/slim.conf", link, sizeof(link)) > 0);
	assert_string_equal(link, "slim.conf.host");
	assert_false(sysroot_exists(&sr, "/etc/slim.conf.vm.login"));
	sysroot_close(&sr);
	scratch_free();
}

/* LightDM's variants through the same selection: the one-shot copy arms
 * its auto-login with the wrapper behind the guard, and the plain variant
 * (or a rollback) withdraws it and removes the copy. */
static void lightdm_login_then_plain(void **state)
{
	const char *tree = scratch_new("lightdm");
	struct lightdm_user u;
	struct sysroot sr;
	struct ss_error e;
	char link[64], *text = NULL;

	memset(&u, 0, sizeof(u));
	snprintf(u.xserver, sizeof(u.xserver), "X");
	snprintf(u.wrapper, sizeof(u.wrapper), "/usr/sbin/lightdm-session");
	snprintf(u.session, sizeof(u.session), "default");
	scratch_mkdir_p("etc/lightdm/lightdm.conf.d");
	assert_int_equal(lightdmconf_variant(&u, "host", "xorg.conf.nvidia", &text, &e), 0);
	scratch_put("etc/lightdm/lightdm.conf.d/50-session-switch.conf.host", text);
	free(text);
	assert_int_equal(lightdmconf_variant(&u, "vm", "xorg.conf.intel", &text, &e), 0);
	assert_contains(text, "[Seat:*]\nxserver-command=X -config xorg.conf.intel\n");
	assert_null(strstr(text, "autologin-user"));
	scratch_put("etc/lightdm/lightdm.conf.d/50-session-switch.conf.vm", text);
	free(text);
	scratch_link("50-session-switch.conf.host", "etc/lightdm/lightdm.conf.d/50-session-switch.conf");
	assert_int_equal(sysroot_open(&sr, tree, &e), 0);
	assert_int_equal(variant_current(&sr), MODE_HOST);
	assert_int_equal(variant_select_login(&sr, MODE_VM, "alice", &e), 0);
	assert_true(sysroot_readlink(&sr, LIGHTDM_DROPIN, link, sizeof(link)) > 0);
	assert_string_equal(link, "50-session-switch.conf.vm.login");
	assert_int_equal(variant_current(&sr), MODE_VM);
	text = NULL;
	assert_true(sysroot_slurp(&sr, LIGHTDM_DROPIN, 65536, &text) > 0);
	assert_contains(text, "xserver-command=X -config xorg.conf.intel\n");
	assert_contains(text,
			"session-wrapper=/usr/sbin/lightdm-session\nsession-setup-script=" XGUARD_PATH "\n");
	assert_contains(text, "autologin-session=default\n");
	assert_contains(text, "autologin-user=alice\nautologin-user-timeout=0\n");
	free(text);
	/* withdrawn: the plain variant, the copy gone */
	assert_int_equal(variant_select(&sr, MODE_VM, &e), 0);
	assert_true(sysroot_readlink(&sr, LIGHTDM_DROPIN, link, sizeof(link)) > 0);
	assert_string_equal(link, "50-session-switch.conf.vm");
	assert_false(sysroot_exists(&sr, LIGHTDM_DROPIN ".vm.login"));
	/* a rollback from the armed copy goes straight to host */
	assert_int_equal(variant_select_login(&sr, MODE_VM, "alice", &e), 0);
	assert_int_equal(variant_select(&sr, MODE_HOST, &e), 0);
	assert_true(sysroot_readlink(&sr, LIGHTDM_DROPIN, link, sizeof(link)) > 0);
	assert_string_equal(link, "50-session-switch.conf.host");
	assert_false(sysroot_exists(&sr, LIGHTDM_DROPIN ".vm.login"));
	sysroot_close(&sr);
	scratch_free();
}

static void lightdm_autologin_refuses(void **state)
{
	struct ss_error e;
	char *out = NULL;
	const char *variant =
	    "# " SS_MARKER ": vm\n[Seat:*]\nsession-wrapper=lightdm-session\nautologin-user=bob\n";

	/* a user name is one plain word; an auto-login line of the variant is replaced */
	assert_int_equal(lightdmconf_autologin(variant, "alice\nautologin-user=root", &out, &e), -EINVAL);
	assert_int_equal(lightdmconf_autologin(variant, "alice", &out, &e), 0);
	assert_null(strstr(out, "bob"));
	assert_null(strstr(out, ": vm\n")); /* one marker, not two */
	/* LightDM runs the wrapper as one program: it stays the user's, and
	 * the guard is the setup script, whose failure means no session */
	assert_non_null(strstr(out, "\nsession-wrapper=lightdm-session\n"));
	assert_non_null(strstr(out, "\nsession-setup-script=" XGUARD_PATH "\n"));
	assert_null(strstr(out, "/bin/sh"));
	free(out);
	/* no wrapper to guard: no auto-login at all */
	out = NULL;
	assert_int_equal(lightdmconf_autologin("[Seat:*]\nxserver-command=X\n", "alice", &out, &e), -EINVAL);
	assert_null(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(names_and_displays),
	    cmocka_unit_test(vt_and_xdisplay),
	    cmocka_unit_test(system_accounts),
	    cmocka_unit_test(format_parse_round_trip),
	    cmocka_unit_test(parse_refuses),
	    cmocka_unit_test(save_load_remove),
	    cmocka_unit_test(alive_only_while_the_same_process),
	    cmocka_unit_test(autologin_only_once_in_the_window),
	    cmocka_unit_test(login_keys),
	    cmocka_unit_test(autologin_variant),
	    cmocka_unit_test(select_login_then_plain),
	    cmocka_unit_test(lightdm_login_then_plain),
	    cmocka_unit_test(lightdm_autologin_refuses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
