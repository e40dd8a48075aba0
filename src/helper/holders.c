#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "holders.h"

static bool matches(const char *node, const char *const *prefixes, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(prefixes[i]);
		if (strncmp(node, prefixes[i], l) != 0)
			continue;
		/* "/dev/snd/controlC1" must not match "/dev/snd/controlC10" */
		char next = node[l];
		if (next == '\0' || !isdigit((unsigned char)prefixes[i][l - 1]) || !isdigit((unsigned char)next))
			return true;
	}
	return false;
}

/* Is pid a process number: digits only, and short enough for our paths. */
static bool pid_name(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 10)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

static void scan_process(const struct sysroot *sr, const char *pid, const char *const *prefixes,
			 size_t nprefixes, struct holder *out, size_t max, size_t *found)
{
	char fddir[32], fdpath[64], target[256];
	struct dirent *fe;
	DIR *fds;

	snprintf(fddir, sizeof(fddir), "/proc/%s/fd", pid);
	/* processes come and go; one we cannot read is not a holder we can name */
	if (sysroot_opendir(sr, fddir, &fds) < 0)
		return;
	while ((fe = readdir(fds)) && *found < max) {
		if (!pid_name(fe->d_name))
			continue;
		snprintf(fdpath, sizeof(fdpath), "%s/%.10s", fddir, fe->d_name);
		if (sysroot_readlink(sr, fdpath, target, sizeof(target)) < 0 || !matches(target, prefixes, nprefixes))
			continue;
		bool dup = false;
		for (size_t k = 0; k < *found; k++)
			dup |= out[k].pid == (pid_t)atol(pid) && strcmp(out[k].node, target) == 0;
		if (dup || strlen(target) >= sizeof(out->node))
			continue;
		struct holder *h = &out[(*found)++];
		h->pid = (pid_t)atol(pid);
		memcpy(h->node, target, strlen(target) + 1);
		char comm[32];
		snprintf(comm, sizeof(comm), "/proc/%s/comm", pid);
		if (sysroot_read(sr, comm, h->comm, sizeof(h->comm)) < 0)
			snprintf(h->comm, sizeof(h->comm), "?");
	}
	closedir(fds);
}

int holders_scan(const struct sysroot *sr, const char *const *prefixes, size_t nprefixes,
		 struct holder *out, size_t max)
{
	struct dirent *pe;
	size_t found = 0;
	DIR *proc;
	int r;

	r = sysroot_opendir(sr, "/proc", &proc);
	if (r < 0)
		return r;
	while ((pe = readdir(proc)) && found < max)
		if (pid_name(pe->d_name))
			scan_process(sr, pe->d_name, prefixes, nprefixes, out, max, &found);
	closedir(proc);
	return (int)found;
}
