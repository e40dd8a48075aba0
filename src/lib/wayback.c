#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "wayback.h"

#define FILE_MAX (256 * 1024)

/* modprobe's own order: a file name found in an earlier directory hides
 * the same name in a later one; the files are then read by name. */
static const char *const modprobe_dirs[] = {
    "/etc/modprobe.d",	   "/run/modprobe.d", "/usr/local/lib/modprobe.d",
    "/usr/lib/modprobe.d", "/lib/modprobe.d",
};

struct conf_file {
	char name[NAME_MAX + 1];
	char path[PATH_MAX];
};

static int cmp_file(const void *a, const void *b)
{
	return strcmp(((const struct conf_file *)a)->name, ((const struct conf_file *)b)->name);
}

static int add_line(struct wayback *w, const char *file, int line, const char *text)
{
	struct modprobe_line *nl = realloc(w->lines, (w->n + 1) * sizeof(*nl));
	if (!nl)
		return -ENOMEM;
	w->lines = nl;
	snprintf(nl[w->n].file, sizeof(nl[w->n].file), "%s", file);
	nl[w->n].line = line;
	if (!(nl[w->n].text = strdup(text)))
		return -ENOMEM;
	w->n++;
	return 0;
}

/* One directive per logical line: a trailing backslash joins the next
 * line, '#' at the start makes a comment, blanks are squeezed. */
static int parse_file(struct wayback *w, const char *path, const char *text)
{
	struct strbuf cur = {0};
	int line = 0, start = 0, r = 0;

	for (const char *p = text; r == 0 && *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		bool cont = len && p[len - 1] == '\\';
		line++;
		if (!cur.len)
			start = line;
		const char *s = p;
		while (s < p + len && isspace((unsigned char)*s))
			s++;
		if (!(cur.len == 0 && (s == p + len || *s == '#'))) {
			for (const char *c = s; c < p + len - (cont ? 1 : 0); c++) {
				bool blank = isspace((unsigned char)*c);
				if (blank && (!cur.len || cur.p[cur.len - 1] == ' '))
					continue;
				strbuf_put(&cur, blank ? " " : c, 1);
			}
			if (!cont && cur.len) {
				while (cur.len && cur.p[cur.len - 1] == ' ')
					cur.p[--cur.len] = '\0';
				r = add_line(w, path, start, cur.p);
				cur.len = 0;
			}
		}
		p += len + (nl ? 1 : 0);
	}
	if (r == 0 && cur.len)
		r = add_line(w, path, start, cur.p);
	free(cur.p);
	return r;
}

int wayback_load(const struct sysroot *sr, struct wayback *w, struct ss_error *e)
{
	struct conf_file *files = NULL;
	size_t nfiles = 0;
	ssize_t got;
	int r = 0;

	memset(w, 0, sizeof(*w));
	got = sysroot_slurp(sr, "/proc/cmdline", FILE_MAX, &w->cmdline);
	if (got < 0 && got != -ENOENT) {
		snprintf(w->unread, sizeof(w->unread), "/proc/cmdline");
		w->unread_err = (int)-got;
	}
	if (got < 0 && !(w->cmdline = strdup("")))
		return ss_fail(e, -ENOMEM, "out of memory");
	for (size_t l = strlen(w->cmdline); l && isspace((unsigned char)w->cmdline[l - 1]); l--)
		w->cmdline[l - 1] = '\0';
	for (size_t d = 0; r == 0 && d < sizeof(modprobe_dirs) / sizeof(modprobe_dirs[0]); d++) {
		struct dirent *de;
		DIR *dir;
		if (sysroot_opendir(sr, modprobe_dirs[d], &dir) < 0)
			continue;
		while (r == 0 && (de = readdir(dir))) {
			size_t l = strlen(de->d_name);
			bool seen = false;
			if (l < 6 || strcmp(de->d_name + l - 5, ".conf") != 0)
				continue;
			for (size_t i = 0; i < nfiles; i++)
				seen |= strcmp(files[i].name, de->d_name) == 0;
			if (seen)
				continue;
			struct conf_file *nf = realloc(files, (nfiles + 1) * sizeof(*nf));
			if (!nf) {
				r = ss_fail(e, -ENOMEM, "out of memory");
				break;
			}
			files = nf;
			snprintf(files[nfiles].name, sizeof(files[nfiles].name), "%s", de->d_name);
			snprintf(files[nfiles].path, sizeof(files[nfiles].path), "%s/%s", modprobe_dirs[d],
				 de->d_name);
			nfiles++;
		}
		closedir(dir);
	}
	if (nfiles)
		qsort(files, nfiles, sizeof(*files), cmp_file);
	for (size_t i = 0; r == 0 && i < nfiles; i++) {
		char *text = NULL;
		got = sysroot_slurp(sr, files[i].path, FILE_MAX, &text);
		if (got >= 0 && parse_file(w, files[i].path, text) < 0)
			r = ss_fail(e, -ENOMEM, "out of memory");
		else if (got < 0 && got != -ENOENT && !w->unread[0]) {
			snprintf(w->unread, sizeof(w->unread), "%s", files[i].path);
			w->unread_err = (int)-got;
		}
		free(text);
	}
	free(files);
	if (r < 0)
		wayback_free(w);
	return r;
}

void wayback_free(struct wayback *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->lines[i].text);
	free(w->lines);
	free(w->cmdline);
	memset(w, 0, sizeof(*w));
}

/* Module names as the kernel and modprobe compare them: '-' is '_'. */
static bool same_module(const char *a, size_t alen, const char *b)
{
	size_t blen = strlen(b);
	if (alen != blen)
		return false;
	for (size_t i = 0; i < alen; i++)
		if ((a[i] == '-' ? '_' : a[i]) != (b[i] == '-' ? '_' : b[i]))
			return false;
	return true;
}

static bool hex_field(const char *s, size_t n, unsigned long *v)
{
	char buf[16], *end;
	if (n == 0 || n >= sizeof(buf))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	errno = 0;
	*v = strtoul(buf, &end, 16);
	return !errno && *end == '\0' && isxdigit((unsigned char)buf[0]);
}

bool wayback_id_matches(const char *entry, const struct pci_dev *d)
{
	/* vfio-pci and pci-stub: vendor:device[:subvendor[:subdevice[:class[:class_mask]]]],
	 * an absent field matching anything, ffffffff too (PCI_ANY_ID) */
	unsigned long f[6] = {0, 0, 0xffffffffUL, 0xffffffffUL, 0, 0};
	size_t nf = 0;
	const char *p = entry;

	while (nf < 6 && *p) {
		size_t n = strcspn(p, ":");
		if (!hex_field(p, n, &f[nf]))
			return false;
		nf++;
		p += n + (p[n] == ':');
	}
	if (nf < 2 || *p)
		return false;
	return (f[0] == 0xffffffffUL || f[0] == d->vendor) && (f[1] == 0xffffffffUL || f[1] == d->device) &&
	       (f[2] == 0xffffffffUL || f[2] == d->subvendor) &&
	       (f[3] == 0xffffffffUL || f[3] == d->subdevice) && (d->class & f[5]) == (f[4] & f[5]);
}

/* The last "key=value" of the command line for module.param (either
 * spelling of the module), as the kernel's parser keeps it. */
static bool cmdline_param(const char *cmdline, const char *module, const char *param, const char **val,
			  size_t *vlen)
{
	bool found = false;
	size_t mlen = strlen(module), plen = strlen(param);

	for (const char *p = cmdline; *p;) {
		while (*p && isspace((unsigned char)*p))
			p++;
		const char *tok = p;
		while (*p && !isspace((unsigned char)*p))
			p++;
		const char *eq = memchr(tok, '=', (size_t)(p - tok));
		if (!eq)
			continue;
		size_t klen = (size_t)(eq - tok);
		if (module[0] ? klen == mlen + 1 + plen && same_module(tok, mlen, module) &&
				    tok[mlen] == '.' && strncmp(tok + mlen + 1, param, plen) == 0
			      : klen == plen && strncmp(tok, param, plen) == 0) {
			*val = eq + 1;
			*vlen = (size_t)(p - eq - 1);
			found = true;
		}
	}
	return found;
}

/* Which of t's functions and the host's GPU an ids= list names:
 * "0000:08:00.0 [10de:1d01] and 0000:08:00.1 [10de:0fb8]". */
struct named {
	char list[1024];
	size_t used;
	bool vm, host, vm_unknown_driver;
};

static void name_dev(struct named *nm, const struct pci_dev *d)
{
	int w = snprintf(nm->list + nm->used, sizeof(nm->list) - nm->used, "%s%s [%04x:%04x]",
			 nm->used ? ", " : "", d->name, d->vendor, d->device);
	if (w > 0 && (size_t)w < sizeof(nm->list) - nm->used)
		nm->used += (size_t)w;
}

static const struct pci_addr *host_of(const struct target *t)
{
	return t->has_host_gpu ? &t->host_gpu : t->has_igpu ? &t->igpu : NULL;
}

static void match_ids(const char *ids, size_t len, const struct pci_list *devs, const struct target *t,
		      struct named *nm)
{
	const struct pci_addr *host = host_of(t);
	char list[1024];

	memset(nm, 0, sizeof(*nm));
	snprintf(list, sizeof(list), "%.*s", (int)len, ids);
	for (char *save = NULL, *ent = strtok_r(list, ",", &save); ent; ent = strtok_r(NULL, ",", &save)) {
		for (size_t i = 0; i < t->n; i++) {
			const struct pci_dev *d = pci_find(devs, &t->fn[i].addr);
			if (d && wayback_id_matches(ent, d) && !strstr(nm->list, d->name)) {
				name_dev(nm, d);
				nm->vm = true;
				nm->vm_unknown_driver |= !t->fn[i].host_driver[0];
			}
		}
		const struct pci_dev *h = host ? pci_find(devs, host) : NULL;
		if (h && wayback_id_matches(ent, h) && !strstr(nm->list, h->name)) {
			name_dev(nm, h);
			nm->host = true;
		}
	}
}

#define ADD(...) check_add(arr, n, max, __VA_ARGS__)

static void ids_check(const char *where, const char *what, size_t wlen, const char *ids, size_t ilen,
		      const char *fix, const struct pci_list *devs, const struct target *t,
		      enum wayback_for why, struct check *arr, size_t *n, size_t max)
{
	struct named nm;
	const char *name = strcmp(where, "/proc/cmdline") == 0 ? "cmdline-ids" : "modprobe-ids";

	match_ids(ids, ilen, devs, t, &nm);
	if (nm.host)
		ADD(name, CHECK_FAIL, fix,
		    "%s: %.*s names %s, among them the host's GPU: vfio-pci takes it at boot and X "
		    "has no GPU to run on",
		    where, (int)wlen, what, nm.list);
	else if (nm.vm && why == WAYBACK_HOST && !nm.vm_unknown_driver)
		ADD(name, CHECK_WARN, fix,
		    "%s: %.*s names %s: this switch binds each function to its host driver by "
		    "driver_override, but vfio-pci takes them back at the next boot or rescan",
		    where, (int)wlen, what, nm.list);
	else if (nm.vm)
		ADD(name, CHECK_FAIL, fix,
		    "%s: %.*s names %s, which the VM gets: vfio-pci takes them at every boot and "
		    "whenever one is probed without a driver_override, so the way back to the host drivers "
		    "does not "
		    "hold%s",
		    where, (int)wlen, what, nm.list,
		    why == WAYBACK_HOST
			? " (and with no host driver known, the kernel's first match is vfio-pci "
			  "itself: set [host] drivers)"
			: "");
}

static void cmdline_checks(const struct wayback *w, const struct pci_list *devs, const struct target *t,
			   enum wayback_for why, struct check *arr, size_t *n, size_t max)
{
	static const char *const mods[] = {"vfio-pci", "pci-stub"};
	const char *fix =
	    "remove it from the kernel command line (GRUB_CMDLINE_LINUX_DEFAULT or GRUB_CMDLINE_LINUX "
	    "in /etc/default/grub, then grub-mkconfig -o /boot/grub/grub.cfg) and reboot; session-switch "
	    "hands the card to vfio-pci itself at each switch";

	for (size_t i = 0; i < 2; i++) {
		const char *val;
		size_t vlen;
		if (!cmdline_param(w->cmdline, mods[i], "ids", &val, &vlen))
			continue;
		/* the token as written: back up over "module.ids=" */
		const char *tok = val - 1;
		while (tok > w->cmdline && !isspace((unsigned char)tok[-1]))
			tok--;
		ids_check("/proc/cmdline", tok, (size_t)(val + vlen - tok), val, vlen, fix, devs, t, why, arr,
			  n, max);
	}
}

static bool lists_module(const char *list, size_t len, const char *module)
{
	for (const char *p = list; p < list + len;) {
		size_t l = strcspn(p, ",");
		if (l > (size_t)(list + len - p))
			l = (size_t)(list + len - p);
		if (same_module(p, l, module))
			return true;
		p += l + 1;
	}
	return false;
}

/* The module the host driver comes from: the registered driver's own
 * module link, or the name modprobe is given. */
static void module_of(const struct sysroot *sr, const struct kernel_info *k, const char *drv, char *mod,
		      size_t len, enum kmod *state)
{
	char path[128], target[PATH_MAX];

	snprintf(path, sizeof(path), "/sys/bus/pci/drivers/%s", drv);
	if (sysroot_exists(sr, path)) {
		*state = KMOD_LOADED;
		snprintf(path, sizeof(path), "/sys/bus/pci/drivers/%s/module", drv);
		const char *b = NULL;
		if (sysroot_readlink(sr, path, target, sizeof(target)) >= 0)
			b = strrchr(target, '/');
		snprintf(mod, len, "%s", b ? b + 1 : drv);
		return;
	}
	*state = kernel_driver_module(sr, k, drv, mod, len);
}

static bool disabling(const char *cmd)
{
	static const char *const nops[] = {"/bin/false",    "/bin/true", "/usr/bin/false",
					   "/usr/bin/true", "false",	 "true"};
	size_t l = strcspn(cmd, " ");
	for (size_t i = 0; i < sizeof(nops) / sizeof(nops[0]); i++)
		if (strlen(nops[i]) == l && strncmp(cmd, nops[i], l) == 0)
			return true;
	return false;
}

static void driver_checks(const struct wayback *w, const struct sysroot *sr, const struct kernel_info *k,
			  const struct target *t, struct check *arr, size_t *n, size_t max)
{
	for (size_t i = 0; i < t->n; i++) {
		const char *drv = t->fn[i].host_driver;
		char mod[PCI_DRIVER_LEN + 32];
		enum kmod state;
		bool dup = false;
		const char *val;
		size_t vlen;

		for (size_t j = 0; j < i; j++)
			dup |= strcmp(t->fn[j].host_driver, drv) == 0;
		if (!drv[0] || dup)
			continue;
		module_of(sr, k, drv, mod, sizeof(mod), &state);
		if (state == KMOD_MISSING)
			ADD("host-module", CHECK_FAIL,
			    "install the driver for the running kernel (dkms autoinstall, or "
			    "your distribution's package built for it), or name the driver you have in "
			    "[host] drivers",
			    "the host driver %s of %s is neither loaded, built in, nor in /lib/modules/%s "
			    "(modules.dep, "
			    "modules.builtin): the way back could not load it (a kernel update without the "
			    "driver "
			    "rebuilt?)",
			    drv, t->fn[i].name, k->release);
		if (state == KMOD_BUILTIN)
			continue;
		if (cmdline_param(w->cmdline, "", "module_blacklist", &val, &vlen) &&
		    lists_module(val, vlen, mod))
			ADD("host-module", CHECK_FAIL,
			    "remove it from module_blacklist= on the kernel command line "
			    "(/etc/default/grub, then grub-mkconfig) and reboot",
			    "/proc/cmdline: module_blacklist=%.*s names %s, the module of %s's host driver "
			    "%s: the kernel "
			    "refuses to load it, so the way back cannot",
			    (int)vlen, val, mod, t->fn[i].name, drv);
		if (cmdline_param(w->cmdline, "", "modprobe.blacklist", &val, &vlen) &&
		    lists_module(val, vlen, mod))
			ADD("blacklist", CHECK_WARN, "nothing, unless the card should come up on it at boot",
			    "/proc/cmdline: modprobe.blacklist=%.*s names %s (host driver of %s): it only "
			    "stops "
			    "autoloading; session-switch loads the module by name when it switches back",
			    (int)vlen, val, mod, t->fn[i].name);
		for (size_t l = 0; l < w->n; l++) {
			const struct modprobe_line *ml = &w->lines[l];
			const char *p = ml->text;
			size_t ml_len;
			if (strncmp(p, "blacklist ", 10) == 0) {
				p += 10;
				ml_len = strcspn(p, " ");
				if (same_module(p, ml_len, mod))
					ADD("blacklist", CHECK_WARN,
					    "nothing, unless the card should come up on it at boot",
					    "%s:%d: \"%s\" names %s (host driver of %s): it only stops "
					    "autoloading; "
					    "session-switch loads the module by name when it switches back",
					    ml->file, ml->line, ml->text, mod, t->fn[i].name);
			} else if (strncmp(p, "install ", 8) == 0) {
				p += 8;
				ml_len = strcspn(p, " ");
				if (same_module(p, ml_len, mod) && p[ml_len] == ' ' &&
				    disabling(p + ml_len + 1)) {
					char fix[PATH_MAX + 64];
					snprintf(fix, sizeof(fix), "delete that line from %s", ml->file);
					ADD("host-module", CHECK_FAIL, fix,
					    "%s:%d: \"%s\" makes modprobe %s run a no-op instead "
					    "of loading the host driver of %s: the way back cannot load it",
					    ml->file, ml->line, ml->text, mod, t->fn[i].name);
				}
			}
		}
	}
}

static void modprobe_ids_checks(const struct wayback *w, const struct pci_list *devs, const struct target *t,
				enum wayback_for why, struct check *arr, size_t *n, size_t max)
{
	for (size_t l = 0; l < w->n; l++) {
		const struct modprobe_line *ml = &w->lines[l];
		const char *p = ml->text, *mod;
		size_t mlen;
		if (strncmp(p, "options ", 8) != 0)
			continue;
		mod = p + 8;
		mlen = strcspn(mod, " ");
		if (!same_module(mod, mlen, "vfio_pci") && !same_module(mod, mlen, "pci_stub"))
			continue;
		for (const char *o = mod + mlen; *o;) {
			while (*o == ' ')
				o++;
			size_t olen = strcspn(o, " ");
			if (olen > 4 && strncmp(o, "ids=", 4) == 0) {
				char where[PATH_MAX + 16], fix[PATH_MAX + 256];
				snprintf(where, sizeof(where), "%s:%d", ml->file, ml->line);
				snprintf(fix, sizeof(fix),
					 "delete %.*s from %s, rebuild the initramfs (update-initramfs -u, "
					 "dracut -f or mkinitcpio -P) and reboot; session-switch hands the "
					 "card to vfio-pci "
					 "itself at each switch",
					 (int)olen, o, where);
				ids_check(where, ml->text, strlen(ml->text), o + 4, olen - 4, fix, devs, t,
					  why, arr, n, max);
			}
			o += olen;
		}
	}
}

void wayback_checks(const struct wayback *w, const struct sysroot *sr, const struct kernel_info *k,
		    const struct pci_list *devs, const struct target *t, enum wayback_for why,
		    struct check *arr, size_t *n, size_t max)
{
	if (w->unread[0])
		ADD("wayback", CHECK_WARN, "run it as root, or make the file readable",
		    "%s: %s; what it says about vfio-pci and the host drivers is not checked", w->unread,
		    strerror(w->unread_err));
	cmdline_checks(w, devs, t, why, arr, n, max);
	modprobe_ids_checks(w, devs, t, why, arr, n, max);
	driver_checks(w, sr, k, t, arr, n, max);
}
