/* The one atomic replacement: a failure injected at each system call in
 * turn leaves the old file or the new one, never a temporary and never a
 * partial file; short writes and EINTR are survived; links at the target's
 * or the temporary's name are replaced or avoided, never followed.
 *
 * The system calls of src/lib/atomicfile.c reach the __wrap_ functions
 * below through the linker's --wrap (tests/unit/unit.am): the library
 * itself calls libc directly, and this program alone is linked otherwise.
 * Outside a test's armed window every wrapper passes straight through. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomicfile.h"
#include "fixture.h"

#define MAX_TRACE 64
#define MAX_PLANTS 64

static struct {
	bool armed;  /* count (and maybe fail) the calls */
	int fail_at; /* index of the call to fail; -1: none */
	int err;     /* its errno */
	int n;	     /* calls seen while armed */
	const char *trace[MAX_TRACE];
	size_t short_write; /* write at most this many bytes at a time (0: all) */
	bool eintr;	    /* every other write is interrupted before writing */
	bool write_zero;    /* write makes no progress */
	int plants;	    /* plant an entry at this many temporary names first */
	char planted[MAX_PLANTS][256];
	int nplanted;
} inj;

static void arm(int fail_at, int err)
{
	memset(&inj, 0, sizeof(inj));
	inj.fail_at = fail_at;
	inj.err = err;
	inj.armed = true;
}

/* Record the call; true when it is the one to fail (errno is then set). */
static bool intercept(const char *call)
{
	if (!inj.armed)
		return false;
	if (inj.n < MAX_TRACE)
		inj.trace[inj.n] = call;
	if (inj.n++ == inj.fail_at) {
		errno = inj.err;
		return true;
	}
	return false;
}

int __real_openat(int dfd, const char *path, int flags, ...);
int __real_fchown(int fd, uid_t uid, gid_t gid);
int __real_fchmod(int fd, mode_t mode);
ssize_t __real_write(int fd, const void *buf, size_t len);
int __real_fsync(int fd);
int __real_renameat(int olddfd, const char *oldpath, int newdfd, const char *newpath);
int __real_symlinkat(const char *target, int dfd, const char *path);
int __wrap_openat(int dfd, const char *path, int flags, ...);
int __wrap_fchown(int fd, uid_t uid, gid_t gid);
int __wrap_fchmod(int fd, mode_t mode);
ssize_t __wrap_write(int fd, const void *buf, size_t len);
int __wrap_fsync(int fd);
int __wrap_renameat(int olddfd, const char *oldpath, int newdfd, const char *newpath);
int __wrap_symlinkat(const char *target, int dfd, const char *path);

/* Someone makes the temporary's name exist just before it is created. */
static void plant(int dfd, const char *path, bool as_file)
{
	if (!inj.armed || inj.plants == 0 || inj.nplanted == MAX_PLANTS)
		return;
	inj.plants--;
	snprintf(inj.planted[inj.nplanted++], sizeof(inj.planted[0]), "%s", path);
	if (as_file) {
		int fd = __real_openat(dfd, path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		assert_true(fd >= 0);
		close(fd);
	} else {
		assert_int_equal(__real_symlinkat("victim", dfd, path), 0);
	}
}

int __wrap_openat(int dfd, const char *path, int flags, ...)
{
	mode_t mode = 0;

	if (flags & O_CREAT) {
		va_list ap;
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
		plant(dfd, path, false);
	}
	if (intercept("openat"))
		return -1;
	return __real_openat(dfd, path, flags, mode);
}

int __wrap_fchown(int fd, uid_t uid, gid_t gid)
{
	return intercept("fchown") ? -1 : __real_fchown(fd, uid, gid);
}

int __wrap_fchmod(int fd, mode_t mode)
{
	return intercept("fchmod") ? -1 : __real_fchmod(fd, mode);
}

ssize_t __wrap_write(int fd, const void *buf, size_t len)
{
	static bool interrupted;

	if (intercept("write"))
		return -1;
	if (inj.armed && inj.write_zero)
		return 0;
	if (inj.armed && inj.eintr && (interrupted = !interrupted)) {
		errno = EINTR;
		return -1;
	}
	if (inj.armed && inj.short_write && len > inj.short_write)
		len = inj.short_write;
	return __real_write(fd, buf, len);
}

int __wrap_fsync(int fd)
{
	struct stat st;
	bool dir = fstat(fd, &st) == 0 && S_ISDIR(st.st_mode);

	return intercept(dir ? "fsync(dir)" : "fsync") ? -1 : __real_fsync(fd);
}

int __wrap_renameat(int olddfd, const char *oldpath, int newdfd, const char *newpath)
{
	return intercept("renameat") ? -1 : __real_renameat(olddfd, oldpath, newdfd, newpath);
}

int __wrap_symlinkat(const char *target, int dfd, const char *path)
{
	plant(dfd, path, true);
	return intercept("symlinkat") ? -1 : __real_symlinkat(target, dfd, path);
}

/* What each call is made to fail with, and what the message then says. */
static const struct {
	const char *call;
	int err;
	const char *says;
} failures[] = {
    {"openat", EACCES, "openat of its temporary"},
    {"fchown", EPERM, "fchown"},
    {"fchmod", EROFS, "fchmod"},
    {"write", ENOSPC, "write"},
    {"fsync", EIO, "fsync"},
    {"renameat", EBUSY, "renameat"},
    {"fsync(dir)", EDQUOT, "fsync of the directory"},
    {"symlinkat", ENOSPC, "symlinkat of its temporary"},
};

static int failure_of(const char *call)
{
	for (size_t i = 0; i < sizeof(failures) / sizeof(failures[0]); i++)
		if (strcmp(failures[i].call, call) == 0)
			return (int)i;
	fail_msg("no failure for call %s", call);
	return -1;
}

/* The names in dir, sorted, joined by spaces. */
static void listing(const char *dir, char *out, size_t len)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);
	size_t used = 0;

	assert_true(n >= 0);
	out[0] = '\0';
	for (int i = 0; i < n; i++) {
		if (strcmp(names[i]->d_name, ".") != 0 && strcmp(names[i]->d_name, "..") != 0)
			used += (size_t)snprintf(out + used, len - used, "%s%s", used ? " " : "",
						 names[i]->d_name);
		free(names[i]);
	}
	free(names);
	assert_true(used < len);
}

/* The regular file dir/name, whole; NULL when there is none. */
static char *content(const char *dir, const char *name)
{
	char p[512];
	struct stat st;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	if (lstat(p, &st) < 0) {
		assert_int_equal(errno, ENOENT);
		return NULL;
	}
	assert_true(S_ISREG(st.st_mode));
	char *buf = calloc(1, (size_t)st.st_size + 1);
	assert_non_null(buf);
	FILE *f = fopen(p, "r");
	assert_non_null(f);
	assert_int_equal(fread(buf, 1, (size_t)st.st_size, f), (size_t)st.st_size);
	fclose(f);
	return buf;
}

static void expect_content(const char *dir, const char *name, const char *want)
{
	char *got = content(dir, name);
	if (!want) {
		assert_null(got);
		return;
	}
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void expect_link(const char *dir, const char *name, const char *want)
{
	char p[512], got[256];
	ssize_t n;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	n = readlink(p, got, sizeof(got) - 1);
	if (!want) {
		assert_int_equal(n, -1);
		assert_int_equal(errno, ENOENT);
		return;
	}
	assert_true(n > 0);
	got[n] = '\0';
	assert_string_equal(got, want);
}

static int open_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	return fd;
}

static const char old_text[] = "the old file\n";
static const char new_text[] = "the new file, a little longer than the old one\n";

static int replace(int dfd, const char *name, const char *text, struct ss_error *e)
{
	return atomic_replace(dfd, name, text, strlen(text), 0640, getuid(), getgid(), e);
}

/* The order is the protocol: owner and mode before the first byte, the
 * data fsynced before the rename, the directory fsynced after it. */
static void calls_in_order(void **state)
{
	static const char *const want[] = {"openat", "fchown",	 "fchmod",    "write",
					   "fsync",  "renameat", "fsync(dir)"};
	const char *dir = scratch_new("atomic");
	struct ss_error e;
	char names[512];
	int dfd = open_dir(dir);

	arm(-1, 0);
	assert_int_equal(replace(dfd, "target", new_text, &e), 0);
	inj.armed = false;
	assert_int_equal(inj.n, sizeof(want) / sizeof(want[0]));
	for (int i = 0; i < inj.n; i++)
		assert_string_equal(inj.trace[i], want[i]);
	expect_content(dir, "target", new_text);
	listing(dir, names, sizeof(names));
	assert_string_equal(names, "target");

	/* no fchown when both ids are kept */
	arm(-1, 0);
	assert_int_equal(atomic_replace(dfd, "target", old_text, strlen(old_text), 0644, ATOMIC_KEEP_ID,
					ATOMIC_KEEP_ID, &e),
			 0);
	inj.armed = false;
	assert_int_equal(inj.n, sizeof(want) / sizeof(want[0]) - 1);
	for (int i = 0; i < inj.n; i++)
		assert_string_not_equal(inj.trace[i], "fchown");
	expect_content(dir, "target", old_text);
	close(dfd);
	scratch_free();
}

/* Each call in turn fails, with and without an old file: the target is the
 * old file (or absent) up to the rename and the new one after it, and
 * nothing else is ever left in the directory. */
static void failure_at_each_call(void **state)
{
	for (int had_old = 0; had_old < 2; had_old++) {
		int total;
		const char *trace[MAX_TRACE];
		struct ss_error e;

		/* the calls of one replacement, to fail one by one */
		const char *dir = scratch_new("atomic");
		int dfd = open_dir(dir);
		arm(-1, 0);
		assert_int_equal(replace(dfd, "target", new_text, &e), 0);
		inj.armed = false;
		total = inj.n;
		memcpy(trace, inj.trace, sizeof(trace));
		close(dfd);
		scratch_free();

		for (int i = 0; i < total; i++) {
			int f = failure_of(trace[i]);
			bool after_rename = strcmp(trace[i], "fsync(dir)") == 0;
			char names[512];

			dir = scratch_new("atomic");
			if (had_old)
				scratch_put("target", old_text);
			dfd = open_dir(dir);
			memset(&e, 0, sizeof(e));
			arm(i, failures[f].err);
			assert_int_equal(replace(dfd, "target", new_text, &e), -failures[f].err);
			inj.armed = false;
			assert_string_equal(inj.trace[i], trace[i]);
			/* the message names the file and the call */
			assert_true(strncmp(e.msg, "target: ", 8) == 0);
			assert_contains(e.msg, failures[f].says);
			assert_contains(e.msg, strerror(failures[f].err));
			expect_content(dir, "target", after_rename ? new_text : had_old ? old_text : NULL);
			listing(dir, names, sizeof(names));
			assert_string_equal(names, after_rename || had_old ? "target" : "");
			close(dfd);
			scratch_free();
		}
	}
}

static void symlink_failure_at_each_call(void **state)
{
	static const char *const want[] = {"symlinkat", "renameat", "fsync(dir)"};
	struct ss_error e;

	for (int had_old = 0; had_old < 2; had_old++) {
		for (int i = -1; i < 3; i++) {
			const char *dir = scratch_new("atomic");
			char names[512];
			int f = i < 0 ? 0 : failure_of(want[i]);
			bool done = i < 0 || i == 2;

			if (had_old)
				scratch_link("slim.conf.host", "slim.conf");
			int dfd = open_dir(dir);
			memset(&e, 0, sizeof(e));
			arm(i, i < 0 ? 0 : failures[f].err);
			assert_int_equal(atomic_symlink(dfd, "slim.conf.vm", "slim.conf", &e),
					 i < 0 ? 0 : -failures[f].err);
			inj.armed = false;
			assert_int_equal(inj.n, i < 0 ? 3 : i + 1);
			for (int k = 0; k < inj.n; k++)
				assert_string_equal(inj.trace[k], want[k]);
			if (i >= 0) {
				assert_true(strncmp(e.msg, "slim.conf: ", 11) == 0);
				assert_contains(e.msg, failures[f].says);
			}
			const char *now = done ? "slim.conf.vm" : had_old ? "slim.conf.host" : NULL;
			expect_link(dir, "slim.conf", now);
			listing(dir, names, sizeof(names));
			assert_string_equal(names, done || had_old ? "slim.conf" : "");
			close(dfd);
			scratch_free();
		}
	}
}

/* Writes of a few bytes at a time, every other one interrupted before it
 * writes anything: the file is still whole. */
static void short_writes_and_eintr(void **state)
{
	const char *dir = scratch_new("atomic");
	struct ss_error e;
	char names[512], *big = malloc(10001);
	int dfd = open_dir(dir);

	assert_non_null(big);
	for (int i = 0; i < 10000; i++)
		big[i] = (char)('a' + i % 26);
	big[10000] = '\0';
	scratch_put("target", old_text);
	arm(-1, 0);
	inj.short_write = 7;
	inj.eintr = true;
	assert_int_equal(replace(dfd, "target", big, &e), 0);
	inj.armed = false;
	assert_true(inj.n > 2 * 10000 / 7);
	expect_content(dir, "target", big);
	listing(dir, names, sizeof(names));
	assert_string_equal(names, "target");

	/* a file system that takes nothing more fails it, it does not spin */
	arm(-1, 0);
	inj.write_zero = true;
	assert_int_equal(replace(dfd, "target", new_text, &e), -EIO);
	inj.armed = false;
	assert_contains(e.msg, "target: write: ");
	expect_content(dir, "target", big);
	listing(dir, names, sizeof(names));
	assert_string_equal(names, "target");
	free(big);
	close(dfd);
	scratch_free();
}

/* A link at the target's name is replaced by the file: neither the file it
 * points at nor the one it would create is written. */
static void link_at_target_is_replaced(void **state)
{
	const char *dir = scratch_new("atomic");
	struct ss_error e;
	char names[512];
	int dfd = open_dir(dir);

	scratch_put("victim", "precious\n");
	scratch_link("victim", "target");
	scratch_link("made-if-followed", "dangling");
	assert_int_equal(replace(dfd, "target", new_text, &e), 0);
	assert_int_equal(replace(dfd, "dangling", new_text, &e), 0);
	expect_content(dir, "target", new_text);
	expect_content(dir, "dangling", new_text);
	expect_content(dir, "victim", "precious\n");
	listing(dir, names, sizeof(names));
	assert_string_equal(names, "dangling target victim");

	/* the same for a link replaced by a link */
	scratch_link("victim", "link");
	assert_int_equal(atomic_symlink(dfd, "elsewhere", "link", &e), 0);
	expect_link(dir, "link", "elsewhere");
	expect_content(dir, "victim", "precious\n");
	close(dfd);
	scratch_free();
}

/* Every entry of dir is target, victim or one of what was planted. */
static void only_planted_besides_files(const char *dir, int nplanted)
{
	char names[8192];
	int n = 0;

	listing(dir, names, sizeof(names));
	for (char *save = NULL, *tok = strtok_r(names, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save), n++) {
		bool known =
		    strcmp(tok, "target") == 0 || strcmp(tok, "victim") == 0 || strcmp(tok, "link") == 0;
		for (int i = 0; !known && i < inj.nplanted; i++)
			known = strcmp(inj.planted[i], tok) == 0;
		if (!known)
			fail_msg("%s was left in the directory", tok);
	}
	assert_int_equal(n, 2 + nplanted);
}

/* Whatever is found at a temporary's name is left alone (not followed, not
 * removed) and another name is used; when every name is taken, it fails
 * and the old file stays. */
static void entry_at_temporary_is_avoided(void **state)
{
	const char *dir = scratch_new("atomic");
	struct ss_error e;
	int dfd = open_dir(dir);

	scratch_put("victim", "precious\n");
	scratch_put("target", old_text);
	arm(-1, 0);
	inj.plants = 2;
	assert_int_equal(replace(dfd, "target", new_text, &e), 0);
	inj.armed = false;
	assert_int_equal(inj.nplanted, 2);
	assert_string_not_equal(inj.planted[0], inj.planted[1]);
	expect_content(dir, "target", new_text);
	expect_content(dir, "victim", "precious\n");
	for (int i = 0; i < 2; i++) {
		assert_true(strncmp(inj.planted[i], ".target.", 8) == 0);
		expect_link(dir, inj.planted[i], "victim");
	}
	only_planted_besides_files(dir, 2);
	close(dfd);
	scratch_free();

	/* every name taken */
	dir = scratch_new("atomic");
	dfd = open_dir(dir);
	scratch_put("victim", "precious\n");
	scratch_put("target", old_text);
	arm(-1, 0);
	inj.plants = MAX_PLANTS;
	assert_int_equal(replace(dfd, "target", new_text, &e), -EEXIST);
	inj.armed = false;
	assert_contains(e.msg, "target: openat of its temporary: ");
	assert_true(inj.nplanted > 2 && inj.nplanted < MAX_PLANTS);
	expect_content(dir, "target", old_text);
	expect_content(dir, "victim", "precious\n");
	only_planted_besides_files(dir, inj.nplanted);
	close(dfd);
	scratch_free();

	/* for a link: a file planted at its temporary's name */
	dir = scratch_new("atomic");
	dfd = open_dir(dir);
	scratch_put("victim", "precious\n");
	arm(-1, 0);
	inj.plants = 1;
	assert_int_equal(atomic_symlink(dfd, "victim", "link", &e), 0);
	inj.armed = false;
	assert_int_equal(inj.nplanted, 1);
	expect_link(dir, "link", "victim");
	expect_content(dir, inj.planted[0], "");
	only_planted_besides_files(dir, 1);
	close(dfd);
	scratch_free();
}

/* Exactly the mode asked for, whatever the umask. */
static void mode_is_exact(void **state)
{
	const char *dir = scratch_new("atomic");
	struct ss_error e;
	struct stat st;
	char p[512];
	int dfd = open_dir(dir);
	mode_t old = umask(077);

	snprintf(p, sizeof(p), "%s/journal", dir);
	assert_int_equal(atomic_replace(dfd, "journal", "x", 1, 0644, ATOMIC_KEEP_ID, ATOMIC_KEEP_ID, &e), 0);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	umask(0);
	assert_int_equal(atomic_replace(dfd, "journal", "", 0, 0600, ATOMIC_KEEP_ID, ATOMIC_KEEP_ID, &e), 0);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(st.st_size, 0);
	umask(old);
	close(dfd);
	scratch_free();
}

/* An O_PATH directory (what sysroot_parent() gives) is fsynced too. */
static void o_path_directory(void **state)
{
	const char *dir = scratch_new("atomic");
	struct ss_error e;
	int dfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);

	assert_true(dfd >= 0);
	arm(-1, 0);
	assert_int_equal(replace(dfd, "target", new_text, &e), 0);
	inj.armed = false;
	assert_string_equal(inj.trace[inj.n - 1], "fsync(dir)");
	expect_content(dir, "target", new_text);
	arm(-1, 0);
	assert_int_equal(atomic_symlink(dfd, "target", "link", &e), 0);
	inj.armed = false;
	assert_string_equal(inj.trace[inj.n - 1], "fsync(dir)");
	expect_link(dir, "link", "target");
	close(dfd);
	scratch_free();
}

/* Only one name in dirfd itself: nothing is created for any other. */
static void names_outside_are_refused(void **state)
{
	static const char *const bad[] = {"", ".", "..", "a/b", "/etc/passwd", "../x"};
	const char *dir = scratch_new("atomic");
	struct ss_error e;
	char names[512], longname[300];
	int dfd = open_dir(dir);

	scratch_mkdir("a");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		arm(-1, 0);
		assert_int_equal(replace(dfd, bad[i], new_text, &e), -EINVAL);
		assert_contains(e.msg, "not a single path component");
		assert_int_equal(atomic_symlink(dfd, "x", bad[i], &e), -EINVAL);
		inj.armed = false;
		assert_int_equal(inj.n, 0);
	}
	/* a name whose temporary would be too long */
	memset(longname, 'n', 250);
	longname[250] = '\0';
	assert_int_equal(replace(dfd, longname, new_text, &e), -ENAMETOOLONG);
	listing(dir, names, sizeof(names));
	assert_string_equal(names, "a");
	close(dfd);
	scratch_free();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(calls_in_order),
	    cmocka_unit_test(failure_at_each_call),
	    cmocka_unit_test(symlink_failure_at_each_call),
	    cmocka_unit_test(short_writes_and_eintr),
	    cmocka_unit_test(link_at_target_is_replaced),
	    cmocka_unit_test(entry_at_temporary_is_avoided),
	    cmocka_unit_test(mode_is_exact),
	    cmocka_unit_test(o_path_directory),
	    cmocka_unit_test(names_outside_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
