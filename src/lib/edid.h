/* A monitor by its EDID (VESA E-EDID 1.3/1.4 base block): the identity
 * [ddc] monitor names, and the DRM connector that carries it now.  The
 * i2c bus number is only ever found, never configured: the numbers move
 * when the card's adapters go away with its driver. */
#ifndef SS_EDID_H
#define SS_EDID_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "sysroot.h"

#define EDID_BLOCK 128
#define EDID_TEXT 14 /* a descriptor's text: 13 characters and the NUL */

/* What the base block says who the monitor is. */
struct edid_info {
	char mfg[4];		    /* the PNP ID, "DEL" */
	unsigned product;	    /* the product code, as edid-decode's "Model" */
	unsigned long serial;	    /* the serial number field (0: none) */
	char name[EDID_TEXT];	    /* descriptor 0xFC, trimmed; "" if none */
	char serial_str[EDID_TEXT]; /* descriptor 0xFF, trimmed; "" if none */
};

/* The configured identity: MFG:MODEL[:SERIAL].  MODEL is the name
 * descriptor or the product code (0x2005, or decimal); SERIAL, "" for
 * any, the serial descriptor or the serial number in decimal. */
struct monitor_id {
	char mfg[4];
	char model[EDID_TEXT];
	char serial[EDID_TEXT];
};

/* 0, or -EINVAL with *why: what is wrong with the text. */
int monitor_id_parse(const char *text, struct monitor_id *id, const char **why);
/* "DEL:D1918H:2C8FJ8255K5E" or "DEL:D1918H" */
void monitor_id_format(const struct monitor_id *id, char *buf, size_t len);

/* Decode the base block (n >= 128; extensions are not read): 0, or
 * -EINVAL naming what is wrong (header, checksum). */
int edid_parse(const unsigned char *buf, size_t n, struct edid_info *out, struct ss_error *e);
bool edid_matches(const struct edid_info *info, const struct monitor_id *id);
/* The base block as lowercase hex (257 bytes with the NUL), what
 * session-switch-ddc --edid takes. */
void edid_hex(const unsigned char *buf, char out[2 * EDID_BLOCK + 1]);
/* The reverse: 0, or -EINVAL when it is not 256 hex digits. */
int edid_unhex(const char *hex, unsigned char out[EDID_BLOCK]);

#define EDID_MAX_FOUND 8

struct edid_found {
	char connector[64]; /* "card0-DP-1" */
	char i2c[16];	    /* "i2c-5": the adapter of its DDC, "" if sysfs shows none */
	unsigned char raw[EDID_BLOCK];
	struct edid_info info;
};

/* The connectors of /sys/class/drm whose EDID matches id, in name order
 * (one monitor cabled to two GPUs is found on both).  0 and *n (0 when
 * none), or -errno when /sys/class/drm cannot be read. */
int edid_find(const struct sysroot *sr, const struct monitor_id *id, struct edid_found *out, size_t max,
	      size_t *n, struct ss_error *e);

#endif
