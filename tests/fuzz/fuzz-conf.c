/* config_parse(): /etc/session-switch.conf as the helper reads it. */
#include "config.h"

#include "conf.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ss_config c;
	struct ss_error e = {""};
	char *t = fuzz_text(data, size);
	int r;

	config_init(&c);
	r = config_parse("/etc/session-switch.conf", t, &c, &e);
	fuzz_said_why(r, &e);
	free(t);
	return 0;
}
