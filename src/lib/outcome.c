#include "config.h"

#include "outcome.h"

static const struct outcome outcomes[] = {
    {EXIT_OK, "ok", "success"},
    {EXIT_REFUSED, "refused", "refused, or a check failed; nothing was changed"},
    {EXIT_USAGE, "usage", "usage error"},
    {EXIT_CONFIG, "config", "configuration error (the message names file and line)"},
    {EXIT_ROLLED_BACK, "rolled_back", "the switch failed and was rolled back"},
    {EXIT_RECOVER, "left_for_recover", "the switch failed and was left for `session-switch recover`"},
    {EXIT_BUSY, "busy", "busy: another switch is running"},
};

const struct outcome *outcome_of(int code)
{
	return code >= 0 && code <= EXIT_MAX ? &outcomes[code] : &outcomes[EXIT_REFUSED];
}
