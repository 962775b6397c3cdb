/*
 * hook.h - the alert hook: a command from the config run on every alert
 * raise, change and clear.
 *
 * The command is a program path run directly (posix_spawn, no shell), with
 * the details in environment variables (PERFTOP_EVENT, PERFTOP_LEVEL,
 * PERFTOP_METRIC, PERFTOP_OBJECT, PERFTOP_VALUE, PERFTOP_THRESHOLD,
 * PERFTOP_TEXT, PERFTOP_TIME, PERFTOP_HOST, ...), never spliced into a shell
 * string.  Spawning never blocks the caller: children are reaped by
 * hook_poll() and killed when they outlive the timeout; failures (spawn
 * errors, non-zero exits, timeouts) are logged, not fatal.
 */
#ifndef PERFTOP_HOOK_H
#define PERFTOP_HOOK_H

#include "alerts.h"
#include "sample.h"

struct hook;

/*
 * A hook running path with the given timeout (seconds).  Returns NULL with
 * *cause when path is unusable (not absolute, not executable).
 */
struct hook	*hook_create(const char *path, double timeout_s, char **cause);
void		 hook_free(struct hook *);	/* kills running children */
/* Start the command for one event (never blocks). */
void		 hook_fire(struct hook *, const struct alert_event *,
		    const struct host *);
/* Reap finished children and kill overdue ones (never blocks). */
void		 hook_poll(struct hook *);
/*
 * The last failure ("" if none) into buf; returns the number of failures
 * so far.
 */
unsigned long	 hook_error(const struct hook *, char *buf, size_t bufsz);

#endif
