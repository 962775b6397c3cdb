/* source_live.c (STUB: helper replaces) */
#include <config.h>
#include "conf.h"
#include "source.h"
#include "util.h"
int
source_live_open(struct source *s, const struct config *cfg, char **cause)
{
	(void)s; (void)cfg;
	set_cause(cause, "live source: not yet");
	return -1;
}
