#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"
#include "kvlines.h"

/* The config file may not be larger than this; it is a few lines. */
#define CONFIG_MAX (64 * 1024)
/* The longest line, and so the longest value a setter is given. */
#define CONFIG_LINE 1024

const char *config_host_driver(const struct ss_config *c, const struct pci_addr *a)
{
	const char *driver = NULL;

	for (size_t i = 0; !driver && i < c->nhost; i++)
		if (pci_addr_cmp(&c->host[i].addr, a) == 0)
			driver = c->host[i].driver;
	return driver;
}

/* Next word of a list separated by blanks or commas; NULL at the end. */
static char *next_word(char **cursor)
{
	char *p = *cursor, *w = NULL;

	while (*p == ' ' || *p == '\t' || *p == ',')
		p++;
	if (*p) {
		w = p;
		while (*p && *p != ' ' && *p != '\t' && *p != ',')
			p++;
		if (*p)
			*p++ = '\0';
		*cursor = p;
	}
	return w;
}

/* A unit or service name: nothing a shell or a path could read more into. */
static bool valid_name(const char *s)
{
	bool ok = *s && strlen(s) < 128;

	for (; ok && *s; s++)
		ok = isalnum((unsigned char)*s) || strchr("_-.@", *s);
	return ok;
}

/* Every message of a setter starts "path:line: [section] key", so none can
 * forget to say which line is wrong. */
static int bad(struct ss_error *e, const struct config_where *w, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int bad(struct ss_error *e, const struct config_where *w, const char *fmt, ...)
{
	char what[SS_ERRLEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return ss_fail(e, -EINVAL, "%s:%d: [%s] %s%s", w->path, w->line, w->key->section, w->key->name, what);
}

static int set_devices(struct ss_config *c, const char *value, const struct config_where *w,
		       struct ss_error *e)
{
	char list[CONFIG_LINE], *cur = list, *word;
	int r = 0;

	snprintf(list, sizeof(list), "%s", value);
	c->ndevices = 0;
	while (r == 0 && (word = next_word(&cur))) {
		struct pci_addr a;
		bool twice = false;
		bool parsed = pci_addr_parse_user(word, &a);
		for (size_t i = 0; parsed && i < c->ndevices; i++)
			twice |= pci_addr_cmp(&c->devices[i], &a) == 0;
		if (!parsed)
			r = bad(e, w,
				": \"%s\" is not a PCI address; expected the form 0000:01:00.0 "
				"(as lspci -D prints it)",
				word);
		else if (twice)
			r = bad(e, w, ": %s is listed twice", word);
		else if (c->ndevices == SS_MAX_FUNCS)
			r = bad(e, w, ": more than %d functions; one GPU has at most 8", SS_MAX_FUNCS);
		else
			c->devices[c->ndevices++] = a;
	}
	if (r == 0 && c->ndevices == 0)
		r = bad(e, w, " is empty; expected %s", w->key->expects);
	return r;
}

static int set_bridge(struct ss_config *c, const char *value, const struct config_where *w,
		      struct ss_error *e)
{
	char list[CONFIG_LINE], *cur = list, *word;
	int r = 0;

	snprintf(list, sizeof(list), "%s", value);
	word = next_word(&cur);
	if (!word || next_word(&cur))
		r = bad(e, w, ": expected exactly one PCI address (0000:00:01.0)");
	else if (!pci_addr_parse_user(word, &c->bridge))
		r = bad(e, w, ": \"%s\" is not a PCI address; expected the form 0000:00:01.0", word);
	else
		c->has_bridge = true;
	return r;
}

static int set_drivers(struct ss_config *c, const char *value, const struct config_where *w,
		       struct ss_error *e)
{
	char list[CONFIG_LINE], *cur = list, *word;
	int r = 0;

	snprintf(list, sizeof(list), "%s", value);
	c->nhost = 0;
	while (r == 0 && (word = next_word(&cur))) {
		char *eq = strchr(word, '=');
		struct host_driver h;
		if (eq)
			*eq = '\0';
		if (!eq)
			r = bad(e, w,
				": \"%s\" has no '='; expected address=driver, e.g. "
				"0000:01:00.0=nvidia",
				word);
		else if (!pci_addr_parse_user(word, &h.addr))
			r = bad(e, w, ": \"%s\" is not a PCI address (0000:01:00.0)", word);
		else if (!pci_driver_name_valid(eq + 1))
			r = bad(e, w,
				": \"%s\" is not a driver name (letters, digits, '_' and '-', as in "
				"/sys/bus/pci/drivers)",
				eq + 1);
		else if (strcmp(eq + 1, "vfio-pci") == 0)
			r = bad(e, w,
				": %s=vfio-pci makes no sense; the host driver is the one the device "
				"uses outside the VM",
				word);
		else if (config_host_driver(c, &h.addr))
			r = bad(e, w, ": %s is given twice", word);
		else if (c->nhost == SS_MAX_FUNCS)
			r = bad(e, w, ": more than %d entries", SS_MAX_FUNCS);
		else {
			snprintf(h.driver, sizeof(h.driver), "%s", eq + 1);
			c->host[c->nhost++] = h;
		}
	}
	if (r == 0 && c->nhost == 0)
		r = bad(e, w, " is empty; expected %s", w->key->expects);
	return r;
}

static int set_host_gpu(struct ss_config *c, const char *value, const struct config_where *w,
			struct ss_error *e)
{
	char one[CONFIG_LINE], *cur = one, *word;
	int r = 0;

	snprintf(one, sizeof(one), "%s", value);
	word = next_word(&cur);
	if (!word || next_word(&cur))
		r = bad(e, w, ": expected exactly one PCI address, the host's GPU (0000:00:02.0)");
	else if (!pci_addr_parse_user(word, &c->host_gpu))
		r = bad(e, w, ": \"%s\" is not a PCI address; expected the form 0000:00:02.0", word);
	else
		c->has_host_gpu = true;
	return r;
}

static int set_xorg_driver(struct ss_config *c, const char *value, const struct config_where *w,
			   struct ss_error *e)
{
	int r = 0;

	if (!pci_driver_name_valid(value))
		r = bad(e, w, ": \"%s\" is not a driver name; expected %s", value, w->key->expects);
	else
		snprintf(c->xorg_host_driver, sizeof(c->xorg_host_driver), "%s", value);
	return r;
}

static int set_offload(struct ss_config *c, const char *value, const struct config_where *w,
		       struct ss_error *e)
{
	int r = 0;

	if (strcmp(value, "yes") != 0 && strcmp(value, "no") != 0)
		r = bad(e, w, ": \"%s\" is neither yes nor no", value);
	if (r == 0) {
		c->offload = value[0] == 'y';
		c->has_offload = true;
	}
	return r;
}

int config_service_parse(const char *value, enum dm_kind *kind, char *name, size_t len, const char **why)
{
	static const struct {
		const char *kind;
		enum dm_kind dm;
	} kinds[] = {
	    {"systemd", DM_SYSTEMD}, {"openrc", DM_OPENRC}, {"runit", DM_RUNIT}, {"command", DM_COMMAND}};
	const char *colon = strchr(value, ':');
	size_t klen = colon ? (size_t)(colon - value) : 0;
	enum dm_kind dm = DM_UNSET;
	const char *n = colon ? colon + 1 : "";
	bool name_ok = false;

	for (size_t i = 0; colon && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strlen(kinds[i].kind) == klen && strncmp(value, kinds[i].kind, klen) == 0)
			dm = kinds[i].dm;
	/* A command is run by its path, a unit or service by a name that is
	 * handed to systemctl, /etc/init.d or sv. */
	if (dm == DM_COMMAND)
		name_ok = n[0] == '/' && !strpbrk(n, " \t") && strlen(n) < len && n[strlen(n) - 1] != '/';
	else if (dm != DM_UNSET)
		name_ok = valid_name(n) && strlen(n) < len;
	*why = dm == DM_UNSET ? "is not understood"
	       : !name_ok     ? (dm == DM_COMMAND ? "is not a single absolute path after command:"
						  : "is not a unit or service name after the kind")
			      : NULL;
	if (*why)
		return -EINVAL;
	*kind = dm;
	snprintf(name, len, "%s", n);
	return 0;
}

static int set_manager(struct ss_config *c, const char *value, const struct config_where *w,
		       struct ss_error *e)
{
	const char *why;
	int r = 0;

	if (strcmp(value, "none") == 0)
		c->dm = DM_NONE;
	else if (config_service_parse(value, &c->dm, c->dm_name, sizeof(c->dm_name), &why) < 0)
		r = bad(e, w, ": \"%s\" %s; expected %s", value, why, w->key->expects);
	return r;
}

const char *config_service_jname(const struct service *s)
{
	const char *slash = s->kind == DM_COMMAND ? strrchr(s->name, '/') : NULL;
	return slash ? slash + 1 : s->name;
}

const struct service *config_service_find(const struct ss_config *c, const char *jname)
{
	const struct service *found = NULL;

	for (size_t i = 0; !found && i < c->nservices; i++)
		if (strcmp(config_service_jname(&c->services[i]), jname) == 0)
			found = &c->services[i];
	return found;
}

static int set_services(struct ss_config *c, const char *value, const struct config_where *w,
			struct ss_error *e)
{
	char list[CONFIG_LINE], *cur = list, *word;
	int r = 0;

	snprintf(list, sizeof(list), "%s", value);
	c->nservices = 0;
	while (r == 0 && (word = next_word(&cur))) {
		struct service s;
		const char *why;
		if (config_service_parse(word, &s.kind, s.name, sizeof(s.name), &why) < 0)
			r = bad(e, w, ": \"%s\" %s; expected %s", word, why, w->key->expects);
		else if (config_service_find(c, config_service_jname(&s)))
			r = bad(e, w, ": %s is listed twice", config_service_jname(&s));
		else if (c->nservices == SS_MAX_SERVICES)
			r = bad(e, w, ": more than %d services", SS_MAX_SERVICES);
		else
			c->services[c->nservices++] = s;
	}
	if (r == 0 && c->nservices == 0)
		r = bad(e, w, " is empty; expected %s", w->key->expects);
	return r;
}

bool config_module_name_valid(const char *s)
{
	size_t n = strlen(s);
	bool ok = n > 0 && n < SS_MODULE_LEN;

	for (size_t i = 0; ok && i < n; i++)
		ok = isalnum((unsigned char)s[i]) || s[i] == '_';
	return ok;
}

static int set_unload(struct ss_config *c, const char *value, const struct config_where *w,
		      struct ss_error *e)
{
	char list[CONFIG_LINE], *cur = list, *word;
	int r = 0;

	snprintf(list, sizeof(list), "%s", value);
	c->nunload = 0;
	while (r == 0 && (word = next_word(&cur))) {
		bool twice = false;
		for (char *p = word; *p; p++)
			*p = *p == '-' ? '_' : *p; /* modprobe's spelling is the same module */
		for (size_t i = 0; i < c->nunload; i++)
			twice |= strcmp(c->unload[i], word) == 0;
		if (!config_module_name_valid(word))
			r = bad(e, w,
				": \"%s\" is not a module name (letters, digits and '_', as in /sys/module)",
				word);
		else if (twice)
			r = bad(e, w, ": %s is listed twice", word);
		else if (c->nunload == SS_MAX_MODULES)
			r = bad(e, w, ": more than %d modules", SS_MAX_MODULES);
		else
			snprintf(c->unload[c->nunload++], SS_MODULE_LEN, "%s", word);
	}
	if (r == 0 && c->nunload == 0)
		r = bad(e, w, " is empty; expected %s", w->key->expects);
	return r;
}

static int set_persistence(struct ss_config *c, const char *value, const struct config_where *w,
			   struct ss_error *e)
{
	int r = 0;

	if (strcmp(value, "yes") != 0 && strcmp(value, "no") != 0)
		r = bad(e, w, ": \"%s\" is neither yes nor no", value);
	else
		c->persistence = value[0] == 'y';
	return r;
}

static int set_display(struct ss_config *c, const char *value, const struct config_where *w,
		       struct ss_error *e)
{
	char *end = NULL;
	long n = value[0] == ':' ? strtol(value + 1, &end, 10) : -1;
	int r = 0;

	if (n < 0 || n > 63 || *end || !value[1])
		r = bad(e, w, ": \"%s\" is not a display; expected :0", value);
	else
		c->display = (int)n;
	return r;
}

static int set_authfile(struct ss_config *c, const char *value, const struct config_where *w,
			struct ss_error *e)
{
	int r = 0;

	if (value[0] != '/' || strlen(value) >= sizeof(c->xauthority) || strpbrk(value, " \t"))
		r = bad(e, w, ": expected an absolute path");
	else
		snprintf(c->xauthority, sizeof(c->xauthority), "%s", value);
	return r;
}

static int set_login_auto(struct ss_config *c, const char *value, const struct config_where *w,
			  struct ss_error *e)
{
	int r = 0;

	if (strcmp(value, "yes") != 0 && strcmp(value, "no") != 0)
		r = bad(e, w, ": \"%s\" is neither yes nor no", value);
	else
		c->login_auto = value[0] == 'y';
	return r;
}

static int set_login_window(struct ss_config *c, const char *value, const struct config_where *w,
			    struct ss_error *e)
{
	char *end;
	long n = strtol(value, &end, 10);
	int r = 0;

	if (*end || n < 1 || n > 600)
		r = bad(e, w, ": \"%s\" is not a number of seconds from 1 to 600", value);
	else
		c->login_window = (int)n;
	return r;
}

static int set_ddc_monitor(struct ss_config *c, const char *value, const struct config_where *w,
			   struct ss_error *e)
{
	const char *why;
	int r = 0;

	if (monitor_id_parse(value, &c->ddc_monitor, &why) < 0)
		r = bad(e, w, ": \"%s\" %s; expected %s", value, why, w->key->expects);
	else
		c->has_ddc = true;
	if (!c->ddc_line)
		c->ddc_line = w->line;
	return r;
}

/* An input source of VCP 0x60 (MCCS: 0x0f DisplayPort-1, 0x10
 * DisplayPort-2, 0x11 HDMI-1 ...), hex or decimal, one byte. */
static int set_ddc_input(struct ss_config *c, const char *value, const struct config_where *w,
			 struct ss_error *e)
{
	int *slot = strcmp(w->key->name, "vm_input") == 0 ? &c->ddc_vm_input : &c->ddc_host_input;
	char *end;
	long n;
	int r = 0;

	errno = 0;
	n = isdigit((unsigned char)value[0]) ? strtol(value, &end, 0) : -1;
	if (n < 1 || n > 255 || errno || *end)
		r = bad(e, w, ": \"%s\" is not an input; expected %s", value, w->key->expects);
	else
		*slot = (int)n;
	if (!c->ddc_line)
		c->ddc_line = w->line;
	return r;
}

/* libvirt's domain names: anything but '/' and whitespace, as virsh
 * accepts them; the hook compares them byte for byte. */
static int set_libvirt_domains(struct ss_config *c, const char *value, const struct config_where *w,
			       struct ss_error *e)
{
	char list[CONFIG_LINE], *cur = list, *word;
	int r = 0;

	snprintf(list, sizeof(list), "%s", value);
	c->nlibvirt = 0;
	while (r == 0 && (word = next_word(&cur))) {
		bool twice = false;
		for (size_t i = 0; i < c->nlibvirt; i++)
			twice |= strcmp(c->libvirt_domains[i], word) == 0;
		if (strchr(word, '/') || strlen(word) >= sizeof(c->libvirt_domains[0]))
			r = bad(e, w, ": \"%s\" is not a libvirt domain name (no '/', under 128 bytes)",
				word);
		else if (twice)
			r = bad(e, w, ": %s is listed twice", word);
		else if (c->nlibvirt == SS_MAX_SERVICES)
			r = bad(e, w, ": more than %d domains", SS_MAX_SERVICES);
		else
			snprintf(c->libvirt_domains[c->nlibvirt++], sizeof(c->libvirt_domains[0]), "%s",
				 word);
	}
	if (r == 0 && c->nlibvirt == 0)
		r = bad(e, w, " is empty; expected %s", w->key->expects);
	return r;
}

/* The order is the order of the messages' lists ("known keys there: ...")
 * and of session-switch.conf(5); nothing depends on a key's position. */
static const struct config_key keys[] = {
    {.section = "vm",
     .name = "devices",
     .expects = "PCI addresses (0000:01:00.0 0000:01:00.1) of every function to hand to vfio-pci",
     .def = "the functions of the detected card (its slot's functions with its vendor)",
     .set = set_devices},
    {.section = "vm",
     .name = "bridge",
     .expects = "the PCI address of the bridge to remove and rescan (0000:00:01.0)",
     .def = "none: no bridge is removed and rescanned",
     .set = set_bridge},
    {.section = "host",
     .name = "drivers",
     .expects = "address=driver pairs (0000:01:00.0=nvidia 0000:01:00.1=snd_hda_intel)",
     .def = "each function's driver before the switch, as the journal keeps it",
     .set = set_drivers},
    {.section = "host",
     .name = "gpu",
     .expects = "the PCI address of the display controller the host keeps for its desktop (0000:00:02.0)",
     .def = "the integrated GPU when detection finds one, or else the one display controller that [vm] "
	    "devices leaves",
     .set = set_host_gpu},
    {.section = "host",
     .name = "xorg_driver",
     .expects = "the Xorg driver for the discrete GPU in host mode (nvidia, modesetting)",
     .def = "modesetting",
     .def_is_value = true,
     .set = set_xorg_driver},
    {.section = "host",
     .name = "offload",
     .expects = "yes or no: the VM's GPU drives no monitor in host mode either (X stays on the host's GPU, "
		"the card is a render offload device), so a switch moves it with X running",
     .def = "yes for a 3D controller without outputs (class 0302), no for any other GPU",
     .set = set_offload},
    {.section = "host",
     .name = "services",
     .expects =
	 "KIND:NAME of each service that holds the GPU (openrc:nvidia-persistenced systemd:nvidia-powerd)",
     .def = "none: no service is stopped",
     .set = set_services},
    {.section = "host",
     .name = "unload",
     .expects = "the host driver's modules in the order they are unloaded (nvidia_drm nvidia_modeset "
		"nvidia_uvm nvidia)",
     .def = "none: the functions are unbound, no module is unloaded",
     .set = set_unload},
    {.section = "host",
     .name = "persistence",
     .expects = "yes or no: turn the host driver's legacy persistence mode off before the card moves and on "
		"again after the way back",
     .def = "no",
     .def_is_value = true,
     .set = set_persistence},
    {.section = "display",
     .name = "manager",
     .expects = "systemd:UNIT, openrc:SERVICE, runit:SERVICE, command:/ABSOLUTE/PATH or none",
     .def = "unset: a switch neither stops nor starts the display manager",
     .set = set_manager},
    {.section = "display",
     .name = "display",
     .expects = "the X display, :0",
     .def = ":0",
     .def_is_value = true,
     .set = set_display},
    {.section = "display",
     .name = "authfile",
     .expects = "the display manager's X authority file (/var/run/slim.auth)",
     .def = "/var/run/slim.auth",
     .def_is_value = true,
     .set = set_authfile},
    {.section = "login",
     .name = "auto",
     .expects = "yes or no: after a switch asked from the login screen, log that user in once on the new GPU",
     .def = "yes",
     .def_is_value = true,
     .set = set_login_auto},
    {.section = "login",
     .name = "window",
     .expects = "seconds after the login within which its switch may log the user in again (1-600)",
     .def = "120",
     .def_is_value = true,
     .set = set_login_window},
    {.section = "ddc",
     .name = "monitor",
     .expects = "the monitor by its EDID, MFG:MODEL[:SERIAL]: the manufacturer's three letters, the model "
		"name or product code, the serial (DEL:DELL U2715H:ABC123, as edid-decode prints them)",
     .def = "unset: no monitor's input is switched",
     .set = set_ddc_monitor},
    {.section = "ddc",
     .name = "vm_input",
     .expects = "the input (VCP 0x60 value, 1-255: 0x0f DisplayPort-1, 0x10 DisplayPort-2, 0x11 HDMI-1) the "
		"monitor shows in vm mode, the card's",
     .def = "unset: the input is left alone on the way to vm",
     .set = set_ddc_input},
    {.section = "ddc",
     .name = "host_input",
     .expects = "the input (VCP 0x60 value, 1-255) the monitor shows in host mode",
     .def = "unset: the input is left alone on the way to host",
     .set = set_ddc_input},
    {.section = "libvirt",
     .name = "domains",
     .expects = "the names of the libvirt domains (virsh list --all) whose start switches to vm and whose "
		"end switches back to host (win10 win11)",
     .def = "none: the libvirt hook does nothing",
     .set = set_libvirt_domains},
};
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

const struct config_key *config_keys(size_t *n)
{
	*n = NKEYS;
	return keys;
}

void config_init(struct ss_config *c)
{
	struct ss_error ignored;

	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < NKEYS; i++) {
		struct config_where w = {"(default)", 0, &keys[i]};
		/* The default is the documented text itself, parsed as a file's
		 * value would be; test-conf proves each one parses. */
		if (keys[i].def_is_value)
			(void)keys[i].set(c, keys[i].def, &w, &ignored);
	}
}

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), prev[33], cur[33];

	/* Longer than any key or section: too far from all of them. */
	if (la > 32 || lb > 32)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t sub = prev[j - 1] +
				     (tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]));
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

#define FAIL(...) ss_fail(e, -EINVAL, __VA_ARGS__)

struct parse {
	const char *path;
	int line;
	char section[32];
	bool seen[NKEYS];
};

static int parse_header(struct parse *ps, char *line, struct ss_error *e)
{
	char *close = strchr(line, ']'), known[128], hint[64];
	bool found = false;
	int r = 0;

	if (!close || *kv_trim(close + 1)) {
		r = FAIL("%s:%d: a section header is [name] alone on its line", ps->path, ps->line);
	} else {
		*close = '\0';
		snprintf(ps->section, sizeof(ps->section), "%s", kv_trim(line + 1));
		for (size_t i = 0; i < NKEYS; i++)
			found |= strcmp(keys[i].section, ps->section) == 0;
		if (!found) {
			known_list(NULL, known, sizeof(known));
			suggest(ps->section, NULL, hint, sizeof(hint));
			r = FAIL("%s:%d: unknown section [%s]%s; known sections: %s", ps->path, ps->line,
				 ps->section, hint, known);
		}
	}
	return r;
}

/* line is "key = value" with eq at its '='. */
static int parse_assignment(struct parse *ps, char *line, char *eq, struct ss_config *c, struct ss_error *e)
{
	char *key, *val, known[128], hint[64];
	size_t k = 0;
	int r;

	kv_split(line, eq, &key, &val);
	while (ps->section[0] && k < NKEYS &&
	       (strcmp(keys[k].section, ps->section) != 0 || strcmp(keys[k].name, key) != 0))
		k++;

	if (!ps->section[0]) {
		r = FAIL("%s:%d: key '%s' before any [section]", ps->path, ps->line, key);
	} else if (k == NKEYS) {
		known_list(ps->section, known, sizeof(known));
		suggest(key, ps->section, hint, sizeof(hint));
		r = FAIL("%s:%d: unknown key '%s' in [%s]%s; known keys there: %s", ps->path, ps->line, key,
			 ps->section, hint, known);
	} else if (ps->seen[k]) {
		r = FAIL("%s:%d: [%s] %s is set twice", ps->path, ps->line, ps->section, key);
	} else if (!*val) {
		r = FAIL("%s:%d: [%s] %s has no value; expected %s", ps->path, ps->line, ps->section, key,
			 keys[k].expects);
	} else {
		struct config_where w = {ps->path, ps->line, &keys[k]};
		ps->seen[k] = true;
		r = keys[k].set(c, val, &w, e);
	}
	return r;
}

/* A trimmed line that is not blank and not a comment (kv_each_line). */
struct conf_lines {
	struct parse *ps;
	struct ss_config *c;
};

static int parse_line(void *arg, char *line, int lineno, struct ss_error *e)
{
	struct conf_lines *cl = arg;
	struct parse *ps = cl->ps;
	char *eq;
	int r;

	ps->line = lineno;
	if (*line == '[')
		r = parse_header(ps, line, e);
	else if (!(eq = strchr(line, '=')))
		r = FAIL("%s:%d: expected key = value, [section], or a # comment", ps->path, ps->line);
	else
		r = parse_assignment(ps, line, eq, cl->c, e);
	return r;
}

int config_parse(const char *path, const char *text, struct ss_config *c, struct ss_error *e)
{
	struct parse ps = {.path = path};
	struct conf_lines cl = {&ps, c};
	int r;

	config_init(c);
	snprintf(c->path, sizeof(c->path), "%s", path);
	r = kv_each_line(path, text, CONFIG_LINE, parse_line, &cl, e);
	/* An input without a monitor, or a monitor without an input, is a
	 * half-written section: said, not ignored. */
	if (r == 0 && c->ddc_line && !c->has_ddc)
		r = FAIL("%s:%d: [ddc] has an input but no monitor; add monitor = MFG:MODEL[:SERIAL]", path,
			 c->ddc_line);
	else if (r == 0 && c->has_ddc && !c->ddc_vm_input && !c->ddc_host_input)
		r = FAIL(
		    "%s:%d: [ddc] monitor has no vm_input or host_input: say which input each mode shows",
		    path, c->ddc_line);
	c->loaded = r == 0;
	return r;
}

int config_parse_fd(int fd, const char *path, struct ss_config *c, struct ss_error *e)
{
	char *buf = malloc(CONFIG_MAX + 1);
	size_t total = 0;
	int r;

	if (!buf) {
		r = ss_fail(e, -ENOMEM, "out of memory");
		goto out;
	}
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
			r = ss_fail(e, -EFBIG,
				    "%s: larger than %d bytes; this is not a session-switch config", path,
				    CONFIG_MAX);
			goto out;
		}
	}
	buf[total] = '\0';
	if (memchr(buf, '\0', total))
		r = ss_fail(e, -EINVAL, "%s: contains a NUL byte; this is not a text file", path);
	else
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
	if (fd < 0 && errno == ENOENT)
		r = -ENOENT;
	else if (fd < 0 && errno == ELOOP)
		r = ss_fail(e, -ELOOP,
			    "%s is a symbolic link; the configuration must be a plain file "
			    "owned by root",
			    path);
	else if (fd < 0)
		r = ss_fail(e, -errno, "%s: %s", path, strerror(errno));
	else if (fstat(fd, &st) < 0)
		r = ss_fail(e, -errno, "%s: %s", path, strerror(errno));
	else if (!S_ISREG(st.st_mode))
		r = ss_fail(e, -EINVAL, "%s is not a regular file", path);
	else if (st.st_uid != 0)
		r = ss_fail(e, -EPERM, "%s is owned by uid %u, not root: chown root:root %s", path,
			    (unsigned)st.st_uid, path);
	else if (st.st_mode & (S_IWGRP | S_IWOTH))
		r = ss_fail(e, -EPERM, "%s is writable by group or others (mode %04o): chmod 644 %s", path,
			    (unsigned)(st.st_mode & 07777), path);
	else
		r = config_parse_fd(fd, path, c, e);
	if (fd >= 0)
		close(fd);
	return r;
}
