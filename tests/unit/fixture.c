#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fixture.h"

const char *fixture_path(const char *name)
{
	static char buf[4096];
	const char *base = getenv("SS_TESTDATA");
	if (!base) {
		fprintf(stderr, "SS_TESTDATA is not set (run through make check)\n");
		exit(99);
	}
	snprintf(buf, sizeof(buf), "%s/%s", base, name);
	return buf;
}

void fixture_machine(struct machine *m, const char *name, const char *config_text, enum machine_fail expect,
		     struct ss_error *e)
{
	char cfg[] = "/tmp/ss-test-conf-XXXXXX";
	const char *cpath = NULL;
	char root[4096];

	snprintf(root, sizeof(root), "%s", fixture_path(name));
	if (config_text) {
		int fd = mkstemp(cfg);
		assert_true(fd >= 0);
		assert_int_equal(write(fd, config_text, strlen(config_text)), (ssize_t)strlen(config_text));
		close(fd);
		cpath = cfg;
	}
	e->msg[0] = '\0';
	enum machine_fail r = machine_load(m, root, cpath, e);
	if (cpath)
		unlink(cpath);
	if (r != expect)
		fprintf(stderr, "machine_load(%s) = %d, expected %d: %s\n", name, r, expect, e->msg);
	assert_int_equal(r, expect);
}

int fixture_contains(const char *hay, const char *needle)
{
	if (hay && strstr(hay, needle))
		return 1;
	fprintf(stderr, "expected to find \"%s\" in:\n  \"%s\"\n", needle, hay ? hay : "(null)");
	return 0;
}

static char scratch[64];

const char *scratch_new(const char *tag)
{
	snprintf(scratch, sizeof(scratch), "/tmp/ss-%s-XXXXXX", tag);
	assert_non_null(mkdtemp(scratch));
	return scratch;
}

void scratch_free(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", scratch);
	assert_int_equal(system(cmd), 0);
}

static void scratch_path(char *out, size_t len, const char *rel)
{
	snprintf(out, len, "%s/%s", scratch, rel);
}

void scratch_mkdir(const char *rel)
{
	char p[512];
	scratch_path(p, sizeof(p), rel);
	assert_int_equal(mkdir(p, 0755), 0);
}

void scratch_mkdir_p(const char *rel)
{
	char p[512];
	scratch_path(p, sizeof(p), rel);
	for (char *s = p + strlen(scratch) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		assert_true(mkdir(p, 0755) == 0 || errno == EEXIST);
		*s = '/';
	}
	assert_true(mkdir(p, 0755) == 0 || errno == EEXIST);
}

void scratch_put(const char *rel, const char *text)
{
	char p[512];
	scratch_path(p, sizeof(p), rel);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

void scratch_link(const char *target, const char *rel)
{
	char p[512];
	scratch_path(p, sizeof(p), rel);
	unlink(p);
	assert_int_equal(symlink(target, p), 0);
}

void scratch_expect(const char *rel, const char *want)
{
	char p[512], buf[256] = "";
	scratch_path(p, sizeof(p), rel);
	FILE *f = fopen(p, "r");
	assert_non_null(f);
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	assert_string_equal(buf, want);
}

void scratch_chmod(const char *rel, unsigned mode)
{
	char p[512];
	scratch_path(p, sizeof(p), rel);
	assert_int_equal(chmod(p, (mode_t)mode), 0);
}

/* The files tests/data/vm/seed.conf names, as the seed's machine has
 * them, owned by whoever runs the test (its user = alice is that uid
 * here) and writable by the owner alone. */
void scratch_vm_tree(void)
{
	static const char *const files[] = {
	    "usr/bin/qemu-system-x86_64",
	    "usr/share/edk2-ovmf/OVMF_CODE.fd",
	    "usr/share/edk2-ovmf/OVMF_VARS.fd",
	    "tank/vm/win10.iso",
	    "tank/vm/photog.qcow2",
	    "dev/input/event3",
	    "dev/input/event4",
	    "dev/input/event5",
	};
	static const char *const links[][2] = {
	    {"../event3", "dev/input/by-id/usb-04d9_USB-HID_Keyboard-event-kbd"},
	    {"../event4", "dev/input/by-id/usb-Logitech_G102_Prodigy_Gaming_Mouse_017F36743435-event-mouse"},
	    {"../event5",
	     "dev/input/by-id/usb-Logitech_G102_Prodigy_Gaming_Mouse_017F36743435-if01-event-kbd"},
	};
	char passwd[128];

	scratch_mkdir_p("usr/bin");
	scratch_mkdir_p("usr/share/edk2-ovmf");
	scratch_mkdir_p("tank/vm");
	scratch_mkdir_p("dev/input/by-id");
	scratch_mkdir_p("etc/session-switch");
	/* whatever the umask: play checks each directory above the emulator */
	scratch_chmod("usr", 0755);
	scratch_chmod("usr/bin", 0755);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		scratch_put(files[i], "x\n");
		scratch_chmod(files[i], 0644);
	}
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++)
		scratch_link(links[i][0], links[i][1]);
	snprintf(passwd, sizeof(passwd), "root:x:0:0::/root:/bin/sh\nalice:x:%u:%u::/home/alice:/bin/sh\n",
		 (unsigned)getuid(), (unsigned)getgid());
	scratch_put("etc/passwd", passwd);
}

char *fixture_slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, 65536);
	assert_non_null(f);
	assert_non_null(buf);
	assert_true(fread(buf, 1, 65535, f) > 0);
	fclose(f);
	return buf;
}

char *fixture_vm_seed(void)
{
	return fixture_slurp(fixture_path("vm/seed.conf"));
}
