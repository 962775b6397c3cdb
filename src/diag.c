/*
 * diag.c - the live diagnosis state (see diag.h).
 */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "diag.h"
#include "hook.h"
#include "util.h"

struct diag {
	const struct config	*cfg;
	struct alerts		*alerts;
	struct analysis		 an;
	struct hook		*hook;
	int			 window;	/* samples */
	bool			 has_base;
	struct baseline		 base;
	int			 nevents;
	struct alert_event	 events[ALERTS_EVENTS_MAX];
};

struct diag *
diag_create(const struct config *cfg)
{
	struct diag	*d = xcalloc(1, sizeof *d);
	char		*cause = NULL;

	mem_touch(d, sizeof *d);	/* the event queue: resident now */

	d->cfg = cfg;
	d->alerts = alerts_create(&cfg->th);
	analysis_init(&d->an);
	d->window = (int)ceil(cfg->window_s / cfg->interval_s);
	if (d->window < 1)
		d->window = 1;
	if (cfg->hook[0] != '\0' && !cfg->hook_refused) {
		d->hook = hook_create(cfg->hook, cfg->hook_timeout_s, &cause);
		if (d->hook == NULL) {
			fprintf(stderr, "perftop: warning: %s\n", cause);
			free(cause);
		}
	}
	return d;
}

void
diag_free(struct diag *d)
{
	if (d == NULL)
		return;
	hook_free(d->hook);
	analysis_done(&d->an);
	alerts_free(d->alerts);
	free(d);
}

void
diag_update(struct diag *d, const struct ring *r)
{
	const struct sample	*s = ring_get(r, 0);
	int			 n;

	if (s == NULL)
		return;
	alerts_feed(d->alerts, s, ring_host(r)->cpus);
	n = alerts_events(d->alerts, d->events + d->nevents,
	    ALERTS_EVENTS_MAX - d->nevents);
	if (n > 0)
		d->nevents += n;
	analysis_run(&d->an, r, d->window, &d->cfg->th,
	    d->has_base ? &d->base : NULL);
}

void
diag_set_baseline(struct diag *d, const struct baseline *b)
{
	d->has_base = b != NULL;
	if (b != NULL)
		d->base = *b;
}

const struct baseline *
diag_baseline(const struct diag *d)
{
	return d->has_base ? &d->base : NULL;
}

void
diag_after(struct diag *d, const struct ring *r)
{
	int	 i;

	/* The host facts never change after the ring is created. */
	if (d->hook != NULL) {
		for (i = 0; i < d->nevents; i++)
			hook_fire(d->hook, &d->events[i], ring_host(r));
		hook_poll(d->hook);
	}
	d->nevents = 0;
}

const struct analysis *
diag_analysis(const struct diag *d)
{
	return &d->an;
}

const struct alerts *
diag_alerts(const struct diag *d)
{
	return d->alerts;
}

int
diag_window(const struct diag *d)
{
	return d->window;
}

unsigned long
diag_hook_error(const struct diag *d, char *buf, size_t bufsz)
{
	if (d->hook == NULL) {
		if (bufsz > 0)
			buf[0] = '\0';
		return 0;
	}
	return hook_error(d->hook, buf, bufsz);
}
