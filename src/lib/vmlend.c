#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vmlend.h"

static bool planned(const struct lend *l, const char *path)
{
	bool found = false;

	for (size_t i = 0; i < l->n; i++)
		found |= strcmp(l->node[i].path, path) == 0;
	return found;
}

static struct lend_node *add(struct lend *l, const char *path)
{
	struct lend_node *n = NULL;

	if (l->n < LEND_MAX && !planned(l, path)) {
		n = &l->node[l->n++];
		snprintf(n->path, sizeof(n->path), "%s", path);
	}
	return n;
}

/* The event device as it is now, never through a link. */
static int pin(const struct machine *m, const char *conf_path, const struct vm_def *vm,
	       const struct vm_input *in, struct lend_node *n, struct ss_error *e)
{
	struct stat st;
	int fd = sysroot_openat(&m->root, n->path, O_PATH | O_NOFOLLOW | O_CLOEXEC), r = 0;

	if (fd < 0)
		return ss_fail(e, fd, "%s:%d: [vm %s] %s: %s: %s", conf_path, in->line, vm->name,
			       in->kind == VM_KEYBOARD ? "keyboard" : "mouse", n->path, strerror(-fd));
	if (fstat(fd, &st) < 0)
		r = ss_fail(e, -errno, "%s: %s", n->path, strerror(errno));
	else {
		n->pinned = true;
		n->rdev = st.st_rdev;
		n->ino = st.st_ino;
	}
	close(fd);
	return r;
}

bool vm_lend_same(const struct lend_node *n, const struct stat *st)
{
	return !n->pinned || (n->rdev == st->st_rdev && n->ino == st->st_ino);
}

/* eventN and nothing else: the by-id name is the user's choice of
 * device, the node it leads to must still be an event device. */
static bool event_name(const char *s)
{
	size_t n = strlen(s);

	if (n <= 5 || n > 10 || strncmp(s, "event", 5) != 0)
		return false;
	for (const char *p = s + 5; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

int vm_lend_plan(const struct machine *m, const char *conf_path, const struct vm_def *vm,
		 const struct vm_hostdev *hd, size_t nhd, struct lend *out, struct ss_error *e)
{
	char path[LEND_PATH_LEN + VM_EVDEV_LEN], link[PATH_MAX];
	int r = 0;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; r == 0 && i < nhd; i++) {
		const struct pci_dev *d = pci_find(&m->devs, &hd[i].addr);
		char name[PCI_ADDR_LEN];
		pci_addr_format(&hd[i].addr, name);
		if (!d || d->iommu_group < 0)
			r = ss_fail(e, -EINVAL, "%s is in no IOMMU group: vfio cannot pass it through", name);
		else {
			snprintf(path, sizeof(path), "/dev/vfio/%d", d->iommu_group);
			add(out, path);
		}
	}
	for (size_t i = 0; r == 0 && i < vm->ninputs; i++) {
		const struct vm_input *in = &vm->inputs[i];
		const char *kind = in->kind == VM_KEYBOARD ? "keyboard" : "mouse";
		ssize_t n;
		snprintf(path, sizeof(path), "/dev/input/by-id/%s", in->name);
		n = sysroot_readlink(&m->root, path, link, sizeof(link));
		const char *base = n > 0 ? strrchr(link, '/') : NULL;
		base = base ? base + 1 : (n > 0 ? link : NULL);
		if (n < 0)
			r = ss_fail(e, (int)n == -ENOENT ? -ENOENT : (int)n,
				    "%s:%d: [vm %s] %s: %s: %s; ls /dev/input/by-id lists the names (the "
				    "device must be plugged in)",
				    conf_path, in->line, vm->name, kind, path,
				    n == -ENOENT ? "no such input device" : strerror((int)-n));
		else if (!base || !event_name(base))
			r = ss_fail(e, -EINVAL, "%s:%d: [vm %s] %s: %s leads to %s, not to an event device",
				    conf_path, in->line, vm->name, kind, path, link);
		else {
			struct lend_node *nd;
			snprintf(path, sizeof(path), "/dev/input/%.16s", base);
			if ((nd = add(out, path)))
				r = pin(m, conf_path, vm, in, nd, e);
		}
	}
	return r;
}

int vm_lend_format(const struct lend *l, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < l->n; i++) {
		int w = snprintf(buf + used, len - used, "node %s %u %u %04o\n", l->node[i].path,
				 (unsigned)l->node[i].uid, (unsigned)l->node[i].gid,
				 (unsigned)(l->node[i].mode & 07777));
		if (w < 0 || (size_t)w >= len - used)
			return -ENAMETOOLONG;
		used += (size_t)w;
	}
	return (int)used;
}

/* Only the two kinds of node `play` lends: a record is root's, but what
 * its restore chowns is re-checked all the same. */
static bool lendable(const char *path)
{
	const char *p = NULL;

	if (strncmp(path, "/dev/vfio/", 10) == 0)
		p = path + 10;
	else if (strncmp(path, "/dev/input/", 11) == 0 && event_name(path + 11))
		return true;
	if (!p || !*p || strlen(p) > 6)
		return false;
	for (; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

int vm_lend_parse(const char *text, const char *name, struct lend *l, struct ss_error *e)
{
	const char *p = text;
	int line = 0, r = 0;

	memset(l, 0, sizeof(*l));
	while (r == 0 && *p) {
		char path[LEND_PATH_LEN + 1];
		unsigned uid, gid, mode;
		const char *nl = strchr(p, '\n');
		int used = 0;
		line++;
		if (sscanf(p, "node %64s %u %u %o%n", path, &uid, &gid, &mode, &used) != 4 ||
		    (p[used] != '\n' && p[used] != '\0'))
			r = ss_fail(e, -EINVAL, "%s:%d: expected node PATH UID GID MODE", name, line);
		else if (!lendable(path) || strlen(path) >= LEND_PATH_LEN)
			r = ss_fail(e, -EINVAL, "%s:%d: %s is not a node that play lends", name, line, path);
		else if (mode > 07777)
			r = ss_fail(e, -EINVAL, "%s:%d: mode %o is not a file mode", name, line, mode);
		else if (l->n == LEND_MAX)
			r = ss_fail(e, -EINVAL, "%s:%d: more than %d nodes", name, line, LEND_MAX);
		else {
			struct lend_node *n = &l->node[l->n++];
			snprintf(n->path, sizeof(n->path), "%s", path);
			n->uid = uid;
			n->gid = gid;
			n->mode = mode;
		}
		p = nl ? nl + 1 : p + strlen(p);
	}
	return r;
}

unsigned long long vm_memlock_bytes(const struct vm_def *vm)
{
	return (vm->memory_mib + VM_MEMLOCK_MARGIN_MIB) << 20;
}

int vm_child_env(const char *user, uid_t uid, const char *home, char *buf, size_t len, char *env[VM_ENV_MAX])
{
	char vals[5][PATH_MAX];
	size_t used = 0, k = 0;
	int r = 0;

	snprintf(vals[0], sizeof(vals[0]), "PATH=/usr/bin:/bin");
	snprintf(vals[1], sizeof(vals[1]), "HOME=%s", home);
	snprintf(vals[2], sizeof(vals[2]), "USER=%s", user);
	snprintf(vals[3], sizeof(vals[3]), "LOGNAME=%s", user);
	snprintf(vals[4], sizeof(vals[4]), "XDG_RUNTIME_DIR=/run/user/%u", (unsigned)uid);
	for (size_t i = 0; r == 0 && i < sizeof(vals) / sizeof(vals[0]); i++) {
		size_t n = strlen(vals[i]) + 1;
		if (used + n > len || n >= sizeof(vals[i]) - 1) {
			r = -ENAMETOOLONG;
		} else {
			memcpy(buf + used, vals[i], n);
			env[k++] = buf + used;
			used += n;
		}
	}
	if (r == 0) {
		snprintf(buf + used, len - used, "LANG=C");
		if (used + 7 > len)
			r = -ENAMETOOLONG;
		else
			env[k++] = buf + used;
	}
	env[k] = NULL;
	return r;
}
