/*
 * alerts.h - the alert engine: stateful, fed once per sample.
 *
 * Where analysis.h judges a window, this follows metrics sample by sample
 * and keeps state: an alert on (metric, object) RAISES when the value has
 * reached a level (info, warn or crit of struct thresholds, compared with
 * >=) in every sample for at least thresholds.alert_duration_s (6 s; event
 * metrics such as OOM kills fire at once), ESCALATES the same way to a
 * higher level, and CLEARS (or steps down) only when the value falls below
 * the level minus the hysteresis margin: hysteresis_pct points for percent
 * metrics (at most half the level), level * hysteresis_rel for the
 * others; an event alert clears after alert_duration_s without events.
 * A value hovering at the line therefore never flaps.  A sample where the
 * figure is n/a (a counter reset, missing privileges) is no evidence either
 * way: timers keep running across a gap shorter than alert_duration_s (a
 * longer gap restarts them); an active alert whose figure stays n/a for
 * 60 s (or 10 durations, the longer) clears as "no data".  The PSI metrics
 * are stall shares between consecutive fed samples (see psi_share()).
 *
 * Time comes from the samples: durations are measured on sample.mono
 * (sample.t where a sample has no monotonic time), so a wall clock stepped
 * back or forward neither stalls nor fires alerts; times shown (raise_t,
 * clear_t, event t) are sample.t.  A sample that is not after the previous
 * one is ignored, so feeding the same sample twice is harmless.  A gap
 * between two samples longer than alert_duration_s and than twice the
 * step before (a suspend) is no evidence: pending timers restart.  The engine is deterministic: the same samples give the same
 * alerts and events.  It is not thread-safe: feed it where the sample is
 * pushed and read it under the same lock (the ring lock fits:
 *
 *	ring_push(r, &s, &full);
 *	ring_lock(r);
 *	alerts_feed(a, ring_get(r, 0), ring_host(r)->cpus);
 *	ring_unlock(r);
 *
 * and the UI reads alerts_get() while it holds the ring lock).
 */
#ifndef PERFTOP_ALERTS_H
#define PERFTOP_ALERTS_H

#include <stdbool.h>

#include "analysis.h"
#include "sample.h"

#define ALERTS_LOG_MAX		256	/* cleared alerts kept */
#define ALERTS_EVENTS_MAX	64	/* undrained events kept (drained
					   after every sample) */

struct alert {
	unsigned long	id;		/* 1, 2, ... per engine */
	enum metric	metric;		/* metric_get(metric)->name, ->label */
	char		object[NAME_MAX_MOUNT];	/* "sda", "eth0", "/", "" */
	enum severity	level;		/* now (SEV_INFO..SEV_CRITICAL); the
					   last level when cleared */
	enum severity	peak;		/* highest level while active */
	double		threshold;	/* the level's value */
	double		raise_t;	/* epoch s of the raise */
	double		clear_t;	/* epoch s; NAN while active */
	double		duration_s;	/* raise to clear (or to now) */
	double		vmin, vavg, vmax; /* value while active */
	double		vlast;
	bool		active;
	bool		nodata;		/* cleared because the figure was
					   n/a for too long */
	char		text[160];	/* "CPU busy 95 % >= 90 % (critical)" */
};

enum alert_event_kind { ALERT_RAISE, ALERT_CHANGE, ALERT_CLEAR };

struct alert_event {
	enum alert_event_kind	kind;
	double			t;	/* sample time of the event */
	enum severity		from;	/* level before (SEV_OK on raise) */
	struct alert		alert;	/* the alert after the event */
};
/* "raise" "change" "clear" */
const char	*alert_event_name(enum alert_event_kind);

typedef void	(*alert_cb)(const struct alert_event *, void *arg);

/* th is copied.  Never NULL (aborts on allocation failure, at start-up). */
struct alerts	*alerts_create(const struct thresholds *th);
void		 alerts_free(struct alerts *);
/* Replace the thresholds (config reload); active alerts are kept. */
void		 alerts_set_thresholds(struct alerts *, const struct thresholds *);
/*
 * Call cb (from inside alerts_feed, in its thread) on every raise, change
 * and clear; NULL to stop.  The callback must not call back into the
 * engine and must not block (a hook runner should queue or fork).
 */
void		 alerts_set_callback(struct alerts *, alert_cb cb, void *arg);

/* Feed the newest sample; ncpu for per-core metrics.  Returns the number
 * of events it produced. */
int		 alerts_feed(struct alerts *, const struct sample *, int ncpu);

/*
 * Active alerts first (worst level first, then oldest raise, metric,
 * object), then the log (newest clear first).  i from 0 to
 * alerts_count() - 1; NULL out of range.  Pointers are valid until the next
 * alerts_feed().
 */
int		 alerts_count(const struct alerts *);
int		 alerts_nactive(const struct alerts *);
int		 alerts_nlog(const struct alerts *);
const struct alert *alerts_get(const struct alerts *, int i);
/* Worst level of the active alerts, SEV_OK when none. */
enum severity	 alerts_worst(const struct alerts *);

/*
 * Drain up to max events produced since the last call, oldest first, into
 * out.  Returns how many were copied.  When more than ALERTS_EVENTS_MAX
 * were left undrained the oldest are dropped and counted in
 * alerts_events_lost().
 */
int		 alerts_events(struct alerts *, struct alert_event *out, int max);
unsigned long	 alerts_events_lost(const struct alerts *);

#endif
