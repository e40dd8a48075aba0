/* journal_parse(): /var/lib/session-switch/journal, which recover trusts
 * to undo a switch after a power cut (a torn or damaged file included). */
#include "config.h"

#include "fuzz.h"
#include "journal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct journal j;
	struct ss_error e = {""};
	char *t = fuzz_text(data, size);
	int r;

	r = journal_parse(t, "journal", &j, &e);
	fuzz_said_why(r, &e);
	/* what recover reads next: every step row it would undo */
	if (r == 0 && (j.reached >= (int)j.nsteps || j.reached < -1))
		abort();
	free(t);
	return 0;
}
