/* config.c (STUB: helper replaces) */
#include <config.h>
#include <string.h>
#include "conf.h"
#include "util.h"
void
config_defaults(struct config *c)
{
	memset(c, 0, sizeof *c);
	c->interval_s = 1.0;
	c->history = 600;
	c->color = COLOR_AUTO;
	c->sort = SORT_CPU;
	c->overview_procs = 5;
}
int
config_find(const char *explicit, char *buf, size_t bufsz, char **cause)
{
	(void)explicit; (void)buf; (void)bufsz; (void)cause;
	return 0;
}
int
config_read(struct config *cfg, const char *path, char **warnings, char **cause)
{
	(void)cfg; (void)path; (void)warnings;
	set_cause(cause, "not yet");
	return -1;
}
int
config_load(struct config *cfg, const char *explicit, char **warnings, char **cause)
{
	(void)cfg; (void)explicit; (void)cause;
	*warnings = NULL;
	return 0;
}
