/* session-switch-notice: a message on the user's own X screen, for the
 * "Windows VM" session when the switch is refused (slim/vm-session).
 * There is no window manager in that session: an override-redirect
 * window, centred, drawn with the server's core "fixed" font, gone at a
 * key, a click or the timeout.  Runs as the user; xcb only.
 *
 * usage: session-switch-notice [--timeout SECONDS] LINE...
 *        session-switch-notice --wait-x-exit SECONDS
 * The second form waits until the X server goes away (the switch stopped
 * it): a session that asked for a switch must not linger, and `sleep` in a
 * shell would outlive X.
 * exit: 0 shown and dismissed or timed out / X gone, 1 no X display,
 * 2 usage, 3 X still there after SECONDS. */
#include "config.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <xcb/xcb.h>

#define MAX_LINES 40
#define WRAP 96 /* characters per line */

struct text {
	char line[MAX_LINES][WRAP + 1];
	int n;
};

/* Break s into lines of at most WRAP characters, at spaces where it can. */
static void wrap(struct text *t, const char *s)
{
	while (*s && t->n < MAX_LINES) {
		size_t n = strcspn(s, "\n");
		if (n > WRAP) {
			n = WRAP;
			for (size_t i = WRAP; i > WRAP / 2; i--)
				if (s[i] == ' ') {
					n = i;
					break;
				}
		}
		memcpy(t->line[t->n], s, n);
		t->line[t->n][n] = '\0';
		t->n++;
		s += n;
		while (*s == ' ' || *s == '\n')
			s++;
	}
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static int wait_x_exit(const char *secs)
{
	char *end;
	long s = strtol(secs, &end, 10);
	if (*end || s < 1 || s > 86400) {
		fprintf(stderr, "session-switch-notice: --wait-x-exit takes 1 to 86400 seconds\n");
		return 2;
	}
	xcb_connection_t *c = xcb_connect(NULL, NULL);
	if (xcb_connection_has_error(c)) {
		xcb_disconnect(c);
		return 0; /* already gone */
	}
	long deadline = now_ms() + s * 1000;
	while (now_ms() < deadline) {
		xcb_generic_event_t *ev;
		while ((ev = xcb_poll_for_event(c)))
			free(ev);
		if (xcb_connection_has_error(c)) {
			xcb_disconnect(c);
			return 0;
		}
		struct pollfd p = {xcb_get_file_descriptor(c), POLLIN, 0};
		poll(&p, 1, 1000);
	}
	xcb_disconnect(c);
	return 3;
}

int main(int argc, char **argv)
{
	struct text t = {.n = 0};
	long timeout_s = 60;
	int i = 1, screen_no;

	if (argc == 3 && strcmp(argv[1], "--wait-x-exit") == 0)
		return wait_x_exit(argv[2]);

	if (i + 1 < argc && strcmp(argv[i], "--timeout") == 0) {
		char *end;
		timeout_s = strtol(argv[i + 1], &end, 10);
		if (*end || timeout_s < 1 || timeout_s > 3600) {
			fprintf(stderr, "session-switch-notice: --timeout takes 1 to 3600 seconds\n");
			return 2;
		}
		i += 2;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: session-switch-notice [--timeout SECONDS] LINE...\n");
		return 2;
	}
	for (; i < argc; i++)
		wrap(&t, argv[i]);

	xcb_connection_t *c = xcb_connect(NULL, &screen_no);
	if (xcb_connection_has_error(c)) {
		fprintf(stderr, "session-switch-notice: cannot open the X display (DISPLAY, XAUTHORITY)\n");
		for (int k = 0; k < t.n; k++)
			fprintf(stderr, "%s\n", t.line[k]);
		xcb_disconnect(c);
		return 1;
	}
	xcb_screen_iterator_t it = xcb_setup_roots_iterator(xcb_get_setup(c));
	for (int k = 0; k < screen_no && it.rem; k++)
		xcb_screen_next(&it);
	xcb_screen_t *scr = it.data;

	/* "fixed" is the one font every X server has: 6x13. */
	const int cw = 6, lh = 15, pad = 20;
	size_t longest = 0;
	for (int k = 0; k < t.n; k++)
		if (strlen(t.line[k]) > longest)
			longest = strlen(t.line[k]);
	uint16_t w = (uint16_t)(longest * cw + 2 * pad), h = (uint16_t)(t.n * lh + 2 * pad);
	int16_t x = (int16_t)((scr->width_in_pixels - w) / 2), y = (int16_t)((scr->height_in_pixels - h) / 2);

	xcb_window_t win = xcb_generate_id(c);
	uint32_t wv[] = {scr->white_pixel, scr->black_pixel, 1,
			 XCB_EVENT_MASK_EXPOSURE | XCB_EVENT_MASK_KEY_PRESS | XCB_EVENT_MASK_BUTTON_PRESS};
	xcb_create_window(
	    c, XCB_COPY_FROM_PARENT, win, scr->root, x, y, w, h, 3, XCB_WINDOW_CLASS_INPUT_OUTPUT,
	    scr->root_visual,
	    XCB_CW_BACK_PIXEL | XCB_CW_BORDER_PIXEL | XCB_CW_OVERRIDE_REDIRECT | XCB_CW_EVENT_MASK, wv);
	xcb_change_property(c, XCB_PROP_MODE_REPLACE, win, XCB_ATOM_WM_NAME, XCB_ATOM_STRING, 8,
			    strlen("session-switch"), "session-switch");
	xcb_font_t font = xcb_generate_id(c);
	xcb_open_font(c, font, strlen("fixed"), "fixed");
	xcb_gcontext_t gc = xcb_generate_id(c);
	uint32_t gv[] = {scr->black_pixel, scr->white_pixel, font};
	xcb_create_gc(c, gc, win, XCB_GC_FOREGROUND | XCB_GC_BACKGROUND | XCB_GC_FONT, gv);
	xcb_map_window(c, win);
	xcb_set_input_focus(c, XCB_INPUT_FOCUS_POINTER_ROOT, win, XCB_CURRENT_TIME);
	xcb_flush(c);

	long deadline = now_ms() + timeout_s * 1000;
	int done = 0;
	while (!done && now_ms() < deadline) {
		xcb_generic_event_t *ev;
		while ((ev = xcb_poll_for_event(c))) {
			switch (ev->response_type & 0x7f) {
			case XCB_EXPOSE:
				for (int k = 0; k < t.n; k++)
					xcb_image_text_8(c, (uint8_t)strlen(t.line[k]), win, gc, pad,
							 (int16_t)(pad + lh * k + 11), t.line[k]);
				xcb_flush(c);
				break;
			case XCB_KEY_PRESS:
			case XCB_BUTTON_PRESS:
				done = 1;
				break;
			}
			free(ev);
		}
		if (xcb_connection_has_error(c))
			break; /* the server went away: so did the screen */
		struct pollfd p = {xcb_get_file_descriptor(c), POLLIN, 0};
		long left = deadline - now_ms();
		poll(&p, 1, left > 0 ? (int)(left < 1000 ? left : 1000) : 0);
	}
	xcb_disconnect(c);
	return 0;
}
