/* hook.c (STUB: helper replaces) */
#include <config.h>
#include "hook.h"
#include "util.h"
struct hook { int unused; };
struct hook *
hook_create(const char *path, double timeout_s, char **cause)
{
	(void)path; (void)timeout_s;
	set_cause(cause, "alert hook: not yet");
	return NULL;
}
void hook_free(struct hook *h) { (void)h; }
void hook_fire(struct hook *h, const struct alert_event *e, const struct host *ho) { (void)h; (void)e; (void)ho; }
void hook_poll(struct hook *h) { (void)h; }
unsigned long hook_error(const struct hook *h, char *buf, size_t bufsz) { (void)h; if (bufsz) buf[0] = 0; return 0; }
