/* ui.c (STUB: helper replaces) */
#include <config.h>
#include <stdio.h>
#include "ui.h"
int
ui_run(struct ring *r, const struct config *c, struct collector *coll,
    int wake_fd, long iterations)
{
	(void)r; (void)c; (void)coll; (void)wake_fd; (void)iterations;
	fputs("perftop: dashboard not yet\n", stderr);
	return 1;
}
