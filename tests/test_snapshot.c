/*
 * test_snapshot.c - snapshots written from a hand-built ring and read back:
 * the same figures (NAN stays NAN), per-sample top lists, the full table,
 * host facts, config and baseline; write -> load -> write gives the same
 * bytes; the moment (age) and redaction; damaged files (empty, not JSON,
 * truncated, wrong types, a newer version, duplicate keys, deep nesting,
 * huge counts, hostile text) refused with a cause naming the file and the
 * field, never a crash; file names and the baseline's home.
 */
#include <config.h>

#include <check.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "baseline.h"
#include "conf.h"
#include "export.h"
#include "ring.h"
#include "sample.h"
#include "sanitize.h"
#include "snapshot.h"

#define NSAMPLES	5

static char		 tdir[] = "/tmp/test_snapshot.XXXXXX";
static struct config	 cfg;

static void
setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(tdir));
	conf_defaults(&cfg);
}

static void
teardown(void)
{
	char	 cmd[64];

	snprintf(cmd, sizeof cmd, "rm -rf %s", tdir);
	ck_assert_int_eq(system(cmd), 0);
	strcpy(tdir, "/tmp/test_snapshot.XXXXXX");
}

static const char *
tpath(const char *name)
{
	static char	 buf[4][256];
	static int	 i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof buf[i], "%s/%s", tdir, name);
	return buf[i];
}

static void
host_fill(struct host *h)
{
	memset(h, 0, sizeof *h);
	strcpy(h->hostname, "db1.example.com");
	strcpy(h->kernel, "6.1.0-21-amd64");
	strcpy(h->os, "Debian GNU/Linux 12 (bookworm)");
	strcpy(h->arch, "x86_64");
	h->cpus = 2;
	h->boot_time = 1717900000;
	h->mem_total_bytes = 8589934592.0;
}

static void
proc_add(struct proctab *t, int pid, const char *comm, const char *cmd,
    double cpu, double rss, size_t cmdmax)
{
	struct proc	 p;

	memset(&p, 0, sizeof p);
	p.pid = pid;
	p.ppid = 1;
	p.nlwp = 3;
	p.state = 'R';
	p.user = "app";
	p.comm = comm;
	p.start_time = 1717990000.5 + pid;
	p.cpu_pct = cpu;
	p.rss_bytes = rss;
	p.read_bps = pid % 2 ? FIG_NA : 4096;
	p.write_bps = 8192;
	ck_assert_ptr_nonnull(proctab_add(t, &p, cmd, cmdmax));
}

/* Sample i: some figures NAN, one disk, two interfaces, one mount. */
static void
sample_fill(struct sample *s, int i)
{
	sample_reset(s);
	s->t = 1718000000.25 + i;
	s->dt = i == 0 ? FIG_NA : 1.000125;
	s->cpu.busy = 50 + i;
	s->cpu.user = 40 + i;
	s->cpu.system = 10;
	s->cpu.iowait = 0.5;
	s->cpu.steal = FIG_NA;
	s->cpu.idle = 49.5 - i;
	ck_assert_int_eq(sample_reserve_cpus(s, 2), 0);
	s->ncpu = 2;
	s->per_cpu[0] = s->cpu;
	s->per_cpu[1] = s->cpu;
	s->per_cpu[1].busy = 100;
	s->load[0] = 1.5;
	s->load[1] = 1.25;
	s->load[2] = FIG_NA;
	s->procs_running = 3;
	s->procs_blocked = 0;
	s->ctxsw_ps = 1000 + i;
	s->intr_ps = FIG_NA;
	s->forks_ps = 2;
	s->mem.total_bytes = 8589934592.0;
	s->mem.used_bytes = 4294967296.0 + i * 4096;
	s->mem.used_pct = 50.000048;
	s->mem.available_bytes = 4294967296.0 - i * 4096;
	s->mem.swapout_ps = 0;
	s->psi[PSI_CPU].some_avg10 = 12.5;
	s->psi[PSI_CPU].some_total_us = 1000000.0 * (i + 1);
	s->psi[PSI_IO].full_avg300 = 0.25;
	ck_assert_int_eq(sample_reserve_disks(s, 1), 0);
	s->ndisk = 1;
	memset(&s->disks[0], 0, sizeof s->disks[0]);
	rstr_set(&s->disks[0].name, "vda");
	s->disks[0].util_pct = 12.5;
	s->disks[0].read_bps = 1048576;
	s->disks[0].write_bps = 0;
	s->disks[0].read_iops = s->disks[0].write_iops = 3;
	s->disks[0].await_ms = FIG_NA;
	s->disks[0].queue = 0.125;
	s->disks[0].inflight = 1;
	ck_assert_int_eq(sample_reserve_nets(s, 2), 0);
	s->nnet = 2;
	memset(s->nets, 0, 2 * sizeof s->nets[0]);
	rstr_set(&s->nets[0].name, "lo");
	s->nets[0].up = 1;
	s->nets[0].speed_bps = FIG_NA;
	rstr_set(&s->nets[1].name, "eth0");
	s->nets[1].up = -1;
	s->nets[1].rx_bps = 1520;
	s->nets[1].speed_bps = 125000000;
	ck_assert_int_eq(sample_reserve_fs(s, 1), 0);
	s->nfs = 1;
	memset(&s->fs[0], 0, sizeof s->fs[0]);
	rstr_set(&s->fs[0].mount, "/");
	rstr_set(&s->fs[0].device, "/dev/vda1");
	rstr_set(&s->fs[0].fstype, "ext4");
	s->fs[0].size_bytes = 107374182400.0;
	s->fs[0].used_bytes = 53687091200.0;
	s->fs[0].avail_bytes = 48318382080.0;
	s->fs[0].used_pct = 52.631579;
	s->self_cpu_pct = 0.5;
	s->self_rss_bytes = 5017600;
	s->collect_ms = FIG_NA;
	proctab_clear(&s->top);
	proc_add(&s->top, 100 + i, "worker", "worker --token=secret -v",
	    90 - i, 1048576, CMDLINE_TOP_MAX);
	proc_add(&s->top, 42, "java", "java -Xmx4g -jar app.jar", FIG_NA,
	    2147483648.0, CMDLINE_TOP_MAX);
	s->top.total = 120 + i;
	s->top.running = 3;
	s->top.threads = 300;
}

/* A ring of NSAMPLES hand-built samples and a full table. */
static struct ring *
ring_build(void)
{
	struct host	 h;
	struct ring	*r;
	struct sample	 s;
	struct proctab	 full;
	int		 i;

	host_fill(&h);
	r = ring_create(NSAMPLES, &h);
	memset(&s, 0, sizeof s);
	memset(&full, 0, sizeof full);
	for (i = 0; i < NSAMPLES; i++) {
		sample_fill(&s, i);
		proctab_clear(&full);
		proc_add(&full, 104, "worker", "worker --token=secret -v", 86,
		    1048576, CMDLINE_MAX);
		proc_add(&full, 42, "java", "java -Xmx4g -jar app.jar", FIG_NA,
		    2147483648.0, CMDLINE_MAX);
		proc_add(&full, 1, "systemd", "/sbin/init", 0, 12582912,
		    CMDLINE_MAX);
		full.total = 124;
		ring_push(r, &s, &full);
	}
	sample_done(&s);
	proctab_done(&full);
	return r;
}

static void
report_of(struct report *rp, const struct ring *r)
{
	memset(rp, 0, sizeof *rp);
	rp->ring = r;
	rp->cfg = &cfg;
}

/* a == b for figures: both NAN, or equal. */
#define FIG_EQ(a, b) do {						\
	double _a = (a), _b = (b);					\
	ck_assert_msg((isnan(_a) && isnan(_b)) || _a == _b,		\
	    "%s: %.17g != %.17g", #a, _a, _b);				\
} while (0)

static void
cpu_eq(const struct cpu_figs *a, const struct cpu_figs *b)
{
	FIG_EQ(a->busy, b->busy);
	FIG_EQ(a->user, b->user);
	FIG_EQ(a->system, b->system);
	FIG_EQ(a->iowait, b->iowait);
	FIG_EQ(a->steal, b->steal);
	FIG_EQ(a->idle, b->idle);
}

static void
table_eq(const struct proctab *a, const struct proctab *b)
{
	int	 i, j;

	ck_assert_int_eq(a->n, b->n);
	ck_assert_int_eq(a->total, b->total);
	for (i = 0; i < a->n; i++) {
		/* The file lists the busiest first: match by pid. */
		for (j = 0; j < b->n && b->v[j].pid != a->v[i].pid; j++)
			;
		ck_assert_int_lt(j, b->n);
		ck_assert_int_eq(a->v[i].ppid, b->v[j].ppid);
		ck_assert_int_eq(a->v[i].nlwp, b->v[j].nlwp);
		ck_assert_int_eq(a->v[i].state, b->v[j].state);
		ck_assert_str_eq(a->v[i].user, b->v[j].user);
		ck_assert_str_eq(a->v[i].comm, b->v[j].comm);
		ck_assert_str_eq(proc_cmdline(a, &a->v[i]),
		    proc_cmdline(b, &b->v[j]));
		FIG_EQ(a->v[i].cpu_pct, b->v[j].cpu_pct);
		FIG_EQ(a->v[i].rss_bytes, b->v[j].rss_bytes);
		FIG_EQ(a->v[i].read_bps, b->v[j].read_bps);
		FIG_EQ(a->v[i].write_bps, b->v[j].write_bps);
		FIG_EQ(a->v[i].start_time, b->v[j].start_time);
	}
}

static void
sample_eq(const struct sample *a, const struct sample *b)
{
	int	 i;

	FIG_EQ(a->t, b->t);
	FIG_EQ(a->dt, b->dt);
	cpu_eq(&a->cpu, &b->cpu);
	ck_assert_int_eq(a->ncpu, b->ncpu);
	for (i = 0; i < a->ncpu; i++)
		cpu_eq(&a->per_cpu[i], &b->per_cpu[i]);
	for (i = 0; i < 3; i++)
		FIG_EQ(a->load[i], b->load[i]);
	FIG_EQ(a->procs_running, b->procs_running);
	FIG_EQ(a->ctxsw_ps, b->ctxsw_ps);
	FIG_EQ(a->intr_ps, b->intr_ps);
	FIG_EQ(a->mem.used_bytes, b->mem.used_bytes);
	FIG_EQ(a->mem.used_pct, b->mem.used_pct);
	FIG_EQ(a->mem.free_bytes, b->mem.free_bytes);
	FIG_EQ(a->mem.swapout_ps, b->mem.swapout_ps);
	for (i = 0; i < PSI_NRES; i++) {
		FIG_EQ(a->psi[i].some_avg10, b->psi[i].some_avg10);
		FIG_EQ(a->psi[i].some_total_us, b->psi[i].some_total_us);
		FIG_EQ(a->psi[i].full_avg300, b->psi[i].full_avg300);
	}
	ck_assert_int_eq(a->ndisk, b->ndisk);
	ck_assert_str_eq(a->disks[0].name, b->disks[0].name);
	FIG_EQ(a->disks[0].util_pct, b->disks[0].util_pct);
	FIG_EQ(a->disks[0].await_ms, b->disks[0].await_ms);
	FIG_EQ(a->disks[0].queue, b->disks[0].queue);
	ck_assert_int_eq(a->nnet, b->nnet);
	for (i = 0; i < a->nnet; i++) {
		ck_assert_str_eq(a->nets[i].name, b->nets[i].name);
		ck_assert_int_eq(a->nets[i].up, b->nets[i].up);
		FIG_EQ(a->nets[i].rx_bps, b->nets[i].rx_bps);
		FIG_EQ(a->nets[i].speed_bps, b->nets[i].speed_bps);
	}
	ck_assert_int_eq(a->nfs, b->nfs);
	ck_assert_str_eq(a->fs[0].mount, b->fs[0].mount);
	ck_assert_str_eq(a->fs[0].device, b->fs[0].device);
	ck_assert_str_eq(a->fs[0].fstype, b->fs[0].fstype);
	FIG_EQ(a->fs[0].used_pct, b->fs[0].used_pct);
	FIG_EQ(a->fs[0].size_bytes, b->fs[0].size_bytes);
	FIG_EQ(a->self_cpu_pct, b->self_cpu_pct);
	FIG_EQ(a->collect_ms, b->collect_ms);
	ck_assert_int_eq(a->top.running, b->top.running);
	ck_assert_int_eq(a->top.threads, b->top.threads);
	table_eq(&a->top, &b->top);
}

static char *
slurp(const char *path)
{
	FILE	*f = fopen(path, "r");
	char	*buf;
	long	 n;

	ck_assert_ptr_nonnull(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return buf;
}

static void
spew(const char *path, const char *text)
{
	FILE	*f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

START_TEST(test_roundtrip)
{
	struct ring	*r = ring_build();
	struct report	 rp;
	struct snapshot	 snap;
	struct stat	 sb;
	char		*cause = NULL, *a, *b;
	int		 i;

	cfg.interval_s = 1;
	cfg.window_s = 30;
	cfg.th.lv[M_CPU_BUSY].warn = 80;
	cfg.th.lv[M_NET_DROPS].crit = FIG_NA;
	strcpy(cfg.hook, "/usr/local/bin/secret-pager");
	report_of(&rp, r);
	ck_assert_msg(snapshot_write(tpath("s.json"), &rp, &cause) == 0, "%s",
	    cause);
	ck_assert_int_eq(stat(tpath("s.json"), &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0600);
	a = slurp(tpath("s.json"));
	ck_assert_ptr_null(strstr(a, "secret-pager"));	/* never the hook */

	ck_assert_msg(snapshot_load(tpath("s.json"), &snap, &cause) == 0, "%s",
	    cause);
	ck_assert_int_eq(snap.format_version, 1);
	ck_assert_double_eq(snap.interval_s, 1);
	ck_assert_int_eq(ring_len(snap.ring), NSAMPLES);
	ck_assert_int_eq(ring_capacity(snap.ring), NSAMPLES);
	ck_assert_str_eq(snap.host.hostname, "db1.example.com");
	ck_assert_str_eq(ring_host(snap.ring)->os,
	    "Debian GNU/Linux 12 (bookworm)");
	ck_assert_int_eq(ring_host(snap.ring)->cpus, 2);
	FIG_EQ(ring_host(snap.ring)->mem_total_bytes, 8589934592.0);
	for (i = 0; i < NSAMPLES; i++)
		sample_eq(ring_get(r, i), ring_get(snap.ring, i));
	table_eq(ring_full(r), ring_full(snap.ring));
	/* The config came back, minus the hook. */
	ck_assert(snap.has_config);
	ck_assert_double_eq(snap.cfg.window_s, 30);
	ck_assert_double_eq(snap.cfg.th.lv[M_CPU_BUSY].warn, 80);
	ck_assert(isnan(snap.cfg.th.lv[M_NET_DROPS].crit));
	ck_assert_str_eq(snap.cfg.hook, "");
	ck_assert(!snap.has_baseline);
	/* The mono clock follows the intervals. */
	ck_assert_double_eq_tol(ring_get(snap.ring, 0)->mono -
	    ring_get(snap.ring, 1)->mono, 1.000125, 1e-9);

	/* write -> load -> write: the same bytes. */
	report_of(&rp, snap.ring);
	ck_assert_msg(snapshot_write(tpath("t.json"), &rp, &cause) == 0, "%s",
	    cause);
	b = slurp(tpath("t.json"));
	ck_assert_str_eq(a, b);
	free(a);
	free(b);
	snapshot_free(&snap);
	ck_assert_ptr_null(snap.ring);
	ring_free(r);
}
END_TEST

/* An older moment: newer samples left out, its top list as the table. */
START_TEST(test_age)
{
	struct ring	*r = ring_build();
	struct report	 rp;
	struct snapshot	 snap;
	char		*cause = NULL, *a;

	report_of(&rp, r);
	rp.age = 2;
	rp.frozen = true;
	ck_assert_int_eq(snapshot_write(tpath("s.json"), &rp, &cause), 0);
	a = slurp(tpath("s.json"));
	ck_assert_ptr_nonnull(strstr(a, "\"frozen\": true"));
	ck_assert_ptr_nonnull(strstr(a, "\"age\": 2"));
	free(a);
	ck_assert_int_eq(snapshot_load(tpath("s.json"), &snap, &cause), 0);
	ck_assert_int_eq(ring_len(snap.ring), NSAMPLES - 2);
	sample_eq(ring_get(r, 2), ring_get(snap.ring, 0));
	table_eq(&ring_get(r, 2)->top, ring_full(snap.ring));
	snapshot_free(&snap);
	ring_free(r);
}
END_TEST

START_TEST(test_redact)
{
	struct ring	*r = ring_build();
	struct report	 rp;
	char		*cause = NULL, *a, json[512], md[512];
	const char	*p;

	report_of(&rp, r);
	rp.redact = true;
	ck_assert_int_eq(snapshot_write(tpath("s.json"), &rp, &cause), 0);
	a = slurp(tpath("s.json"));
	ck_assert_ptr_null(strstr(a, "db1"));
	ck_assert_ptr_null(strstr(a, "secret"));
	ck_assert_ptr_null(strstr(a, "Xmx4g"));
	ck_assert_ptr_nonnull(strstr(a, "\"cmdline\": \"worker \xe2\x80\xa6\""));
	ck_assert_ptr_nonnull(strstr(a, "\"hostname\": \"host-"));
	ck_assert_ptr_nonnull(strstr(a, "\"redact\": true"));
	free(a);

	/* The config setting alone is enough, for the export too. */
	rp.redact = false;
	cfg.redact = true;
	ck_assert_msg(snapshot_export(tdir, &rp, json, md, sizeof json,
	    &cause) == 0, "%s", cause);
	p = strrchr(json, '/') + 1;
	ck_assert_msg(strncmp(p, "perftop-host-", 13) == 0, "%s", json);
	ck_assert_ptr_nonnull(strstr(json, "-20240610T061324Z.json"));
	a = slurp(json);
	ck_assert_ptr_null(strstr(a, "db1"));
	ck_assert_ptr_null(strstr(a, "secret"));
	free(a);
	a = slurp(md);
	ck_assert_ptr_null(strstr(a, "secret"));
	free(a);
	ring_free(r);
}
END_TEST

START_TEST(test_export_names)
{
	struct ring	*r = ring_build();
	struct report	 rp;
	struct snapshot	 snap;
	struct stat	 sb;
	char		 json[512], md[512], *cause = NULL, want[600];

	snapshot_names("/d", "db1.example.com", 1718000004.9, false, json, md,
	    sizeof json);
	ck_assert_str_eq(json, "/d/perftop-db1.example.com-20240610T061324Z."
	    "json");
	ck_assert_str_eq(md, "/d/perftop-db1.example.com-20240610T061324Z.md");
	snapshot_names(".", "we/ird h\xc3\xa9st$\n", 0, false, json, md,
	    sizeof json);
	ck_assert_str_eq(json, "perftop-weirdhst-19700101T000000Z.json");
	snapshot_names("out/", "", 0, false, json, md, sizeof json);
	ck_assert_str_eq(json, "out/perftop-unknown-19700101T000000Z.json");
	snapshot_names("/d", "db1", 0, true, json, md, sizeof json);
	ck_assert_ptr_null(strstr(json, "db1"));

	report_of(&rp, r);
	ck_assert_msg(snapshot_export(tdir, &rp, json, md, sizeof json,
	    &cause) == 0, "%s", cause);
	snprintf(want, sizeof want, "%s/perftop-db1.example.com-"
	    "20240610T061324Z.json", tdir);
	ck_assert_str_eq(json, want);
	ck_assert_int_eq(stat(json, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0600);
	ck_assert_int_eq(stat(md, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0600);
	ck_assert_int_eq(snapshot_load(json, &snap, &cause), 0);
	snapshot_free(&snap);
	/* Not a directory: a clear failure. */
	ck_assert_int_eq(snapshot_export(tpath("nodir"), &rp, json, md,
	    sizeof json, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "nodir"));
	free(cause);
	ring_free(r);
}
END_TEST

/* The saved baseline keeps the captured window and its statistics. */
START_TEST(test_baseline_saved)
{
	struct ring	*r = ring_build();
	struct baseline	*b = calloc(1, sizeof *b), *b2 = calloc(1, sizeof *b2);
	struct report	 rp;
	struct snapshot	 snap;
	char		*cause = NULL;
	const struct base_stat *st;

	ck_assert_int_eq(baseline_capture(b, r, 1, 3), 0);
	report_of(&rp, r);
	rp.base = b;
	ck_assert_int_eq(snapshot_write(tpath("b.json"), &rp, &cause), 0);
	ck_assert_msg(snapshot_load(tpath("b.json"), &snap, &cause) == 0,
	    "%s", cause);
	ck_assert_int_eq(ring_len(snap.ring), 3);	/* the window only */
	sample_eq(ring_get(r, 1), ring_get(snap.ring, 0));
	sample_eq(ring_get(r, 3), ring_get(snap.ring, 2));
	ck_assert(snap.has_baseline);
	ck_assert_int_eq(snap.baseline.nstats, b->nstats);
	ck_assert_int_eq(snap.baseline.nprocs, b->nprocs);
	ck_assert_ptr_nonnull(st = baseline_find(&snap.baseline,
	    "cpu.busy_pct"));
	ck_assert_double_eq(st->mean, 52);
	ck_assert_str_eq(snap.baseline.procs[0].comm, "worker");
	/* Computed again from the file: the same statistics. */
	ck_assert_int_eq(baseline_capture(b2, snap.ring, 0, 0), 0);
	ck_assert_int_eq(b2->nstats, b->nstats);
	ck_assert_double_eq(baseline_find(b2, "cpu.busy_pct")->mean, 52);
	ck_assert_double_eq_tol(baseline_find(b2, "mem.used_bytes")->sd,
	    baseline_find(b, "mem.used_bytes")->sd, 1e-6);
	snapshot_free(&snap);
	free(b);
	free(b2);
	ring_free(r);
}
END_TEST

/* Load text as a snapshot; expect failure with exactly "FILE: " + want. */
static void
expect_refused(const char *text, const char *want)
{
	struct snapshot	 snap;
	char		*cause = NULL, full[1024];

	spew(tpath("bad.json"), text);
	ck_assert_int_eq(snapshot_load(tpath("bad.json"), &snap, &cause), -1);
	ck_assert_ptr_nonnull(cause);
	ck_assert_ptr_null(snap.ring);
	snprintf(full, sizeof full, "%s: %s", tpath("bad.json"), want);
	ck_assert_msg(strncmp(cause, full, strlen(full)) == 0,
	    "cause '%s', wanted '%s'", cause, full);
	ck_assert_ptr_null(strchr(cause, '\n'));
	free(cause);
}

#define HEAD	"{\"format_version\": 1, \"host\": {\"hostname\": \"h\"}, "
#define SAMPLE	"{\"t\": 1718000000, \"cpu\": {\"busy_pct\": 10}}"

START_TEST(test_refused)
{
	char	*good, *cut;
	size_t	 n;

	expect_refused("", "empty file, not a perftop snapshot");
	expect_refused("hello", "truncated or invalid JSON at line 1: ");
	expect_refused("[1, 2]", "not a perftop snapshot (no format_version)");
	expect_refused("{\"samples\": []}",
	    "not a perftop snapshot (no format_version)");
	expect_refused("{\"format_version\": 2, \"samples\": []}",
	    "snapshot format version 2 is newer than this perftop "
	    "understands (1); upgrade perftop");
	expect_refused("{\"format_version\": \"1\"}",
	    "format_version: expected a whole number");
	expect_refused("{\"format_version\": 0}",
	    "format_version: 0 is not a format version");
	expect_refused(HEAD "\"samples\": []}", "samples: no sample in the "
	    "file");
	expect_refused(HEAD "\"samples\": {}}", "samples: expected an array");
	expect_refused("{\"format_version\": 1, \"samples\": [" SAMPLE "]}",
	    "host: missing");
	expect_refused(HEAD "\"samples\": [" SAMPLE ", " SAMPLE ", " SAMPLE
	    ", {\"t\": 1, \"cpu\": {\"busy_pct\": \"10\"}}]}",
	    "samples[3].cpu.busy_pct: expected a number");
	expect_refused(HEAD "\"samples\": [{\"cpu\": {}}]}",
	    "samples[0].t: expected a number");
	expect_refused(HEAD "\"samples\": [{\"t\": -5}]}",
	    "samples[0].t: must not be negative (got -5)");
	expect_refused(HEAD "\"samples\": [{\"t\": 1, \"mem\": "
	    "{\"used_bytes\": -1}}]}",
	    "samples[0].mem.used_bytes: must not be negative (got -1)");
	expect_refused(HEAD "\"samples\": [{\"t\": 1, \"disks\": [{\"name\": "
	    "7}]}]}", "samples[0].disks[0].name: expected a string");
	expect_refused(HEAD "\"samples\": [{\"t\": 1, \"net\": [{\"up\": "
	    "\"yes\"}]}]}", "samples[0].net[0].up: expected true, false or "
	    "null");
	expect_refused(HEAD "\"samples\": [{\"t\": 1, \"top\": [{\"pid\": "
	    "1.5}]}]}", "samples[0].top[0].pid: expected a whole number");
	expect_refused(HEAD "\"samples\": [{\"t\": 1, \"top\": [3]}]}",
	    "samples[0].top[0]: expected an object");
	expect_refused(HEAD "\"samples\": [{\"t\": 1}], \"processes\": [{"
	    "\"pid\": 1, \"state\": \"Sleeping\"}]}",
	    "processes[0].state: expected one letter");
	expect_refused(HEAD "\"samples\": [{\"t\": 1}], \"processes\": [{"
	    "\"pid\": -4}]}", "processes[0].pid: must be from 0 to");
	expect_refused(HEAD "\"interval_s\": 0, \"samples\": [{\"t\": 1}]}",
	    "interval_s: must be from 0.1 to 3600");
	expect_refused(HEAD "\"samples\": [{\"t\": 1, \"load\": [1, 2, 3, "
	    "4]}]}", "samples[0].load: more than 3 entries");
	expect_refused(HEAD "\"config\": {\"thresholds\": {\"cpu_busy_pct\": "
	    "{\"warn\": 95, \"crit\": 90}}}, \"samples\": [{\"t\": 1}]}",
	    "config: thresholds.cpu_busy_pct: info, warn and crit must "
	    "increase");
	expect_refused(HEAD "\"config\": {\"color\": \"pink\"}, \"samples\": "
	    "[{\"t\": 1}]}", "config.color: expected one of");
	expect_refused(HEAD "\"baseline\": {\"stats\": [{\"key\": \"\"}]}, "
	    "\"samples\": [{\"t\": 1}]}", "baseline.stats[0].key: expected a "
	    "name");
	/* Duplicate keys: which one would count? */
	expect_refused(HEAD "\"samples\": [{\"t\": 1, \"t\": 2}]}",
	    "truncated or invalid JSON at line 1: duplicate object key");
	/* Numbers jansson cannot hold are invalid JSON to it. */
	expect_refused(HEAD "\"samples\": [{\"t\": 1e999}]}",
	    "truncated or invalid JSON at line 1: real number overflow");

	/* A real snapshot cut anywhere is refused. */
	good = slurp(tpath("good.json"));
	n = strlen(good);
	cut = strndup(good, n / 2);
	expect_refused(cut, "truncated or invalid JSON at line ");
	free(cut);
	cut = strndup(good, n - 3);
	expect_refused(cut, "truncated or invalid JSON at line ");
	free(cut);
	free(good);
}
END_TEST

/* Huge counts and deep nesting: refused, no huge allocation, no crash. */
START_TEST(test_hostile_sizes)
{
	FILE		*f;
	int		 i;

	/* More samples than any ring holds. */
	f = fopen(tpath("bad.json"), "w");
	fputs(HEAD "\"samples\": [", f);
	for (i = 0; i < CONFIG_HISTORY_MAX + 1; i++)
		fputs(i ? ",1" : "1", f);
	fputs("]}", f);
	fclose(f);
	{
		struct snapshot	 snap;
		char		*cause = NULL;
		ck_assert_int_eq(snapshot_load(tpath("bad.json"), &snap,
		    &cause), -1);
		ck_assert_ptr_nonnull(strstr(cause, "samples: more than 86400 "
		    "entries"));
		free(cause);
	}
	/* Counts in the file are not sizes: nprocs says a billion. */
	expect_refused(HEAD "\"samples\": [{\"t\": 1, \"nprocs\": {\"total\": "
	    "1e30}}]}", "samples[0].nprocs.total: must be from 0 to");
	/* Deep nesting stops in the parser. */
	f = fopen(tpath("deep.json"), "w");
	fputs(HEAD "\"samples\": [{\"t\": 1, \"x\": ", f);
	for (i = 0; i < 100000; i++)
		fputc('[', f);
	fclose(f);
	{
		struct snapshot	 snap;
		char		*cause = NULL;
		ck_assert_int_eq(snapshot_load(tpath("deep.json"), &snap,
		    &cause), -1);
		ck_assert_ptr_nonnull(strstr(cause, "invalid JSON"));
		free(cause);
	}
	/* Not a regular file, no file. */
	{
		struct snapshot	 snap;
		char		*cause = NULL;
		ck_assert_int_eq(snapshot_load(tdir, &snap, &cause), -1);
		ck_assert_ptr_nonnull(strstr(cause, "not a regular file"));
		free(cause);
		ck_assert_int_eq(snapshot_load(tpath("none.json"), &snap,
		    &cause), -1);
		ck_assert_ptr_nonnull(strstr(cause, "No such file"));
		free(cause);
	}
}
END_TEST

/* Hostile text comes out sanitized; unknown keys are ignored; missing
 * figures read as not measured. */
START_TEST(test_hostile_text)
{
	struct snapshot		 snap;
	const struct sample	*s;
	const struct proctab	*t;
	char			*cause = NULL;

	spew(tpath("h.json"), "{\"format_version\": 1, \"future_key\": [1], "
	    "\"host\": {\"hostname\": \"ev\\u001b[31mil\\u0000x\", "
	    "\"os\": \"\\u202eos\"}, \"samples\": [{\"t\": 1718000000, "
	    "\"new_figure\": 3, \"disks\": [{\"name\": \"sd\\na\"}], "
	    "\"top\": [{\"pid\": 7, \"command\": \"a\\tb\", \"cmdline\": "
	    "\"x\\u0007y\", \"user\": \"\\u00ff\"}]}], \"processes\": []}");
	ck_assert_msg(snapshot_load(tpath("h.json"), &snap, &cause) == 0,
	    "%s", cause);
	ck_assert_str_eq(snap.host.hostname, "ev\\x1b[31mil\\x00x");
	ck_assert(text_is_clean(snap.host.os));
	s = ring_get(snap.ring, 0);
	ck_assert_str_eq(s->disks[0].name, "sd\\na");
	ck_assert(isnan(s->cpu.busy));
	ck_assert(isnan(s->dt));
	ck_assert_double_eq(snap.interval_s, 1);	/* none stated */
	t = &s->top;
	ck_assert_int_eq(t->n, 1);
	ck_assert_str_eq(t->v[0].comm, "a\\tb");
	ck_assert_str_eq(proc_cmdline(t, &t->v[0]), "x\\x07y");
	ck_assert_str_eq(t->v[0].user, "\xc3\xbf");
	ck_assert(isnan(t->v[0].cpu_pct));
	ck_assert_int_eq(ring_full(snap.ring)->n, 0);
	snapshot_free(&snap);
}
END_TEST

START_TEST(test_state_path)
{
	char	 buf[512];

	setenv("XDG_STATE_HOME", "/x/state", 1);
	ck_assert_int_eq(baseline_state_path(buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "/x/state/perftop/baseline.json");
	setenv("XDG_STATE_HOME", "relative", 1);
	setenv("HOME", "/home/u", 1);
	ck_assert_int_eq(baseline_state_path(buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "/home/u/.local/state/perftop/baseline.json");
	unsetenv("XDG_STATE_HOME");
	ck_assert_int_eq(baseline_state_path(buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "/home/u/.local/state/perftop/baseline.json");
	setenv("HOME", "rel", 1);
	ck_assert_int_eq(baseline_state_path(buf, sizeof buf), -1);
	unsetenv("HOME");
	ck_assert_int_eq(baseline_state_path(buf, sizeof buf), -1);
	setenv("XDG_STATE_HOME", "/x", 1);
	ck_assert_int_eq(baseline_state_path(buf, 8), -1);	/* too long */
}
END_TEST

/* The shipped fixture loads, and replays to a saturated CPU. */
START_TEST(test_fixture)
{
	struct snapshot	 snap;
	char		*cause = NULL, path[1024];
	const char	*src = getenv("SRCDIR");

	if (src == NULL)
		src = getenv("srcdir");

	snprintf(path, sizeof path, "%s/tests/fixtures/snapshot-cpu.json",
	    src != NULL ? src : ".");
	ck_assert_msg(snapshot_load(path, &snap, &cause) == 0, "%s", cause);
	ck_assert_int_eq(ring_len(snap.ring), 8);
	ck_assert_str_eq(snap.host.hostname, "web1.example.com");
	ck_assert_int_ge(ring_get(snap.ring, 0)->top.n, 3);
	ck_assert_int_eq(ring_full(snap.ring)->n, 11);
	ck_assert(ring_get(snap.ring, 0)->cpu.busy > 95);
	snapshot_free(&snap);
}
END_TEST

/* A snapshot of the ring to good.json, for the truncation cases. */
static void
setup_good(void)
{
	struct ring	*r;
	struct report	 rp;
	char		*cause = NULL;

	setup();
	r = ring_build();
	report_of(&rp, r);
	ck_assert_int_eq(snapshot_write(tpath("good.json"), &rp, &cause), 0);
	ring_free(r);
}

static Suite *
snapshot_suite(void)
{
	Suite	*s = suite_create("snapshot");
	TCase	*tc;

	tc = tcase_create("roundtrip");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_roundtrip);
	tcase_add_test(tc, test_age);
	tcase_add_test(tc, test_redact);
	tcase_add_test(tc, test_export_names);
	tcase_add_test(tc, test_baseline_saved);
	tcase_add_test(tc, test_state_path);
	tcase_add_test(tc, test_fixture);
	suite_add_tcase(s, tc);

	tc = tcase_create("damaged");
	tcase_add_checked_fixture(tc, setup_good, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_refused);
	tcase_add_test(tc, test_hostile_sizes);
	tcase_add_test(tc, test_hostile_text);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(snapshot_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
