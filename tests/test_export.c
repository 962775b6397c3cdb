/*
 * test_export.c - reports built from hand-made samples: every documented
 * JSON key, null for what was not measured, processes in CPU order without
 * touching the ring, hostile text that still gives valid JSON and intact
 * Markdown tables, the streamed JSON equal to the built document, the
 * diagnosis in both formats (a saturated CPU with its culprit, a quiet
 * window, nothing measured, the alert log), and the atomic file writer
 * (mode, symlinks, failures that keep the old file, a full disk).
 */
#include <config.h>

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "alerts.h"
#include "analysis.h"
#include "conf.h"
#include "export.h"
#include "ring.h"
#include "sample.h"
#include "sanitize.h"

#define NOBODY	65534

static struct config	 cfg;

/* A report of r with no diagnosis (health UNKNOWN). */
#define REP(r)	(&(struct report){ .ring = (r), .cfg = &cfg })

/* Hostile text as the machine could hand it over, before sanitizing. */
static const char hostile_comm[] = "ev|l`x`\x1b[31m*_<b>";
static const char hostile_cmd[] = "/bin/sh -c 'a | b' \"q\" \\x\xff\xfe "
    "\xe2\x80\xae" "rtl\n\tend | ``tick``";

static void
host_fill(struct host *h)
{
	memset(h, 0, sizeof *h);
	strcpy(h->hostname, "test-host_1");
	strcpy(h->kernel, "6.1.0-test");
	strcpy(h->os, "Debian GNU/Linux 12 (bookworm)");
	strcpy(h->arch, "x86_64");
	h->cpus = 2;
	h->boot_time = 1700000000;
	h->mem_total_bytes = 8589934592.0 * 4;	/* > 10 digits: exact? */
}

/* A sample with every figure set except the ones a test leaves NAN. */
static void
sample_fill(struct sample *s, double t, double busy)
{
	int	 i;

	sample_reset(s);
	s->seq = (uint64_t)t;
	s->t = t;
	s->dt = 1.0;
	s->cpu.busy = busy;
	s->cpu.user = busy / 2;
	s->cpu.system = busy / 2;
	s->cpu.iowait = 1.5;
	s->cpu.steal = FIG_NA;			/* not measured */
	s->cpu.idle = 100 - busy - 1.5;
	ck_assert_int_eq(sample_reserve_cpus(s, 2), 0);
	s->ncpu = 2;
	for (i = 0; i < 2; i++) {
		s->per_cpu[i] = s->cpu;
		s->per_cpu[i].busy = busy + i;
	}
	s->per_cpu[1].busy = FIG_NA;
	s->load[0] = 0.5;
	s->load[1] = 0.25;
	s->load[2] = FIG_NA;
	s->procs_running = 2;
	s->procs_blocked = 0;
	s->ctxsw_ps = 1234.5;
	s->intr_ps = 500;
	s->forks_ps = 3;
	s->mem.total_bytes = 8e9;
	s->mem.used_bytes = 4e9;
	s->mem.used_pct = 50;
	s->mem.available_bytes = 4e9;
	s->mem.cached_bytes = 1e9;
	s->mem.free_bytes = 2e9;
	s->mem.swap_total_bytes = 0;
	s->mem.swap_used_bytes = 0;
	s->mem.swapin_ps = 0;
	s->mem.swapout_ps = 0;
	s->mem.majflt_ps = 0.25;
	s->mem.oom_kills = 0;
	s->mem.oom_kills_total = 7;
	/* cpu: partly measured (no "full" line); memory: absent; io: full */
	s->psi[PSI_CPU].some_avg10 = 1.25;
	s->psi[PSI_CPU].some_total_us = 123456;
	s->psi[PSI_IO].some_avg10 = 0.5;
	s->psi[PSI_IO].some_avg60 = 0.4;
	s->psi[PSI_IO].some_avg300 = 0.3;
	s->psi[PSI_IO].some_total_us = 99;
	s->psi[PSI_IO].full_avg10 = 0.2;
	s->psi[PSI_IO].full_avg60 = 0.1;
	s->psi[PSI_IO].full_avg300 = 0;
	s->psi[PSI_IO].full_total_us = 42;

	ck_assert_int_eq(sample_reserve_disks(s, 1), 0);
	s->ndisk = 1;
	rstr_set(&s->disks[0].name, "vd|a");
	s->disks[0].read_bps = 4096;
	s->disks[0].write_bps = 8192;
	s->disks[0].read_iops = 1;
	s->disks[0].write_iops = 2;
	s->disks[0].util_pct = 12.5;
	s->disks[0].await_ms = FIG_NA;
	s->disks[0].queue = 0.1;
	s->disks[0].inflight = 0;

	ck_assert_int_eq(sample_reserve_nets(s, 2), 0);
	s->nnet = 2;
	for (i = 0; i < 2; i++) {
		struct net_figs *n = &s->nets[i];
		char nb[NAME_MAX_DEV];
		snprintf(nb, sizeof nb, "eth%d", i);
		rstr_set(&n->name, nb);
		n->rx_bps = n->tx_bps = 1000;
		n->rx_pps = n->tx_pps = 10;
		n->rx_errors_ps = n->tx_errors_ps = 0;
		n->rx_drops_ps = n->tx_drops_ps = 0;
		n->speed_bps = FIG_NA;
	}
	s->nets[0].up = 1;
	s->nets[1].up = -1;

	ck_assert_int_eq(sample_reserve_fs(s, 1), 0);
	s->nfs = 1;
	rstr_set(&s->fs[0].mount, "/");
	rstr_set(&s->fs[0].device, "/dev/vda1");
	rstr_set(&s->fs[0].fstype, "ext4");
	s->fs[0].size_bytes = 1e11;
	s->fs[0].used_bytes = 4e10;
	s->fs[0].avail_bytes = 5e10;
	s->fs[0].used_pct = 44.4;

	s->self_cpu_pct = 0.5;
	s->self_rss_bytes = 4e6;
	s->collect_ms = 2.5;
	s->top.total = 3;
	s->top.running = 1;
	s->top.threads = 9;
}

static void
proc_push(struct proctab *t, int pid, double cpu, const char *comm,
    const char *cmd)
{
	struct proc	 p;
	char		 buf[CMDLINE_MAX], user[NAME_MAX_USER], cbuf[NAME_MAX_COMM];

	memset(&p, 0, sizeof p);
	p.pid = pid;
	p.ppid = 1;
	p.nlwp = 2;
	p.state = 'S';
	/* What a source does: sanitize every string at ingest. */
	text_sanitize_str(user, sizeof user, "us|er");
	text_sanitize_str(cbuf, sizeof cbuf, comm);
	p.user = user;
	p.comm = cbuf;
	text_sanitize_str(buf, sizeof buf, cmd);
	p.start_time = 1700000100;
	p.cpu_pct = cpu;
	p.rss_bytes = 1048576;
	p.read_bps = FIG_NA;
	p.write_bps = 512;
	ck_assert_ptr_nonnull(proctab_add(t, &p, buf, CMDLINE_MAX));
}

/* A ring of three samples; the last one carries a full process table. */
static struct ring *
ring_make(void)
{
	struct host	 h;
	struct ring	*r;
	struct sample	 s = { 0 };
	struct proctab	 full = { 0 };
	int		 i;

	host_fill(&h);
	r = ring_create(8, &h);
	for (i = 0; i < 3; i++) {
		sample_fill(&s, 1718000000.25 + i, 10.0 * (i + 1));
		if (i == 0)
			s.dt = FIG_NA;	/* first sample: no interval yet */
		proctab_clear(&full);
		proc_push(&full, 30, 5.0, "low", "low --x");
		proc_push(&full, 10, FIG_NA, "new", "");
		proc_push(&full, 20, 90.5, hostile_comm, hostile_cmd);
		proc_push(&full, 5, 5.0, "tie", "tie");
		proc_push(&full, 40, 42.0, "mid", "mid | pipe");
		ring_push(r, &s, &full);
	}
	sample_done(&s);
	proctab_done(&full);
	return r;
}

static void
setup(void)
{
	conf_defaults(&cfg);
	cfg.interval_s = 0.5;
}

static void
assert_keys(json_t *o, const char *const *keys)
{
	ck_assert_msg(json_is_object(o), "not an object (for key %s)",
	    keys[0]);
	for (; *keys != NULL; keys++)
		ck_assert_msg(json_object_get(o, *keys) != NULL,
		    "missing key %s", *keys);
}

START_TEST(format_names)
{
	ck_assert_int_eq(export_format_parse("markdown"), EXPORT_MARKDOWN);
	ck_assert_int_eq(export_format_parse("md"), EXPORT_MARKDOWN);
	ck_assert_int_eq(export_format_parse("json"), EXPORT_JSON);
	ck_assert_int_eq(export_format_parse("xml"), -1);
	ck_assert_int_eq(export_format_parse("JSON"), -1);
	ck_assert_int_eq(export_format_parse(""), -1);
	ck_assert_str_eq(export_format_name(EXPORT_JSON), "json");
	ck_assert_str_eq(export_format_name(EXPORT_MARKDOWN), "markdown");
}
END_TEST

START_TEST(json_required_keys)
{
	static const char *const top[] = { "format_version", "generator",
	    "host", "interval_s", "start", "end", "samples", "processes",
	    NULL };
	static const char *const host[] = { "hostname", "kernel", "os",
	    "arch", "cpus", "boot_time", "mem_total_bytes", NULL };
	static const char *const smp[] = { "t", "dt_s", "cpu", "load",
	    "procs_running", "procs_blocked", "ctxsw_ps", "intr_ps",
	    "forks_ps", "mem", "psi", "disks", "net", "fs", "self", "nprocs",
	    NULL };
	static const char *const cpu[] = { "busy_pct", "user_pct",
	    "system_pct", "iowait_pct", "steal_pct", "idle_pct", "per_cpu",
	    "per_cpu_detail", NULL };
	static const char *const detail[] = { "busy_pct", "user_pct",
	    "system_pct", "iowait_pct", "steal_pct", "idle_pct", NULL };
	static const char *const mem[] = { "total_bytes", "used_bytes",
	    "used_pct", "available_bytes", "cached_bytes", "free_bytes",
	    "swap_total_bytes", "swap_used_bytes", "swapin_ps", "swapout_ps",
	    "majflt_ps", "oom_kills", "oom_kills_total", NULL };
	static const char *const psi[] = { "cpu", "memory", "io", NULL };
	static const char *const psires[] = { "some_avg10", "some_avg60",
	    "some_avg300", "some_total_us", "full_avg10", "full_avg60",
	    "full_avg300", "full_total_us", NULL };
	static const char *const disk[] = { "name", "read_bps", "write_bps",
	    "read_iops", "write_iops", "util_pct", "await_ms", "queue_depth",
	    "inflight", NULL };
	static const char *const net[] = { "name", "rx_bps", "tx_bps",
	    "rx_pps", "tx_pps", "rx_errors_ps", "tx_errors_ps",
	    "rx_drops_ps", "tx_drops_ps", "speed_bps", "up", NULL };
	static const char *const fs[] = { "mount", "device", "fstype",
	    "size_bytes", "used_bytes", "avail_bytes", "used_pct", NULL };
	static const char *const self[] = { "cpu_pct", "rss_bytes",
	    "collect_ms", NULL };
	static const char *const nprocs[] = { "total", "running", "threads",
	    NULL };
	static const char *const proc[] = { "pid", "ppid", "user", "state",
	    "command", "cmdline", "cpu_pct", "rss_bytes", "threads",
	    "read_bps", "write_bps", "start_time", NULL };
	struct ring	*r = ring_make();
	json_t		*j, *s, *c;
	size_t		 i;

	ring_lock(r);
	j = export_json(REP(r));
	ring_unlock(r);
	ck_assert_ptr_nonnull(j);
	assert_keys(j, top);
	assert_keys(json_object_get(j, "host"), host);
	ck_assert_int_eq(json_array_size(json_object_get(j, "samples")), 3);
	json_array_foreach(json_object_get(j, "samples"), i, s) {
		assert_keys(s, smp);
		c = json_object_get(s, "cpu");
		assert_keys(c, cpu);
		ck_assert_int_eq(json_array_size(json_object_get(c,
		    "per_cpu")), 2);
		ck_assert_int_eq(json_array_size(json_object_get(c,
		    "per_cpu_detail")), 2);
		assert_keys(json_array_get(json_object_get(c,
		    "per_cpu_detail"), 0), detail);
		ck_assert_ptr_null(json_object_get(json_array_get(
		    json_object_get(c, "per_cpu_detail"), 0), "per_cpu"));
		ck_assert_int_eq(json_array_size(json_object_get(s, "load")),
		    3);
		assert_keys(json_object_get(s, "mem"), mem);
		assert_keys(json_object_get(s, "psi"), psi);
		assert_keys(json_object_get(json_object_get(s, "psi"), "cpu"),
		    psires);
		assert_keys(json_object_get(json_object_get(s, "psi"), "io"),
		    psires);
		assert_keys(json_array_get(json_object_get(s, "disks"), 0),
		    disk);
		ck_assert_int_eq(json_array_size(json_object_get(s, "net")),
		    2);
		assert_keys(json_array_get(json_object_get(s, "net"), 1), net);
		assert_keys(json_array_get(json_object_get(s, "fs"), 0), fs);
		assert_keys(json_object_get(s, "self"), self);
		assert_keys(json_object_get(s, "nprocs"), nprocs);
	}
	ck_assert_int_eq(json_array_size(json_object_get(j, "processes")), 5);
	json_array_foreach(json_object_get(j, "processes"), i, s)
		assert_keys(s, proc);
	json_decref(j);
	ring_free(r);
}
END_TEST

START_TEST(json_values_and_nulls)
{
	struct ring	*r = ring_make();
	json_t		*j, *s0, *s2, *v, *psi;

	ring_lock(r);
	j = export_json(REP(r));
	ring_unlock(r);
	ck_assert_ptr_nonnull(j);

	v = json_object_get(j, "format_version");
	ck_assert(json_is_integer(v));
	ck_assert_int_eq(json_integer_value(v), 1);
	ck_assert_str_eq(json_string_value(json_object_get(j, "generator")),
	    "perftop " PACKAGE_VERSION);
	ck_assert(json_number_value(json_object_get(j, "interval_s")) == 0.5);
	/* Oldest first; times keep their fraction. */
	ck_assert(json_number_value(json_object_get(j, "start")) ==
	    1718000000.25);
	ck_assert(json_number_value(json_object_get(j, "end")) ==
	    1718000002.25);
	v = json_object_get(json_object_get(j, "host"), "mem_total_bytes");
	ck_assert(json_is_integer(v));
	ck_assert(json_integer_value(v) == 34359738368LL);

	s0 = json_array_get(json_object_get(j, "samples"), 0);
	s2 = json_array_get(json_object_get(j, "samples"), 2);
	ck_assert(json_number_value(json_object_get(s0, "t")) ==
	    1718000000.25);
	ck_assert(json_is_null(json_object_get(s0, "dt_s")));
	ck_assert(json_number_value(json_object_get(s2, "dt_s")) == 1.0);
	ck_assert(json_number_value(json_object_get(json_object_get(s2,
	    "cpu"), "busy_pct")) == 30.0);
	/* NAN is null: never 0, never missing. */
	ck_assert(json_is_null(json_object_get(json_object_get(s0, "cpu"),
	    "steal_pct")));
	ck_assert(json_is_null(json_array_get(json_object_get(json_object_get(
	    s0, "cpu"), "per_cpu"), 1)));
	ck_assert(json_number_value(json_array_get(json_object_get(
	    json_object_get(s0, "cpu"), "per_cpu"), 0)) == 10.0);
	ck_assert(json_is_null(json_array_get(json_object_get(s0, "load"),
	    2)));
	ck_assert(json_is_null(json_object_get(json_array_get(
	    json_object_get(s0, "disks"), 0), "await_ms")));
	ck_assert(json_is_null(json_object_get(json_array_get(
	    json_object_get(s0, "net"), 0), "speed_bps")));
	ck_assert(json_is_true(json_object_get(json_array_get(
	    json_object_get(s0, "net"), 0), "up")));
	ck_assert(json_is_null(json_object_get(json_array_get(
	    json_object_get(s0, "net"), 1), "up")));
	/* A measured zero stays 0. */
	v = json_object_get(json_object_get(s0, "mem"), "swap_used_bytes");
	ck_assert(json_is_number(v) && json_number_value(v) == 0);
	psi = json_object_get(s0, "psi");
	ck_assert(json_is_null(json_object_get(psi, "memory")));
	ck_assert(json_is_object(json_object_get(psi, "cpu")));
	ck_assert(json_is_null(json_object_get(json_object_get(psi, "cpu"),
	    "full_avg10")));
	ck_assert(json_number_value(json_object_get(json_object_get(psi,
	    "cpu"), "some_avg10")) == 1.25);
	v = json_object_get(json_object_get(s0, "nprocs"), "threads");
	ck_assert(json_is_integer(v) && json_integer_value(v) == 9);
	json_decref(j);
	ring_free(r);
}
END_TEST

START_TEST(json_processes_sorted)
{
	static const int want[] = { 20, 40, 5, 30, 10 };
	struct ring		*r = ring_make();
	const struct proctab	*full;
	json_t			*j, *a, *p;
	size_t			 i;
	int			 before[5];

	ring_lock(r);
	full = ring_full(r);
	for (i = 0; i < 5; i++)
		before[i] = full->v[i].pid;
	j = export_json(REP(r));
	ck_assert_ptr_nonnull(j);
	/* The ring's own table is not reordered. */
	for (i = 0; i < 5; i++)
		ck_assert_int_eq(full->v[i].pid, before[i]);
	ring_unlock(r);

	a = json_object_get(j, "processes");
	ck_assert_int_eq(json_array_size(a), 5);
	json_array_foreach(a, i, p)
		ck_assert_int_eq(json_integer_value(json_object_get(p, "pid")),
		    want[i]);
	p = json_array_get(a, 4);
	ck_assert(json_is_null(json_object_get(p, "cpu_pct")));
	ck_assert(json_is_null(json_object_get(p, "read_bps")));
	ck_assert_str_eq(json_string_value(json_object_get(p, "state")), "S");
	ck_assert_str_eq(json_string_value(json_object_get(p, "cmdline")), "");
	ck_assert(json_is_integer(json_object_get(p, "threads")));
	json_decref(j);
	ring_free(r);
}
END_TEST

START_TEST(json_hostile_text_round_trips)
{
	struct ring	*r = ring_make();
	json_t		*j, *back, *p;
	json_error_t	 err;
	char		*text, comm[NAME_MAX_COMM], cmd[CMDLINE_MAX];

	text_sanitize_str(comm, sizeof comm, hostile_comm);
	text_sanitize_str(cmd, sizeof cmd, hostile_cmd);
	ring_lock(r);
	j = export_json(REP(r));
	ring_unlock(r);
	ck_assert_ptr_nonnull(j);
	text = json_dumps(j, JSON_INDENT(2));
	ck_assert_ptr_nonnull(text);
	back = json_loads(text, 0, &err);
	ck_assert_msg(back != NULL, "invalid JSON: %s", err.text);
	ck_assert(json_equal(j, back));
	p = json_array_get(json_object_get(back, "processes"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(p, "command")),
	    comm);
	ck_assert_str_eq(json_string_value(json_object_get(p, "cmdline")),
	    cmd);
	ck_assert_ptr_null(strchr(json_string_value(json_object_get(p,
	    "cmdline")), '\x1b'));
	free(text);
	json_decref(back);
	json_decref(j);
	ring_free(r);
}
END_TEST

/* A source that forgot to sanitize must not make the export fail. */
START_TEST(json_unsanitized_text_is_cleaned)
{
	struct ring	*r = ring_make();
	struct sample	 s = { 0 };
	struct proctab	 full = { 0 };
	struct proc	 p;
	json_t		*j, *v;
	char		*text;

	sample_fill(&s, 1718000010, 50);
	rstr_set(&s.disks[0].name, "bad\xff\xc0name\x1b");
	memset(&p, 0, sizeof p);
	p.pid = 7;
	p.cpu_pct = 1;
	p.comm = "x\xe2\x82";		/* cut UTF-8 */
	ck_assert_ptr_nonnull(proctab_add(&full, &p, "\xff\xfe\x01",
	    CMDLINE_MAX));
	ring_push(r, &s, &full);
	ring_lock(r);
	j = export_json(REP(r));
	ring_unlock(r);
	ck_assert_ptr_nonnull(j);
	v = json_object_get(json_array_get(json_object_get(json_array_get(
	    json_object_get(j, "samples"), 3), "disks"), 0), "name");
	ck_assert_str_eq(json_string_value(v), "bad\\xff\\xc0name\\x1b");
	v = json_array_get(json_object_get(j, "processes"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(v, "command")),
	    "x\\xe2\\x82");
	ck_assert_str_eq(json_string_value(json_object_get(v, "cmdline")),
	    "\\xff\\xfe\\x01");
	text = json_dumps(j, 0);
	ck_assert_ptr_nonnull(text);
	free(text);
	json_decref(j);
	sample_done(&s);
	proctab_done(&full);
	ring_free(r);
}
END_TEST

/* Read a whole stream back into a string. */
static char *
slurp(FILE *f)
{
	char	*buf;
	long	 n;

	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	ck_assert_int_ge(n, 0);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_int_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	return buf;
}

static void
stream_equals_document(struct ring *r, const struct analysis *an,
    const struct alerts *al)
{
	struct report	 rep = { .ring = r, .cfg = &cfg, .an = an, .alerts = al },
			*rp = &rep;
	FILE		*f = tmpfile();
	char		*text, *cause = NULL;
	json_t		*j, *back;
	json_error_t	 err;
	size_t		 len;

	ck_assert_ptr_nonnull(f);
	ring_lock(r);
	ck_assert_int_eq(export_write(f, EXPORT_JSON, rp, &cause), 0);
	j = export_json(rp);
	ring_unlock(r);
	ck_assert_ptr_null(cause);
	ck_assert_ptr_nonnull(j);
	text = slurp(f);
	len = strlen(text);
	ck_assert(len > 2 && text[len - 1] == '\n' && text[len - 2] == '}');
	ck_assert_msg(strncmp(text, "{\n  \"format_version\": 1,\n", 25) == 0,
	    "not indented by 2: %.40s", text);
	back = json_loads(text, 0, &err);
	ck_assert_msg(back != NULL, "invalid JSON at line %d: %s", err.line,
	    err.text);
	ck_assert(json_equal(back, j));
	json_decref(back);
	json_decref(j);
	free(text);
	fclose(f);
}

START_TEST(json_stream_equals_document)
{
	struct ring	*r = ring_make();

	stream_equals_document(r, NULL, NULL);
	ring_free(r);
}
END_TEST

START_TEST(json_empty_ring)
{
	struct host	 h;
	struct ring	*r;
	json_t		*j;

	host_fill(&h);
	r = ring_create(4, &h);
	stream_equals_document(r, NULL, NULL);
	ring_lock(r);
	j = export_json(REP(r));
	ring_unlock(r);
	ck_assert_ptr_nonnull(j);
	ck_assert(json_is_null(json_object_get(j, "start")));
	ck_assert_int_eq(json_array_size(json_object_get(j, "samples")), 0);
	ck_assert_int_eq(json_array_size(json_object_get(j, "processes")), 0);
	json_decref(j);
	ring_free(r);
}
END_TEST

/* Cells of a Markdown table row: '|' not escaped by a backslash, minus 1. */
static int
md_cells(const char *line)
{
	int	 n = 0;

	for (; *line != '\0' && *line != '\n'; line++) {
		if (*line == '\\' && line[1] != '\0' && line[1] != '\n')
			line++;
		else if (*line == '|')
			n++;
	}
	return n - 1;
}

static char *
markdown_of(struct ring *r, const struct analysis *an,
    const struct alerts *al)
{
	struct report	 rep = { .ring = r, .cfg = &cfg, .an = an, .alerts = al },
			*rp = &rep;
	FILE		*f = tmpfile();
	char		*cause = NULL, *text;

	ck_assert_ptr_nonnull(f);
	ring_lock(r);
	ck_assert_int_eq(export_write(f, EXPORT_MARKDOWN, rp, &cause), 0);
	ring_unlock(r);
	ck_assert_ptr_null(cause);
	text = slurp(f);
	fclose(f);
	return text;
}

/*
 * Check every table of a Markdown text keeps its shape (each row as many
 * cells as its header row); returns the number of tables and sets *hostile
 * when a row holds the escaped hostile name.  Works on a copy.
 */
static int
md_tables(const char *md, int *rows_out, bool *hostile)
{
	char	*text = strdup(md), *line, *save = NULL;
	int	 width = -1, rows = 0, tables = 0, n;
	bool	 in_table = false;

	ck_assert_ptr_nonnull(text);
	if (hostile != NULL)
		*hostile = false;
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (line[0] != '|') {
			in_table = false;
			continue;
		}
		n = md_cells(line);
		if (!in_table) {
			in_table = true;
			tables++;
			width = n;
		}
		ck_assert_msg(n == width, "row has %d cells, table %d: %s", n,
		    width, line);
		if (hostile != NULL && strstr(line, "ev\\|l") != NULL)
			*hostile = true;
		rows++;
	}
	free(text);
	if (rows_out != NULL)
		*rows_out = rows;
	return tables;
}

START_TEST(markdown_tables_keep_shape)
{
	struct ring	*r = ring_make();
	char		*text;
	int		 rows;
	bool		 saw_hostile;

	text = markdown_of(r, NULL, NULL);
	/* No analysis: the health section says so, nothing is invented. */
	ck_assert_ptr_null(strstr(text, "Health analysis: not yet"));
	ck_assert_ptr_nonnull(strstr(text, "## Health\n\n**Health n/a"));
	ck_assert_ptr_nonnull(strstr(text, "Status **UNKNOWN** (batch exit "
	    "status 3)"));
	ck_assert_ptr_nonnull(strstr(text, "`test-host_1`"));
	ck_assert_ptr_nonnull(strstr(text, "2024-06-10T06:13:20Z"));
	ck_assert_ptr_nonnull(strstr(text, "## Key figures"));
	ck_assert_ptr_nonnull(strstr(text, "## Top processes"));
	/* The never-measured steal shows n/a; a measured figure its value. */
	ck_assert_ptr_nonnull(strstr(text, "| CPU steal % | n/a | n/a | n/a |"));
	ck_assert_ptr_nonnull(strstr(text, "| CPU busy % | 20.0 | 30.0 | 30.0 |"));
	ck_assert_ptr_nonnull(strstr(text, "| Disk `vd\\|a` read | 4.0K/s |"));
	/* Host, key figures, top processes. */
	ck_assert_int_eq(md_tables(text, &rows, &saw_hostile), 3);
	ck_assert(saw_hostile);
	ck_assert_int_gt(rows, 30);
	free(text);
	ring_free(r);
}
END_TEST

START_TEST(markdown_code_spans_hold_backticks)
{
	struct ring	*r = ring_make();
	char		*text, *row, *end;

	text = markdown_of(r, NULL, NULL);
	/* Busiest first; the new process (CPU n/a) is listed, last. */
	ck_assert_ptr_nonnull(strstr(text, "| 40 |"));
	ck_assert_ptr_nonnull(strstr(text, "| 10 |"));
	ck_assert(strstr(text, "| 20 |") < strstr(text, "| 40 |"));
	ck_assert(strstr(text, "| 30 |") < strstr(text, "| 10 |"));
	row = strstr(text, "| 20 |");
	ck_assert_ptr_nonnull(row);
	end = strchr(row, '\n');
	ck_assert_ptr_nonnull(end);
	*end = '\0';
	/* comm holds single backticks: fenced with two; cmdline holds a
	 * double run: fenced with three. */
	ck_assert_msg(strstr(row, "``ev\\|l`x`") != NULL, "%s", row);
	ck_assert_msg(strstr(row, "``` /bin/sh -c 'a \\| b'") != NULL, "%s",
	    row);
	ck_assert_msg(strstr(row, "``tick`` ```") != NULL, "%s", row);
	free(text);
	ring_free(r);
}
END_TEST

/* ---- diagnosis -------------------------------------------------------- */

/*
 * A window of strlen(pattern) samples 1 s apart, pushed the way the
 * collector does it and fed to al (when not NULL): 'H' a saturated CPU
 * (busy 97 %, run queue 6 on 2 cores) with stress-ng culprits 812 (named
 * comm) at 98 % and 813 at 97 %; 'q' a quiet one (busy 5 %, the hogs
 * idle).  Every sample carries its top list.
 */
static struct ring *
diag_ring(const char *pattern, const char *comm, struct alerts *al)
{
	struct host	 h;
	struct ring	*r;
	struct sample	 s = { 0 };
	struct proctab	 full = { 0 };
	int		 i, n = (int)strlen(pattern);
	bool		 hog;

	host_fill(&h);
	r = ring_create(n, &h);
	for (i = 0; i < n; i++) {
		hog = pattern[i] == 'H';
		sample_fill(&s, 1718000000.0 + i, hog ? 97 : 5);
		s.procs_running = hog ? 7 : 1;	/* 6 + perftop's reader */
		proctab_clear(&full);
		proc_push(&full, 812, hog ? 98 : 0.5, comm, "stress-ng --cpu 2");
		proc_push(&full, 813, hog ? 97 : 0.2, "stress-ng-cpu",
		    "stress-ng --cpu 2");
		proc_push(&full, 1, 0.1, "systemd", "/sbin/init");
		ck_assert_int_eq(proctab_top(&s.top, &full, SAMPLE_TOP_K,
		    SAMPLE_TOP_MEM, NULL), 0);
		ring_push(r, &s, &full);
		if (al != NULL) {
			ring_lock(r);
			alerts_feed(al, ring_get(r, 0), h.cpus);
			ring_unlock(r);
		}
	}
	sample_done(&s);
	proctab_done(&full);
	return r;
}

/* The whole window's analysis, as --batch runs it. */
static void
diag_analyse(struct ring *r, struct analysis *an)
{
	analysis_init(an);
	ring_lock(r);
	ck_assert_int_eq(analysis_run(an, r, 0, &cfg.th, NULL), 0);
	ring_unlock(r);
}

static json_t *
diag_json(struct ring *r, const struct analysis *an, const struct alerts *al)
{
	struct report	 rp = { .ring = r, .cfg = &cfg, .an = an, .alerts = al };
	json_t		*j;

	ring_lock(r);
	j = export_json(&rp);
	ring_unlock(r);
	ck_assert_ptr_nonnull(j);
	return j;
}

/* The first object of array a whose key k is the string v. */
static json_t *
obj_with(json_t *a, const char *k, const char *v)
{
	json_t	*o;
	size_t	 i;

	json_array_foreach(a, i, o)
		if (json_is_string(json_object_get(o, k)) &&
		    strcmp(json_string_value(json_object_get(o, k)), v) == 0)
			return o;
	return NULL;
}

static void
assert_culprit(json_t *c, int pid, const char *command, double share)
{
	ck_assert_msg(json_is_object(c), "culprit is not an object");
	ck_assert_int_eq(json_object_size(c), 3);
	ck_assert_int_eq(json_integer_value(json_object_get(c, "pid")), pid);
	ck_assert_str_eq(json_string_value(json_object_get(c, "command")),
	    command);
	if (isnan(share))
		ck_assert(json_is_null(json_object_get(c, "share_pct")));
	else
		ck_assert_double_eq_tol(json_number_value(json_object_get(c,
		    "share_pct")), share, 1e-5);
}

START_TEST(json_diagnosis_cpu_saturated)
{
	static const char *const fkeys[] = { "resource", "object", "severity",
	    "summary", "metric", "value", "threshold", "points", "culprit",
	    "culprits", "advice", NULL };
	static const char *const akeys[] = { "metric", "object", "level",
	    "active", "raised", "cleared", "duration_s", "min", "avg", "max",
	    "threshold", "text", NULL };
	struct alerts	*al = alerts_create(&cfg.th);
	struct ring	*r = diag_ring("HHHHHHHHHH", "stress-ng", al);
	struct analysis	 an;
	struct report	 rp = { .ring = r, .cfg = &cfg, .an = &an, .alerts = al };
	json_t		*j, *h, *d, *f, *u, *a, *v;
	size_t		 i;

	diag_analyse(r, &an);
	ck_assert_int_eq(export_status(&rp), HEALTH_CRITICAL);
	j = diag_json(r, &an, al);

	h = json_object_get(j, "health");
	ck_assert_int_eq(json_integer_value(json_object_get(h, "score")), 70);
	ck_assert_str_eq(json_string_value(json_object_get(h, "status")),
	    "CRITICAL");
	ck_assert_str_eq(json_string_value(json_object_get(h, "summary")),
	    "Health 70 \xe2\x80\x94 CPU saturated (\xe2\x88\x92" "30)");
	ck_assert_int_eq(json_array_size(json_object_get(h, "deductions")), 1);
	d = json_array_get(json_object_get(h, "deductions"), 0);
	ck_assert_int_eq(json_integer_value(json_object_get(d, "points")), 30);
	ck_assert_str_eq(json_string_value(json_object_get(d, "reason")),
	    "CPU saturated");
	ck_assert_str_eq(json_string_value(json_object_get(d, "resource")),
	    "cpu");
	ck_assert_str_eq(json_string_value(json_object_get(d, "object")), "");
	ck_assert_str_eq(json_string_value(json_object_get(d, "metric")),
	    "cpu.busy_pct");
	/* Steal was never measured (sample_fill): said, not hidden. */
	v = json_object_get(h, "not_visible");
	ck_assert(json_is_array(v));
	ck_assert_ptr_nonnull(json_array_get(v, 0));
	ck_assert_int_eq(json_array_size(v), 2);
	ck_assert_str_eq(json_string_value(json_array_get(v, 0)), "steal");
	ck_assert_str_eq(json_string_value(json_array_get(v, 1)),
	    "link speed");

	/* The finding: right resource, severity, figures and culprit. */
	f = json_array_get(json_object_get(j, "findings"), 0);
	assert_keys(f, fkeys);
	ck_assert_str_eq(json_string_value(json_object_get(f, "resource")),
	    "cpu");
	ck_assert_str_eq(json_string_value(json_object_get(f, "severity")),
	    "critical");
	ck_assert_str_eq(json_string_value(json_object_get(f, "metric")),
	    "cpu.busy_pct");
	ck_assert(json_number_value(json_object_get(f, "value")) == 97);
	ck_assert(json_number_value(json_object_get(f, "threshold")) == 90);
	ck_assert_int_eq(json_integer_value(json_object_get(f, "points")), 30);
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(f,
	    "summary")), "CPU saturated: busy 97 %, run queue 6 on 2 cores"));
	/* 98 of all CPU use: 97 % busy x 2 cores = 194. */
	assert_culprit(json_object_get(f, "culprit"), 812, "stress-ng",
	    98 * 100 / 194.0);
	a = json_object_get(f, "culprits");
	ck_assert_int_eq(json_array_size(a), 3);
	assert_culprit(json_array_get(a, 0), 812, "stress-ng",
	    98 * 100 / 194.0);
	assert_culprit(json_array_get(a, 1), 813, "stress-ng-cpu",
	    97 * 100 / 194.0);
	assert_culprit(json_array_get(a, 2), 1, "systemd", 0.1 * 100 / 194.0);
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(f,
	    "advice")), "stress-ng (pid 812) 98 %"));

	/* Advice ranked like the findings, naming the culprit. */
	a = json_object_get(j, "advice");
	ck_assert_int_ge(json_array_size(a), 1);
	v = json_array_get(a, 0);
	ck_assert_str_eq(json_string_value(json_object_get(v, "severity")),
	    "critical");
	ck_assert_str_eq(json_string_value(json_object_get(v, "text")),
	    json_string_value(json_object_get(f, "advice")));
	assert_culprit(json_object_get(v, "culprit"), 812, "stress-ng",
	    98 * 100 / 194.0);

	/* The USE row of the CPU. */
	u = obj_with(json_object_get(j, "use"), "resource", "cpu");
	ck_assert_ptr_nonnull(u);
	ck_assert_str_eq(json_string_value(json_object_get(u, "severity")),
	    "critical");
	v = json_object_get(u, "utilization");
	ck_assert(json_number_value(json_object_get(v, "value")) == 97);
	ck_assert_str_eq(json_string_value(json_object_get(v, "severity")),
	    "critical");
	ck_assert(json_is_string(json_object_get(v, "text")));
	v = json_object_get(u, "errors");
	ck_assert(json_is_null(json_object_get(v, "value")));
	ck_assert_str_eq(json_string_value(json_object_get(v, "severity")),
	    "n/a");
	ck_assert(json_is_array(json_object_get(j, "trends")));

	/* 9 s at 97 %: the busy alert fired after 6 s and is still up. */
	a = json_object_get(j, "alerts");
	ck_assert_int_ge(json_array_size(a), 1);
	json_array_foreach(a, i, v)
		assert_keys(v, akeys);
	v = obj_with(a, "metric", "cpu.busy_pct");
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(json_string_value(json_object_get(v, "level")),
	    "critical");
	ck_assert(json_is_true(json_object_get(v, "active")));
	ck_assert(json_is_null(json_object_get(v, "cleared")));
	ck_assert(json_number_value(json_object_get(v, "raised")) ==
	    1718000006.0);
	ck_assert(json_number_value(json_object_get(v, "duration_s")) == 3);
	ck_assert(json_number_value(json_object_get(v, "min")) == 97);
	ck_assert(json_number_value(json_object_get(v, "max")) == 97);
	ck_assert(json_number_value(json_object_get(v, "avg")) == 97);
	ck_assert(json_number_value(json_object_get(v, "threshold")) == 90);

	json_decref(j);
	stream_equals_document(r, &an, al);
	analysis_done(&an);
	alerts_free(al);
	ring_free(r);
}
END_TEST

START_TEST(json_diagnosis_quiet)
{
	struct alerts	*al = alerts_create(&cfg.th);
	struct ring	*r = diag_ring("qqqqqqqqqq", "stress-ng", al);
	struct analysis	 an;
	struct report	 rp = { .ring = r, .cfg = &cfg, .an = &an, .alerts = al };
	json_t		*j, *h, *v;
	const char	*sev;
	size_t		 i;

	diag_analyse(r, &an);
	ck_assert_int_eq(export_status(&rp), HEALTH_OK);
	j = diag_json(r, &an, al);
	h = json_object_get(j, "health");
	ck_assert_int_eq(json_integer_value(json_object_get(h, "score")), 100);
	ck_assert_str_eq(json_string_value(json_object_get(h, "status")), "OK");
	ck_assert_str_eq(json_string_value(json_object_get(h, "summary")),
	    "Health 100 \xe2\x80\x94 OK");
	ck_assert_int_eq(json_array_size(json_object_get(h, "deductions")), 0);
	json_array_foreach(json_object_get(j, "findings"), i, v) {
		sev = json_string_value(json_object_get(v, "severity"));
		ck_assert_msg(strcmp(sev, "info") == 0, "finding %s: %s", sev,
		    json_string_value(json_object_get(v, "summary")));
	}
	json_array_foreach(json_object_get(j, "advice"), i, v)
		ck_assert_str_eq(json_string_value(json_object_get(v,
		    "severity")), "info");
	ck_assert_int_eq(json_array_size(json_object_get(j, "alerts")), 0);
	ck_assert_int_ge(json_array_size(json_object_get(j, "use")), 3);
	json_array_foreach(json_object_get(j, "use"), i, v) {
		sev = json_string_value(json_object_get(v, "severity"));
		ck_assert_msg(strcmp(sev, "ok") == 0 || strcmp(sev, "none") == 0,
		    "USE row %s: %s", json_string_value(json_object_get(v,
		    "resource")), sev);
	}
	json_decref(j);
	analysis_done(&an);
	alerts_free(al);
	ring_free(r);
}
END_TEST

/* Nothing measured: UNKNOWN, score null, every cell null; no analysis at
 * all reads the same. */
START_TEST(json_diagnosis_nothing_measured)
{
	struct host	 hst;
	struct ring	*r;
	struct sample	 s = { 0 };
	struct analysis	 an;
	struct report	 rp;
	json_t		*j, *h, *v;
	const char	*cells[] = { "utilization", "saturation", "errors" };
	size_t		 i, k;
	int		 n;

	host_fill(&hst);
	r = ring_create(4, &hst);
	for (n = 0; n < 3; n++) {
		sample_reset(&s);
		s.seq = (uint64_t)n + 1;
		s.t = 1718000000.0 + n;
		ring_push(r, &s, NULL);
	}
	sample_done(&s);
	diag_analyse(r, &an);
	rp = (struct report){ .ring = r, .cfg = &cfg, .an = &an };
	ck_assert_int_eq(export_status(&rp), HEALTH_UNKNOWN);
	j = diag_json(r, &an, NULL);
	h = json_object_get(j, "health");
	ck_assert(json_is_null(json_object_get(h, "score")));
	ck_assert_str_eq(json_string_value(json_object_get(h, "status")),
	    "UNKNOWN");
	ck_assert_int_eq(json_array_size(json_object_get(j, "findings")), 0);
	ck_assert_int_eq(json_array_size(json_object_get(j, "alerts")), 0);
	json_array_foreach(json_object_get(j, "use"), i, v)
		for (k = 0; k < 3; k++) {
			json_t *c = json_object_get(v, cells[k]);
			ck_assert(json_is_null(json_object_get(c, "value")));
			ck_assert_str_eq(json_string_value(json_object_get(c,
			    "severity")), "n/a");
		}
	json_decref(j);

	/* No analysis given: the same UNKNOWN, with every list empty. */
	rp.an = NULL;
	ck_assert_int_eq(export_status(&rp), HEALTH_UNKNOWN);
	j = diag_json(r, NULL, NULL);
	h = json_object_get(j, "health");
	ck_assert(json_is_null(json_object_get(h, "score")));
	ck_assert_str_eq(json_string_value(json_object_get(h, "status")),
	    "UNKNOWN");
	ck_assert(json_is_string(json_object_get(h, "summary")));
	ck_assert_int_eq(json_array_size(json_object_get(h, "deductions")), 0);
	ck_assert_int_eq(json_array_size(json_object_get(h, "not_visible")), 0);
	for (k = 0; k < 5; k++) {
		static const char *const lists[] = { "findings", "use",
		    "trends", "alerts", "advice" };
		v = json_object_get(j, lists[k]);
		ck_assert_msg(json_is_array(v) && json_array_size(v) == 0,
		    "%s", lists[k]);
	}
	json_decref(j);
	analysis_done(&an);
	ring_free(r);
}
END_TEST

/* A culprit's share over an unknown total is null, never 0. */
START_TEST(json_diagnosis_nan_share_is_null)
{
	struct ring	*r = diag_ring("qqqq", "big", NULL);
	struct analysis	 an;
	struct sample	 s = { 0 };
	struct proctab	 full = { 0 };
	json_t		*j, *f;
	int		 i;

	/* Memory 95 % used, but the used bytes not known. */
	for (i = 0; i < 4; i++) {
		sample_fill(&s, 1718000010.0 + i, 5);
		s.mem.used_pct = 95;
		s.mem.used_bytes = FIG_NA;
		proctab_clear(&full);
		proc_push(&full, 77, 1, "big", "big");
		ck_assert_int_eq(proctab_top(&s.top, &full, SAMPLE_TOP_K,
		    SAMPLE_TOP_MEM, NULL), 0);
		ring_push(r, &s, &full);
	}
	sample_done(&s);
	proctab_done(&full);
	diag_analyse(r, &an);
	j = diag_json(r, &an, NULL);
	f = obj_with(json_object_get(j, "findings"), "resource", "memory");
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(json_string_value(json_object_get(f, "severity")),
	    "critical");
	assert_culprit(json_object_get(f, "culprit"), 77, "big", NAN);
	json_decref(j);
	analysis_done(&an);
	ring_free(r);
}
END_TEST

/* Active alerts first, then the log with clear times. */
START_TEST(json_alert_log)
{
	struct alerts	*al = alerts_create(&cfg.th);
	struct ring	*r = diag_ring("HHHHHHHHqqqqqqHHHHHHHH", "stress-ng", al);
	json_t		*j, *a, *v, *first = NULL, *logged = NULL;
	size_t		 i;

	j = diag_json(r, NULL, al);
	a = json_object_get(j, "alerts");
	ck_assert_int_ge(json_array_size(a), 2);
	ck_assert(json_is_true(json_object_get(json_array_get(a, 0),
	    "active")));
	json_array_foreach(a, i, v) {
		if (strcmp(json_string_value(json_object_get(v, "metric")),
		    "cpu.busy_pct") != 0)
			continue;
		if (json_is_true(json_object_get(v, "active")))
			first = v;
		else if (logged == NULL)
			logged = v;
	}
	ck_assert_ptr_nonnull(first);
	ck_assert_ptr_nonnull(logged);
	/* Raised at 6 s, cleared at the first quiet sample (8 s). */
	ck_assert(json_number_value(json_object_get(logged, "raised")) ==
	    1718000006.0);
	ck_assert(json_number_value(json_object_get(logged, "cleared")) ==
	    1718000008.0);
	ck_assert(json_number_value(json_object_get(logged, "duration_s")) ==
	    2);
	ck_assert(json_is_null(json_object_get(first, "cleared")));
	ck_assert(json_number_value(json_object_get(first, "raised")) ==
	    1718000020.0);
	json_decref(j);
	alerts_free(al);
	ring_free(r);
}
END_TEST

/* what, at or after from; fails when it is missing or comes earlier. */
static const char *
after(const char *what, const char *from)
{
	const char	*p = strstr(from, what);

	ck_assert_msg(p != NULL, "missing or out of order: %s", what);
	return p;
}

START_TEST(markdown_diagnosis_sections)
{
	static const char *const order[] = { "\n## Health\n", "\n## Findings\n",
	    "\n## Advice\n", "\n## USE scorecard\n", "\n## Trends\n",
	    "\n## Alerts\n", "\n## Host\n", "\n## Key figures\n",
	    "\n## Top processes\n", NULL };
	struct alerts	*al = alerts_create(&cfg.th);
	struct ring	*r = diag_ring("HHHHHHHHHH", hostile_comm, al);
	struct analysis	 an;
	char		*text, comm[NAME_MAX_COMM];
	const char	*p;
	size_t		 k;
	bool		 hostile;

	diag_analyse(r, &an);
	text = markdown_of(r, &an, al);
	for (p = text, k = 0; order[k] != NULL; k++)
		p = after(order[k], p);
	ck_assert_ptr_null(strstr(text, "Health analysis: not yet"));
	ck_assert_ptr_nonnull(strstr(text, "## Health\n\n**Health 70 "
	    "\xe2\x80\x94 CPU saturated (\xe2\x88\x92" "30)**\n"));
	ck_assert_ptr_nonnull(strstr(text, "Status **CRITICAL** (batch exit "
	    "status 2), score 70 of 100"));
	ck_assert_ptr_nonnull(strstr(text, "| \xe2\x88\x92" "30 | CPU "
	    "saturated | cpu | `cpu.busy_pct` |"));
	/* The finding names its culprit as a code span, with its share. */
	ck_assert_ptr_nonnull(strstr(text, "| critical | cpu | CPU saturated: "
	    "busy 97 %, run queue 6 on 2 cores"));
	ck_assert_ptr_nonnull(strstr(text, "| 97.0 % | 90.0 % | ``ev\\|l`x`"));
	ck_assert_ptr_nonnull(strstr(text, " (pid 812) | 50.5 % | "
	    "\xe2\x88\x92" "30 |"));
	/* Advice: numbered; the hostile name in prose has every Markdown
	 * character escaped. */
	text_sanitize_str(comm, sizeof comm, hostile_comm);
	ck_assert_ptr_nonnull(strstr(text, "\n1. **critical**: CPU saturated"));
	ck_assert_ptr_nonnull(strstr(text, "ev\\|l\\`x\\`\\\\x1b\\[31m\\*\\_"
	    "\\<b\\> (pid 812) 98 %"));
	ck_assert_ptr_nonnull(strstr(text, "Culprit: ``ev\\|l`x`"));
	/* The scorecard and the alert log with UTC times. */
	ck_assert_ptr_nonnull(strstr(text, "| Resource | Utilization | "
	    "Saturation | Errors |"));
	ck_assert_ptr_nonnull(strstr(text, "(critical) |"));
	ck_assert_ptr_nonnull(strstr(text, "| critical | CPU busy"));
	ck_assert_ptr_nonnull(strstr(text, "| 2024-06-10T06:13:26Z | active "
	    "| 3.0 s | 97.0 % | 97.0 % | 97.0 % |"));
	ck_assert_ptr_nonnull(strstr(text, "No steady growth in the window."));
	/* Deductions, findings, USE, alerts, host, key figures, processes. */
	ck_assert_int_eq(md_tables(text, NULL, &hostile), 7);
	ck_assert(hostile);
	free(text);
	analysis_done(&an);
	alerts_free(al);
	ring_free(r);
}
END_TEST

START_TEST(markdown_quiet_and_unknown)
{
	struct ring	*r = diag_ring("qqqq", "idle", NULL);
	struct analysis	 an;
	char		*text;

	diag_analyse(r, &an);
	text = markdown_of(r, &an, NULL);
	ck_assert_ptr_nonnull(strstr(text, "**Health 100 \xe2\x80\x94 OK**"));
	ck_assert_ptr_nonnull(strstr(text, "Status **OK** (batch exit "
	    "status 0)"));
	ck_assert_ptr_nonnull(strstr(text, "No deductions."));
	ck_assert_ptr_nonnull(strstr(text, "No alert was raised"));
	ck_assert_ptr_null(strstr(text, "| warning |"));
	ck_assert_ptr_null(strstr(text, "| critical |"));
	/* USE, host, key figures, processes. */
	ck_assert_int_eq(md_tables(text, NULL, NULL), 4);
	free(text);
	analysis_done(&an);
	ring_free(r);
}
END_TEST

/* ---- files ----------------------------------------------------------- */

static char	 tdir[64];

static void
dir_setup(void)
{
	setup();
	strcpy(tdir, "/tmp/test_export.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tdir));
}

static void
dir_teardown(void)
{
	char	 cmd[128];

	chmod(tdir, 0700);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tdir);
}

static void
file_put(const char *path, const char *text)
{
	FILE	*f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

static char *
file_get(const char *path)
{
	FILE	*f = fopen(path, "r");
	char	*text;

	ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
	text = slurp(f);
	fclose(f);
	return text;
}

/* Entries in tdir other than . and .. (left-over temporary files). */
static int
dir_entries(const char *dir)
{
	DIR		*d = opendir(dir);
	struct dirent	*e;
	int		 n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

START_TEST(file_written_atomically_with_mode)
{
	struct ring	*r = ring_make();
	struct stat	 st;
	char		 path[128], *cause = NULL, *text;
	json_error_t	 err;
	json_t		*j;

	umask(0);	/* the mode must not depend on the umask */
	snprintf(path, sizeof path, "%s/report.json", tdir);
	file_put(path, "old");
	ck_assert_int_eq(chmod(path, 0644), 0);
	ring_lock(r);
	ck_assert_int_eq(export_to_path(path, EXPORT_JSON, REP(r), 0600,
	    &cause), 0);
	ring_unlock(r);
	ck_assert_ptr_null(cause);
	ck_assert_int_eq(lstat(path, &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_int_eq(st.st_mode & 07777, 0600);
	text = file_get(path);
	j = json_loads(text, 0, &err);
	ck_assert_msg(j != NULL, "%s", err.text);
	json_decref(j);
	free(text);
	ck_assert_int_eq(dir_entries(tdir), 1);

	snprintf(path, sizeof path, "%s/report.md", tdir);
	ring_lock(r);
	ck_assert_int_eq(export_to_path(path, EXPORT_MARKDOWN, REP(r), 0600,
	    &cause), 0);
	ring_unlock(r);
	text = file_get(path);
	ck_assert_ptr_nonnull(strstr(text, "## Top processes"));
	free(text);
	ck_assert_int_eq(dir_entries(tdir), 2);
	ring_free(r);
}
END_TEST

START_TEST(file_symlink_replaced_not_followed)
{
	struct ring	*r = ring_make();
	struct stat	 st;
	char		 path[128], victim[128], *cause = NULL, *text;

	snprintf(victim, sizeof victim, "%s/victim", tdir);
	snprintf(path, sizeof path, "%s/report.md", tdir);
	file_put(victim, "precious\n");
	ck_assert_int_eq(symlink(victim, path), 0);
	ring_lock(r);
	ck_assert_int_eq(export_to_path(path, EXPORT_MARKDOWN, REP(r), 0600,
	    &cause), 0);
	ring_unlock(r);
	text = file_get(victim);
	ck_assert_str_eq(text, "precious\n");
	free(text);
	ck_assert_int_eq(lstat(path, &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	text = file_get(path);
	ck_assert_ptr_nonnull(strstr(text, "# perftop report"));
	free(text);
	ring_free(r);
}
END_TEST

START_TEST(file_missing_dir_fails)
{
	struct ring	*r = ring_make();
	char		 path[128], *cause = NULL;

	snprintf(path, sizeof path, "%s/no/such/dir/report.json", tdir);
	ring_lock(r);
	ck_assert_int_eq(export_to_path(path, EXPORT_JSON, REP(r), 0600,
	    &cause), -1);
	ring_unlock(r);
	ck_assert_ptr_nonnull(cause);
	ck_assert_msg(strstr(cause, path) != NULL, "%s", cause);
	ck_assert_msg(strstr(cause, strerror(ENOENT)) != NULL, "%s", cause);
	free(cause);
	cause = NULL;
	snprintf(path, sizeof path, "%s/", tdir);
	ck_assert_int_eq(export_to_path(path, EXPORT_JSON, REP(r), 0600,
	    &cause), -1);
	ck_assert_ptr_nonnull(cause);
	free(cause);
	ring_free(r);
}
END_TEST

/*
 * Run export_to_path in a child (as nobody when we are root, since root
 * writes into read-only directories; with a file size limit when limit > 0)
 * and return its result; the cause comes back through a pipe.
 */
static int
export_in_child(const char *path, bool drop, rlim_t limit, char *cause,
    size_t causesz)
{
	struct ring	*r;
	struct rlimit	 rl;
	char		*c = NULL;
	ssize_t		 n;
	pid_t		 pid;
	int		 fds[2], status, rc;

	ck_assert_int_eq(pipe(fds), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(fds[0]);
		if (drop && geteuid() == 0 && (setgroups(0, NULL) != 0 ||
		    setgid(NOBODY) != 0 || setuid(NOBODY) != 0))
			_exit(99);
		if (limit > 0) {
			signal(SIGXFSZ, SIG_IGN);
			rl.rlim_cur = rl.rlim_max = limit;
			if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
				_exit(98);
		}
		r = ring_make();
		ring_lock(r);
		rc = export_to_path(path, EXPORT_JSON, REP(r), 0600, &c);
		ring_unlock(r);
		ring_free(r);
		if (c != NULL && write(fds[1], c, strlen(c)) < 0)
			_exit(97);
		free(c);
		_exit(rc == 0 ? 0 : 1);
	}
	close(fds[1]);
	n = read(fds[0], cause, causesz - 1);
	cause[n > 0 ? n : 0] = '\0';
	close(fds[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_lt(WEXITSTATUS(status), 90);
	return WEXITSTATUS(status) == 0 ? 0 : -1;
}

START_TEST(file_readonly_dir_keeps_old)
{
	char	 dir[128], path[160], cause[512], *text;

	snprintf(dir, sizeof dir, "%s/ro", tdir);
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	snprintf(path, sizeof path, "%s/report.json", dir);
	file_put(path, "old report\n");
	ck_assert_int_eq(chmod(dir, 0555), 0);
	ck_assert_int_eq(chmod(tdir, 0755), 0);
	ck_assert_int_eq(export_in_child(path, true, 0, cause, sizeof cause),
	    -1);
	ck_assert_msg(strstr(cause, path) != NULL, "cause: %s", cause);
	ck_assert_msg(strstr(cause, strerror(EACCES)) != NULL, "cause: %s",
	    cause);
	text = file_get(path);
	ck_assert_str_eq(text, "old report\n");
	free(text);
	ck_assert_int_eq(dir_entries(dir), 1);
	chmod(dir, 0755);
}
END_TEST

/* A write that fails half-way (file size limit): old file intact, no
 * temporary file left behind. */
START_TEST(file_write_error_keeps_old)
{
	char	 path[128], cause[512], *text;

	snprintf(path, sizeof path, "%s/report.json", tdir);
	file_put(path, "old report\n");
	ck_assert_int_eq(export_in_child(path, false, 200, cause,
	    sizeof cause), -1);
	ck_assert_msg(strstr(cause, path) != NULL, "cause: %s", cause);
	ck_assert_msg(strstr(cause, strerror(EFBIG)) != NULL, "cause: %s",
	    cause);
	text = file_get(path);
	ck_assert_str_eq(text, "old report\n");
	free(text);
	ck_assert_int_eq(dir_entries(tdir), 1);
}
END_TEST

START_TEST(dev_full_is_an_error)
{
	struct ring	*r = ring_make();
	FILE		*f;
	char		*cause = NULL;
	int		 fmt;

	for (fmt = EXPORT_MARKDOWN; fmt <= EXPORT_JSON; fmt++) {
		f = fopen("/dev/full", "w");
		ck_assert_ptr_nonnull(f);
		ring_lock(r);
		ck_assert_int_eq(export_write(f, fmt, REP(r), &cause), -1);
		ring_unlock(r);
		ck_assert_ptr_nonnull(cause);
		ck_assert_msg(strstr(cause, strerror(ENOSPC)) != NULL, "%s",
		    cause);
		free(cause);
		cause = NULL;
		fclose(f);
	}
	ring_free(r);
}
END_TEST

static Suite *
export_suite(void)
{
	Suite	*s = suite_create("export");
	TCase	*tc = tcase_create("formats");
	TCase	*tf = tcase_create("files");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, format_names);
	tcase_add_test(tc, json_required_keys);
	tcase_add_test(tc, json_values_and_nulls);
	tcase_add_test(tc, json_processes_sorted);
	tcase_add_test(tc, json_hostile_text_round_trips);
	tcase_add_test(tc, json_unsanitized_text_is_cleaned);
	tcase_add_test(tc, json_stream_equals_document);
	tcase_add_test(tc, json_empty_ring);
	tcase_add_test(tc, markdown_tables_keep_shape);
	tcase_add_test(tc, markdown_code_spans_hold_backticks);
	tcase_add_test(tc, json_diagnosis_cpu_saturated);
	tcase_add_test(tc, json_diagnosis_quiet);
	tcase_add_test(tc, json_diagnosis_nothing_measured);
	tcase_add_test(tc, json_diagnosis_nan_share_is_null);
	tcase_add_test(tc, json_alert_log);
	tcase_add_test(tc, markdown_diagnosis_sections);
	tcase_add_test(tc, markdown_quiet_and_unknown);
	tcase_add_test(tc, dev_full_is_an_error);
	suite_add_tcase(s, tc);

	tcase_add_checked_fixture(tf, dir_setup, dir_teardown);
	tcase_add_test(tf, file_written_atomically_with_mode);
	tcase_add_test(tf, file_symlink_replaced_not_followed);
	tcase_add_test(tf, file_missing_dir_fails);
	tcase_add_test(tf, file_readonly_dir_keeps_old);
	tcase_add_test(tf, file_write_error_keeps_old);
	suite_add_tcase(s, tf);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(export_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
