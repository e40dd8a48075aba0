#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomicfile.h"
#include "journal.h"
#include "kvlines.h"
#include "rootdir.h"

#define BAD(...) ss_fail(e, -EINVAL, __VA_ARGS__)

static int parse_driver(const char *v, char *out, const char *name, int line, struct ss_error *e)
{
	if (v[0] && !pci_driver_name_valid(v))
		return BAD("%s:%d: \"%s\" is not a driver name", name, line, v);
	snprintf(out, PCI_DRIVER_LEN, "%s", v);
	return 0;
}

static int parse_fn(char *v, struct journal *j, const char *name, int line, struct ss_error *e)
{
	struct journal_fn f;
	char *tok, *save = NULL;
	int have = 0;

	memset(&f, 0, sizeof(f));
	tok = strtok_r(v, " ", &save);
	if (!tok || !pci_addr_parse_strict(tok, &f.addr))
		return BAD("%s:%d: fn= needs a PCI address first", name, line);
	while ((tok = strtok_r(NULL, " ", &save))) {
		char *eq = strchr(tok, '=');
		if (!eq)
			return BAD("%s:%d: \"%s\" is not key=value", name, line, tok);
		*eq++ = '\0';
		if (strcmp(tok, "had") == 0) {
			if (strspn(eq, "sound,drm") != strlen(eq) || strlen(eq) >= sizeof(f.had))
				return BAD("%s:%d: had= lists sound and drm only", name, line);
			snprintf(f.had, sizeof(f.had), "%s", eq);
			continue;
		}
		char *dst = strcmp(tok, "before") == 0	? f.before
			    : strcmp(tok, "after") == 0 ? f.after
			    : strcmp(tok, "host") == 0	? f.host
							: NULL;
		if (!dst)
			return BAD("%s:%d: unknown field \"%s\"", name, line, tok);
		if (parse_driver(eq, dst, name, line, e) < 0)
			return -EINVAL;
		have++;
	}
	if (have != 3)
		return BAD("%s:%d: fn= needs before=, after= and host=", name, line);
	if (j->n == SS_MAX_FUNCS)
		return BAD("%s:%d: too many functions", name, line);
	j->fn[j->n++] = f;
	return 0;
}

/* A step's words are from a fixed alphabet: the journal is root's, but a
 * damaged one must not smuggle a path or a control character into the
 * helper's messages or its step lookup. */
static bool step_word(const char *s, size_t max)
{
	size_t n = strlen(s);
	bool ok = n > 0 && n < max;

	for (size_t i = 0; ok && i < n; i++)
		ok = (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		     (s[i] >= '0' && s[i] <= '9') || strchr("_-.:!@", s[i]) != NULL;
	return ok;
}

/* step=NAME DEVICE VALUE, "-" for an empty field */
static int parse_step(char *v, struct journal *j, const char *name, int line, struct ss_error *e)
{
	char *f[3], *save = NULL;
	struct journal_step *s;
	struct pci_addr a;

	f[0] = strtok_r(v, " ", &save);
	f[1] = strtok_r(NULL, " ", &save);
	f[2] = strtok_r(NULL, " ", &save);
	if (!f[2] || strtok_r(NULL, " ", &save))
		return BAD("%s:%d: step= needs a name, a device and a value", name, line);
	if (!step_word(f[0], JOURNAL_STEP_NAME) || (strcmp(f[1], "-") && !pci_addr_parse_strict(f[1], &a)) ||
	    (strcmp(f[2], "-") && !step_word(f[2], PCI_DRIVER_LEN)))
		return BAD("%s:%d: step= \"%s %s %s\" is not a step", name, line, f[0], f[1], f[2]);
	if (j->nsteps == JOURNAL_MAX_STEPS)
		return BAD("%s:%d: too many steps", name, line);
	s = &j->step[j->nsteps++];
	snprintf(s->name, sizeof(s->name), "%s", f[0]);
	snprintf(s->device, sizeof(s->device), "%s", strcmp(f[1], "-") ? f[1] : "");
	snprintf(s->value, sizeof(s->value), "%s", strcmp(f[2], "-") ? f[2] : "");
	return 0;
}

int journal_parse(const char *text, const char *name, struct journal *j, struct ss_error *e)
{
	struct kvlines kv;
	char *line, *eq;
	int seen = 0, r;

	memset(j, 0, sizeof(*j));
	j->reached = -1;
	kvlines_init(&kv, text, name);
	while ((r = kvlines_next(&kv, &line, &eq, e)) > 0) {
		int lineno = kv.lineno;
		if (strcmp(line, "version") == 0) {
			/* once, and before anything it decides the meaning of: a
			 * second one would turn a version 2 journal's rows into a
			 * version 1 one's (found by tests/fuzz/fuzz-journal.c) */
			if (seen)
				return BAD("%s:%d: version= must come first, and once", name, lineno);
			if (strcmp(eq, "1") != 0 && strcmp(eq, "2") != 0)
				return BAD("%s:%d: journal version %s is not understood", name, lineno, eq);
			j->version = eq[0] - '0';
			seen |= 1;
		} else if (strcmp(line, "state") == 0) {
			if (strcmp(eq, "pending") == 0)
				j->state = JOURNAL_PENDING;
			else if (strcmp(eq, "done") == 0)
				j->state = JOURNAL_DONE;
			else
				return BAD("%s:%d: state must be pending or done", name, lineno);
			seen |= 2;
		} else if (strcmp(line, "from") == 0 || strcmp(line, "to") == 0) {
			enum mode m;
			if (!mode_parse(eq, &m))
				return BAD("%s:%d: %s must be host or vm", name, lineno, line);
			if (line[0] == 'f')
				j->from = m, seen |= 4;
			else
				j->to = m, seen |= 8;
		} else if (strcmp(line, "uid") == 0) {
			char *end;
			long long v = strtoll(eq, &end, 10);
			if (*end || v < 0 || v > 0x7fffffff)
				return BAD("%s:%d: bad uid", name, lineno);
			j->uid = (uid_t)v;
		} else if (strcmp(line, "started") == 0) {
			char *end;
			j->started = strtoll(eq, &end, 10);
			if (*end)
				return BAD("%s:%d: bad time", name, lineno);
		} else if (strcmp(line, "bridge") == 0) {
			if (!pci_addr_parse_strict(eq, &j->bridge))
				return BAD("%s:%d: bad bridge address", name, lineno);
			j->has_bridge = true;
		} else if (strcmp(line, "fn") == 0) {
			if (parse_fn(eq, j, name, lineno, e) < 0)
				return -EINVAL;
		} else if (strcmp(line, "step") == 0 && j->version == 2) {
			if (parse_step(eq, j, name, lineno, e) < 0)
				return -EINVAL;
		} else if (strcmp(line, "reached") == 0 && j->version == 2) {
			char *end;
			long v = strtol(eq, &end, 10);
			if (*end || end == eq || v < -1 || v >= JOURNAL_MAX_STEPS)
				return BAD("%s:%d: reached= needs a step number", name, lineno);
			j->reached = (int)v;
			seen |= 16;
		} else if (strcmp(line, "stuck") == 0 && j->version == 2) {
			char *end;
			long v = strtol(eq, &end, 10);
			const char *boot = *end == ' ' ? end + 1 : "";
			if (end == eq || (*end && *end != ' ') || v < 1 || v > JOURNAL_MAX_STEPS ||
			    strspn(boot, "0123456789abcdef-") != strlen(boot) ||
			    strlen(boot) >= sizeof(j->stuck_boot))
				return BAD("%s:%d: stuck= needs a step number and a boot id", name, lineno);
			j->stuck = (int)v;
			snprintf(j->stuck_boot, sizeof(j->stuck_boot), "%s", boot);
		} else {
			return BAD("%s:%d: unknown key \"%s\"", name, lineno, line);
		}
	}
	if (r < 0)
		return r;
	if ((seen & 15) != 15 || j->n == 0)
		return BAD("%s: incomplete (needs version, state, from, to and fn lines)", name);
	if (j->version == 2 && (!(seen & 16) || j->reached >= (int)j->nsteps))
		return BAD("%s: reached= is missing or names no step", name);
	if (j->stuck > (int)j->nsteps)
		return BAD("%s: stuck= names no step", name);
	return 0;
}

int journal_load(const struct sysroot *sr, struct journal *j, struct ss_error *e)
{
	char *text = NULL, shown[PATH_MAX];
	ssize_t n;
	int r;

	sysroot_show(sr, JOURNAL_DIR "/" JOURNAL_FILE, shown, sizeof(shown));
	n = sysroot_slurp(sr, JOURNAL_DIR "/" JOURNAL_FILE, 64 * 1024, &text);
	if (n == -ENOENT)
		return -ENOENT;
	if (n < 0)
		return ss_fail(e, (int)n, "%s: %s", shown, strerror((int)-n));
	r = journal_parse(text, shown, j, e);
	free(text);
	return r;
}

int journal_save(int dirfd, const struct journal *j, struct ss_error *e)
{
	struct ss_error ae;
	char buf[8192];
	size_t used = 0;
	int r, w;

#define PUT(...)                                                                                             \
	do {                                                                                                 \
		w = snprintf(buf + used, sizeof(buf) - used, __VA_ARGS__);                                   \
		if (w < 0 || (size_t)w >= sizeof(buf) - used)                                                \
			return ss_fail(e, -ENOSPC, "journal too large");                                     \
		used += (size_t)w;                                                                           \
	} while (0)
	PUT("# session-switch journal: written before every change; read by session-switch recover\n");
	/* A journal without steps says what a version 1 journal says. */
	PUT("version=%d\nstate=%s\nfrom=%s\nto=%s\nuid=%u\nstarted=%lld\n", j->nsteps ? 2 : 1,
	    j->state == JOURNAL_PENDING ? "pending" : "done", mode_str(j->from), mode_str(j->to),
	    (unsigned)j->uid, j->started);
	if (j->has_bridge) {
		char b[PCI_ADDR_LEN];
		pci_addr_format(&j->bridge, b);
		PUT("bridge=%s\n", b);
	}
	for (size_t i = 0; i < j->n; i++) {
		char a[PCI_ADDR_LEN];
		pci_addr_format(&j->fn[i].addr, a);
		PUT("fn=%s before=%s after=%s host=%s had=%s\n", a, j->fn[i].before, j->fn[i].after,
		    j->fn[i].host, j->fn[i].had);
	}
	for (size_t i = 0; i < j->nsteps; i++) {
		const struct journal_step *s = &j->step[i];
		PUT("step=%s %s %s\n", s->name, s->device[0] ? s->device : "-", s->value[0] ? s->value : "-");
	}
	if (j->nsteps)
		PUT("reached=%d\n", j->reached);
	if (j->nsteps && j->stuck > 0)
		PUT("stuck=%d%s%s\n", j->stuck, j->stuck_boot[0] ? " " : "", j->stuck_boot);
#undef PUT
	/* 0644 whatever the umask: status is readable by everyone.  The
	 * message says which call failed; the directory is added here. */
	r = atomic_replace(dirfd, JOURNAL_FILE, buf, used, 0644, ATOMIC_KEEP_ID, ATOMIC_KEEP_ID, &ae);
	if (r < 0)
		return ss_fail(e, r, JOURNAL_DIR "/%s", ae.msg);
	return 0;
}

void journal_boot_id(const struct sysroot *sr, char *out, size_t len)
{
	if (sysroot_read(sr, "/proc/sys/kernel/random/boot_id", out, len) < 0 ||
	    strspn(out, "0123456789abcdef-") != strlen(out))
		out[0] = '\0';
}

bool journal_stuck_now(const struct sysroot *sr, const struct journal *j)
{
	char now[40];

	if (j->state != JOURNAL_PENDING || j->stuck <= 0)
		return false;
	journal_boot_id(sr, now, sizeof(now));
	/* without a boot id to compare, assume the worst: still stuck */
	return !now[0] || !j->stuck_boot[0] || strcmp(now, j->stuck_boot) == 0;
}

int journal_open_dir(struct ss_error *e)
{
	return rootdir_open(JOURNAL_DIR, 0755, 022, e);
}

const struct journal_fn *journal_find(const struct journal *j, const struct pci_addr *a)
{
	for (size_t i = 0; i < j->n; i++)
		if (pci_addr_cmp(&j->fn[i].addr, a) == 0)
			return &j->fn[i];
	return NULL;
}
