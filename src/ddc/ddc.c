/* session-switch-ddc: set one VCP feature of the monitor whose EDID is
 * given (the switch's input source, 0x60), read it back, retry.
 *
 *   session-switch-ddc --edid HEX --vcp 0x60 --value N [--tries N]
 *
 * The helper runs it after the devices have moved (doc/design.md, "A
 * switch, step by step"), with the EDID it found on the connector of the
 * configured monitor: the monitor is found by libddcutil by that EDID,
 * never by an i2c bus number, which changes when the card's adapters go
 * away with its driver.  It is a program of its own so that the setuid
 * helper links no libddcutil (large, and it reads the user's own
 * configuration files); it needs no privilege but access to /dev/i2c-*.
 *
 * Exit status (session-switch.conf(5), [ddc]):
 *   0  the value is set and read back
 *   1  usage: an argument is missing or malformed
 *   2  no monitor with that EDID answers DDC/CI (none found, or DDC/CI off
 *      in its menu, or i2c-dev not loaded)
 *   3  libddcutil failed (open, write or read)
 *   4  the monitor answered but does not keep the value */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <ddcutil_c_api.h>
#include <ddcutil_status_codes.h>

#include "edid.h"

enum {
	DDC_SET = 0,
	DDC_USAGE = 1,
	DDC_NO_MONITOR = 2,
	DDC_LIBRARY = 3,
	DDC_NOT_TAKEN = 4,
};

/* A monitor switching its input may not answer for a moment. */
#define RETRY_MS 500

struct args {
	unsigned char edid[EDID_BLOCK];
	struct edid_info info;
	int vcp, value, tries;
};

static void usage(FILE *f)
{
	fprintf(f, "usage: session-switch-ddc --edid HEX --vcp CODE --value N [--tries N]\n"
		   "  --edid HEX   the monitor's EDID base block, 256 hex digits (/sys/class/drm/*/edid)\n"
		   "  --vcp CODE   the VCP feature, 0x60 for the input source\n"
		   "  --value N    the value to set, 1-255 (0x0f DisplayPort-1, 0x11 HDMI-1 ...)\n"
		   "  --tries N    attempts, 1-10 (3)\n"
		   "exit: 0 set, 1 usage, 2 no such monitor, 3 library error, 4 value not taken\n");
}

static int number(const char *s, int lo, int hi)
{
	char *end;
	long n;

	errno = 0;
	n = s[0] >= '0' && s[0] <= '9' ? strtol(s, &end, 0) : -1;
	return errno || n < lo || n > hi || *end ? -1 : (int)n;
}

static int parse_args(int argc, char **argv, struct args *a)
{
	static const struct option opts[] = {
	    {"edid", required_argument, NULL, 'e'},  {"vcp", required_argument, NULL, 'c'},
	    {"value", required_argument, NULL, 'v'}, {"tries", required_argument, NULL, 't'},
	    {"help", no_argument, NULL, 'h'},	     {NULL, 0, NULL, 0}};
	struct ss_error e;
	bool edid = false;
	int o, r = 0;

	a->vcp = a->value = -1;
	a->tries = 3;
	while (r == 0 && (o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == 'e' && edid_unhex(optarg, a->edid) == 0 &&
		    edid_parse(a->edid, EDID_BLOCK, &a->info, &e) == 0)
			edid = true;
		else if (o == 'e')
			r = fprintf(
			    stderr,
			    "session-switch-ddc: --edid is not an EDID base block in 256 hex digits\n");
		else if (o == 'c' && (a->vcp = number(optarg, 1, 255)) < 0)
			r = fprintf(stderr, "session-switch-ddc: --vcp \"%s\" is not a feature code (0x60)\n",
				    optarg);
		else if (o == 'v' && (a->value = number(optarg, 1, 255)) < 0)
			r = fprintf(stderr,
				    "session-switch-ddc: --value \"%s\" is not a value from 1 to 255\n",
				    optarg);
		else if (o == 't' && (a->tries = number(optarg, 1, 10)) < 0)
			r = fprintf(stderr, "session-switch-ddc: --tries \"%s\" is not from 1 to 10\n",
				    optarg);
		else if (o == 'h') {
			usage(stdout);
			exit(DDC_SET);
		} else if (o == '?')
			r = 1;
	}
	if (r == 0 && (!edid || a->vcp < 0 || a->value < 0 || optind != argc))
		r = fprintf(
		    stderr,
		    "session-switch-ddc: --edid, --vcp and --value are all needed, and nothing else\n");
	if (r)
		usage(stderr);
	return r ? -1 : 0;
}

static void pause_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Set, read back; the set or the read failing, or another value, is tried
 * again.  DDC_SET, DDC_LIBRARY (the last failure said) or DDC_NOT_TAKEN. */
static int set_and_check(DDCA_Display_Handle dh, const struct args *a, const char *who)
{
	DDCA_Non_Table_Vcp_Value now;
	DDCA_Status rc = 0;
	int got = -1, res = DDC_LIBRARY;

	for (int i = 0; i < a->tries && res != DDC_SET; i++) {
		if (i)
			pause_ms(RETRY_MS);
		rc = ddca_set_non_table_vcp_value(dh, (DDCA_Vcp_Feature_Code)a->vcp, 0, (uint8_t)a->value);
		if (rc == 0)
			rc = ddca_get_non_table_vcp_value(dh, (DDCA_Vcp_Feature_Code)a->vcp, &now);
		if (rc == 0)
			got = now.sl;
		res = rc ? DDC_LIBRARY : got == a->value ? DDC_SET : DDC_NOT_TAKEN;
	}
	if (res == DDC_LIBRARY)
		fprintf(stderr, "session-switch-ddc: %s: VCP 0x%02x: %s (%s) after %d tries\n", who, a->vcp,
			ddca_rc_name(rc), ddca_rc_desc(rc), a->tries);
	else if (res == DDC_NOT_TAKEN)
		fprintf(
		    stderr,
		    "session-switch-ddc: %s: VCP 0x%02x set to 0x%02x but it reads 0x%02x after %d tries: "
		    "is that input on this monitor? (ddcutil capabilities lists them)\n",
		    who, a->vcp, a->value, got, a->tries);
	return res;
}

int main(int argc, char **argv)
{
	DDCA_Display_Identifier did = NULL;
	DDCA_Display_Ref dref = NULL;
	DDCA_Display_Handle dh = NULL;
	DDCA_Status rc;
	struct args a;
	char who[64];
	int res;

	if (parse_args(argc, argv, &a) < 0)
		return DDC_USAGE;
	snprintf(who, sizeof(who), "%s %s", a.info.mfg, a.info.name[0] ? a.info.name : "(no name)");
	/* its own read-back below says what happened, and retries */
	ddca_enable_verify(false);
	rc = ddca_create_edid_display_identifier(a.edid, &did);
	if (rc == 0)
		rc = ddca_get_display_ref(did, &dref);
	if (rc == DDCRC_INVALID_DISPLAY || rc == DDCRC_NOT_FOUND) {
		fprintf(
		    stderr,
		    "session-switch-ddc: %s: no monitor with this EDID answers DDC/CI (%s): is DDC/CI on in "
		    "its menu, and i2c-dev loaded?\n",
		    who, ddca_rc_name(rc));
		res = DDC_NO_MONITOR;
	} else if (rc == 0 && (rc = ddca_open_display2(dref, true, &dh)) != 0) {
		fprintf(stderr, "session-switch-ddc: %s: cannot open it: %s (%s)\n", who, ddca_rc_name(rc),
			ddca_rc_desc(rc));
		res = DDC_LIBRARY;
	} else if (rc) {
		fprintf(stderr, "session-switch-ddc: %s: libddcutil: %s (%s)\n", who, ddca_rc_name(rc),
			ddca_rc_desc(rc));
		res = DDC_LIBRARY;
	} else {
		res = set_and_check(dh, &a, who);
	}
	if (res == DDC_SET)
		printf("session-switch-ddc: %s: VCP 0x%02x = 0x%02x\n", who, a.vcp, a.value);
	if (dh)
		ddca_close_display(dh);
	if (did)
		ddca_free_display_identifier(did);
	return res;
}
