/* edid_parse(): the bytes a monitor (or a KVM switch, or a broken cable)
 * hands the kernel, read from /sys/class/drm/CONNECTOR/edid.  What it
 * accepts must be printable and survive the hex round trip that carries it
 * to session-switch-ddc; monitor_id_parse() gets the same bytes as the
 * text of [ddc] monitor, and what it accepts must format back to itself. */
#include "config.h"

#include "edid.h"
#include "fuzz.h"

static void printable(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n >= max)
		abort();
	for (size_t i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ss_error e = {""};
	struct edid_info info;
	struct monitor_id id, back;
	unsigned char raw[EDID_BLOCK];
	char hex[2 * EDID_BLOCK + 1], shown[64], *t;
	const char *why;
	int r;

	r = edid_parse(data, size, &info, &e);
	fuzz_said_why(r, &e);
	if (r == 0) {
		if (strlen(info.mfg) != 3)
			abort();
		printable(info.mfg, sizeof(info.mfg));
		printable(info.name, sizeof(info.name));
		printable(info.serial_str, sizeof(info.serial_str));
		edid_hex(data, hex);
		if (edid_unhex(hex, raw) != 0 || memcmp(raw, data, EDID_BLOCK) != 0)
			abort();
	}
	t = fuzz_text(data, size);
	if (monitor_id_parse(t, &id, &why) == 0) {
		monitor_id_format(&id, shown, sizeof(shown));
		if (monitor_id_parse(shown, &back, &why) != 0 || memcmp(&id, &back, sizeof(id)) != 0)
			abort();
	} else if (!why || !why[0]) {
		abort();
	}
	free(t);
	return 0;
}
