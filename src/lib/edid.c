/* EDID base block decoding and the connector that carries a monitor.
 * Everything read comes from /sys/class/drm through sysroot.c; the bytes
 * are the monitor's, so every field is bounds-checked and every text is
 * cut to printable ASCII before anyone prints it. */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edid.h"

static const unsigned char header[8] = {0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00};

/* A descriptor's text: up to 13 bytes, ended by 0x0A, padded with spaces. */
static void descriptor_text(const unsigned char *p, char out[EDID_TEXT])
{
	size_t n = 0;

	for (size_t i = 0; i < EDID_TEXT - 1 && p[i] != 0x0a && p[i] != 0x00; i++)
		out[n++] = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '?';
	while (n > 0 && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
}

int edid_parse(const unsigned char *buf, size_t n, struct edid_info *out, struct ss_error *e)
{
	unsigned sum = 0;
	unsigned id;
	int r = 0;

	memset(out, 0, sizeof(*out));
	if (n < EDID_BLOCK)
		return ss_fail(e, -EINVAL, "%zu bytes: an EDID has at least %d", n, EDID_BLOCK);
	for (size_t i = 0; i < EDID_BLOCK; i++)
		sum += buf[i];
	if (memcmp(buf, header, sizeof(header)) != 0)
		r = ss_fail(e, -EINVAL, "no EDID header (00 ff ff ff ff ff ff 00)");
	else if (sum % 256)
		r = ss_fail(e, -EINVAL, "EDID checksum is wrong (sum %% 256 = %u)", sum % 256);
	if (r < 0)
		return r;
	/* Bytes 8-9: three letters of 5 bits, 'A' = 1, big-endian. */
	id = (unsigned)buf[8] << 8 | buf[9];
	for (int i = 0; i < 3; i++) {
		unsigned c = (id >> (10 - 5 * i)) & 0x1f;
		out->mfg[i] = c >= 1 && c <= 26 ? (char)('A' + c - 1) : '?';
	}
	out->product = (unsigned)buf[10] | (unsigned)buf[11] << 8;
	out->serial = (unsigned long)buf[12] | (unsigned long)buf[13] << 8 | (unsigned long)buf[14] << 16 |
		      (unsigned long)buf[15] << 24;
	/* Four 18-byte descriptors from byte 54; a display descriptor
	 * starts 00 00 00 TAG 00, a detailed timing has a pixel clock. */
	for (size_t d = 54; d + 18 <= 126; d += 18) {
		const unsigned char *p = buf + d;
		if (p[0] || p[1] || p[2])
			continue;
		if (p[3] == 0xfc && !out->name[0])
			descriptor_text(p + 5, out->name);
		else if (p[3] == 0xff && !out->serial_str[0])
			descriptor_text(p + 5, out->serial_str);
	}
	return 0;
}

static bool number_is(const char *text, unsigned long v)
{
	char *end;
	unsigned long n;

	if (!isdigit((unsigned char)text[0]))
		return false;
	errno = 0;
	n = strtoul(text, &end, 0);
	return !*end && errno == 0 && n == v;
}

bool edid_matches(const struct edid_info *info, const struct monitor_id *id)
{
	bool model = strcmp(info->name[0] ? info->name : "\x01", id->model) == 0 ||
		     number_is(id->model, info->product);
	bool serial = !id->serial[0] ||
		      strcmp(info->serial_str[0] ? info->serial_str : "\x01", id->serial) == 0 ||
		      (info->serial && number_is(id->serial, info->serial));

	return strcmp(info->mfg, id->mfg) == 0 && model && serial;
}

static bool field_ok(const char *s, size_t len)
{
	size_t n = strlen(s);
	bool ok = n > 0 && n < len;

	for (size_t i = 0; ok && i < n; i++)
		ok = s[i] >= 0x20 && s[i] < 0x7f && s[i] != ':';
	return ok && s[0] != ' ' && s[n - 1] != ' ';
}

int monitor_id_parse(const char *text, struct monitor_id *id, const char **why)
{
	char copy[64], *model, *serial;
	int r = 0;

	memset(id, 0, sizeof(*id));
	*why = NULL;
	if (strlen(text) >= sizeof(copy)) {
		*why = "is too long for MFG:MODEL:SERIAL";
		return -EINVAL;
	}
	snprintf(copy, sizeof(copy), "%s", text);
	model = strchr(copy, ':');
	serial = model ? strchr(model + 1, ':') : NULL;
	if (model)
		*model++ = '\0';
	if (serial)
		*serial++ = '\0';
	if (strlen(copy) != 3 || !isupper((unsigned char)copy[0]) || !isupper((unsigned char)copy[1]) ||
	    !isupper((unsigned char)copy[2]))
		*why = "does not start with a manufacturer's three capital letters (DEL, GSM, AUS)";
	else if (!model || !field_ok(model, EDID_TEXT))
		*why =
		    "has no model after the manufacturer: its name (up to 13 characters) or its product code";
	else if (serial && !field_ok(serial, EDID_TEXT))
		*why = "has an empty or overlong serial after the model (up to 13 characters, no ':')";
	if (*why)
		r = -EINVAL;
	else {
		snprintf(id->mfg, sizeof(id->mfg), "%s", copy);
		snprintf(id->model, sizeof(id->model), "%s", model);
		snprintf(id->serial, sizeof(id->serial), "%s", serial ? serial : "");
	}
	return r;
}

void monitor_id_format(const struct monitor_id *id, char *buf, size_t len)
{
	snprintf(buf, len, "%s:%s%s%s", id->mfg, id->model, id->serial[0] ? ":" : "", id->serial);
}

void edid_hex(const unsigned char *buf, char out[2 * EDID_BLOCK + 1])
{
	for (size_t i = 0; i < EDID_BLOCK; i++)
		snprintf(out + 2 * i, 3, "%02x", buf[i]);
}

static int hexval(char c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
				      : -1;
}

int edid_unhex(const char *hex, unsigned char out[EDID_BLOCK])
{
	if (strlen(hex) != 2 * EDID_BLOCK)
		return -EINVAL;
	for (size_t i = 0; i < EDID_BLOCK; i++) {
		int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -EINVAL;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

/* The connector's DDC adapter: the "ddc" link (HDMI, DVI, VGA), or an
 * i2c-N directory of its own (DP AUX, i915 and amdgpu). */
static void connector_i2c(const struct sysroot *sr, const char *conn, char *out, size_t len)
{
	char path[128], link[256];
	const char *base;
	struct dirent *de;
	DIR *d;

	out[0] = '\0';
	snprintf(path, sizeof(path), "/sys/class/drm/%s/ddc", conn);
	if (sysroot_readlink(sr, path, link, sizeof(link)) > 0) {
		base = strrchr(link, '/');
		base = base ? base + 1 : link;
		if (strncmp(base, "i2c-", 4) == 0 && strlen(base) < len)
			memcpy(out, base, strlen(base) + 1);
	}
	snprintf(path, sizeof(path), "/sys/class/drm/%s", conn);
	if (out[0] || sysroot_opendir(sr, path, &d) < 0)
		return;
	while (!out[0] && (de = readdir(d)))
		if (strncmp(de->d_name, "i2c-", 4) == 0 && isdigit((unsigned char)de->d_name[4]) &&
		    strlen(de->d_name) < len)
			memcpy(out, de->d_name, strlen(de->d_name) + 1);
	closedir(d);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct edid_found *)a)->connector, ((const struct edid_found *)b)->connector);
}

int edid_find(const struct sysroot *sr, const struct monitor_id *id, struct edid_found *out, size_t max,
	      size_t *n, struct ss_error *e)
{
	struct dirent *de;
	DIR *d;
	int r;

	*n = 0;
	r = sysroot_opendir(sr, "/sys/class/drm", &d);
	if (r < 0)
		return ss_fail(e, r, "/sys/class/drm: %s", strerror(-r));
	while (*n < max && (de = readdir(d))) {
		char path[128], *raw = NULL;
		struct ss_error ignored;
		ssize_t len;
		/* connectors are cardN-NAME; cardN and renderDN have no EDID */
		if (strncmp(de->d_name, "card", 4) != 0 || !strchr(de->d_name, '-') ||
		    strlen(de->d_name) >= sizeof(out->connector))
			continue;
		snprintf(path, sizeof(path), "/sys/class/drm/%s/edid", de->d_name);
		len = sysroot_slurp(sr, path, 32 * EDID_BLOCK, &raw);
		if (len >= EDID_BLOCK &&
		    edid_parse((unsigned char *)raw, (size_t)len, &out[*n].info, &ignored) == 0 &&
		    edid_matches(&out[*n].info, id)) {
			snprintf(out[*n].connector, sizeof(out[*n].connector), "%s", de->d_name);
			memcpy(out[*n].raw, raw, EDID_BLOCK);
			connector_i2c(sr, de->d_name, out[*n].i2c, sizeof(out[*n].i2c));
			(*n)++;
		}
		free(raw);
	}
	closedir(d);
	qsort(out, *n, sizeof(*out), by_name);
	return 0;
}
