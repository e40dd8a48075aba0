#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"

/* The config file may not be larger than this; it is a few lines. */
#define CONFIG_MAX (64 * 1024)

struct key {
	const char *section;
	const char *name;
	const char *expects;
};

static const struct key keys[] = {
	{ "vm", "devices", "PCI addresses (0000:01:00.0 0000:01:00.1) of every function to hand to vfio-pci" },
	{ "vm", "bridge", "the PCI address of the bridge to remove and rescan (0000:00:01.0)" },
	{ "host", "drivers", "address=driver pairs (0000:01:00.0=nvidia 0000:01:00.1=snd_hda_intel)" },
	{ "host", "xorg_driver", "the Xorg driver for the discrete GPU in host mode (nvidia, modesetting)" },
	{ "display", "manager", "systemd:UNIT, openrc:SERVICE, runit:SERVICE, command:/ABSOLUTE/PATH or none" },
	{ "display", "display", "the X display, :0" },
	{ "display", "authfile", "the display manager's X authority file (/var/run/slim.auth)" },
	{ "login", "auto", "yes or no: after a switch asked from the login screen, log that user in once on the new GPU" },
	{ "login", "window", "seconds after the login within which its switch may log the user in again (1-600)" },
};
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

void config_init(struct ss_config *c)
{
	memset(c, 0, sizeof(*c));
	c->login_auto = true;
	c->login_window = 120;
}

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), prev[33], cur[33];

	if (la > 32 || lb > 32)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t sub = prev[j - 1] + (tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]));
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
		memcpy(prev, cur, sizeof(prev));
	}
	return prev[lb];
}

/* " (did you mean 'devices'?)" or "" */
static void suggest(const char *word, const char *section, char *out, size_t len)
{
	const char *best = NULL;
	size_t bestd = 3;

	out[0] = '\0';
	for (size_t i = 0; i < NKEYS; i++) {
		const char *cand = section ? keys[i].name : keys[i].section;
		if (section && strcmp(keys[i].section, section) != 0)
			continue;
		size_t d = edit_distance(word, cand);
		if (d < bestd) {
			bestd = d;
			best = cand;
		}
	}
	if (best)
		snprintf(out, len, " (did you mean '%s'?)", best);
}

static void known_list(const char *section, char *out, size_t len)
{
	size_t used = 0;
	out[0] = '\0';
	for (size_t i = 0; i < NKEYS; i++) {
		if (section && strcmp(keys[i].section, section) != 0)
			continue;
		const char *n = section ? keys[i].name : keys[i].section;
		if (!section && strstr(out, n))
			continue;
		int w = snprintf(out + used, len - used, "%s%s", used ? ", " : "", n);
		if (w < 0 || (size_t)w >= len - used)
			break;
		used += (size_t)w;
	}
}

bool config_valid_driver(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n >= PCI_DRIVER_LEN)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '-')
			return false;
	return true;
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	char *end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		*--end = '\0';
	return s;
}

/* Next word of a list separated by blanks or commas; NULL at the end. */
static char *next_word(char **cursor)
{
	char *p = *cursor;
	while (*p == ' ' || *p == '\t' || *p == ',')
		p++;
	if (!*p)
		return NULL;
	char *w = p;
	while (*p && *p != ' ' && *p != '\t' && *p != ',')
		p++;
	if (*p)
		*p++ = '\0';
	*cursor = p;
	return w;
}

#define FAIL(...) ss_fail(e, -EINVAL, __VA_ARGS__)

static int set_devices(const char *path, int line, char *val, struct ss_config *c, struct ss_error *e)
{
	char *cur = val, *w;
	c->ndevices = 0;
	while ((w = next_word(&cur))) {
		struct pci_addr a;
		if (!pci_addr_parse_user(w, &a))
			return FAIL("%s:%d: [vm] devices: \"%s\" is not a PCI address; expected the form "
				    "0000:01:00.0 (as lspci -D prints it)", path, line, w);
		for (size_t i = 0; i < c->ndevices; i++)
			if (pci_addr_cmp(&c->devices[i], &a) == 0)
				return FAIL("%s:%d: [vm] devices: %s is listed twice", path, line, w);
		if (c->ndevices == SS_MAX_FUNCS)
			return FAIL("%s:%d: [vm] devices: more than %d functions; one GPU has at most 8",
				    path, line, SS_MAX_FUNCS);
		c->devices[c->ndevices++] = a;
	}
	if (c->ndevices == 0)
		return FAIL("%s:%d: [vm] devices is empty; expected %s", path, line, keys[0].expects);
	return 0;
}

static int set_bridge(const char *path, int line, char *val, struct ss_config *c, struct ss_error *e)
{
	char *cur = val, *w = next_word(&cur);
	if (!w || next_word(&cur))
		return FAIL("%s:%d: [vm] bridge: expected exactly one PCI address (0000:00:01.0)", path, line);
	if (!pci_addr_parse_user(w, &c->bridge))
		return FAIL("%s:%d: [vm] bridge: \"%s\" is not a PCI address; expected the form 0000:00:01.0",
			    path, line, w);
	c->has_bridge = true;
	return 0;
}

static int set_drivers(const char *path, int line, char *val, struct ss_config *c, struct ss_error *e)
{
	char *cur = val, *w;
	c->nhost = 0;
	while ((w = next_word(&cur))) {
		char *eq = strchr(w, '=');
		struct host_driver h;
		if (!eq)
			return FAIL("%s:%d: [host] drivers: \"%s\" has no '='; expected address=driver, "
				    "e.g. 0000:01:00.0=nvidia", path, line, w);
		*eq = '\0';
		if (!pci_addr_parse_user(w, &h.addr))
			return FAIL("%s:%d: [host] drivers: \"%s\" is not a PCI address (0000:01:00.0)",
				    path, line, w);
		if (!config_valid_driver(eq + 1))
			return FAIL("%s:%d: [host] drivers: \"%s\" is not a driver name (letters, digits, "
				    "'_' and '-', as in /sys/bus/pci/drivers)", path, line, eq + 1);
		if (strcmp(eq + 1, "vfio-pci") == 0)
			return FAIL("%s:%d: [host] drivers: %s=vfio-pci makes no sense; the host driver is the one "
				    "the device uses outside the VM", path, line, w);
		snprintf(h.driver, sizeof(h.driver), "%s", eq + 1);
		for (size_t i = 0; i < c->nhost; i++)
			if (pci_addr_cmp(&c->host[i].addr, &h.addr) == 0)
				return FAIL("%s:%d: [host] drivers: %s is given twice", path, line, w);
		if (c->nhost == SS_MAX_FUNCS)
			return FAIL("%s:%d: [host] drivers: more than %d entries", path, line, SS_MAX_FUNCS);
		c->host[c->nhost++] = h;
	}
	if (c->nhost == 0)
		return FAIL("%s:%d: [host] drivers is empty; expected %s", path, line, keys[2].expects);
	return 0;
}

static bool valid_name(const char *s)
{
	if (!*s || strlen(s) >= 128)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("_-.@", *s))
			return false;
	return true;
}

static int set_login(const char *path, int line, size_t k, const char *val, struct ss_config *c,
		     struct ss_error *e)
{
	if (k == 7) {
		if (strcmp(val, "yes") != 0 && strcmp(val, "no") != 0)
			return FAIL("%s:%d: [login] auto: \"%s\" is neither yes nor no", path, line, val);
		c->login_auto = val[0] == 'y';
		return 0;
	}
	char *end;
	long n = strtol(val, &end, 10);
	if (*end || n < 1 || n > 600)
		return FAIL("%s:%d: [login] window: \"%s\" is not a number of seconds from 1 to 600", path, line,
			    val);
	c->login_window = (int)n;
	return 0;
}

static int set_display(const char *path, int line, size_t k, char *val, struct ss_config *c, struct ss_error *e)
{
	if (k == 5) {
		char *end;
		long n = val[0] == ':' ? strtol(val + 1, &end, 10) : -1;
		if (n < 0 || n > 63 || *end || !val[1])
			return FAIL("%s:%d: [display] display: \"%s\" is not a display; expected :0", path, line, val);
		c->display = (int)n;
		return 0;
	}
	if (k == 6) {
		if (val[0] != '/' || strlen(val) >= sizeof(c->xauthority) || strpbrk(val, " \t"))
			return FAIL("%s:%d: [display] authfile: expected an absolute path", path, line);
		snprintf(c->xauthority, sizeof(c->xauthority), "%s", val);
		return 0;
	}
	static const struct {
		const char *kind;
		enum dm_kind dm;
	} kinds[] = { { "systemd", DM_SYSTEMD }, { "openrc", DM_OPENRC }, { "runit", DM_RUNIT },
		      { "command", DM_COMMAND } };
	if (strcmp(val, "none") == 0) {
		c->dm = DM_NONE;
		return 0;
	}
	char *colon = strchr(val, ':');
	if (colon) {
		*colon = '\0';
		for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
			if (strcmp(val, kinds[i].kind) != 0)
				continue;
			const char *name = colon + 1;
			bool ok = kinds[i].dm == DM_COMMAND ? name[0] == '/' && !strpbrk(name, " \t") &&
								      strlen(name) < sizeof(c->dm_name)
							    : valid_name(name);
			if (!ok)
				return FAIL("%s:%d: [display] manager: \"%s\" is not a %s for %s:", path, line, name,
					    kinds[i].dm == DM_COMMAND ? "single absolute path" : "unit or service name",
					    val);
			c->dm = kinds[i].dm;
			snprintf(c->dm_name, sizeof(c->dm_name), "%s", name);
			return 0;
		}
		*colon = ':';
	}
	return FAIL("%s:%d: [display] manager: \"%s\" is not understood; expected %s", path, line, val,
		    keys[4].expects);
}

int config_parse(const char *path, const char *text, struct ss_config *c, struct ss_error *e)
{
	char section[32] = "";
	bool seen[NKEYS] = { false };
	int lineno = 0, r;
	const char *p = text;

	config_init(c);
	snprintf(c->path, sizeof(c->path), "%s", path);
	while (*p) {
		char raw[1024], *line, *eq, *key, *val;
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		lineno++;
		if (n >= sizeof(raw))
			return FAIL("%s:%d: line longer than %zu characters", path, lineno, sizeof(raw) - 1);
		memcpy(raw, p, n);
		raw[n] = '\0';
		p += n + (nl ? 1 : 0);
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)raw[i] < 0x20 && raw[i] != '\t' && raw[i] != '\r')
				return FAIL("%s:%d: control character in the line", path, lineno);
		line = trim(raw);
		if (!*line || *line == '#' || *line == ';')
			continue;
		if (*line == '[') {
			char *close = strchr(line, ']');
			char known[128], hint[64];
			if (!close || *trim(close + 1))
				return FAIL("%s:%d: a section header is [name] alone on its line", path, lineno);
			*close = '\0';
			snprintf(section, sizeof(section), "%s", trim(line + 1));
			bool found = false;
			for (size_t i = 0; i < NKEYS; i++)
				found |= strcmp(keys[i].section, section) == 0;
			if (!found) {
				known_list(NULL, known, sizeof(known));
				suggest(section, NULL, hint, sizeof(hint));
				return FAIL("%s:%d: unknown section [%s]%s; known sections: %s", path, lineno,
					    section, hint, known);
			}
			continue;
		}
		eq = strchr(line, '=');
		if (!eq)
			return FAIL("%s:%d: expected key = value, [section], or a # comment", path, lineno);
		*eq = '\0';
		key = trim(line);
		val = trim(eq + 1);
		/* Strip a trailing comment: values never contain '#'. */
		char *hash = strchr(val, '#');
		if (hash) {
			*hash = '\0';
			val = trim(val);
		}
		if (!section[0])
			return FAIL("%s:%d: key '%s' before any [section]", path, lineno, key);
		size_t k;
		for (k = 0; k < NKEYS; k++)
			if (strcmp(keys[k].section, section) == 0 && strcmp(keys[k].name, key) == 0)
				break;
		if (k == NKEYS) {
			char known[128], hint[64];
			known_list(section, known, sizeof(known));
			suggest(key, section, hint, sizeof(hint));
			return FAIL("%s:%d: unknown key '%s' in [%s]%s; known keys there: %s", path, lineno, key,
				    section, hint, known);
		}
		if (seen[k])
			return FAIL("%s:%d: [%s] %s is set twice", path, lineno, section, key);
		seen[k] = true;
		if (!*val)
			return FAIL("%s:%d: [%s] %s has no value; expected %s", path, lineno, section, key,
				    keys[k].expects);
		if (k == 0)
			r = set_devices(path, lineno, val, c, e);
		else if (k == 1)
			r = set_bridge(path, lineno, val, c, e);
		else if (k == 2)
			r = set_drivers(path, lineno, val, c, e);
		else if (k >= 7)
			r = set_login(path, lineno, k, val, c, e);
		else if (k >= 4)
			r = set_display(path, lineno, k, val, c, e);
		else if (!config_valid_driver(val))
			r = FAIL("%s:%d: [host] xorg_driver: \"%s\" is not a driver name; expected %s", path,
				 lineno, val, keys[k].expects);
		else
			r = 0, snprintf(c->xorg_host_driver, sizeof(c->xorg_host_driver), "%s", val);
		if (r < 0)
			return r;
	}
	c->loaded = true;
	return 0;
}

int config_parse_fd(int fd, const char *path, struct ss_config *c, struct ss_error *e)
{
	char *buf = malloc(CONFIG_MAX + 1);
	size_t total = 0;
	int r;

	if (!buf)
		return ss_fail(e, -ENOMEM, "out of memory");
	for (;;) {
		ssize_t n = read(fd, buf + total, CONFIG_MAX + 1 - total);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = ss_fail(e, -errno, "%s: %s", path, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		total += (size_t)n;
		if (total > CONFIG_MAX) {
			r = ss_fail(e, -EFBIG, "%s: larger than %d bytes; this is not a session-switch config",
				    path, CONFIG_MAX);
			goto out;
		}
	}
	buf[total] = '\0';
	if (memchr(buf, '\0', total)) {
		r = ss_fail(e, -EINVAL, "%s: contains a NUL byte; this is not a text file", path);
		goto out;
	}
	r = config_parse(path, buf, c, e);
out:
	free(buf);
	return r;
}

int config_load_secure(const char *path, struct ss_config *c, struct ss_error *e)
{
	struct stat st;
	int fd, r;

	config_init(c);
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		if (errno == ENOENT)
			return -ENOENT;
		if (errno == ELOOP)
			return ss_fail(e, -ELOOP, "%s is a symbolic link; the configuration must be a plain "
				       "file owned by root", path);
		return ss_fail(e, -errno, "%s: %s", path, strerror(errno));
	}
	if (fstat(fd, &st) < 0) {
		r = ss_fail(e, -errno, "%s: %s", path, strerror(errno));
	} else if (!S_ISREG(st.st_mode)) {
		r = ss_fail(e, -EINVAL, "%s is not a regular file", path);
	} else if (st.st_uid != 0) {
		r = ss_fail(e, -EPERM, "%s is owned by uid %u, not root: chown root:root %s", path,
			    (unsigned)st.st_uid, path);
	} else if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		r = ss_fail(e, -EPERM, "%s is writable by group or others (mode %04o): chmod 644 %s", path,
			    (unsigned)(st.st_mode & 07777), path);
	} else {
		r = config_parse_fd(fd, path, c, e);
	}
	close(fd);
	return r;
}

const char *config_host_driver(const struct ss_config *c, const struct pci_addr *a)
{
	for (size_t i = 0; i < c->nhost; i++)
		if (pci_addr_cmp(&c->host[i].addr, a) == 0)
			return c->host[i].driver;
	return NULL;
}
