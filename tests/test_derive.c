/*
 * test_derive.c - rates and shares from raw counters: ordinary deltas,
 * counters that wrap or reset, zero and negative intervals, idle CPUs,
 * disks with no I/O, clamping of per-process CPU %.
 */
#include <config.h>

#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "derive.h"

#define EPS	1e-9

#define ck_assert_nan(x)	ck_assert_msg(isnan(x), #x " = %g, not NAN", (x))

START_TEST(rate_basic)
{
	double	 r = -1;

	ck_assert(rate(100, 300, 2.0, &r));
	ck_assert_double_eq_tol(r, 100, EPS);
	ck_assert(rate(5, 5, 1.0, &r));
	ck_assert_double_eq_tol(r, 0, EPS);
	ck_assert(rate(0, 1000, 0.5, &r));
	ck_assert_double_eq_tol(r, 2000, EPS);
	/* Full 64-bit range, no overflow in the subtraction. */
	ck_assert(rate(0, UINT64_MAX, 1.0, &r));
	ck_assert_double_eq_tol(r, (double)UINT64_MAX, 1e6);
}
END_TEST

START_TEST(rate_backwards_or_bad_interval)
{
	double	 r = 42;

	/* A reset or a wrap: no rate, *out untouched. */
	ck_assert(!rate(1000, 10, 1.0, &r));
	ck_assert(!rate(UINT64_MAX, 0, 1.0, &r));
	ck_assert_double_eq(r, 42);
	/* Time that stood still or went back, or is not a number. */
	ck_assert(!rate(1, 2, 0.0, &r));
	ck_assert(!rate(1, 2, -1.0, &r));
	ck_assert(!rate(1, 2, NAN, &r));
	ck_assert(!rate(1, 2, INFINITY, &r));
	ck_assert_double_eq(r, 42);

	ck_assert_nan(rate_fig(10, 5, 1.0));
	ck_assert_nan(rate_fig(5, 10, 0.0));
	ck_assert_double_eq_tol(rate_fig(5, 10, 1.0), 5, EPS);
	ck_assert_nan(delta_fig(10, 9));
	ck_assert_double_eq_tol(delta_fig(9, 10), 1, EPS);
	ck_assert_double_eq_tol(delta_fig(3, 3), 0, EPS);
}
END_TEST

START_TEST(cpu_shares)
{
	struct cpu_ticks	 p = { 0 }, c;
	struct cpu_figs		 f;

	p.user = 1000; p.nice = 10; p.system = 300; p.idle = 5000;
	p.iowait = 50; p.irq = 5; p.softirq = 5; p.steal = 0;
	c = p;
	c.user += 40; c.nice += 10;		/* user 50 */
	c.system += 10; c.irq += 5; c.softirq += 5;	/* system 20 */
	c.idle += 20;
	c.iowait += 5;
	c.steal += 5;				/* total 100 */
	cpu_derive(&p, &c, &f);
	ck_assert_double_eq_tol(f.user, 50, EPS);
	ck_assert_double_eq_tol(f.system, 20, EPS);
	ck_assert_double_eq_tol(f.idle, 20, EPS);
	ck_assert_double_eq_tol(f.iowait, 5, EPS);
	ck_assert_double_eq_tol(f.steal, 5, EPS);
	ck_assert_double_eq_tol(f.busy, 75, EPS);
	ck_assert_double_eq_tol(f.busy, 100 - f.idle - f.iowait, EPS);
}
END_TEST

START_TEST(cpu_idle_and_no_time)
{
	struct cpu_ticks	 p = { 1, 2, 3, 4, 5, 6, 7, 8 }, c = p;
	struct cpu_figs		 f;

	/* No tick passed (an interval far below 1/HZ, or an offline CPU). */
	cpu_derive(&p, &c, &f);
	ck_assert_nan(f.user);
	ck_assert_nan(f.busy);
	ck_assert_nan(f.idle);

	c.idle += 100;
	cpu_derive(&p, &c, &f);
	ck_assert_double_eq_tol(f.idle, 100, EPS);
	ck_assert_double_eq_tol(f.busy, 0, EPS);
	ck_assert_double_eq_tol(f.user, 0, EPS);
}
END_TEST

START_TEST(cpu_field_backwards)
{
	struct cpu_ticks	 p = { 0 }, c;
	struct cpu_figs		 f;

	/* iowait can go backwards on NO_HZ kernels: it counts as zero and
	 * the other shares still add up to 100. */
	p.user = 100; p.idle = 100; p.iowait = 50;
	c = p;
	c.user += 30;
	c.idle += 70;
	c.iowait -= 3;
	cpu_derive(&p, &c, &f);
	ck_assert_double_eq_tol(f.iowait, 0, EPS);
	ck_assert_double_eq_tol(f.user, 30, EPS);
	ck_assert_double_eq_tol(f.idle, 70, EPS);
	ck_assert_double_eq_tol(f.busy, 30, EPS);
	ck_assert(f.busy >= 0 && f.busy <= 100);

	/* Everything went backwards (a CPU replaced, counters reset). */
	p.user = 1000; p.idle = 1000; p.iowait = 1000;
	memset(&c, 0, sizeof c);
	cpu_derive(&p, &c, &f);
	ck_assert_nan(f.busy);
	ck_assert_nan(f.user);
}
END_TEST

static void
disk_base(struct disk_raw *p)
{
	memset(p, 0, sizeof *p);
	p->reads = 1000; p->writes = 2000;
	p->read_sectors = 80000; p->write_sectors = 160000;
	p->read_ms = 500; p->write_ms = 700;
	p->io_ms = 10000; p->weighted_ms = 20000;
}

START_TEST(disk_figures)
{
	struct disk_raw		 p, c;
	struct disk_figs	 f;

	disk_base(&p);
	c = p;
	c.reads += 100;			/* 50 read IOPS over 2 s */
	c.writes += 300;
	c.read_sectors += 2048;		/* 1 MiB */
	c.write_sectors += 8192;	/* 4 MiB */
	c.read_ms += 200;
	c.write_ms += 600;		/* 800 ms over 400 I/Os: 2 ms */
	c.io_ms += 500;			/* 0.5 s busy of 2 s: 25 % */
	c.weighted_ms += 3000;		/* queue 1.5 */
	c.inflight = 3;
	disk_derive(&p, &c, 2.0, &f);
	ck_assert_double_eq_tol(f.read_bps, 1048576 / 2.0, EPS);
	ck_assert_double_eq_tol(f.write_bps, 4194304 / 2.0, EPS);
	ck_assert_double_eq_tol(f.read_iops, 50, EPS);
	ck_assert_double_eq_tol(f.write_iops, 150, EPS);
	ck_assert_double_eq_tol(f.util_pct, 25, EPS);
	ck_assert_double_eq_tol(f.await_ms, 2, EPS);
	ck_assert_double_eq_tol(f.queue, 1.5, EPS);
	ck_assert_double_eq_tol(f.inflight, 3, EPS);
}
END_TEST

START_TEST(disk_idle_clamp_and_reset)
{
	struct disk_raw		 p, c;
	struct disk_figs	 f;

	/* No I/O completed: await unknown, the rest zero. */
	disk_base(&p);
	c = p;
	disk_derive(&p, &c, 1.0, &f);
	ck_assert_nan(f.await_ms);
	ck_assert_double_eq_tol(f.util_pct, 0, EPS);
	ck_assert_double_eq_tol(f.read_bps, 0, EPS);
	ck_assert_double_eq_tol(f.queue, 0, EPS);

	/* io_ticks can run a little ahead of the wall clock: at most 100. */
	c.io_ms += 1200;
	disk_derive(&p, &c, 1.0, &f);
	ck_assert_double_eq_tol(f.util_pct, 100, EPS);

	/* A device re-created under the same name: counters restart. */
	memset(&c, 0, sizeof c);
	c.reads = 5;
	c.read_ms = 5;
	disk_derive(&p, &c, 1.0, &f);
	ck_assert_nan(f.read_bps);
	ck_assert_nan(f.read_iops);
	ck_assert_nan(f.util_pct);
	ck_assert_nan(f.await_ms);
	ck_assert_nan(f.queue);

	/* Zero or negative interval: no rate at all. */
	disk_base(&c);
	c.reads += 10;
	c.read_ms += 10;
	disk_derive(&p, &c, 0.0, &f);
	ck_assert_nan(f.read_iops);
	ck_assert_nan(f.util_pct);
	ck_assert_nan(f.await_ms);
	disk_derive(&p, &c, -1.0, &f);
	ck_assert_nan(f.read_bps);

	/* Negative inflight (unknown) stays unknown. */
	c.inflight = -1;
	disk_derive(&p, &c, 1.0, &f);
	ck_assert_nan(f.inflight);
}
END_TEST

START_TEST(net_rates)
{
	struct net_raw	 p = { 1000, 10, 0, 0, 2000, 20, 0, 0 }, c;
	struct net_figs	 f;

	memset(&f, 0, sizeof f);
	c = p;
	c.rx_bytes += 1500000;
	c.rx_packets += 1000;
	c.tx_bytes += 30000;
	c.tx_packets += 500;
	c.rx_drops += 4;
	c.tx_errors += 2;
	net_derive(&p, &c, 0.5, &f);
	ck_assert_double_eq_tol(f.rx_bps, 3000000, EPS);
	ck_assert_double_eq_tol(f.tx_bps, 60000, EPS);
	ck_assert_double_eq_tol(f.rx_pps, 2000, EPS);
	ck_assert_double_eq_tol(f.tx_pps, 1000, EPS);
	ck_assert_double_eq_tol(f.rx_drops_ps, 8, EPS);
	ck_assert_double_eq_tol(f.tx_errors_ps, 4, EPS);
	ck_assert_double_eq_tol(f.rx_errors_ps, 0, EPS);
	ck_assert_double_eq_tol(f.tx_drops_ps, 0, EPS);

	/* Counters reset (driver reload, 32-bit wrap): NAN, not 2^64. */
	c.rx_bytes = 10;
	net_derive(&p, &c, 1.0, &f);
	ck_assert_nan(f.rx_bps);
	ck_assert_double_eq_tol(f.tx_bps, 30000, EPS);
	net_derive(&p, &c, 0.0, &f);
	ck_assert_nan(f.tx_bps);
}
END_TEST

START_TEST(proc_cpu)
{
	/* 100 ticks in 1 s at HZ 100: one core. */
	ck_assert_double_eq_tol(proc_cpu_pct(0, 100, 100, 1.0, 1, 2), 100,
	    EPS);
	ck_assert_double_eq_tol(proc_cpu_pct(500, 550, 100, 1.0, 4, 8), 50,
	    EPS);
	ck_assert_double_eq_tol(proc_cpu_pct(7, 7, 100, 1.0, 1, 2), 0, EPS);
	/* Two threads on two CPUs: up to 200. */
	ck_assert_double_eq_tol(proc_cpu_pct(0, 400, 100, 2.0, 2, 2), 200,
	    EPS);
}
END_TEST

START_TEST(proc_cpu_clamp_and_invalid)
{
	/* Sampling jitter beyond what the threads could use: clamped. */
	ck_assert_double_eq_tol(proc_cpu_pct(0, 130, 100, 1.0, 1, 8), 100,
	    EPS);
	/* ... or beyond the CPUs of the machine. */
	ck_assert_double_eq_tol(proc_cpu_pct(0, 1000, 100, 1.0, 16, 2), 200,
	    EPS);
	/* nlwp 0 (a zombie) still allows one core. */
	ck_assert_double_eq_tol(proc_cpu_pct(0, 50, 100, 1.0, 0, 2), 50, EPS);
	/* A reused pid whose ticks are lower: not a huge number. */
	ck_assert_nan(proc_cpu_pct(1000, 10, 100, 1.0, 1, 2));
	ck_assert_nan(proc_cpu_pct(0, 10, 100, 0.0, 1, 2));
	ck_assert_nan(proc_cpu_pct(0, 10, 100, -1.0, 1, 2));
	ck_assert_nan(proc_cpu_pct(0, 10, 0, 1.0, 1, 2));
	ck_assert_nan(proc_cpu_pct(0, 10, 100, NAN, 1, 2));
}
END_TEST

static Suite *
derive_suite(void)
{
	Suite	*s = suite_create("derive");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, rate_basic);
	tcase_add_test(tc, rate_backwards_or_bad_interval);
	tcase_add_test(tc, cpu_shares);
	tcase_add_test(tc, cpu_idle_and_no_time);
	tcase_add_test(tc, cpu_field_backwards);
	tcase_add_test(tc, disk_figures);
	tcase_add_test(tc, disk_idle_clamp_and_reset);
	tcase_add_test(tc, net_rates);
	tcase_add_test(tc, proc_cpu);
	tcase_add_test(tc, proc_cpu_clamp_and_invalid);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(derive_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
