/*
 * alerts.c - the alert engine (see alerts.h for the semantics).
 *
 * State is one "watch" per (metric, object) whose value has reached a
 * level: for each level the time it has been reached since, without a
 * break; the active alert, if any; and the running min/sum/max.  Watches
 * that are neither active nor pending are dropped, so a machine with
 * hundreds of quiet interfaces costs nothing.  The active view and the log
 * are plain arrays rebuilt or appended once per sample.
 *
 * Timers run on the engine's own clock, advanced by the monotonic time
 * between fed samples (the wall clock where a sample has none), so a wall
 * clock stepped back or forward changes nothing but the times shown.  A
 * step much longer than the one before and longer than alert_duration_s
 * (a suspend, a stalled collector) is a gap with no evidence: pending
 * timers restart after it, so two samples either side of it cannot raise
 * an alert.
 */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alerts.h"
#include "util.h"

#define NODATA_MIN_S	60.0	/* an n/a figure ends an alert after this */

enum { LV_INFO, LV_WARN, LV_CRIT, LV_N };

struct watch {
	enum metric	 m;
	char		 object[NAME_MAX_MOUNT];
	double		 since[LV_N];	/* reached continuously since; NAN */
	double		 last_valid;	/* clock of the last non-NAN value */
	double		 last_event;	/* event metrics: clock of the last */
	double		 raised;	/* clock of the raise */
	double		 sum;
	int		 cnt;
	bool		 seen;		/* touched by this sample */
	struct alert	 a;		/* a.active: an alert is up */
};

struct alerts {
	struct thresholds	 th;
	double			 last_t;
	double			 clock;		/* engine time, seconds */
	double			 last_step;	/* clock step of the last feed */
	struct sample		 prev;		/* only t, mono and psi[] */
	bool			 have_prev;
	unsigned long		 next_id;

	struct watch		*w;
	int			 nw, wcap;

	struct alert		*act;		/* sorted view of active */
	int			 nact, actcap;

	struct alert		 log[ALERTS_LOG_MAX];
	int			 loghead, nlog;	/* loghead: next slot */

	struct alert_event	 ev[ALERTS_EVENTS_MAX];
	int			 evhead, nev;	/* evhead: oldest */
	unsigned long		 lost;

	alert_cb		 cb;
	void			*cbarg;
	int			 nfired;	/* events of this feed */
};

const char *
alert_event_name(enum alert_event_kind k)
{
	switch (k) {
	case ALERT_RAISE:
		return "raise";
	case ALERT_CHANGE:
		return "change";
	case ALERT_CLEAR:
		return "clear";
	}
	return "?";
}

struct alerts *
alerts_create(const struct thresholds *th)
{
	struct alerts	*a = xcalloc(1, sizeof *a);

	/* The log and the event queue are bounded and fill over hours:
	 * resident now, so the RSS stays flat. */
	mem_touch(a, sizeof *a);
	a->th = *th;
	a->last_t = FIG_NA;
	a->last_step = FIG_NA;
	a->next_id = 1;
	return a;
}

void
alerts_free(struct alerts *a)
{
	if (a == NULL)
		return;
	free(a->w);
	free(a->act);
	free(a);
}

void
alerts_set_thresholds(struct alerts *a, const struct thresholds *th)
{
	a->th = *th;
}

void
alerts_set_callback(struct alerts *a, alert_cb cb, void *arg)
{
	a->cb = cb;
	a->cbarg = arg;
}

static double
lv_value(const struct level *l, int k)
{
	return k == LV_CRIT ? l->crit : k == LV_WARN ? l->warn : l->info;
}

static enum severity
lv_sev(int k)
{
	return k == LV_CRIT ? SEV_CRITICAL : k == LV_WARN ? SEV_WARNING :
	    SEV_INFO;
}

static int
sev_lv(enum severity s)
{
	return s == SEV_CRITICAL ? LV_CRIT : s == SEV_WARNING ? LV_WARN :
	    s == SEV_INFO ? LV_INFO : -1;
}

/* Has v reached level k of metric m? */
static bool
reached(const struct alerts *a, enum metric m, int k, double v)
{
	double	 l = lv_value(&a->th.lv[m], k);

	if (!FIG_OK(l) || !FIG_OK(v))
		return false;
	return metric_get(m)->lower_worse ? v <= l : v >= l;
}

/* Is v still on the bad side of level k once the hysteresis is allowed? */
static bool
holds(const struct alerts *a, enum metric m, int k, double v)
{
	const struct metric_def	*d = metric_get(m);
	double			 l = lv_value(&a->th.lv[m], k), margin;

	if (!FIG_OK(l) || !FIG_OK(v))
		return false;
	if (strcmp(d->unit, "%") == 0) {
		/* Points, but at most half the level (PSI memory warns at
		 * 5 %: a 5-point margin would never let it clear). */
		margin = a->th.hysteresis_pct;
		if (margin > fabs(l) / 2)
			margin = fabs(l) / 2;
	} else
		margin = fabs(l) * a->th.hysteresis_rel;
	return d->lower_worse ? v <= l + margin : v >= l - margin;
}

static void
alert_text(struct alert *al)
{
	const struct metric_def	*d = metric_get(al->metric);
	char			 v[32], l[32];
	const char		*unit = d->unit;
	const char		*sp = unit[0] == '/' ? "" : " ";

	fmt_round(v, sizeof v, al->vlast);
	fmt_round(l, sizeof l, al->threshold);
	txt_set(al->text, sizeof al->text, "%s%s%s %s%s%s %s %s%s%s (%s)",
	    al->object, al->object[0] != '\0' ? " " : "", d->label, v, sp,
	    unit, d->lower_worse ? "<=" : ">=", l, sp, unit,
	    severity_name(al->level));
}

static void
emit(struct alerts *a, enum alert_event_kind kind, double t,
    enum severity from, const struct alert *al)
{
	struct alert_event	*e;
	int			 slot;

	if (a->nev == ALERTS_EVENTS_MAX) {
		a->evhead = (a->evhead + 1) % ALERTS_EVENTS_MAX;
		a->nev--;
		a->lost++;
	}
	slot = (a->evhead + a->nev) % ALERTS_EVENTS_MAX;
	e = &a->ev[slot];
	e->kind = kind;
	e->t = t;
	e->from = from;
	e->alert = *al;
	a->nev++;
	a->nfired++;
	if (a->cb != NULL)
		a->cb(e, a->cbarg);
}

static void
stats_add(struct watch *w, double v)
{
	struct alert	*al = &w->a;

	if (!FIG_OK(v))
		return;
	if (w->cnt == 0 || v < al->vmin)
		al->vmin = v;
	if (w->cnt == 0 || v > al->vmax)
		al->vmax = v;
	w->sum += v;
	w->cnt++;
	al->vavg = w->sum / w->cnt;
	al->vlast = v;
}

static void
raise_alert(struct alerts *a, struct watch *w, int k, double t, double v)
{
	struct alert	*al = &w->a;

	memset(al, 0, sizeof *al);
	w->raised = a->clock;
	al->id = a->next_id++;
	al->metric = w->m;
	strlcpy0(al->object, w->object, sizeof al->object);
	al->level = al->peak = lv_sev(k);
	al->threshold = lv_value(&a->th.lv[w->m], k);
	al->raise_t = t;
	al->clear_t = FIG_NA;
	al->duration_s = 0;
	al->active = true;
	w->sum = 0;
	w->cnt = 0;
	stats_add(w, v);
	alert_text(al);
	emit(a, ALERT_RAISE, t, SEV_OK, al);
}

static void
change_alert(struct alerts *a, struct watch *w, int k, double t)
{
	struct alert	*al = &w->a;
	enum severity	 from = al->level;

	al->level = lv_sev(k);
	if (al->level > al->peak)
		al->peak = al->level;
	al->threshold = lv_value(&a->th.lv[w->m], k);
	alert_text(al);
	emit(a, ALERT_CHANGE, t, from, al);
}

/*
 * Time since the raise of w's alert at wall time t: the wall clock's
 * reading, unless the wall clock was stepped meanwhile (it then disagrees
 * with the engine's clock by more than a second).
 */
static double
active_for(const struct alerts *a, const struct watch *w, double t)
{
	double	 wall = t - w->a.raise_t, mono = a->clock - w->raised;

	return fabs(wall - mono) > 1 ? mono : wall;
}

static void
clear_alert(struct alerts *a, struct watch *w, double t, bool nodata)
{
	struct alert	*al = &w->a;

	al->active = false;
	al->nodata = nodata;
	al->clear_t = t;
	al->duration_s = active_for(a, w, t);
	a->log[a->loghead] = *al;
	a->loghead = (a->loghead + 1) % ALERTS_LOG_MAX;
	if (a->nlog < ALERTS_LOG_MAX)
		a->nlog++;
	emit(a, ALERT_CLEAR, t, al->level, al);
}

/* One value of one watch at wall time t, engine time a->clock (v may be
 * NAN). */
static void
watch_step(struct alerts *a, struct watch *w, double t, double v)
{
	double			 now = a->clock;
	const struct metric_def	*d = metric_get(w->m);
	double			 dur = d->event ? 0 : a->th.alert_duration_s;
	double			 stale;
	int			 k, held = -1, cur;

	stale = 10 * a->th.alert_duration_s;
	if (stale < NODATA_MIN_S)
		stale = NODATA_MIN_S;
	if (!FIG_OK(v)) {
		/* No evidence: timers run on across a short gap; a gap
		 * longer than the duration restarts them (so one value after
		 * a long silence cannot fire), a long one ends the alert. */
		if (!FIG_OK(w->last_valid))
			return;
		if (now - w->last_valid > a->th.alert_duration_s)
			for (k = 0; k < LV_N; k++)
				w->since[k] = FIG_NA;
		if (w->a.active && now - w->last_valid >= stale)
			clear_alert(a, w, t, true);
		return;
	}
	w->last_valid = now;
	for (k = 0; k < LV_N; k++) {
		if (!reached(a, w->m, k, v))
			w->since[k] = FIG_NA;
		else if (!FIG_OK(w->since[k]))
			w->since[k] = now;
		if (FIG_OK(w->since[k]) && now - w->since[k] >= dur)
			held = k;
	}
	if (d->event && v > 0)
		w->last_event = now;

	if (!w->a.active) {
		if (held >= 0)
			raise_alert(a, w, held, t, v);
		return;
	}
	stats_add(w, v);
	w->a.duration_s = active_for(a, w, t);
	cur = sev_lv(w->a.level);
	if (held > cur) {
		change_alert(a, w, held, t);
		return;
	}
	if (d->event) {
		if (now - w->last_event >= a->th.alert_duration_s)
			clear_alert(a, w, t, false);
		return;
	}
	/* Step down to the highest level the value still holds. */
	for (k = cur; k >= 0; k--)
		if (holds(a, w->m, k, v))
			break;
	if (k < 0)
		clear_alert(a, w, t, false);
	else if (k < cur)
		change_alert(a, w, k, t);
	else {
		w->a.vlast = v;
		alert_text(&w->a);
	}
}

static struct watch *
watch_find(struct alerts *a, enum metric m, const char *obj)
{
	int	 i;

	for (i = 0; i < a->nw; i++)
		if (a->w[i].m == m && strcmp(a->w[i].object, obj) == 0)
			return &a->w[i];
	return NULL;
}

static struct watch *
watch_new(struct alerts *a, enum metric m, const char *obj)
{
	struct watch	*w;
	int		 k;

	if ((w = array_push((void **)&a->w, &a->wcap, &a->nw,
	    sizeof *w)) == NULL)
		return NULL;
	w->m = m;
	strlcpy0(w->object, obj, sizeof w->object);
	for (k = 0; k < LV_N; k++)
		w->since[k] = FIG_NA;
	w->last_valid = w->last_event = FIG_NA;
	w->a.clear_t = FIG_NA;
	return w;
}

/* Does v reach any level of m (worth a new watch)? */
static bool
any_level(const struct alerts *a, enum metric m, double v)
{
	int	 k;

	for (k = 0; k < LV_N; k++)
		if (reached(a, m, k, v))
			return true;
	return false;
}

static int
cmp_active(const void *va, const void *vb)
{
	const struct alert	*x = va, *y = vb;

	if (x->level != y->level)
		return x->level > y->level ? -1 : 1;
	if (x->raise_t != y->raise_t)
		return x->raise_t < y->raise_t ? -1 : 1;
	if (x->metric != y->metric)
		return x->metric < y->metric ? -1 : 1;
	return strcmp(x->object, y->object);
}

/* Drop idle watches; rebuild the sorted active view. */
static void
tidy(struct alerts *a)
{
	struct watch	*w;
	int		 i, j = 0, k;
	bool		 pending;

	for (i = 0; i < a->nw; i++) {
		w = &a->w[i];
		pending = false;
		for (k = 0; k < LV_N; k++)
			pending |= FIG_OK(w->since[k]);
		if (!w->a.active && !pending)
			continue;
		if (i != j)
			a->w[j] = *w;
		j++;
	}
	a->nw = j;
	a->nact = 0;
	for (i = 0; i < a->nw; i++) {
		if (!a->w[i].a.active)
			continue;
		if (array_grow((void **)&a->act, &a->actcap, a->nact + 1,
		    sizeof *a->act, false) != 0)
			break;
		a->act[a->nact++] = a->w[i].a;
	}
	if (a->nact > 1)
		qsort(a->act, (size_t)a->nact, sizeof *a->act, cmp_active);
}

int
alerts_feed(struct alerts *a, const struct sample *s, int ncpu)
{
	const struct metric_def	*d;
	struct watch		*w;
	double			 t = s->t, v, step = 0;
	int			 m, i, n, k;

	if (!FIG_OK(t))
		return 0;
	if (a->have_prev) {
		/* Monotonic time where both samples have it: the wall clock
		 * may be stepped either way. */
		if (FIG_OK(s->mono) && FIG_OK(a->prev.mono))
			step = s->mono - a->prev.mono;
		else
			step = t - a->last_t;
		if (!(step > 0) || !isfinite(step))
			return 0;
	}
	/* A gap (suspend, stalled collector): no evidence across it. */
	if (FIG_OK(a->last_step) && step > a->th.alert_duration_s &&
	    step > 2 * a->last_step)
		for (i = 0; i < a->nw; i++)
			for (k = 0; k < LV_N; k++)
				a->w[i].since[k] = FIG_NA;
	if (a->have_prev)
		a->last_step = step;
	a->clock += step;
	a->last_t = t;
	a->nfired = 0;
	for (i = 0; i < a->nw; i++)
		a->w[i].seen = false;
	for (m = 0; m < M_NMETRICS; m++) {
		d = metric_get((enum metric)m);
		if (!d->per_sample)
			continue;
		n = metric_nobjects(s, (enum metric)m);
		for (i = 0; i < n; i++) {
			const char *obj = metric_object(s, (enum metric)m, i);
			v = metric_sample(s, a->have_prev ? &a->prev : NULL,
			    ncpu, (enum metric)m, i);
			w = watch_find(a, (enum metric)m, obj);
			if (w == NULL) {
				if (!any_level(a, (enum metric)m, v))
					continue;
				if ((w = watch_new(a, (enum metric)m, obj)) ==
				    NULL)
					continue;
			}
			w->seen = true;
			watch_step(a, w, t, v);
		}
	}
	/* Watches whose object is gone from this sample: n/a. */
	for (i = 0; i < a->nw; i++)
		if (!a->w[i].seen)
			watch_step(a, &a->w[i], t, FIG_NA);
	tidy(a);
	/* Keep what the PSI shares need; no pointer into s survives. */
	a->prev.t = s->t;
	a->prev.mono = s->mono;
	memcpy(a->prev.psi, s->psi, sizeof a->prev.psi);
	a->have_prev = true;
	return a->nfired;
}

int
alerts_nactive(const struct alerts *a)
{
	return a->nact;
}

int
alerts_nlog(const struct alerts *a)
{
	return a->nlog;
}

int
alerts_count(const struct alerts *a)
{
	return a->nact + a->nlog;
}

const struct alert *
alerts_get(const struct alerts *a, int i)
{
	if (i < 0)
		return NULL;
	if (i < a->nact)
		return &a->act[i];
	i -= a->nact;
	if (i >= a->nlog)
		return NULL;
	return &a->log[(a->loghead - 1 - i + ALERTS_LOG_MAX) % ALERTS_LOG_MAX];
}

enum severity
alerts_worst(const struct alerts *a)
{
	return a->nact > 0 ? a->act[0].level : SEV_OK;
}

int
alerts_events(struct alerts *a, struct alert_event *out, int max)
{
	int	 n = 0;

	while (n < max && a->nev > 0) {
		out[n++] = a->ev[a->evhead];
		a->evhead = (a->evhead + 1) % ALERTS_EVENTS_MAX;
		a->nev--;
	}
	return n;
}

unsigned long
alerts_events_lost(const struct alerts *a)
{
	return a->lost;
}
