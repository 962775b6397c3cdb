/*
 * test_baseline.c - baselines from hand-built rings: exact statistics on
 * small series (NAN skipped, windows and moments honoured), series keys
 * for machine and objects, and the diff's verdicts from synthetic series
 * with a seeded PRNG: a step change is significant, white noise is not, a
 * slow random walk and a strongly autocorrelated AR(1) series are not
 * (several seeds each), a change smaller than one baseline sd is not;
 * new and vanished processes by pid and start time.
 */
#include <config.h>

#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "ring.h"
#include "sample.h"

#define NSEEDS	12

static uint64_t	 rng_state;

static void
rng_seed(uint64_t s)
{
	rng_state = s * 0x9E3779B97F4A7C15ULL + 1;
}

/* xorshift64*: uniform in (0, 1). */
static double
rng_uniform(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return ((rng_state * 2685821657736338717ULL) >> 11) * 0x1.0p-53 +
	    0x1.0p-54;
}

/* Standard normal (Box-Muller). */
static double
rng_normal(void)
{
	return sqrt(-2 * log(rng_uniform())) * cos(2 * M_PI * rng_uniform());
}

/* A ring of n samples whose cpu.busy_pct are v[0..n) (oldest first). */
static struct ring *
ring_of(const double *v, int n)
{
	struct host	 h;
	struct ring	*r;
	struct sample	 s;
	int		 i;

	memset(&h, 0, sizeof h);
	h.cpus = 2;
	r = ring_create(n, &h);
	memset(&s, 0, sizeof s);
	for (i = 0; i < n; i++) {
		sample_reset(&s);
		s.t = 1718000000 + i;
		s.cpu.busy = v[i];
		ring_push(r, &s, NULL);
	}
	sample_done(&s);
	return r;
}

static const struct base_change *
change_of(const struct base_change *c, int n, const char *key)
{
	int	 i;

	for (i = 0; i < n; i++)
		if (strcmp(c[i].key, key) == 0)
			return &c[i];
	return NULL;
}

START_TEST(test_stats_exact)
{
	double			 v[20];
	struct ring		*r;
	struct baseline		*b = calloc(1, sizeof *b);
	const struct base_stat	*st;
	int			 i;

	for (i = 0; i < 20; i++)
		v[i] = i + 1;
	r = ring_of(v, 20);
	ck_assert_int_eq(baseline_capture(b, r, 0, 0), 0);
	ck_assert_int_eq(b->nsamples, 20);
	ck_assert_double_eq(b->t_first, 1718000000);
	ck_assert_double_eq(b->t_last, 1718000019);
	ck_assert_double_eq(b->interval_s, 1);
	ck_assert_str_eq(b->source, "captured");
	ck_assert_ptr_nonnull(st = baseline_find(b, "cpu.busy_pct"));
	ck_assert_int_eq(st->n, 20);
	ck_assert_double_eq(st->mean, 10.5);
	ck_assert_double_eq_tol(st->sd, sqrt(35), 1e-12);
	ck_assert_double_eq(st->p50, 10.5);
	ck_assert_double_eq_tol(st->p95, 19.05, 1e-12);
	ck_assert_double_eq(st->min, 1);
	ck_assert_double_eq(st->max, 20);
	ck_assert_int_eq(st->nblocks, 2);	/* 1..10, 11..20 */
	ck_assert_double_eq(st->bmean, 10.5);
	ck_assert_double_eq_tol(st->bsd, sqrt(50), 1e-12);
	ck_assert(isnan(st->bac1));		/* under 3 blocks */
	/* Never measured: no statistics at all. */
	ck_assert_ptr_null(baseline_find(b, "cpu.steal_pct"));
	ck_assert_ptr_null(baseline_find(b, "no.such"));

	/* A window of 5 ending 2 samples back: 14..18. */
	ck_assert_int_eq(baseline_capture(b, r, 2, 5), 0);
	st = baseline_find(b, "cpu.busy_pct");
	ck_assert_int_eq(b->nsamples, 5);
	ck_assert_double_eq(st->mean, 16);
	ck_assert_double_eq(st->min, 14);
	ck_assert_double_eq(st->max, 18);
	ck_assert_double_eq(st->p50, 16);
	ck_assert_double_eq_tol(st->p95, 17.8, 1e-12);
	ck_assert_double_eq_tol(st->sd, sqrt(2.5), 1e-12);
	ck_assert_int_eq(st->nblocks, 0);
	ck_assert(isnan(st->bmean));
	/* Nothing there: refused. */
	ck_assert_int_eq(baseline_capture(b, r, 20, 5), -1);
	ring_free(r);

	/* NAN is not a value: 2, NAN, 4 -> mean 3, one sample -> sd 0. */
	v[0] = 2;
	v[1] = FIG_NA;
	v[2] = 4;
	r = ring_of(v, 3);
	ck_assert_int_eq(baseline_capture(b, r, 0, 0), 0);
	st = baseline_find(b, "cpu.busy_pct");
	ck_assert_int_eq(st->n, 2);
	ck_assert_double_eq(st->mean, 3);
	ck_assert_double_eq(st->p50, 3);
	ck_assert_int_eq(baseline_capture(b, r, 0, 1), 0);
	st = baseline_find(b, "cpu.busy_pct");
	ck_assert_int_eq(st->n, 1);
	ck_assert_double_eq(st->sd, 0);
	ck_assert_double_eq(st->p95, 4);
	ring_free(r);
	free(b);
}
END_TEST

START_TEST(test_keys)
{
	struct sample	 s;
	char		 keys[BASELINE_STATS_MAX][BASELINE_KEY_MAX];
	int		 n, i;
	bool		 seen = false;

	memset(&s, 0, sizeof s);
	sample_reset(&s);
	s.load[0] = 1.5;
	s.psi[PSI_IO].some_avg10 = 7;
	ck_assert_int_eq(sample_reserve_disks(&s, 1), 0);
	ck_assert_int_eq(sample_reserve_nets(&s, 1), 0);
	ck_assert_int_eq(sample_reserve_fs(&s, 1), 0);
	s.ndisk = s.nnet = s.nfs = 1;
	memset(s.disks, 0, sizeof *s.disks);
	rstr_set(&s.disks[0].name, "nvme0n1");
	s.disks[0].util_pct = 33;
	memset(s.nets, 0, sizeof *s.nets);
	rstr_set(&s.nets[0].name, "eth0.100");	/* a VLAN: a dot in it */
	s.nets[0].tx_bps = 1e6;
	memset(s.fs, 0, sizeof *s.fs);
	rstr_set(&s.fs[0].mount, "/srv/a.b");
	s.fs[0].used_pct = 81.5;
	ck_assert_double_eq(baseline_sample_value(&s, "load.1"), 1.5);
	ck_assert_double_eq(baseline_sample_value(&s, "psi.io.some_avg10"), 7);
	ck_assert_double_eq(baseline_sample_value(&s, "disk.nvme0n1.util_pct"),
	    33);
	ck_assert_double_eq(baseline_sample_value(&s, "net.eth0.100.tx_bps"),
	    1e6);
	ck_assert_double_eq(baseline_sample_value(&s, "fs./srv/a.b.used_pct"),
	    81.5);
	ck_assert(isnan(baseline_sample_value(&s, "disk.sdz.util_pct")));
	ck_assert(isnan(baseline_sample_value(&s, "disk.nvme0n1.bogus")));
	ck_assert(isnan(baseline_sample_value(&s, "cpu.busy_pct")));
	ck_assert(isnan(baseline_sample_value(&s, "nonsense")));
	n = baseline_sample_keys(&s, keys, BASELINE_STATS_MAX);
	ck_assert_str_eq(keys[0], "cpu.busy_pct");
	for (i = 0; i < n; i++)
		if (strcmp(keys[i], "fs./srv/a.b.used_pct") == 0)
			seen = true;
	ck_assert(seen);
	ck_assert_int_eq(baseline_sample_keys(&s, keys, 3), 3);
	sample_done(&s);
}
END_TEST

/*
 * Baseline = the first n values, now = the next n; the verdict on
 * cpu.busy_pct.
 */
static const struct base_change *
verdict(const double *v, int n, struct base_change *out)
{
	struct ring		*r = ring_of(v, 2 * n);
	struct baseline		*b = calloc(1, sizeof *b);
	const struct base_change *c;
	int			 k;

	ck_assert_int_eq(baseline_capture(b, r, n, n), 0);
	k = baseline_diff(b, r, 0, n, out, BASELINE_STATS_MAX);
	c = change_of(out, k, "cpu.busy_pct");
	ck_assert_ptr_nonnull(c);
	ring_free(r);
	free(b);
	return c;
}

START_TEST(test_step_significant)
{
	struct base_change	 out[BASELINE_STATS_MAX];
	const struct base_change *c;
	double			 v[600];
	int			 seed, i;

	for (seed = 1; seed <= NSEEDS; seed++) {
		rng_seed((uint64_t)seed);
		for (i = 0; i < 600; i++)
			v[i] = (i < 300 ? 20 : 23) + rng_normal();
		c = verdict(v, 300, out);
		ck_assert_msg(c->significant, "seed %d: step not significant "
		    "(p %g, effect %g)", seed, c->p, c->effect);
		ck_assert(c->p < 1e-6);
		ck_assert_double_eq_tol(c->delta, 3, 0.5);
		ck_assert_double_eq_tol(c->effect, 3, 0.6);
		ck_assert_double_eq_tol(c->base_mean, 20, 0.3);
		ck_assert_double_eq_tol(c->now_mean, 23, 0.3);
		ck_assert(out[0].significant);	/* significant ones first */
	}
}
END_TEST

START_TEST(test_noise_not_significant)
{
	struct base_change	 out[BASELINE_STATS_MAX];
	const struct base_change *c;
	double			 v[600];
	int			 seed, i;

	for (seed = 1; seed <= NSEEDS; seed++) {
		rng_seed((uint64_t)seed + 100);
		for (i = 0; i < 600; i++)
			v[i] = 20 + 5 * rng_normal();
		c = verdict(v, 300, out);
		ck_assert_msg(!c->significant, "seed %d: noise called "
		    "significant (p %g)", seed, c->p);
		ck_assert(fabs(c->effect) < 0.5);
	}
	/* Significant in p, but less than a baseline sd: not called. */
	rng_seed(7);
	for (i = 0; i < 600; i++)
		v[i] = (i < 300 ? 20 : 22) + 5 * rng_normal();
	c = verdict(v, 300, out);
	ck_assert(c->p < 0.01);
	ck_assert(!c->significant);
	/* Constant, then another constant: any change counts. */
	for (i = 0; i < 600; i++)
		v[i] = i < 300 ? 0 : 1;
	c = verdict(v, 300, out);
	ck_assert(isnan(c->effect));
	ck_assert_double_eq(c->p, 0);
	ck_assert(c->significant);
	/* Constant and the same: nothing. */
	for (i = 0; i < 600; i++)
		v[i] = 5;
	c = verdict(v, 300, out);
	ck_assert(!c->significant);
	ck_assert_double_eq(c->p, 1);
}
END_TEST

START_TEST(test_random_walk_not_significant)
{
	struct base_change	 out[BASELINE_STATS_MAX];
	const struct base_change *c;
	double			 v[600], x;
	int			 seed, i, big = 0;

	for (seed = 1; seed <= NSEEDS; seed++) {
		/* A slow random walk: it drifts by several of its own sds. */
		rng_seed((uint64_t)seed + 200);
		for (x = 50, i = 0; i < 600; i++) {
			x += 0.2 * rng_normal();
			v[i] = x;
		}
		c = verdict(v, 300, out);
		if (fabs(c->effect) >= 1)
			big++;
		ck_assert_msg(!c->significant, "seed %d: random walk called "
		    "significant (p %g, effect %g, t %g)", seed, c->p,
		    c->effect, c->t);
	}
	/* The walks did move: a naive test would have fired. */
	ck_assert_int_ge(big, NSEEDS / 3);

	for (seed = 1; seed <= NSEEDS; seed++) {
		/* AR(1) with phi 0.98: slow wandering around 50. */
		rng_seed((uint64_t)seed + 300);
		for (x = 0, i = 0; i < 600; i++) {
			x = 0.98 * x + rng_normal();
			v[i] = 50 + x;
		}
		c = verdict(v, 300, out);
		ck_assert_msg(!c->significant, "seed %d: AR(1) called "
		    "significant (p %g, effect %g)", seed, c->p, c->effect);
	}
}
END_TEST

START_TEST(test_too_few_blocks)
{
	struct base_change	 out[BASELINE_STATS_MAX];
	const struct base_change *c;
	double			 v[30];
	int			 i;

	/* 15 samples a side: one block each, no test. */
	for (i = 0; i < 30; i++)
		v[i] = i < 15 ? 10 + (i % 3) : 90 + (i % 3);
	c = verdict(v, 15, out);
	ck_assert(isnan(c->p));
	ck_assert(!c->significant);
	ck_assert_double_eq(c->delta, 80);
}
END_TEST

static void
proc_put(struct proctab *t, int pid, double start, double cpu)
{
	struct proc	 p;
	char		 comm[NAME_MAX_COMM];

	memset(&p, 0, sizeof p);
	p.pid = pid;
	p.start_time = start;
	p.cpu_pct = cpu;
	p.rss_bytes = 1048576 * pid;
	snprintf(comm, sizeof comm, "p%d", pid);
	p.comm = comm;
	ck_assert_ptr_nonnull(proctab_add(t, &p, comm, 0));
}

START_TEST(test_procs)
{
	struct host	 h;
	struct ring	*r;
	struct sample	 s;
	struct proctab	 full;
	struct baseline	*b = calloc(1, sizeof *b);
	struct base_proc out[BASELINE_PROCS_MAX];
	int		 i, n;

	memset(&h, 0, sizeof h);
	r = ring_create(40, &h);
	memset(&s, 0, sizeof s);
	memset(&full, 0, sizeof full);
	for (i = 0; i < 40; i++) {
		sample_reset(&s);
		s.t = 1718000000 + i;
		s.cpu.busy = 10;
		proctab_clear(&full);
		if (i < 20) {
			/* Baseline: 10 (gone later), 20 and 30. */
			proc_put(&s.top, 10, 100, 50);
			proc_put(&s.top, 20, 200, 30 + (i % 2) * 10);
			proc_put(&s.top, 30, 300, 1);
		} else {
			/* Now: 20 still, 30 is a new process with the same
			 * pid (another start time), 40 is new. */
			proc_put(&s.top, 20, 200, 35);
			proc_put(&s.top, 30, 900, 60);
			proc_put(&s.top, 40, 1000, 70);
			proc_put(&full, 20, 200, 35);
			proc_put(&full, 30, 900, 60);
			proc_put(&full, 40, 1000, 70);
		}
		ring_push(r, &s, &full);
	}
	ck_assert_int_eq(baseline_capture(b, r, 20, 20), 0);
	ck_assert_int_eq(b->nprocs, 3);
	/* By CPU over the window, with mean figures. */
	ck_assert_int_eq(b->procs[0].pid, 10);
	ck_assert_double_eq(b->procs[0].cpu_pct, 50);
	ck_assert_int_eq(b->procs[1].pid, 20);
	ck_assert_double_eq(b->procs[1].cpu_pct, 35);
	ck_assert_double_eq(b->procs[1].rss_bytes, 20 * 1048576.0);
	ck_assert_double_eq(b->procs[1].start_time, 200);
	ck_assert_str_eq(b->procs[1].comm, "p20");
	ck_assert_int_eq(b->procs[2].pid, 30);

	n = baseline_new_procs(b, r, 0, out, BASELINE_PROCS_MAX);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(out[0].pid, 40);		/* busiest first */
	ck_assert_int_eq(out[1].pid, 30);
	ck_assert_double_eq(out[1].start_time, 900);
	ck_assert_int_eq(baseline_new_procs(b, r, 0, out, 1), 1);

	n = baseline_vanished_procs(b, r, 0, out, BASELINE_PROCS_MAX);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(out[0].pid, 10);
	ck_assert_int_eq(out[1].pid, 30);
	ck_assert_double_eq(out[1].start_time, 300);
	/* At a moment inside the baseline, nothing is new or gone. */
	ck_assert_int_eq(baseline_new_procs(b, r, 25, out,
	    BASELINE_PROCS_MAX), 0);
	ck_assert_int_eq(baseline_vanished_procs(b, r, 25, out,
	    BASELINE_PROCS_MAX), 0);
	sample_done(&s);
	proctab_done(&full);
	ring_free(r);
	free(b);
}
END_TEST

static Suite *
baseline_suite(void)
{
	Suite	*s = suite_create("baseline");
	TCase	*tc;

	tc = tcase_create("stats");
	tcase_add_test(tc, test_stats_exact);
	tcase_add_test(tc, test_keys);
	tcase_add_test(tc, test_procs);
	suite_add_tcase(s, tc);

	tc = tcase_create("diff");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_step_significant);
	tcase_add_test(tc, test_noise_not_significant);
	tcase_add_test(tc, test_random_walk_not_significant);
	tcase_add_test(tc, test_too_few_blocks);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(baseline_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
