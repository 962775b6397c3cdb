/* export.c (STUB: helper replaces) */
#include <config.h>
#include "export.h"
#include "util.h"
int
export_write(FILE *f, enum export_format fmt, const struct ring *r,
    const struct config *c, char **cause)
{
	(void)f; (void)fmt; (void)r; (void)c;
	set_cause(cause, "export: not yet");
	return -1;
}
int
export_to_path(const char *path, enum export_format fmt, const struct ring *r,
    const struct config *c, int mode, char **cause)
{
	(void)path; (void)fmt; (void)r; (void)c; (void)mode;
	set_cause(cause, "export: not yet");
	return -1;
}
int
export_format_parse(const char *s)
{
	(void)s;
	return -1;
}
