/*
 * test_analysis.c - every diagnosis rule on hand-built windows: a quiet
 * machine, each bottleneck, the edges (no data, one sample, a value exactly
 * at a level, a single spike, a counter reset, n/a-only fields), the score
 * arithmetic and caps, culprits and their shares, trends and noise, and
 * determinism.
 */
#include <config.h>

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "ring.h"
#include "sample.h"

#define GIB	1073741824.0
#define MIB	1048576.0

typedef void (*modfn)(struct sample *, int i, struct proctab *full);

/* A quiet 2-core machine at t = 1000 + i. */
static void
quiet(struct sample *s, int i)
{
	sample_reset(s);
	s->seq = (uint64_t)i + 1;
	s->t = 1000.0 + i;
	s->mono = 50.0 + i;
	s->dt = 1;
	s->cpu.user = 3;
	s->cpu.system = 2;
	s->cpu.iowait = 0;
	s->cpu.steal = 0;
	s->cpu.idle = 95;
	s->cpu.busy = 5;
	s->load[0] = 0.1;
	s->procs_running = 1;	/* perftop's reader */
	s->mem.total_bytes = 8 * GIB;
	s->mem.used_bytes = 2 * GIB;
	s->mem.used_pct = 25;
	s->mem.available_bytes = 6 * GIB;
	s->mem.swap_total_bytes = 0;
	s->mem.swap_used_bytes = 0;
	s->mem.swapin_ps = s->mem.swapout_ps = 0;
	s->mem.majflt_ps = 0;
	s->mem.oom_kills = 0;
	for (int k = 0; k < PSI_NRES; k++)
		s->psi[k].some_avg10 = 0.3;
	ck_assert_int_eq(sample_reserve_disks(s, 1), 0);
	s->ndisk = 1;
	memset(&s->disks[0], 0, sizeof s->disks[0]);
	rstr_set(&s->disks[0].name, "sda");
	s->disks[0].read_bps = 1000;
	s->disks[0].write_bps = 4000;
	s->disks[0].util_pct = 1;
	s->disks[0].await_ms = 2;
	s->disks[0].queue = 0.01;
	ck_assert_int_eq(sample_reserve_nets(s, 1), 0);
	s->nnet = 1;
	memset(&s->nets[0], 0, sizeof s->nets[0]);
	rstr_set(&s->nets[0].name, "eth0");
	s->nets[0].rx_bps = 2000;
	s->nets[0].tx_bps = 1000;
	s->nets[0].speed_bps = 125e6;	/* 1 Gbit/s */
	s->nets[0].up = 1;
	ck_assert_int_eq(sample_reserve_fs(s, 1), 0);
	s->nfs = 1;
	memset(&s->fs[0], 0, sizeof s->fs[0]);
	rstr_set(&s->fs[0].mount, "/");
	rstr_set(&s->fs[0].device, "/dev/vda");
	rstr_set(&s->fs[0].fstype, "ext4");
	s->fs[0].size_bytes = 100 * GIB;
	s->fs[0].used_bytes = 20 * GIB;
	s->fs[0].avail_bytes = 80 * GIB;
	s->fs[0].used_pct = 20;
}

static void
addproc(struct proctab *t, int pid, const char *comm, double cpu, double rss,
    double io)
{
	struct proc	 p;

	memset(&p, 0, sizeof p);
	p.pid = pid;
	p.ppid = 1;
	p.nlwp = 1;
	p.state = 'R';
	p.user = "root";
	p.comm = comm;
	p.start_time = 900.0 + pid;	/* stable per pid */
	p.cpu_pct = cpu;
	p.rss_bytes = rss;
	p.read_bps = io;
	p.write_bps = FIG_OK(io) ? 0 : FIG_NA;
	ck_assert_ptr_nonnull(proctab_add(t, &p, comm, CMDLINE_TOP_MAX));
}

/* A few ordinary processes in every sample. */
static void
idle_procs(struct sample *s, struct proctab *full)
{
	addproc(&s->top, 1, "systemd", 0.1, 12 * MIB, 0);
	addproc(&s->top, 300, "sshd", 0.0, 8 * MIB, 0);
	if (full != NULL) {
		addproc(full, 1, "systemd", 0.1, 12 * MIB, 0);
		addproc(full, 300, "sshd", 0.0, 8 * MIB, 0);
	}
}

/* A ring of n samples: quiet, idle processes, then mod. */
static struct ring *
build(int n, modfn mod)
{
	struct host	 h;
	struct ring	*r;
	struct sample	 s;
	struct proctab	 full;
	int		 i;

	memset(&h, 0, sizeof h);
	strcpy(h.hostname, "test");
	h.cpus = 2;
	h.mem_total_bytes = 8 * GIB;
	r = ring_create(n > 0 ? n : 1, &h);
	memset(&s, 0, sizeof s);
	memset(&full, 0, sizeof full);
	for (i = 0; i < n; i++) {
		quiet(&s, i);
		proctab_clear(&full);
		idle_procs(&s, &full);
		if (mod != NULL)
			mod(&s, i, &full);
		ring_push(r, &s, &full);
	}
	sample_done(&s);
	proctab_done(&full);
	return r;
}

/* Run the default analysis over the newest `window` samples. */
static void
analyse(struct ring *r, int window, struct analysis *an)
{
	struct thresholds th;

	thresholds_defaults(&th);
	analysis_init(an);
	ring_lock(r);
	ck_assert_int_eq(analysis_run(an, r, window, &th, NULL), 0);
	ring_unlock(r);
}

static const struct finding *
find(const struct analysis *an, const char *rule, const char *obj)
{
	int	 i;

	for (i = 0; i < an->nfindings; i++)
		if (strcmp(an->findings[i].rule, rule) == 0 &&
		    (obj == NULL || strcmp(an->findings[i].object, obj) == 0))
			return &an->findings[i];
	return NULL;
}

static const struct use_row *
row(const struct analysis *an, enum resource res, const char *obj)
{
	int	 i;

	for (i = 0; i < an->nrows; i++)
		if (an->rows[i].res == res &&
		    strcmp(an->rows[i].object, obj) == 0)
			return &an->rows[i];
	return NULL;
}

static enum severity
worst_finding(const struct analysis *an)
{
	enum severity	 w = SEV_OK;
	int		 i;

	for (i = 0; i < an->nfindings; i++)
		if (an->findings[i].sev > w)
			w = an->findings[i].sev;
	return w;
}

/* ---- edges -------------------------------------------------------------- */

START_TEST(no_data_is_unknown)
{
	struct ring	*r = build(0, NULL);
	struct analysis	 an;
	char		 line[128];

	analyse(r, 0, &an);
	ck_assert_int_eq(an.health.status, HEALTH_UNKNOWN);
	ck_assert_int_eq(an.health.score, -1);
	ck_assert_int_eq(an.nfindings, 0);
	ck_assert_int_eq(an.nsamples, 0);
	analysis_health_line(&an, line, sizeof line, false, 3);
	ck_assert_str_eq(line, "Health n/a -- nothing measured");
	analysis_done(&an);
	ring_free(r);
}
END_TEST

static void
mod_all_nan(struct sample *s, int i, struct proctab *full)
{
	uint64_t seq = s->seq;

	(void)full;
	sample_reset(s);
	s->seq = seq;
	s->t = 1000.0 + i;
}

START_TEST(nothing_measured_is_unknown)
{
	struct ring	*r = build(3, mod_all_nan);
	struct analysis	 an;

	analyse(r, 0, &an);
	ck_assert_int_eq(an.health.status, HEALTH_UNKNOWN);
	ck_assert_int_eq(an.nfindings, 0);
	ck_assert_int_eq(an.nsamples, 3);
	analysis_done(&an);
	ring_free(r);
}
END_TEST

START_TEST(quiet_machine_is_ok)
{
	struct ring	*r = build(60, NULL);
	struct analysis	 an;
	char		 line[128];

	analyse(r, 0, &an);
	ck_assert_int_eq(an.health.status, HEALTH_OK);
	ck_assert_int_eq(an.health.score, 100);
	ck_assert_int_le(worst_finding(&an), SEV_INFO);
	ck_assert_int_eq(an.health.ndeductions, 0);
	/* cpu, memory, io, sda, eth0, / */
	ck_assert_int_eq(an.nrows, 6);
	ck_assert_int_eq(row(&an, RES_CPU, "")->sev, SEV_OK);
	ck_assert_int_eq(row(&an, RES_DISK, "sda")->sev, SEV_OK);
	ck_assert_str_eq(an.unseen, "");
	analysis_health_line(&an, line, sizeof line, false, 3);
	ck_assert_str_eq(line, "Health 100 -- OK");
	analysis_health_line(&an, line, sizeof line, true, 3);
	ck_assert_str_eq(line, "Health 100 \xe2\x80\x94 OK");
	analysis_done(&an);
	ring_free(r);
}
END_TEST

/* A CPU hog: stress-ng x2 on 2 cores, run queue 6. */
static void
mod_cpu_hog(struct sample *s, int i, struct proctab *full)
{
	(void)i;
	s->cpu.busy = 97;
	s->cpu.idle = 3;
	s->procs_running = 7;		/* 6 + perftop */
	addproc(&s->top, 812, "stress-ng", 98, 4 * MIB, 0);
	addproc(&s->top, 813, "stress-ng", 97, 4 * MIB, 0);
	addproc(full, 812, "stress-ng", 98, 4 * MIB, 0);
	addproc(full, 813, "stress-ng", 97, 4 * MIB, 0);
}

START_TEST(one_sample_cpu_saturated)
{
	struct ring		*r = build(1, mod_cpu_hog);
	struct analysis		 an;
	const struct finding	*f;
	char			 line[256];

	analyse(r, 0, &an);
	ck_assert_int_eq(an.health.status, HEALTH_CRITICAL);
	f = find(&an, "cpu.saturated", "");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->sev, SEV_CRITICAL);
	ck_assert_int_eq(f->res, RES_CPU);
	ck_assert_int_eq(f->points, 30);
	ck_assert_int_eq(f->metric, M_CPU_BUSY);
	ck_assert_double_eq(f->value, 97);
	ck_assert_double_eq(f->threshold, 90);
	ck_assert_str_eq(f->summary,
	    "CPU saturated: busy 97 %, run queue 6 on 2 cores, PSI cpu 0.30 %");
	/* The two hogs and systemd (0.1 %); sshd used no CPU. */
	ck_assert_int_eq(f->nculprits, 3);
	ck_assert_int_eq(f->culprits[2].pid, 1);
	ck_assert_int_eq(f->culprits[0].pid, 812);
	ck_assert_str_eq(f->culprits[0].comm, "stress-ng");
	ck_assert_double_eq(f->culprits[0].value, 98);
	/* 98 of all CPU use: 97 % busy x 2 cores = 194. */
	ck_assert_double_eq_tol(f->culprits[0].share_pct, 98 * 100 / 194.0,
	    1e-9);
	ck_assert_int_eq(f->culprits[1].pid, 813);
	ck_assert_ptr_nonnull(strstr(f->advice,
	    "stress-ng (pid 812) 98 % (51 % of CPU use), stress-ng (pid 813)"));
	ck_assert_ptr_nonnull(strstr(f->advice, "CPUQuota="));
	ck_assert_int_eq(an.health.score, 70);
	analysis_health_line(&an, line, sizeof line, false, 3);
	ck_assert_str_eq(line, "Health 70 -- CPU saturated (-30)");
	analysis_done(&an);
	ring_free(r);
}
END_TEST

/* A batch whose first sample is the priming read (rates n/a). */
static void
mod_hog_after_priming(struct sample *s, int i, struct proctab *full)
{
	if (i == 0) {
		cpu_figs_na(&s->cpu);
		s->procs_running = FIG_NA;
		s->load[0] = FIG_NA;
		mod_cpu_hog(s, i, full);
		/* First sight of every process: no CPU % yet. */
		for (int k = 0; k < s->top.n; k++)
			s->top.v[k].cpu_pct = FIG_NA;
		return;
	}
	mod_cpu_hog(s, i, full);
}

START_TEST(short_batch_reports_hog)
{
	struct ring	*r = build(3, mod_hog_after_priming);
	struct analysis	 an;

	analyse(r, 0, &an);
	ck_assert_int_eq(an.health.status, HEALTH_CRITICAL);
	ck_assert_ptr_nonnull(find(&an, "cpu.saturated", ""));
	/* The mean is over the samples that had CPU figures: 98, not 65. */
	ck_assert_double_eq_tol(
	    find(&an, "cpu.saturated", "")->culprits[0].value, 98, 1e-9);
	analysis_done(&an);
	ring_free(r);
}
END_TEST

static double at_value;

static void
mod_busy_at(struct sample *s, int i, struct proctab *full)
{
	(void)i;
	(void)full;
	s->cpu.busy = at_value;
}

START_TEST(exactly_at_threshold)
{
	struct thresholds	 th;
	struct ring		*r;
	struct analysis		 an;

	thresholds_defaults(&th);
	/* >= everywhere: a value exactly at a level has its severity. */
	ck_assert_int_eq(level_judge(&th.lv[M_CPU_BUSY], false, 90),
	    SEV_CRITICAL);
	ck_assert_int_eq(level_judge(&th.lv[M_CPU_BUSY], false, 89.999),
	    SEV_WARNING);
	ck_assert_int_eq(level_judge(&th.lv[M_CPU_BUSY], false, 72),
	    SEV_WARNING);
	ck_assert_int_eq(level_judge(&th.lv[M_CPU_BUSY], false, 65),
	    SEV_INFO);
	ck_assert_int_eq(level_judge(&th.lv[M_CPU_BUSY], false, 64.9),
	    SEV_OK);
	ck_assert_int_eq(level_judge(&th.lv[M_CPU_BUSY], false, FIG_NA),
	    SEV_NA);
	/* Lower is worse: exactly 24 h to full is a warning. */
	ck_assert_int_eq(level_judge(&th.lv[M_FS_FULL], true, 24),
	    SEV_WARNING);
	ck_assert_int_eq(level_judge(&th.lv[M_FS_FULL], true, 24.01),
	    SEV_INFO);

	at_value = 90;
	r = build(5, mod_busy_at);
	analyse(r, 0, &an);
	ck_assert_int_eq(find(&an, "cpu.saturated", "")->sev, SEV_CRITICAL);
	analysis_done(&an);
	ring_free(r);
	at_value = 89.99;
	r = build(5, mod_busy_at);
	analyse(r, 0, &an);
	ck_assert_int_eq(find(&an, "cpu.saturated", "")->sev, SEV_WARNING);
	ck_assert_int_eq(find(&an, "cpu.saturated", "")->points, 15);
	ck_assert_str_eq(find(&an, "cpu.saturated", "")->reason, "CPU busy");
	analysis_done(&an);
	ring_free(r);
}
END_TEST

static void
mod_one_spike(struct sample *s, int i, struct proctab *full)
{
	(void)full;
	if (i == 4) {
		s->cpu.busy = 100;
		s->procs_running = 9;
		s->nets[0].rx_drops_ps = 500;
		s->mem.swapout_ps = 400;
	}
}

START_TEST(single_spike_is_not_a_problem)
{
	struct ring	*r = build(10, mod_one_spike);
	struct analysis	 an;

	analyse(r, 0, &an);
	ck_assert_int_eq(an.health.status, HEALTH_OK);
	ck_assert_int_le(worst_finding(&an), SEV_INFO);
	analysis_done(&an);
	/* Two samples, one spike: not "more than half" either. */
	analyse(r, 6, &an);
	ck_assert_int_eq(an.health.status, HEALTH_OK);
	analysis_done(&an);
	ring_free(r);
}
END_TEST

/* More than half of the window at the level: judged.  Half: not. */
static void
mod_half(struct sample *s, int i, struct proctab *full)
{
	(void)full;
	if (i % 2 == 0)
		s->cpu.busy = 95;
}

START_TEST(more_than_half_rule)
{
	struct ring	*r = build(4, mod_half);
	struct analysis	 an;

	analyse(r, 4, &an);	/* 2 of 4 */
	ck_assert_int_eq(an.health.status, HEALTH_OK);
	analysis_done(&an);
	analyse(r, 3, &an);	/* samples 1,2,3: only 2 is high: 1 of 3 */
	ck_assert_int_eq(an.health.status, HEALTH_OK);
	analysis_done(&an);
	ring_free(r);
	r = build(5, mod_half);	/* 0,2,4: 3 of 5 */
	analyse(r, 0, &an);
	ck_assert_int_eq(an.health.status, HEALTH_CRITICAL);
	analysis_done(&an);
	ring_free(r);
}
END_TEST

/* Counter resets: NAN in the middle of a sustained problem. */
static void
mod_reset_middle(struct sample *s, int i, struct proctab *full)
{
	(void)full;
	s->cpu.busy = 95;
	s->mem.swapout_ps = 50;
	s->mem.swap_used_bytes = 512 * MIB;
	if (i == 3) {
		s->cpu.busy = FIG_NA;
		s->mem.swapout_ps = FIG_NA;
	}
}

START_TEST(counter_reset_in_the_middle)
{
	struct ring		*r = build(6, mod_reset_middle);
	struct analysis		 an;
	const struct finding	*f;

	analyse(r, 0, &an);
	ck_assert_int_eq(find(&an, "cpu.saturated", "")->sev, SEV_CRITICAL);
	f = find(&an, "mem.swapping", "");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->sev, SEV_CRITICAL);
	ck_assert_int_eq(f->points, 12);
	ck_assert_ptr_nonnull(strstr(f->advice, "no per-process swap"));
	analysis_done(&an);
	ring_free(r);
}
END_TEST

/* Unprivileged / old kernel: PSI, steal, process I/O, link speed n/a. */
static void
mod_unprivileged(struct sample *s, int i, struct proctab *full)
{
	(void)i;
	s->cpu.steal = FIG_NA;
	for (int k = 0; k < PSI_NRES; k++)
		s->psi[k].some_avg10 = FIG_NA;
	s->nets[0].speed_bps = FIG_NA;
	s->nets[0].rx_drops_ps = s->nets[0].tx_drops_ps = FIG_NA;
	s->nets[0].rx_errors_ps = s->nets[0].tx_errors_ps = FIG_NA;
	/* Nobody's I/O is readable: not in the top lists, not in the full
	 * table either. */
	for (int k = 0; k < s->top.n; k++)
		s->top.v[k].read_bps = s->top.v[k].write_bps = FIG_NA;
	for (int k = 0; k < full->n; k++)
		full->v[k].read_bps = full->v[k].write_bps = FIG_NA;
}

START_TEST(na_fields_are_not_unknown)
{
	struct ring		*r = build(5, mod_unprivileged);
	struct analysis		 an;
	const struct use_row	*rw;

	analyse(r, 0, &an);
	ck_assert_int_eq(an.health.status, HEALTH_OK);
	ck_assert_int_eq(an.health.score, 100);
	ck_assert_ptr_nonnull(strstr(an.unseen, "steal"));
	ck_assert_ptr_nonnull(strstr(an.unseen, "PSI"));
	ck_assert_ptr_nonnull(strstr(an.unseen, "per-process I/O"));
	ck_assert_ptr_nonnull(strstr(an.unseen, "link speed"));
	rw = row(&an, RES_NETWORK, "eth0");
	ck_assert_int_eq(rw->cell[USE_U].sev, SEV_NONE);	/* bytes/s */
	ck_assert_double_eq(rw->cell[USE_U].value, 2000);
	ck_assert_int_eq(rw->cell[USE_S].sev, SEV_NA);
	ck_assert_str_eq(rw->cell[USE_E].text, "n/a");
	ck_assert_int_eq(row(&an, RES_IO, "")->cell[USE_S].sev, SEV_NA);
	analysis_done(&an);
	ring_free(r);
}
END_TEST

/* PSI from the cumulative stall counters: avg10 still high from a load
 * that ended (it decays over ~10 s) must not make a finding. */
static void
mod_psi_lag(struct sample *s, int i, struct proctab *full)
{
	(void)full;
	s->psi[PSI_CPU].some_avg10 = 40 - i;		/* decaying */
	s->psi[PSI_CPU].some_total_us = 5e6 + i * 1000;	/* 0.1 % stalled */
	s->psi[PSI_IO].some_avg10 = 1;
	s->psi[PSI_IO].some_total_us = 7e6 + i * 400000; /* 40 % stalled */
}

START_TEST(psi_from_totals_has_no_lag)
{
	struct ring		*r = build(5, mod_psi_lag);
	struct analysis		 an;
	const struct finding	*f;

	analyse(r, 0, &an);
	ck_assert_ptr_null(find(&an, "cpu.saturated", ""));
	ck_assert_double_eq_tol(row(&an, RES_CPU, "")->cell[USE_S].value, 0,
	    1e-9);		/* run queue per core */
	f = find(&an, "io.pressure", "");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->sev, SEV_CRITICAL);
	ck_assert_double_eq_tol(f->value, 40, 1e-9);
	analysis_done(&an);
	/* One sample alone has no interval: avg10 it is (40 %, critical). */
	analyse(r, 1, &an);	/* but the ring has the sample before it */
	ck_assert_ptr_null(find(&an, "cpu.saturated", ""));
	analysis_done(&an);
	ring_free(r);
	r = build(1, mod_psi_lag);
	analyse(r, 0, &an);
	ck_assert_int_eq(find(&an, "cpu.saturated", "")->sev, SEV_CRITICAL);
	ck_assert_int_eq(find(&an, "cpu.saturated", "")->metric, M_CPU_PSI);
	analysis_done(&an);
	ring_free(r);
}
END_TEST

/* ---- each resource ------------------------------------------------------ */

static void
mod_mem_pressure(struct sample *s, int i, struct proctab *full)
{
	(void)i;
	s->mem.used_pct = 95;
	s->mem.used_bytes = 7.6 * GIB;
	s->mem.available_bytes = 0.4 * GIB;
	s->psi[PSI_MEMORY].some_avg10 = 30;
	addproc(&s->top, 4242, "java", 5, 6 * GIB, 0);
	addproc(full, 4242, "java", 5, 6 * GIB, 0);
	addproc(full, 4300, "postgres", 1, 1 * GIB, 0);
}

START_TEST(memory_pressure_culprit)
{
	struct ring		*r = build(5, mod_mem_pressure);
	struct analysis		 an;
	const struct finding	*f;

	analyse(r, 0, &an);
	f = find(&an, "mem.pressure", "");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->sev, SEV_CRITICAL);
	ck_assert_int_eq(f->points, 30);
	ck_assert_int_eq(f->culprits[0].pid, 4242);
	ck_assert_int_eq(f->culprits[1].pid, 4300);
	ck_assert_double_eq_tol(f->culprits[0].share_pct, 6 / 7.6 * 100,
	    1e-9);
	ck_assert_ptr_nonnull(strstr(f->advice, "java (pid 4242) 6.0G"));
	ck_assert_ptr_nonnull(strstr(f->advice, "MemoryMax="));
	ck_assert_int_eq(row(&an, RES_MEMORY, "")->cell[USE_U].sev,
	    SEV_CRITICAL);
	analysis_done(&an);
	ring_free(r);
}
END_TEST

static void
mod_oom(struct sample *s, int i, struct proctab *full)
{
	(void)full;
	if (i == 7)
		s->mem.oom_kills = 1;
}

START_TEST(one_oom_kill_is_critical)
{
	struct ring		*r = build(10, mod_oom);
	struct analysis		 an;
	const struct finding	*f;

	analyse(r, 0, &an);
	f = find(&an, "mem.oom", "");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->sev, SEV_CRITICAL);
	ck_assert_int_eq(f->points, 25);
	ck_assert_double_eq(row(&an, RES_MEMORY, "")->cell[USE_E].value, 1);
	ck_assert_int_eq(an.health.status, HEALTH_CRITICAL);
	analysis_done(&an);
	analyse(r, 2, &an);	/* the kill is older than the window */
	ck_assert_ptr_null(find(&an, "mem.oom", ""));
	analysis_done(&an);
	ring_free(r);
}
END_TEST

static void
mod_disk_hog(struct sample *s, int i, struct proctab *full)
{
	(void)i;
	(void)full;
	s->disks[0].util_pct = 98;
	s->disks[0].read_bps = 100e6;
	s->disks[0].write_bps = 0;
	s->disks[0].await_ms = 12;
	s->disks[0].queue = 8;
	s->psi[PSI_IO].some_avg10 = 45;
	addproc(&s->top, 900, "fio", 30, 20 * MIB, 90e6);
	addproc(&s->top, 901, "rsync", 2, 20 * MIB, 10e6);
}

START_TEST(disk_saturated_culprit_share)
{
	struct ring		*r = build(5, mod_disk_hog);
	struct analysis		 an;
	const struct finding	*f;

	analyse(r, 0, &an);
	f = find(&an, "disk.saturated", "sda");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->sev, SEV_CRITICAL);
	ck_assert_int_eq(f->res, RES_DISK);
	ck_assert_int_eq(f->points, 20);
	ck_assert_str_eq(f->reason, "disk sda saturated");
	ck_assert_int_eq(f->culprits[0].pid, 900);
	/* fio did 90 of the 100 MB/s all disks moved. */
	ck_assert_double_eq_tol(f->culprits[0].share_pct, 90, 1e-9);
	ck_assert_int_eq(f->culprits[1].pid, 901);
	ck_assert_ptr_nonnull(strstr(f->advice, "ionice -c3 -p 900"));
	/* PSI io: its own finding, counted in the same (disk) cap. */
	f = find(&an, "io.pressure", "");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->sev, SEV_CRITICAL);
	ck_assert_int_eq(f->points, 10);	/* 15, capped: 30 - 20 */
	ck_assert_int_eq(an.health.score, 70);
	analysis_done(&an);
	ring_free(r);
}
END_TEST

static void
mod_slow_idle_disk(struct sample *s, int i, struct proctab *full)
{
	(void)i;
	(void)full;
	s->disks[0].util_pct = 2;	/* one slow sync a second */
	s->disks[0].await_ms = 300;
}

static void
mod_slow_busy_disk(struct sample *s, int i, struct proctab *full)
{
	(void)i;
	(void)full;
	s->disks[0].util_pct = 30;
	s->disks[0].await_ms = 60;
}

START_TEST(disk_await_needs_load)
{
	struct ring		*r = build(5, mod_slow_idle_disk);
	struct analysis		 an;
	const struct finding	*f;

	analyse(r, 0, &an);
	ck_assert_ptr_null(find(&an, "disk.saturated", "sda"));
	ck_assert_int_eq(row(&an, RES_DISK, "sda")->cell[USE_S].sev,
	    SEV_NONE);
	analysis_done(&an);
	ring_free(r);
	r = build(5, mod_slow_busy_disk);
	analyse(r, 0, &an);
	f = find(&an, "disk.saturated", "sda");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->sev, SEV_CRITICAL);
	ck_assert_int_eq(f->metric, M_DISK_AWAIT);
	ck_assert_str_eq(f->reason, "disk sda slow");
	ck_assert_ptr_nonnull(strstr(f->advice, "per-process I/O"));
	analysis_done(&an);
	ring_free(r);
}
END_TEST

static void
mod_net(struct sample *s, int i, struct proctab *full)
{
	(void)full;
	s->nets[0].rx_bps = 120e6;	/* 96 % of 1 Gbit/s */
	s->nets[0].rx_drops_ps = i == 0 ? 0 : 2;
}

START_TEST(network_saturated_and_drops)
{
	struct ring		*r = build(5, mod_net);
	struct analysis		 an;
	const struct finding	*f;

	analyse(r, 0, &an);
	f = find(&an, "net.saturated", "eth0");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->sev, SEV_CRITICAL);
	ck_assert_double_eq_tol(f->value, 96, 1e-9);
	ck_assert_ptr_nonnull(strstr(f->advice, "per process"));
	f = find(&an, "net.errors", "eth0");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->sev, SEV_WARNING);
	ck_assert_int_eq(f->metric, M_NET_DROPS);
	ck_assert_int_eq(f->points, 3);
	ck_assert_str_eq(f->reason, "eth0 drops");
	analysis_done(&an);
	ring_free(r);
}
END_TEST

static void
mod_steal(struct sample *s, int i, struct proctab *full)
{
	(void)i;
	(void)full;
	s->cpu.steal = 30;
}

START_TEST(steal_has_no_process_culprit)
{
	struct ring		*r = build(3, mod_steal);
	struct analysis		 an;
	const struct finding	*f;

	analyse(r, 0, &an);
	f = find(&an, "cpu.steal", "");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->sev, SEV_CRITICAL);
	ck_assert_int_eq(f->nculprits, 0);
	ck_assert_ptr_nonnull(strstr(f->advice, "hypervisor"));
	analysis_done(&an);
	ring_free(r);
}
END_TEST

static void
mod_fs_full(struct sample *s, int i, struct proctab *full)
{
	(void)i;
	(void)full;
	s->fs[0].used_pct = 96;
	s->fs[0].used_bytes = 96 * GIB;
	s->fs[0].avail_bytes = 4 * GIB;
}

START_TEST(filesystem_almost_full)
{
	struct ring		*r = build(3, mod_fs_full);
	struct analysis		 an;
	const struct finding	*f;

	analyse(r, 0, &an);
	f = find(&an, "fs.full", "/");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->sev, SEV_CRITICAL);
	ck_assert_int_eq(f->points, 10);
	ck_assert_str_eq(f->reason, "/ almost full");
	ck_assert_ptr_nonnull(strstr(f->advice, "du -xh --max-depth=2 /"));
	ck_assert_ptr_null(find(&an, "fs.filling", "/"));	/* no growth */
	analysis_done(&an);
	ring_free(r);
}
END_TEST

/* ---- score -------------------------------------------------------------- */

static void
mod_cpu_and_swap(struct sample *s, int i, struct proctab *full)
{
	mod_cpu_hog(s, i, full);
	s->mem.swapout_ps = 200;
	s->mem.swapin_ps = 20;
}

START_TEST(score_line_with_reasons)
{
	struct ring	*r = build(5, mod_cpu_and_swap);
	struct analysis	 an;
	char		 line[256];
	size_t		 len;

	analyse(r, 0, &an);
	ck_assert_int_eq(an.health.score, 58);
	ck_assert_int_eq(an.health.deducted, 42);
	ck_assert_int_eq(an.health.ndeductions, 2);
	analysis_health_line(&an, line, sizeof line, false, 0);
	ck_assert_str_eq(line,
	    "Health 58 -- CPU saturated (-30), swapping (-12)");
	analysis_health_line(&an, line, sizeof line, true, 0);
	ck_assert_str_eq(line, "Health 58 \xe2\x80\x94 CPU saturated "
	    "(\xe2\x88\x92" "30), swapping (\xe2\x88\x92" "12)");
	analysis_health_line(&an, line, sizeof line, false, 1);
	ck_assert_str_eq(line, "Health 58 -- CPU saturated (-30), +1 more");
	/* Cut inside the UTF-8 dash: nothing half-written. */
	len = analysis_health_line(&an, line, 11, true, 0);
	ck_assert_uint_gt(len, 11);
	ck_assert_str_eq(line, "Health 58 ");
	analysis_done(&an);
	ring_free(r);
}
END_TEST

static void
mod_everything(struct sample *s, int i, struct proctab *full)
{
	mod_cpu_hog(s, i, full);
	s->cpu.steal = 30;
	mod_mem_pressure(s, i, full);
	s->mem.swapout_ps = 300;
	s->mem.majflt_ps = 5000;
	s->mem.oom_kills = 1;
	mod_disk_hog(s, i, full);
	s->nets[0].rx_bps = 120e6;
	s->nets[0].rx_errors_ps = 50;
	mod_fs_full(s, i, full);
}

START_TEST(score_caps_and_clamp)
{
	struct ring	*r = build(5, mod_everything);
	struct analysis	 an;
	int		 i, sum = 0, bygroup[RES_NRES] = { 0 };

	analyse(r, 0, &an);
	for (i = 0; i < an.nfindings; i++) {
		const struct finding *f = &an.findings[i];
		int g = f->res == RES_IO ? RES_DISK : (int)f->res;
		ck_assert_int_ge(f->points, 0);
		sum += f->points;
		bygroup[g] += f->points;
		if (i > 0)	/* worst first */
			ck_assert_int_le(f->sev, an.findings[i - 1].sev);
	}
	ck_assert_int_eq(sum, an.health.deducted);
	ck_assert_int_eq(bygroup[RES_CPU], 35);		/* 30 + 10 capped */
	ck_assert_int_eq(find(&an, "cpu.steal", "")->points, 5);
	ck_assert_int_eq(bygroup[RES_MEMORY], 50);
	ck_assert_int_eq(bygroup[RES_DISK], 30);
	ck_assert_int_eq(bygroup[RES_NETWORK], 21);	/* 15 + 6 */
	ck_assert_int_eq(bygroup[RES_FS], 10);
	ck_assert_int_eq(an.health.deducted, 146);
	ck_assert_int_eq(an.health.score, 0);		/* clamped */
	ck_assert_int_eq(an.health.status, HEALTH_CRITICAL);
	analysis_done(&an);
	ring_free(r);
}
END_TEST

/* ---- trends ------------------------------------------------------------- */

static void
mod_fs_filling(struct sample *s, int i, struct proctab *full)
{
	(void)full;
	/* dd writing 100 MB/s into 80 GB free: full in ~13 min. */
	s->fs[0].used_bytes = 20 * GIB + i * 100e6;
	s->fs[0].avail_bytes = 80 * GIB - i * 100e6;
	s->fs[0].used_pct = 100 * s->fs[0].used_bytes / (100 * GIB);
	addproc(&s->top, 777, "dd", 40, 2 * MIB, 100e6);
}

START_TEST(trend_fs_full_within_ten_samples)
{
	struct ring		*r = build(8, mod_fs_filling);
	struct analysis		 an;
	const struct finding	*f;
	int			 i, nt = 0;

	analyse(r, 0, &an);
	f = find(&an, "fs.filling", "/");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->sev, SEV_CRITICAL);
	ck_assert_int_eq(f->metric, M_FS_FULL);
	/* (80 GiB - 7 x 100 MB) / 100 MB/s, in hours */
	ck_assert_double_eq_tol(f->value,
	    (80 * GIB - 7 * 100e6) / 100e6 / 3600, 1e-6);
	ck_assert_int_eq(f->culprits[0].pid, 777);
	ck_assert_ptr_nonnull(strstr(f->summary, "full in ~14 min"));
	for (i = 0; i < an.ntrends; i++)
		if (an.trends[i].kind == TREND_FS) {
			nt++;
			ck_assert_double_eq_tol(an.trends[i].slope, 100e6, 1e-3);
			ck_assert_double_eq_tol(an.trends[i].r2, 1, 1e-9);
		}
	ck_assert_int_eq(nt, 1);
	analysis_done(&an);
	/* Four samples are not enough to call it a trend. */
	analyse(r, 4, &an);
	ck_assert_ptr_null(find(&an, "fs.filling", "/"));
	analysis_done(&an);
	ring_free(r);
}
END_TEST

/* Deterministic pseudo-noise in [-1, 1]. */
static double
noise(int i)
{
	static const double v[] = { 0.3, -0.9, 0.7, -0.2, 1.0, -0.6, 0.1,
	    -1.0, 0.8, -0.4, 0.5, -0.7 };

	return v[i % 12];
}

static void
mod_noise(struct sample *s, int i, struct proctab *full)
{
	(void)full;
	s->fs[0].used_bytes = 20 * GIB + noise(i) * 500e6;
	s->mem.used_bytes = 2 * GIB + noise(i + 3) * 300 * MIB;
	addproc(&s->top, 4242, "java", 5, 1 * GIB + noise(i + 5) * 50 * MIB,
	    0);
}

START_TEST(no_trend_on_noise)
{
	struct ring	*r = build(12, mod_noise);
	struct analysis	 an;

	analyse(r, 0, &an);
	ck_assert_int_eq(an.ntrends, 0);
	ck_assert_ptr_null(find(&an, "fs.filling", NULL));
	ck_assert_ptr_null(find(&an, "mem.exhaust", NULL));
	ck_assert_ptr_null(find(&an, "proc.leak", NULL));
	ck_assert_int_eq(an.health.status, HEALTH_OK);
	analysis_done(&an);
	ring_free(r);
}
END_TEST

static void
mod_leak(struct sample *s, int i, struct proctab *full)
{
	double	 grow = 100 * MIB / 60 * i;	/* +100 MiB/min */
	double	 fast = 50 * MIB * i;		/* +50 MiB/s */

	(void)full;
	addproc(&s->top, 4242, "java", 3, 1 * GIB + grow, 0);
	addproc(&s->top, 5000, "hog.py", 20, 100 * MIB + fast, 0);
	s->mem.used_bytes = 2 * GIB + fast + grow;
	s->mem.available_bytes = 6 * GIB - fast - grow;
	s->mem.used_pct = 100 * s->mem.used_bytes / (8 * GIB);
}

START_TEST(trend_memory_and_leak)
{
	struct ring		*r = build(10, mod_leak);
	struct analysis		 an;
	const struct finding	*f;
	int			 i, found = 0;

	analyse(r, 0, &an);
	f = find(&an, "mem.exhaust", "");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->sev, SEV_CRITICAL);	/* ~2 min */
	ck_assert_int_eq(f->culprits[0].pid, 5000);
	ck_assert_int_eq(f->culprits[1].pid, 4242);
	ck_assert_double_eq_tol(f->culprits[0].share_pct,
	    50 * MIB * 100 / (50 * MIB + 100 * MIB / 60), 1e-6);
	f = find(&an, "proc.leak", "hog.py");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->sev, SEV_CRITICAL);	/* 3000 MiB/min */
	f = find(&an, "proc.leak", "java");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->sev, SEV_WARNING);
	ck_assert_double_eq_tol(f->value, 100, 1e-6);
	ck_assert_ptr_nonnull(strstr(f->summary,
	    "pid 4242 (java) RSS +100.0 MiB/min"));
	ck_assert_ptr_nonnull(strstr(f->summary, "leak suspect"));
	for (i = 0; i < an.ntrends; i++)
		if (an.trends[i].kind == TREND_RSS && an.trends[i].pid == 4242)
			found++;
	ck_assert_int_eq(found, 1);
	/* The leak's points stay inside the memory cap. */
	ck_assert_int_le(an.health.deducted, 50);
	analysis_done(&an);
	ring_free(r);
}
END_TEST

/* 5 MiB/s steady for 9 s with 6 GiB free: exhausted in ~20 min, a
 * warning by the level (30 min) but far beyond what 9 s of data can say
 * (more than 60 x the span): info, no deduction. */
static void
mod_slow_mem(struct sample *s, int i, struct proctab *full)
{
	(void)full;
	s->mem.used_bytes = 2 * GIB + i * 5 * MIB;
	s->mem.available_bytes = 6 * GIB - i * 5 * MIB;
}

START_TEST(memory_projection_is_bounded)
{
	struct ring		*r = build(10, mod_slow_mem);
	struct analysis		 an;
	const struct finding	*f;

	analyse(r, 0, &an);
	f = find(&an, "mem.exhaust", "");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->sev, SEV_INFO);
	ck_assert_double_lt(f->value, 30);	/* minutes: under warn */
	ck_assert_int_eq(f->points, 0);
	ck_assert_int_eq(an.health.status, HEALTH_OK);
	ck_assert_int_eq(an.health.score, 100);
	analysis_done(&an);
	ring_free(r);
}
END_TEST

/* A pid reused by a new process with less memory is no trend. */
static void
mod_pid_reuse(struct sample *s, int i, struct proctab *full)
{
	struct proc	*p;

	(void)full;
	addproc(&s->top, 4242, "worker", 3, (i < 5 ? 100 : 300) * MIB +
	    i * MIB, 0);
	p = &s->top.v[s->top.n - 1];
	p->start_time = i < 5 ? 500 : 1004.5;
}

START_TEST(trend_keys_on_start_time)
{
	struct ring	*r = build(10, mod_pid_reuse);
	struct analysis	 an;

	analyse(r, 0, &an);
	/* Each life alone grows 60 MiB/min over 5 points; the jump between
	 * them would have been a 2000+ MiB/min "leak". */
	for (int i = 0; i < an.ntrends; i++)
		ck_assert_double_lt(an.trends[i].slope, 2 * MIB);
	analysis_done(&an);
	ring_free(r);
}
END_TEST

/* ---- determinism and the window parameter ------------------------------ */

static void
mod_ties(struct sample *s, int i, struct proctab *full)
{
	(void)i;
	(void)full;
	s->cpu.busy = 99;
	/* Equal CPU: ordered by pid whatever the input order. */
	addproc(&s->top, 20, "b", 90, 1 * MIB, 0);
	addproc(&s->top, 10, "a", 90, 1 * MIB, 0);
	addproc(&s->top, 30, "c", 90, 1 * MIB, 0);
	mod_disk_hog(s, i, full);
}

START_TEST(deterministic)
{
	struct ring	*r1 = build(6, mod_ties), *r2 = build(6, mod_ties);
	struct analysis	 a1, a2;
	char		 l1[256], l2[256];
	int		 i;

	analyse(r1, 0, &a1);
	analyse(r2, 0, &a2);
	ck_assert_int_eq(a1.nfindings, a2.nfindings);
	ck_assert_int_eq(a1.nrows, a2.nrows);
	ck_assert_int_eq(memcmp(a1.findings, a2.findings,
	    (size_t)a1.nfindings * sizeof *a1.findings), 0);
	ck_assert_int_eq(memcmp(a1.rows, a2.rows,
	    (size_t)a1.nrows * sizeof *a1.rows), 0);
	analysis_health_line(&a1, l1, sizeof l1, true, 0);
	analysis_health_line(&a2, l2, sizeof l2, true, 0);
	ck_assert_str_eq(l1, l2);
	i = find(&a1, "cpu.saturated", "") - a1.findings;
	ck_assert_int_eq(a1.findings[i].culprits[0].pid, 10);
	ck_assert_int_eq(a1.findings[i].culprits[1].pid, 20);
	ck_assert_int_eq(a1.findings[i].culprits[2].pid, 30);
	/* Reusing the analysis gives the same again. */
	ring_lock(r1);
	{
		struct thresholds th;
		thresholds_defaults(&th);
		ck_assert_int_eq(analysis_run(&a1, r1, 0, &th, NULL), 0);
	}
	ring_unlock(r1);
	ck_assert_int_eq(memcmp(a1.findings, a2.findings,
	    (size_t)a1.nfindings * sizeof *a1.findings), 0);
	analysis_done(&a1);
	analysis_done(&a2);
	ring_free(r1);
	ring_free(r2);
}
END_TEST

static void
mod_old_hog(struct sample *s, int i, struct proctab *full)
{
	if (i < 10)
		mod_cpu_hog(s, i, full);
}

START_TEST(window_selects_newest)
{
	struct ring	*r = build(20, mod_old_hog);
	struct analysis	 an;

	analyse(r, 10, &an);
	ck_assert_int_eq(an.nsamples, 10);
	ck_assert_double_eq(an.t_first, 1010);
	ck_assert_double_eq(an.t_last, 1019);
	ck_assert_int_eq(an.health.status, HEALTH_OK);
	analysis_done(&an);
	analyse(r, 15, &an);	/* 5 of 15 busy: not more than half */
	ck_assert_int_eq(an.health.status, HEALTH_OK);
	analysis_done(&an);
	analyse(r, 0, &an);
	ck_assert_int_eq(an.nsamples, 20);
	analysis_done(&an);
	analyse(r, 1000, &an);
	ck_assert_int_eq(an.nsamples, 20);
	analysis_done(&an);
	ring_free(r);
}
END_TEST

START_TEST(thresholds_names_and_check)
{
	struct thresholds	 th;
	char			*cause = NULL;
	int			 i;

	thresholds_defaults(&th);
	ck_assert_int_eq(thresholds_check(&th, &cause), 0);
	for (i = 0; i < M_NMETRICS; i++) {
		const struct metric_def *d = metric_get((enum metric)i);
		ck_assert_ptr_nonnull(d);
		ck_assert_int_eq(metric_find(d->conf), i);
		ck_assert_int_eq(metric_find(d->name), i);
	}
	ck_assert_int_eq(metric_find("cpu_busy_pct"), M_CPU_BUSY);
	ck_assert_int_eq(metric_find("nope"), M_NONE);
	ck_assert_ptr_null(metric_get(M_NMETRICS));
	ck_assert_double_eq(th.lv[M_CPU_BUSY].crit, 90);
	ck_assert_double_eq(th.lv[M_DISK_BUSY].crit, 70);
	ck_assert_double_eq(th.alert_duration_s, 6);

	th.lv[M_CPU_BUSY].warn = 95;	/* above crit */
	ck_assert_int_eq(thresholds_check(&th, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "cpu_busy_pct"));
	free(cause);
	cause = NULL;
	thresholds_defaults(&th);
	th.lv[M_FS_FULL].crit = 48;	/* lower is worse: crit < warn */
	ck_assert_int_eq(thresholds_check(&th, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "fs_full_hours"));
	free(cause);
	cause = NULL;
	thresholds_defaults(&th);
	th.lv[M_CPU_BUSY].warn = FIG_NA;	/* disabled: fine */
	ck_assert_int_eq(thresholds_check(&th, &cause), 0);
	th.hysteresis_rel = 2;
	ck_assert_int_eq(thresholds_check(&th, &cause), -1);
	free(cause);
}
END_TEST

static Suite *
analysis_suite(void)
{
	Suite	*s = suite_create("analysis");
	TCase	*tc = tcase_create("rules");

	tcase_add_test(tc, no_data_is_unknown);
	tcase_add_test(tc, nothing_measured_is_unknown);
	tcase_add_test(tc, quiet_machine_is_ok);
	tcase_add_test(tc, one_sample_cpu_saturated);
	tcase_add_test(tc, short_batch_reports_hog);
	tcase_add_test(tc, exactly_at_threshold);
	tcase_add_test(tc, single_spike_is_not_a_problem);
	tcase_add_test(tc, more_than_half_rule);
	tcase_add_test(tc, counter_reset_in_the_middle);
	tcase_add_test(tc, na_fields_are_not_unknown);
	tcase_add_test(tc, psi_from_totals_has_no_lag);
	tcase_add_test(tc, memory_pressure_culprit);
	tcase_add_test(tc, one_oom_kill_is_critical);
	tcase_add_test(tc, disk_saturated_culprit_share);
	tcase_add_test(tc, disk_await_needs_load);
	tcase_add_test(tc, network_saturated_and_drops);
	tcase_add_test(tc, steal_has_no_process_culprit);
	tcase_add_test(tc, filesystem_almost_full);
	tcase_add_test(tc, score_line_with_reasons);
	tcase_add_test(tc, score_caps_and_clamp);
	tcase_add_test(tc, trend_fs_full_within_ten_samples);
	tcase_add_test(tc, no_trend_on_noise);
	tcase_add_test(tc, trend_memory_and_leak);
	tcase_add_test(tc, trend_keys_on_start_time);
	tcase_add_test(tc, memory_projection_is_bounded);
	tcase_add_test(tc, deterministic);
	tcase_add_test(tc, window_selects_newest);
	tcase_add_test(tc, thresholds_names_and_check);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(analysis_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
