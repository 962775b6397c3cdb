/*
 * test_alerts.c - the alert engine sample by sample: the minimum duration
 * before a raise, no flapping at the line, hysteresis before clearing,
 * escalation and stepping down, event metrics (OOM), n/a samples (counter
 * resets) and vanished objects, per-object alerts, the bounded log, the
 * event queue and callback, ordering and determinism.
 */
#include <config.h>

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alerts.h"
#include "analysis.h"
#include "sample.h"

static struct sample	S;

/* A quiet sample at time t with CPU busy `busy`, one disk "sda". */
static const struct sample *
at(double t, double busy)
{
	sample_reset(&S);
	S.t = t;
	S.cpu.busy = busy;
	S.cpu.steal = 0;
	S.procs_running = 1;
	S.mem.used_pct = 20;
	S.mem.oom_kills = 0;
	ck_assert_int_eq(sample_reserve_disks(&S, 2), 0);
	S.ndisk = 1;
	memset(&S.disks[0], 0, sizeof S.disks[0]);
	rstr_set(&S.disks[0].name, "sda");
	S.disks[0].util_pct = 1;
	S.disks[0].await_ms = 1;
	return &S;
}

static struct alerts *
engine(void)
{
	struct thresholds	 th;

	thresholds_defaults(&th);
	return alerts_create(&th);
}

/* Feed busy[i] at t = 100 + i; returns events produced in total. */
static int
feed(struct alerts *a, const double *busy, int n, double t0)
{
	int	 i, ev = 0;

	for (i = 0; i < n; i++)
		ev += alerts_feed(a, at(t0 + i, busy[i]), 2);
	return ev;
}

static int
drain(struct alerts *a, struct alert_event *ev, int max)
{
	return alerts_events(a, ev, max);
}

START_TEST(fires_after_duration)
{
	struct alerts		*a = engine();
	struct alert_event	 ev[16];
	const struct alert	*al;
	int			 i;

	/* 95 % from t=100: the raise comes at t=106 (6 s held), not before. */
	for (i = 0; i < 6; i++) {
		ck_assert_int_eq(alerts_feed(a, at(100 + i, 95), 2), 0);
		ck_assert_int_eq(alerts_nactive(a), 0);
	}
	ck_assert_int_eq(alerts_feed(a, at(106, 95), 2), 1);
	ck_assert_int_eq(drain(a, ev, 16), 1);
	ck_assert_int_eq(ev[0].kind, ALERT_RAISE);
	ck_assert_double_eq(ev[0].t, 106);
	ck_assert_int_eq(ev[0].from, SEV_OK);
	ck_assert_int_eq(ev[0].alert.metric, M_CPU_BUSY);
	ck_assert_int_eq(ev[0].alert.level, SEV_CRITICAL);
	ck_assert_double_eq(ev[0].alert.threshold, 90);
	ck_assert_str_eq(ev[0].alert.text, "CPU busy 95 % >= 90 % (critical)");
	ck_assert_int_eq(alerts_nactive(a), 1);
	al = alerts_get(a, 0);
	ck_assert(al->active);
	ck_assert(isnan(al->clear_t));
	ck_assert_double_eq(al->raise_t, 106);
	ck_assert_int_eq(alerts_worst(a), SEV_CRITICAL);
	ck_assert_int_eq(drain(a, ev, 16), 0);	/* drained */
	alerts_free(a);
}
END_TEST

START_TEST(zero_duration_fires_at_once)
{
	struct thresholds	 th;
	struct alerts		*a;

	thresholds_defaults(&th);
	th.alert_duration_s = 0;
	a = alerts_create(&th);
	ck_assert_int_eq(alerts_feed(a, at(100, 91), 2), 1);
	ck_assert_int_eq(alerts_get(a, 0)->level, SEV_CRITICAL);
	alerts_free(a);
}
END_TEST

START_TEST(hovering_at_the_line_does_not_flap)
{
	struct alerts		*a = engine();
	struct alert_event	 ev[64];
	double			 v[60];
	int			 i, n, raises = 0, clears = 0, changes = 0;

	/* Around crit 90 (always above warn 72): warning after 6 s,
	 * never critical since crit is never held 6 s in a row. */
	for (i = 0; i < 30; i++)
		v[i] = i % 2 ? 91 : 89;
	/* Then around warn 72, above its clear line 67: stays up. */
	for (i = 30; i < 60; i++)
		v[i] = i % 2 ? 73 : 70;
	feed(a, v, 60, 100);
	n = drain(a, ev, 64);
	for (i = 0; i < n; i++) {
		raises += ev[i].kind == ALERT_RAISE;
		clears += ev[i].kind == ALERT_CLEAR;
		changes += ev[i].kind == ALERT_CHANGE;
	}
	ck_assert_int_eq(raises, 1);
	ck_assert_int_eq(changes, 0);
	ck_assert_int_eq(clears, 0);
	ck_assert_int_eq(ev[0].alert.level, SEV_WARNING);
	ck_assert_int_eq(alerts_nactive(a), 1);
	ck_assert_int_eq(alerts_nlog(a), 0);
	alerts_free(a);
}
END_TEST

START_TEST(alternating_never_fires)
{
	struct alerts	*a = engine();
	double		 v[40];
	int		 i;

	/* Over the line every other second: never held for 6 s. */
	for (i = 0; i < 40; i++)
		v[i] = i % 2 ? 95 : 50;
	ck_assert_int_eq(feed(a, v, 40, 100), 0);
	ck_assert_int_eq(alerts_count(a), 0);
	alerts_free(a);
}
END_TEST

START_TEST(hysteresis_and_log_stats)
{
	struct thresholds	 th;
	struct alerts		*a;
	struct alert_event	 ev[16];
	const struct alert	*al;
	double			 v[] = { 80, 80, 80, 80, 80, 80, 80, 76, 68, 66 };

	/* Without the info level (65) so the warning clears outright. */
	thresholds_defaults(&th);
	th.lv[M_CPU_BUSY].info = NAN;
	a = alerts_create(&th);
	/* warn 72: raise at t=106 (80), 76 and 68 hold (clear line 67),
	 * 66 clears at t=109. */
	feed(a, v, 10, 100);
	ck_assert_int_eq(alerts_nactive(a), 0);
	ck_assert_int_eq(alerts_nlog(a), 1);
	al = alerts_get(a, 0);
	ck_assert(!al->active);
	ck_assert(!al->nodata);
	ck_assert_int_eq(al->level, SEV_WARNING);
	ck_assert_double_eq(al->raise_t, 106);
	ck_assert_double_eq(al->clear_t, 109);
	ck_assert_double_eq(al->duration_s, 3);
	/* While active: 80 (raise), 76, 68, 66 (the clearing sample). */
	ck_assert_double_eq(al->vmin, 66);
	ck_assert_double_eq(al->vmax, 80);
	ck_assert_double_eq_tol(al->vavg, (80 + 76 + 68 + 66) / 4.0, 1e-9);
	ck_assert_int_eq(drain(a, ev, 16), 2);
	ck_assert_int_eq(ev[1].kind, ALERT_CLEAR);
	ck_assert_int_eq(ev[1].from, SEV_WARNING);
	alerts_free(a);
}
END_TEST

START_TEST(escalate_and_step_down)
{
	struct alerts		*a = engine();
	struct alert_event	 ev[16];
	const struct alert	*al;
	double			 v[] = {
		80, 80, 80, 80, 80, 80, 80,	/* warn at 106 */
		95, 95, 95, 95, 95, 95, 95,	/* crit at 113 */
		86,				/* >= 85: still crit */
		84,				/* step down to warn */
		62,				/* >= 60: down to info */
		59				/* below every line: clear */
	};
	int			 n;

	feed(a, v, (int)(sizeof v / sizeof v[0]), 100);
	n = drain(a, ev, 16);
	ck_assert_int_eq(n, 5);
	ck_assert_int_eq(ev[0].kind, ALERT_RAISE);
	ck_assert_int_eq(ev[0].alert.level, SEV_WARNING);
	ck_assert_int_eq(ev[1].kind, ALERT_CHANGE);
	ck_assert_double_eq(ev[1].t, 113);
	ck_assert_int_eq(ev[1].from, SEV_WARNING);
	ck_assert_int_eq(ev[1].alert.level, SEV_CRITICAL);
	ck_assert_int_eq(ev[2].kind, ALERT_CHANGE);
	ck_assert_double_eq(ev[2].t, 115);
	ck_assert_int_eq(ev[2].alert.level, SEV_WARNING);
	ck_assert_int_eq(ev[3].kind, ALERT_CHANGE);
	ck_assert_int_eq(ev[3].alert.level, SEV_INFO);
	ck_assert_int_eq(ev[4].kind, ALERT_CLEAR);
	ck_assert_double_eq(ev[4].t, 117);
	/* One alert throughout: same id, peak critical. */
	ck_assert_uint_eq(ev[0].alert.id, ev[4].alert.id);
	al = alerts_get(a, 0);
	ck_assert_int_eq(al->peak, SEV_CRITICAL);
	ck_assert_double_eq(al->vmax, 95);
	alerts_free(a);
}
END_TEST

START_TEST(oom_fires_at_once_and_clears_later)
{
	struct alerts		*a = engine();
	struct alert_event	 ev[8];
	int			 i;

	alerts_feed(a, at(100, 5), 2);
	at(101, 5);
	S.mem.oom_kills = 1;
	ck_assert_int_eq(alerts_feed(a, &S, 2), 1);
	ck_assert_int_eq(drain(a, ev, 8), 1);
	ck_assert_int_eq(ev[0].alert.metric, M_OOM);
	ck_assert_int_eq(ev[0].alert.level, SEV_CRITICAL);
	/* No more kills: clears 6 s after the last one. */
	for (i = 102; i < 107; i++)
		ck_assert_int_eq(alerts_feed(a, at(i, 5), 2), 0);
	ck_assert_int_eq(alerts_feed(a, at(107, 5), 2), 1);
	ck_assert_int_eq(drain(a, ev, 8), 1);
	ck_assert_int_eq(ev[0].kind, ALERT_CLEAR);
	ck_assert_double_eq(ev[0].alert.duration_s, 6);
	alerts_free(a);
}
END_TEST

START_TEST(nan_in_the_middle_keeps_timers)
{
	struct alerts	*a = engine();
	double		 v[] = { 95, 95, 95, NAN, 95, 95, 95 };

	/* A counter reset at t=103 does not delay the raise at t=106. */
	ck_assert_int_eq(feed(a, v, 7, 100), 1);
	ck_assert_int_eq(alerts_nactive(a), 1);
	/* n/a for less than a minute: still active. */
	ck_assert_int_eq(alerts_feed(a, at(130, NAN), 2), 0);
	ck_assert_int_eq(alerts_nactive(a), 1);
	/* n/a for 60 s: cleared as "no data". */
	ck_assert_int_eq(alerts_feed(a, at(166, NAN), 2), 1);
	ck_assert_int_eq(alerts_nactive(a), 0);
	ck_assert(alerts_get(a, 0)->nodata);
	alerts_free(a);
}
END_TEST

START_TEST(long_gap_restarts_pending)
{
	struct alerts	*a = engine();
	int		 i;

	/* Above the line at t=100..102, then n/a for 20 s: one value
	 * after the silence must not complete the 6 s on its own. */
	for (i = 0; i < 3; i++)
		alerts_feed(a, at(100 + i, 95), 2);
	for (i = 3; i < 23; i++)
		alerts_feed(a, at(100 + i, NAN), 2);
	ck_assert_int_eq(alerts_feed(a, at(123, 95), 2), 0);
	ck_assert_int_eq(alerts_nactive(a), 0);
	/* It counts from there: fires 6 s later. */
	for (i = 124; i < 129; i++)
		ck_assert_int_eq(alerts_feed(a, at(i, 95), 2), 0);
	ck_assert_int_eq(alerts_feed(a, at(129, 95), 2), 1);
	alerts_free(a);
}
END_TEST

START_TEST(psi_alert_uses_stall_counters)
{
	struct alerts	*a = engine();
	int		 i;

	/* avg10 says 50 % but the counters grow 0.2 s per second: 20 %,
	 * which is a PSI memory critical (20); avg10 alone would be too. */
	for (i = 0; i < 7; i++) {
		at(100 + i, 5);
		S.mono = 10 + i;
		S.psi[PSI_MEMORY].some_avg10 = 50;
		S.psi[PSI_MEMORY].some_total_us = 1e6 + i * 2e5;
		alerts_feed(a, &S, 2);
	}
	ck_assert_int_eq(alerts_nactive(a), 1);
	ck_assert_int_eq(alerts_get(a, 0)->metric, M_MEM_PSI);
	ck_assert_double_eq_tol(alerts_get(a, 0)->vlast, 20, 1e-9);
	/* Stalls stop, avg10 lags at 50: the alert clears at once. */
	at(107, 5);
	S.mono = 17;
	S.psi[PSI_MEMORY].some_avg10 = 50;
	S.psi[PSI_MEMORY].some_total_us = 1e6 + 6 * 2e5;
	alerts_feed(a, &S, 2);
	ck_assert_int_eq(alerts_nactive(a), 0);
	alerts_free(a);
}
END_TEST

START_TEST(per_object_and_vanishing)
{
	struct alerts		*a = engine();
	const struct alert	*al;
	int			 i;

	for (i = 0; i < 7; i++) {
		at(100 + i, 5);
		S.ndisk = 2;
		memset(&S.disks[1], 0, sizeof S.disks[1]);
		rstr_set(&S.disks[1].name, "sdb");
		S.disks[1].util_pct = 99;
		S.disks[1].await_ms = 30;	/* warn 20, at 99 % busy */
		alerts_feed(a, &S, 2);
	}
	ck_assert_int_eq(alerts_nactive(a), 2);
	al = alerts_get(a, 0);		/* critical first */
	ck_assert_int_eq(al->metric, M_DISK_BUSY);
	ck_assert_str_eq(al->object, "sdb");
	ck_assert_str_eq(al->text, "sdb disk busy 99 % >= 70 % (critical)");
	al = alerts_get(a, 1);
	ck_assert_int_eq(al->metric, M_DISK_AWAIT);
	ck_assert_int_eq(al->level, SEV_WARNING);
	ck_assert_str_eq(al->text, "sdb disk await 30 ms >= 20 ms (warning)");
	/* sdb unplugged: both clear after 60 s without data. */
	for (i = 107; i < 166; i++)
		alerts_feed(a, at(i, 5), 2);
	ck_assert_int_eq(alerts_nactive(a), 2);
	alerts_feed(a, at(166, 5), 2);
	ck_assert_int_eq(alerts_nactive(a), 0);
	ck_assert_int_eq(alerts_nlog(a), 2);
	alerts_free(a);
}
END_TEST

START_TEST(old_or_repeated_samples_ignored)
{
	struct alerts	*a = engine();
	int		 i;

	for (i = 0; i < 7; i++)
		alerts_feed(a, at(100 + i, 95), 2);
	ck_assert_int_eq(alerts_nactive(a), 1);
	/* Same time again, and a time in the past: no effect. */
	ck_assert_int_eq(alerts_feed(a, at(106, 10), 2), 0);
	ck_assert_int_eq(alerts_feed(a, at(50, 10), 2), 0);
	ck_assert_int_eq(alerts_nactive(a), 1);
	ck_assert_int_eq(alerts_feed(a, at(NAN, 10), 2), 0);
	ck_assert_int_eq(alerts_nactive(a), 1);
	alerts_free(a);
}
END_TEST

struct counter {
	int	raises, clears;
	double	last_t;
};

static void
count_cb(const struct alert_event *e, void *arg)
{
	struct counter	*c = arg;

	if (e->kind == ALERT_RAISE)
		c->raises++;
	if (e->kind == ALERT_CLEAR)
		c->clears++;
	c->last_t = e->t;
}

START_TEST(log_is_bounded_and_newest_first)
{
	struct alerts	*a = engine();
	struct counter	 c = { 0, 0, 0 };
	double		 t = 100;
	int		 cycle, i;

	alerts_set_callback(a, count_cb, &c);
	/* 300 raise/clear cycles of 8 s each, never drained. */
	for (cycle = 0; cycle < 300; cycle++) {
		for (i = 0; i < 7; i++)
			alerts_feed(a, at(t++, 95), 2);
		alerts_feed(a, at(t++, 10), 2);
	}
	ck_assert_int_eq(c.raises, 300);
	ck_assert_int_eq(c.clears, 300);
	ck_assert_int_eq(alerts_nlog(a), ALERTS_LOG_MAX);
	ck_assert_int_eq(alerts_count(a), ALERTS_LOG_MAX);
	ck_assert_double_eq(alerts_get(a, 0)->clear_t, t - 1);
	ck_assert_double_lt(alerts_get(a, 1)->clear_t,
	    alerts_get(a, 0)->clear_t);
	ck_assert_uint_eq(alerts_get(a, 0)->id, 300);
	ck_assert_uint_eq(alerts_get(a, ALERTS_LOG_MAX - 1)->id,
	    300 - ALERTS_LOG_MAX + 1);
	ck_assert_ptr_null(alerts_get(a, ALERTS_LOG_MAX));
	/* 600 events, ALERTS_EVENTS_MAX kept, the rest lost; the newest
	 * are there. */
	ck_assert_uint_eq(alerts_events_lost(a), 600 - ALERTS_EVENTS_MAX);
	{
		struct alert_event ev[ALERTS_EVENTS_MAX];
		int n = alerts_events(a, ev, ALERTS_EVENTS_MAX);
		ck_assert_int_eq(n, ALERTS_EVENTS_MAX);
		ck_assert_int_eq(ev[n - 1].kind, ALERT_CLEAR);
		ck_assert_double_eq(ev[n - 1].t, c.last_t);
	}
	alerts_free(a);
}
END_TEST

START_TEST(deterministic)
{
	struct alerts		*a = engine(), *b = engine();
	struct alert_event	 ea[64], eb[64];
	double			 v[50];
	int			 i, na, nb;

	for (i = 0; i < 50; i++)
		v[i] = 50 + 45 * sin(i / 4.0);
	feed(a, v, 50, 100);
	feed(b, v, 50, 100);
	na = alerts_events(a, ea, 64);
	nb = alerts_events(b, eb, 64);
	ck_assert_int_gt(na, 0);
	ck_assert_int_eq(na, nb);
	for (i = 0; i < na; i++) {
		ck_assert_int_eq(ea[i].kind, eb[i].kind);
		ck_assert_double_eq(ea[i].t, eb[i].t);
		ck_assert_str_eq(ea[i].alert.text, eb[i].alert.text);
	}
	alerts_free(a);
	alerts_free(b);
}
END_TEST

static Suite *
alerts_suite(void)
{
	Suite	*s = suite_create("alerts");
	TCase	*tc = tcase_create("engine");

	tcase_add_test(tc, fires_after_duration);
	tcase_add_test(tc, zero_duration_fires_at_once);
	tcase_add_test(tc, hovering_at_the_line_does_not_flap);
	tcase_add_test(tc, alternating_never_fires);
	tcase_add_test(tc, hysteresis_and_log_stats);
	tcase_add_test(tc, escalate_and_step_down);
	tcase_add_test(tc, oom_fires_at_once_and_clears_later);
	tcase_add_test(tc, nan_in_the_middle_keeps_timers);
	tcase_add_test(tc, long_gap_restarts_pending);
	tcase_add_test(tc, psi_alert_uses_stall_counters);
	tcase_add_test(tc, per_object_and_vanishing);
	tcase_add_test(tc, old_or_repeated_samples_ignored);
	tcase_add_test(tc, log_is_bounded_and_newest_first);
	tcase_add_test(tc, deterministic);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(alerts_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	sample_done(&S);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
