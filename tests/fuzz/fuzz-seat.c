/* seat_parse(): /run/session-switch/seat, the record that lets the user of
 * a seat login switch; what it accepts must format back to itself. */
#include "config.h"

#include "fuzz.h"
#include "seat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seat_login s, back;
	struct ss_error e = {""};
	char *t = fuzz_text(data, size), buf[1024];
	int r;

	r = seat_parse(t, "seat", &s, &e);
	fuzz_said_why(r, &e);
	if (r == 0) {
		if (!seat_valid_user(s.user) || !seat_is_display(s.tty) || !seat_valid_service(s.service))
			abort();
		if (seat_format(&s, buf, sizeof(buf)) <= 0 || seat_parse(buf, "seat", &back, &e) != 0)
			abort();
		if (strcmp(s.user, back.user) || s.uid != back.uid || strcmp(s.tty, back.tty) ||
		    strcmp(s.service, back.service) || s.time != back.time || s.pid != back.pid ||
		    s.start != back.start || s.mode != back.mode)
			abort();
	}
	free(t);
	return 0;
}
