/* session-switch-xcheck: is an X server really up, and does it drive a
 * connected output?  Run by the helper as the system user session-switch-x, non-dumpable, (doc/security.md
 * rules 13 and 15: no X library in the setuid binary, nothing as root that
 * need not be): the helper reads the display manager's authority file and
 * hands it over on stdin, so this program reads no file as anyone.
 *
 *   session-switch-xcheck DISPLAY TIMEOUT_MS < Xauthority
 *
 * Prints one JSON line {"connected_outputs":N,"providers":[...]}; exit 0
 * when X answered and N >= 1, 1 when it answered without a connected
 * output, 2 when it did not answer in time. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>
#include <xcb/randr.h>
#include <xcb/xcb.h>

/* One Xauthority record: family, then four length-prefixed fields. */
static int read_field(const unsigned char **p, const unsigned char *end, const unsigned char **data,
		      size_t *len)
{
	if (end - *p < 2)
		return -1;
	*len = (size_t)((*p)[0] << 8 | (*p)[1]);
	*p += 2;
	if ((size_t)(end - *p) < *len)
		return -1;
	*data = *p;
	*p += *len;
	return 0;
}

static int find_cookie(const unsigned char *buf, size_t n, const char *display_number, xcb_auth_info_t *auth)
{
	const unsigned char *p = buf, *end = buf + n, *addr, *num, *name, *data;
	size_t alen, nlen, namelen, dlen;

	while (end - p >= 2) {
		p += 2; /* family: local or any, the number decides */
		if (read_field(&p, end, &addr, &alen) || read_field(&p, end, &num, &nlen) ||
		    read_field(&p, end, &name, &namelen) || read_field(&p, end, &data, &dlen))
			return -1;
		if (namelen == 18 && memcmp(name, "MIT-MAGIC-COOKIE-1", 18) == 0 &&
		    (nlen == 0 ||
		     (nlen == strlen(display_number) && memcmp(num, display_number, nlen) == 0))) {
			auth->namelen = (int)namelen;
			auth->name = (char *)name;
			auth->datalen = (int)dlen;
			auth->data = (char *)data;
			return 0;
		}
	}
	return -1;
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

int main(int argc, char **argv)
{
	static unsigned char buf[65536];
	xcb_auth_info_t auth = {0};
	xcb_connection_t *c = NULL;
	size_t n = 0;
	ssize_t r;

	/* The display manager's cookie is in our memory from the first read:
	 * no core file and no ptrace by another process of this user. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return 2;
	int screen;

	if (argc != 3 || argv[1][0] != ':') {
		fprintf(stderr, "usage: session-switch-xcheck :N TIMEOUT_MS < Xauthority\n");
		return 2;
	}
	while (n < sizeof(buf) && (r = read(0, buf + n, sizeof(buf) - n)) > 0)
		n += (size_t)r;
	int have_auth = find_cookie(buf, n, argv[1] + 1, &auth) == 0;
	long deadline = now_ms() + atol(argv[2]);

	/* The server may still be starting: its socket answers before it
	 * accepts clients.  Ask again until the deadline. */
	for (;;) {
		c = xcb_connect_to_display_with_auth_info(argv[1], have_auth ? &auth : NULL, &screen);
		if (!xcb_connection_has_error(c))
			break;
		xcb_disconnect(c);
		c = NULL;
		if (now_ms() >= deadline) {
			printf("{\"error\":\"X on %s did not accept a connection\"}\n", argv[1]);
			return 2;
		}
		struct timespec ts = {0, 50 * 1000000L};
		nanosleep(&ts, NULL);
	}

	const xcb_setup_t *setup = xcb_get_setup(c);
	xcb_screen_iterator_t it = xcb_setup_roots_iterator(setup);
	xcb_window_t root = it.data->root;
	int connected = 0;

	xcb_randr_get_screen_resources_current_reply_t *res = xcb_randr_get_screen_resources_current_reply(
	    c, xcb_randr_get_screen_resources_current(c, root), NULL);
	if (res) {
		xcb_randr_output_t *outs = xcb_randr_get_screen_resources_current_outputs(res);
		int nout = xcb_randr_get_screen_resources_current_outputs_length(res);
		for (int i = 0; i < nout; i++) {
			xcb_randr_get_output_info_reply_t *oi = xcb_randr_get_output_info_reply(
			    c, xcb_randr_get_output_info(c, outs[i], res->config_timestamp), NULL);
			if (oi && oi->connection == XCB_RANDR_CONNECTION_CONNECTED)
				connected++;
			free(oi);
		}
		free(res);
	}
	printf("{\"connected_outputs\":%d,\"providers\":[", connected);
	xcb_randr_get_providers_reply_t *pr =
	    xcb_randr_get_providers_reply(c, xcb_randr_get_providers(c, root), NULL);
	if (pr) {
		xcb_randr_provider_t *pv = xcb_randr_get_providers_providers(pr);
		for (int i = 0; i < xcb_randr_get_providers_providers_length(pr); i++) {
			xcb_randr_get_provider_info_reply_t *pi = xcb_randr_get_provider_info_reply(
			    c, xcb_randr_get_provider_info(c, pv[i], 0), NULL);
			if (!pi)
				continue;
			int len = xcb_randr_get_provider_info_name_length(pi);
			printf("%s\"%.*s\"", i ? "," : "", len, xcb_randr_get_provider_info_name(pi));
			free(pi);
		}
		free(pr);
	}
	printf("]}\n");
	xcb_disconnect(c);
	return connected > 0 ? 0 : 1;
}
