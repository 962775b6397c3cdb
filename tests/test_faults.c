/*
 * test_faults.c - the faults the kernel will not produce on demand,
 * injected through the data model and the pure derive functions, then run
 * through everything downstream: the analysis at every age of the ring, the
 * alert engine fed sample by sample, baseline capture and diff, and every
 * report format written to memory and read back.
 *
 * Cases: CPUs, disks and interfaces coming and going; counter wraps, resets
 * and PID reuse; samples 0.4 ms and 0 s apart; the wall clock jumping back
 * an hour and forward a day; a suspend (an hour between two samples);
 * nothing measurable (privileges) and nothing at all; no processes; 10,000
 * processes of the same name.  Each asserts no crash, no NaN, infinity or
 * negative figure where none belongs, CPU % within 0..100 (100 x cores for
 * a process), and a sensible health.  Last, the real live source is read
 * back to back with no sleep, the "less than 1 ms apart" case on this
 * machine.
 */
#include <config.h>

#include <check.h>
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <time.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "alerts.h"
#include "analysis.h"
#include "baseline.h"
#include "collector.h"
#include "conf.h"
#include "derive.h"
#include "export.h"
#include "procfs.h"
#include "ring.h"
#include "sample.h"
#include "source.h"

#define GIB	1073741824.0
#define MIB	1048576.0
#define T0	1700000000.0	/* wall clock of the first sample */
#define M0	5000.0		/* monotonic clock of the first sample */
#define EPS	1e-6

static struct config	 cfg;

/* ---- checks on figures -------------------------------------------------- */

/* A figure: n/a, or a finite number >= 0 (and <= max when max is set). */
#define FIG_IN(x, max, what) do {					\
	double fig_ = (x);						\
	ck_assert_msg(!isinf(fig_), "%s is infinite (%s)", what, #x);	\
	if (FIG_OK(fig_)) {						\
		ck_assert_msg(fig_ >= 0, "%s: %s = %g < 0", what, #x, fig_); \
		ck_assert_msg(fig_ <= (max) + EPS, "%s: %s = %g > %g",	\
		    what, #x, fig_, (double)(max));			\
	}								\
} while (0)
#define FIG_POS(x, what)	FIG_IN(x, HUGE_VAL, what)

static void
check_cpu_figs(const struct cpu_figs *c, const char *what)
{
	FIG_IN(c->user, 100, what);
	FIG_IN(c->system, 100, what);
	FIG_IN(c->iowait, 100, what);
	FIG_IN(c->steal, 100, what);
	FIG_IN(c->idle, 100, what);
	FIG_IN(c->busy, 100, what);
}

static void
check_procs(const struct proctab *t, int cores, const char *what)
{
	int	 i;

	ck_assert_int_ge(t->n, 0);
	for (i = 0; i < t->n; i++) {
		FIG_IN(t->v[i].cpu_pct, 100.0 * cores, what);
		FIG_POS(t->v[i].rss_bytes, what);
		FIG_POS(t->v[i].read_bps, what);
		FIG_POS(t->v[i].write_bps, what);
		ck_assert(!isinf(t->v[i].start_time));
	}
}

/* Every figure of a sample: n/a or in range. */
static void
check_sample(const struct sample *s, int cores)
{
	const char	*w = "sample";
	int		 i;

	ck_assert(!isinf(s->t) && !isinf(s->mono));
	ck_assert_msg(!FIG_OK(s->dt) || (s->dt >= 0 && isfinite(s->dt)),
	    "dt %g", s->dt);
	check_cpu_figs(&s->cpu, "cpu");
	for (i = 0; i < s->ncpu; i++)
		check_cpu_figs(&s->per_cpu[i], "per_cpu");
	for (i = 0; i < 3; i++)
		FIG_POS(s->load[i], w);
	FIG_POS(s->ctxsw_ps, w);
	FIG_POS(s->intr_ps, w);
	FIG_POS(s->forks_ps, w);
	FIG_POS(s->procs_running, w);
	FIG_POS(s->procs_blocked, w);
	FIG_POS(s->mem.total_bytes, w);
	FIG_POS(s->mem.used_bytes, w);
	FIG_IN(s->mem.used_pct, 100, w);
	FIG_POS(s->mem.available_bytes, w);
	FIG_POS(s->mem.cached_bytes, w);
	FIG_POS(s->mem.free_bytes, w);
	FIG_POS(s->mem.swap_total_bytes, w);
	FIG_POS(s->mem.swap_used_bytes, w);
	FIG_POS(s->mem.swapin_ps, w);
	FIG_POS(s->mem.swapout_ps, w);
	FIG_POS(s->mem.majflt_ps, w);
	FIG_POS(s->mem.oom_kills, w);
	FIG_POS(s->mem.oom_kills_total, w);
	for (i = 0; i < PSI_NRES; i++) {
		FIG_IN(s->psi[i].some_avg10, 100, "psi");
		FIG_IN(s->psi[i].some_avg60, 100, "psi");
		FIG_IN(s->psi[i].some_avg300, 100, "psi");
		FIG_IN(s->psi[i].full_avg10, 100, "psi");
		FIG_POS(s->psi[i].some_total_us, "psi");
		FIG_POS(s->psi[i].full_total_us, "psi");
	}
	for (i = 0; i < s->ndisk; i++) {
		const struct disk_figs *d = &s->disks[i];
		ck_assert(memchr(d->name, '\0', sizeof d->name) != NULL);
		FIG_POS(d->read_bps, "disk");
		FIG_POS(d->write_bps, "disk");
		FIG_POS(d->read_iops, "disk");
		FIG_POS(d->write_iops, "disk");
		FIG_IN(d->util_pct, 100, "disk");
		FIG_POS(d->await_ms, "disk");
		FIG_POS(d->queue, "disk");
		FIG_POS(d->inflight, "disk");
	}
	for (i = 0; i < s->nnet; i++) {
		const struct net_figs *n = &s->nets[i];
		FIG_POS(n->rx_bps, "net");
		FIG_POS(n->tx_bps, "net");
		FIG_POS(n->rx_pps, "net");
		FIG_POS(n->tx_pps, "net");
		FIG_POS(n->rx_errors_ps, "net");
		FIG_POS(n->tx_errors_ps, "net");
		FIG_POS(n->rx_drops_ps, "net");
		FIG_POS(n->tx_drops_ps, "net");
		FIG_POS(n->speed_bps, "net");
	}
	for (i = 0; i < s->nfs; i++) {
		FIG_POS(s->fs[i].size_bytes, "fs");
		FIG_POS(s->fs[i].used_bytes, "fs");
		FIG_POS(s->fs[i].avail_bytes, "fs");
		FIG_IN(s->fs[i].used_pct, 100, "fs");
	}
	check_procs(&s->top, cores, "top");
	FIG_IN(s->self_cpu_pct, 100.0 * cores, "self");
	FIG_POS(s->self_rss_bytes, "self");
	FIG_POS(s->collect_ms, "self");
}

/* A number of a result that may be n/a but never infinite. */
#define NOT_INF(x)	ck_assert_msg(!isinf(x), "%s is infinite", #x)

static void
check_analysis(const struct analysis *an, int cores)
{
	int	 i, j, sum = 0;

	ck_assert_int_ge(an->nsamples, 0);
	if (an->health.status == HEALTH_UNKNOWN)
		ck_assert_int_eq(an->health.score, -1);
	else {
		ck_assert_int_ge(an->health.score, 0);
		ck_assert_int_le(an->health.score, 100);
	}
	ck_assert_int_ge(an->health.deducted, 0);
	NOT_INF(an->t_first);
	NOT_INF(an->t_last);
	for (i = 0; i < an->nrows; i++)
		for (j = 0; j < USE_NCOLS; j++) {
			const struct use_cell *c = &an->rows[i].cell[j];
			NOT_INF(c->value);
			/* A filesystem's saturation is its growth in bytes/s:
			 * signed. */
			if (FIG_OK(c->value) && !(an->rows[i].res == RES_FS &&
			    j == USE_S))
				ck_assert_msg(c->value >= 0, "USE %s %s %g",
				    resource_name(an->rows[i].res),
				    an->rows[i].object, c->value);
			ck_assert(memchr(c->text, '\0', sizeof c->text));
			ck_assert_ptr_null(strstr(c->text, "nan"));
			ck_assert_ptr_null(strstr(c->text, "inf"));
		}
	for (i = 0; i < an->nfindings; i++) {
		const struct finding *f = &an->findings[i];
		NOT_INF(f->value);
		NOT_INF(f->threshold);
		ck_assert_int_ge(f->points, 0);
		sum += f->points;
		ck_assert(f->sev >= SEV_INFO && f->sev <= SEV_CRITICAL);
		ck_assert_ptr_null(strstr(f->summary, "nan"));
		ck_assert_ptr_null(strstr(f->summary, "inf "));
		ck_assert_int_le(f->nculprits, CULPRITS_MAX);
		for (j = 0; j < f->nculprits; j++) {
			FIG_POS(f->culprits[j].value, "culprit");
			FIG_IN(f->culprits[j].share_pct, 100, "culprit");
			if (f->res == RES_CPU && f->metric == M_CPU_BUSY)
				FIG_IN(f->culprits[j].value, 100.0 * cores,
				    "culprit cpu");
		}
	}
	ck_assert_int_eq(sum, an->health.deducted);
	for (i = 0; i < an->ntrends; i++) {
		const struct trend *t = &an->trends[i];
		ck_assert_msg(isfinite(t->slope), "trend slope %g", t->slope);
		ck_assert(t->r2 >= -EPS && t->r2 <= 1 + EPS);
		NOT_INF(t->now);
		FIG_POS(t->eta_s, "trend eta");
		ck_assert_ptr_null(strstr(t->text, "nan"));
		ck_assert_ptr_null(strstr(t->text, "-"));
	}
}

static void
check_alert(const struct alert *al)
{
	NOT_INF(al->threshold);
	ck_assert(FIG_OK(al->raise_t));
	ck_assert_msg(al->duration_s >= 0 && isfinite(al->duration_s),
	    "alert duration %g", al->duration_s);
	NOT_INF(al->vmin);
	NOT_INF(al->vavg);
	NOT_INF(al->vmax);
	NOT_INF(al->vlast);
	ck_assert_ptr_null(strstr(al->text, "nan"));
}

/* ---- checks on reports -------------------------------------------------- */

static bool
key_may_be_negative(const char *key)
{
	static const char *const ok[] = {
		"slope", "delta", "effect", "t", "bac1", "change", NULL
	};
	int	 i;

	for (i = 0; ok[i] != NULL; i++)
		if (strcmp(key, ok[i]) == 0)
			return true;
	return false;
}

static bool
ends_with(const char *s, const char *suffix)
{
	size_t	 a = strlen(s), b = strlen(suffix);

	return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* Walk a JSON document: numbers in range for their key, no "nan" text. */
static void
check_json(json_t *j, const char *key, const char *path, int cores)
{
	char		 sub[512];
	const char	*k;
	json_t		*v;
	size_t		 i;
	double		 x;

	switch (json_typeof(j)) {
	case JSON_OBJECT:
		json_object_foreach(j, k, v) {
			snprintf(sub, sizeof sub, "%s.%s", path, k);
			check_json(v, k, sub, cores);
		}
		break;
	case JSON_ARRAY:
		json_array_foreach(j, i, v) {
			snprintf(sub, sizeof sub, "%s[%zu]", path, i);
			check_json(v, key, sub, cores);
		}
		break;
	case JSON_INTEGER:
	case JSON_REAL:
		x = json_number_value(j);
		ck_assert_msg(isfinite(x), "%s not finite", path);
		ck_assert_msg(x >= 0 || key_may_be_negative(key),
		    "%s = %g < 0", path, x);
		if (strcmp(key, "cpu_pct") == 0)
			ck_assert_msg(x <= 100.0 * cores + EPS,
			    "%s = %g > 100 x %d cores", path, x, cores);
		else if (ends_with(key, "_pct") || strcmp(key, "per_cpu") == 0)
			ck_assert_msg(x <= 100 + EPS, "%s = %g > 100", path,
			    x);
		break;
	case JSON_STRING:
		v = j;
		ck_assert_msg(strcasecmp(json_string_value(v), "nan") != 0 &&
		    strcasecmp(json_string_value(v), "-nan") != 0 &&
		    strcasecmp(json_string_value(v), "inf") != 0 &&
		    strcasecmp(json_string_value(v), "-inf") != 0,
		    "%s = \"%s\"", path, json_string_value(v));
		break;
	default:
		break;
	}
}

/* No "nan", "inf" or "infinity" token in a text report. */
static void
check_no_nan_text(const char *buf, const char *fmt)
{
	const char	*p;
	size_t		 n;

	for (p = buf; *p != '\0'; p++) {
		if (p != buf && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
			continue;
		for (n = 0; isalpha((unsigned char)p[n]); n++)
			;
		if ((n == 3 && (strncasecmp(p, "nan", 3) == 0 ||
		    strncasecmp(p, "inf", 3) == 0)) ||
		    (n == 8 && strncasecmp(p, "infinity", 8) == 0))
			ck_abort_msg("%s report has \"%.*s\" at offset %td: "
			    "%.40s", fmt, (int)n, p, p - buf, p);
	}
}

/* CSV: every number finite and >= 0; _pct columns <= 100. */
static void
check_csv(char *buf)
{
	char	*line, *save = NULL, *field, *rest, *end;
	char	 cols[1024][96];
	int	 ncols = 0, c, row = 0;
	double	 x;

	for (line = strtok_r(buf, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save), row++) {
		ck_assert_ptr_null(strchr(line, '"'));
		c = 0;
		/* strsep, not strtok: an empty cell is a column too. */
		for (rest = line; (field = strsep(&rest, ",")) != NULL;
		    c++) {
			if (row == 0) {
				ck_assert_int_lt(ncols, 1024);
				snprintf(cols[ncols++], sizeof cols[0], "%s",
				    field);
				continue;
			}
			ck_assert_int_lt(c, ncols);
			x = strtod(field, &end);
			if (end == field || *end != '\0')
				continue;	/* the UTC time */
			ck_assert_int_lt(c, ncols);
			ck_assert_msg(isfinite(x) && x >= 0,
			    "csv row %d %s = %s", row, cols[c], field);
			if (ends_with(cols[c], "_pct"))
				ck_assert_msg(x <= 100 + EPS,
				    "csv row %d %s = %s", row, cols[c], field);
		}
	}
	ck_assert_int_gt(ncols, 3);
}

/* OpenMetrics: every value a finite number >= 0, ratios <= 1. */
static void
check_om(char *buf)
{
	char	*line, *save = NULL, *sp, *end;
	double	 x;

	for (line = strtok_r(buf, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#')
			continue;
		ck_assert_ptr_nonnull(sp = strrchr(line, ' '));
		x = strtod(sp + 1, &end);
		ck_assert_msg(end != sp + 1 && *end == '\0', "om: %s", line);
		ck_assert_msg(isfinite(x), "om: %s", line);
		ck_assert_msg(x >= 0 || strstr(line, "slope") != NULL,
		    "om: %s", line);
		if (strstr(line, "_ratio") != NULL)
			ck_assert_msg(x <= 1 + EPS, "om: %s", line);
	}
}

/* Write rp in every format to memory and check what comes out. */
static void
check_exports(const struct report *rp, int cores)
{
	enum export_format	 fmt;
	json_error_t		 err;
	json_t			*doc;
	char			*buf, *cause = NULL;
	size_t			 len;
	FILE			*f;

	for (fmt = EXPORT_MARKDOWN; fmt <= EXPORT_OPENMETRICS; fmt++) {
		buf = NULL;
		len = 0;
		ck_assert_ptr_nonnull(f = open_memstream(&buf, &len));
		ck_assert_msg(export_write(f, fmt, rp, &cause) == 0,
		    "%s: %s", export_format_name(fmt), cause);
		ck_assert_int_eq(fclose(f), 0);
		ck_assert_msg(len > 0, "%s empty", export_format_name(fmt));
		ck_assert_uint_eq(strlen(buf), len);
		switch (fmt) {
		case EXPORT_JSON:
			doc = json_loads(buf, 0, &err);
			ck_assert_msg(doc != NULL, "JSON line %d: %s",
			    err.line, err.text);
			check_json(doc, "", "$", cores);
			ck_assert(json_is_object(json_object_get(doc,
			    "health")));
			json_decref(doc);
			break;
		case EXPORT_CSV:
			check_csv(buf);
			break;
		case EXPORT_OPENMETRICS:
			check_om(buf);
			break;
		default:
			check_no_nan_text(buf, export_format_name(fmt));
			break;
		}
		free(buf);
	}
}

/* ---- fixture ------------------------------------------------------------ */

struct fx {
	struct host	 h;
	struct ring	*r;
	struct sample	 s;
	struct proctab	 full;
	struct thresholds th;
	struct alerts	*al;
	int		 maxcpu;	/* most CPUs any sample had */
	int		 raises;	/* alerts raised so far */
	int		 npushed;
	double		 raise_t[64];	/* sample t of each raise */
	enum metric	 raise_m[64];
};

static void
on_event(const struct alert_event *e, void *arg)
{
	struct fx	*x = arg;

	check_alert(&e->alert);
	if (e->kind == ALERT_RAISE) {
		if (x->raises < 64) {
			x->raise_t[x->raises] = e->t;
			x->raise_m[x->raises] = e->alert.metric;
		}
		x->raises++;
	}
}

static void
fx_open(struct fx *x, int cap, int cpus)
{
	memset(x, 0, sizeof *x);
	strcpy(x->h.hostname, "faults");
	strcpy(x->h.kernel, "6.1.0-test");
	strcpy(x->h.arch, "x86_64");
	x->h.cpus = cpus;
	x->h.boot_time = T0 - 86400;
	x->h.mem_total_bytes = 8 * GIB;
	x->r = ring_create(cap, &x->h);
	ck_assert_ptr_nonnull(x->r);
	thresholds_defaults(&x->th);
	x->al = alerts_create(&x->th);
	alerts_set_callback(x->al, on_event, x);
	x->maxcpu = cpus;
}

static void
fx_close(struct fx *x)
{
	alerts_free(x->al);
	ring_free(x->r);
	sample_done(&x->s);
	proctab_done(&x->full);
}

static void
addproc(struct proctab *t, int pid, const char *comm, double cpu, double rss,
    double io)
{
	struct proc	 p;

	memset(&p, 0, sizeof p);
	p.pid = pid;
	p.ppid = 1;
	p.nlwp = 4;
	p.state = cpu > 50 ? 'R' : 'S';
	p.user = "root";
	p.comm = comm;
	p.start_time = T0 - 1000 + pid;
	p.cpu_pct = cpu;
	p.rss_bytes = rss;
	p.read_bps = io;
	p.write_bps = io;
	ck_assert_ptr_nonnull(proctab_add(t, &p, comm, CMDLINE_MAX));
	t->total++;
	t->threads += p.nlwp;
	if (p.state == 'R')
		t->running++;
}

/*
 * Sample i: a quiet machine of ncpu CPUs at wall time t, monotonic time
 * mono, dt after the last, with one disk, one interface and one filesystem,
 * a few processes in the full table and the top list.
 */
static void
fx_sample(struct fx *x, int i, double t, double mono, double dt, int ncpu)
{
	struct sample	*s = &x->s;
	int		 c;

	sample_reset(s);
	proctab_clear(&x->full);
	s->seq = (uint64_t)i + 1;
	s->t = t;
	s->mono = mono;
	s->dt = dt;
	s->cpu.user = 3;
	s->cpu.system = 2;
	s->cpu.iowait = 0;
	s->cpu.steal = 0;
	s->cpu.idle = 95;
	s->cpu.busy = 5;
	ck_assert_int_eq(sample_reserve_cpus(s, ncpu), 0);
	s->ncpu = ncpu;
	for (c = 0; c < ncpu; c++)
		s->per_cpu[c] = s->cpu;
	if (ncpu > x->maxcpu)
		x->maxcpu = ncpu;
	s->load[0] = s->load[1] = s->load[2] = 0.1;
	s->ctxsw_ps = 300;
	s->intr_ps = 200;
	s->forks_ps = 1;
	s->procs_running = 1;
	s->procs_blocked = 0;
	s->mem.total_bytes = 8 * GIB;
	s->mem.used_bytes = 2 * GIB;
	s->mem.used_pct = 25;
	s->mem.available_bytes = 6 * GIB;
	s->mem.cached_bytes = 1 * GIB;
	s->mem.free_bytes = 5 * GIB;
	s->mem.swap_total_bytes = 0;
	s->mem.swap_used_bytes = 0;
	s->mem.swapin_ps = s->mem.swapout_ps = s->mem.majflt_ps = 0;
	s->mem.oom_kills = 0;
	s->mem.oom_kills_total = 0;
	for (c = 0; c < PSI_NRES; c++) {
		s->psi[c].some_avg10 = s->psi[c].some_avg60 = 0.2;
		s->psi[c].some_avg300 = 0.2;
		s->psi[c].some_total_us = 1e6 + 1000.0 * i;
	}
	ck_assert_int_eq(sample_reserve_disks(s, 1), 0);
	s->ndisk = 1;
	memset(&s->disks[0], 0, sizeof s->disks[0]);
	rstr_set(&s->disks[0].name, "sda");
	s->disks[0].read_bps = 1000;
	s->disks[0].write_bps = 4000;
	s->disks[0].read_iops = s->disks[0].write_iops = 1;
	s->disks[0].util_pct = 1;
	s->disks[0].await_ms = 2;
	s->disks[0].queue = 0.01;
	ck_assert_int_eq(sample_reserve_nets(s, 1), 0);
	s->nnet = 1;
	memset(&s->nets[0], 0, sizeof s->nets[0]);
	rstr_set(&s->nets[0].name, "eth0");
	s->nets[0].rx_bps = 2000;
	s->nets[0].tx_bps = 1000;
	s->nets[0].speed_bps = 125e6;
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
	s->self_pid = 4242;
	s->self_cpu_pct = 0.5;
	s->self_rss_bytes = 5 * MIB;
	s->collect_ms = 3;

	addproc(&x->full, 1, "systemd", 0.1, 12 * MIB, 0);
	addproc(&x->full, 300, "sshd", 0, 8 * MIB, 0);
	addproc(&x->full, 4242, "perftop", 0.5, 5 * MIB, 0);
}

/* Make the CPU saturated in the sample being built, a burner to blame. */
static void
fx_burn(struct fx *x, double busy)
{
	struct sample	*s = &x->s;
	int		 c;

	s->cpu.user = busy - 2;
	s->cpu.system = 2;
	s->cpu.idle = 100 - busy;
	s->cpu.busy = busy;
	for (c = 0; c < s->ncpu; c++)
		s->per_cpu[c] = s->cpu;
	s->procs_running = 1 + 3 * s->ncpu;
	s->load[0] = 3.0 * s->ncpu;
	addproc(&x->full, 777, "burner", busy * s->ncpu, 3 * MIB, 0);
}

/* Publish the sample built, as the collector does, and feed the alerts. */
static void
fx_push(struct fx *x)
{
	check_sample(&x->s, x->maxcpu);
	check_procs(&x->full, x->maxcpu, "full");
	ck_assert_int_eq(proctab_top(&x->s.top, &x->full, SAMPLE_TOP_K,
	    SAMPLE_TOP_MEM, NULL), 0);
	ring_push(x->r, &x->s, &x->full);
	ring_lock(x->r);
	alerts_feed(x->al, ring_get(x->r, 0), ring_host(x->r)->cpus);
	ring_unlock(x->r);
	x->npushed++;
}

/*
 * Everything downstream of the ring: the analysis at every age (whole ring
 * and a 5-sample window), the alerts, a baseline and its diff, and every
 * report format at the newest and the oldest moment.  The last analysis
 * (newest, whole ring) is left in *out when out is not NULL.
 */
static void
downstream(struct fx *x, struct analysis *out)
{
	struct analysis		 an;
	struct baseline		*b;
	struct base_change	 ch[64];
	struct base_proc	 bp[16];
	struct report		 rp;
	int			 age, len, i, n;

	analysis_init(&an);
	b = calloc(1, sizeof *b);
	ck_assert_ptr_nonnull(b);
	ring_lock(x->r);
	len = ring_len(x->r);
	for (age = 0; age < len; age++) {
		ck_assert_int_eq(analysis_run_at(&an, x->r, age, 5, &x->th,
		    NULL), 0);
		check_analysis(&an, x->maxcpu);
		ck_assert_int_eq(analysis_run_at(&an, x->r, age, 0, &x->th,
		    NULL), 0);
		check_analysis(&an, x->maxcpu);
	}
	for (i = 0; i < alerts_count(x->al); i++)
		check_alert(alerts_get(x->al, i));

	if (len > 0) {
		ck_assert_int_eq(baseline_capture(b, x->r, len / 2, 0), 0);
		for (i = 0; i < b->nstats; i++) {
			const struct base_stat *st = &b->stats[i];
			if (st->n == 0)
				continue;
			ck_assert_msg(isfinite(st->mean) && isfinite(st->sd) &&
			    st->sd >= 0 && st->min <= st->max &&
			    isfinite(st->p50) && isfinite(st->p95),
			    "baseline %s", st->key);
		}
		n = baseline_diff(b, x->r, 0, 0, ch, 64);
		ck_assert_int_ge(n, 0);
		for (i = 0; i < n; i++) {
			NOT_INF(ch[i].base_mean);
			NOT_INF(ch[i].now_mean);
			NOT_INF(ch[i].delta);
			NOT_INF(ch[i].effect);
			NOT_INF(ch[i].t);
			ck_assert(!FIG_OK(ch[i].p) ||
			    (ch[i].p >= 0 && ch[i].p <= 1));
		}
		ck_assert_int_ge(baseline_new_procs(b, x->r, 0, bp, 16), 0);
		ck_assert_int_ge(baseline_vanished_procs(b, x->r, 0, bp, 16),
		    0);
		ck_assert_int_eq(analysis_run(&an, x->r, 0, &x->th, b), 0);
		check_analysis(&an, x->maxcpu);
	}

	ck_assert_int_eq(analysis_run(&an, x->r, 0, &x->th, NULL), 0);
	check_analysis(&an, x->maxcpu);
	memset(&rp, 0, sizeof rp);
	rp.ring = x->r;
	rp.cfg = &cfg;
	rp.an = &an;
	rp.alerts = x->al;
	rp.base = len > 0 ? b : NULL;
	check_exports(&rp, x->maxcpu);
	rp.snapshot = true;
	rp.age = len / 2;
	ck_assert_int_eq(analysis_run_at(&an, x->r, rp.age, 0, &x->th, NULL),
	    0);
	check_exports(&rp, x->maxcpu);
	rp.age = len > 0 ? len - 1 : 0;
	ck_assert_int_eq(analysis_run_at(&an, x->r, rp.age, 0, &x->th, NULL),
	    0);
	check_exports(&rp, x->maxcpu);
	rp.an = NULL;
	rp.alerts = NULL;
	rp.base = NULL;
	check_exports(&rp, x->maxcpu);
	ring_unlock(x->r);

	if (out != NULL) {
		ring_lock(x->r);
		ck_assert_int_eq(analysis_run(out, x->r, 0, &x->th, NULL), 0);
		ring_unlock(x->r);
	}
	analysis_done(&an);
	free(b);
}

static bool
has_row(const struct analysis *an, enum resource res, const char *obj)
{
	int	 i;

	for (i = 0; i < an->nrows; i++)
		if (an->rows[i].res == res &&
		    strcmp(an->rows[i].object, obj) == 0)
			return true;
	return false;
}

static const struct finding *
finding(const struct analysis *an, const char *rule)
{
	int	 i;

	for (i = 0; i < an->nfindings; i++)
		if (strcmp(an->findings[i].rule, rule) == 0)
			return &an->findings[i];
	return NULL;
}

/* ---- devices coming and going ------------------------------------------- */

START_TEST(cpus_come_and_go)
{
	static const int ncpus[] = { 2, 2, 2, 4, 4, 4, 4, 1, 1, 1, 2, 2 };
	struct fx	 x;
	struct analysis	 an;
	int		 i, n = (int)(sizeof ncpus / sizeof ncpus[0]);

	fx_open(&x, 16, 2);
	for (i = 0; i < n; i++) {
		fx_sample(&x, i, T0 + i, M0 + i, 1, ncpus[i]);
		/* A process using every CPU of its moment. */
		addproc(&x.full, 900, "par", 99.0 * ncpus[i], 50 * MIB, 0);
		if (i == 4)
			x.s.per_cpu[3] = (struct cpu_figs){ NAN, NAN, NAN,
			    NAN, NAN, NAN };	/* CPU 3 went offline */
		fx_push(&x);
	}
	analysis_init(&an);
	downstream(&x, &an);
	ck_assert_int_ne(an.health.status, HEALTH_UNKNOWN);
	ck_assert_int_ge(an.ncpu, 1);
	analysis_done(&an);
	fx_close(&x);
}
END_TEST

START_TEST(devices_come_and_go)
{
	struct fx	 x;
	struct analysis	 an;
	int		 i;

	fx_open(&x, 32, 2);
	for (i = 0; i < 80; i++) {
		fx_sample(&x, i, T0 + i, M0 + i, 1, 2);
		/* sda renamed sdb at 8 (its first sample there: n/a) */
		if (i >= 8)
			rstr_set(&x.s.disks[0].name, "sdb");
		if (i == 8) {
			x.s.disks[0].read_bps = x.s.disks[0].write_bps = NAN;
			x.s.disks[0].util_pct = x.s.disks[0].await_ms = NAN;
			x.s.disks[0].queue = NAN;
		}
		/* wlan0 there from 3 to 11 only, saturated meanwhile */
		if (i >= 3 && i < 12) {
			ck_assert_int_eq(sample_reserve_nets(&x.s, 2), 0);
			x.s.nnet = 2;
			rstr_unref(x.s.nets[1].name);
			memset(&x.s.nets[1], 0, sizeof x.s.nets[1]);
			rstr_set(&x.s.nets[1].name, "wlan0");
			x.s.nets[1].rx_bps = 12e6;
			x.s.nets[1].tx_bps = 1e3;
			x.s.nets[1].speed_bps = 12.5e6;
			x.s.nets[1].up = 1;
		}
		/* eth0 vanishes for good at 15 */
		if (i >= 15)
			x.s.nnet = 0;
		/* a second filesystem mounted at 5, unmounted at 10 */
		if (i >= 5 && i < 10) {
			ck_assert_int_eq(sample_reserve_fs(&x.s, 2), 0);
			x.s.nfs = 2;
			rstr_unref(x.s.fs[1].mount);
			rstr_unref(x.s.fs[1].device);
			rstr_unref(x.s.fs[1].fstype);
			x.s.fs[1] = x.s.fs[0];	/* shares fs[0]'s names: */
			rstr_ref(x.s.fs[1].device);
			rstr_ref(x.s.fs[1].fstype);
			x.s.fs[1].mount = rstr_dup("/mnt/usb");
			x.s.fs[1].used_pct = 99;
			x.s.fs[1].used_bytes = 99 * GIB;
			x.s.fs[1].avail_bytes = 1 * GIB;
		}
		/* and no disk at all at 18 and from 78 on */
		if (i == 18 || i >= 78)
			x.s.ndisk = 0;
		fx_push(&x);
		if (i == 11) {
			/* wlan0 saturated long enough: alerted */
			ck_assert_int_eq(alerts_nactive(x.al), 1);
			ck_assert_str_eq(alerts_get(x.al, 0)->object,
			    "wlan0");
		}
		if (i == 19 || i == 59)
			downstream(&x, NULL);
	}
	analysis_init(&an);
	downstream(&x, &an);
	/* The newest window: the disk gone, eth0 gone. */
	ck_assert(!has_row(&an, RES_NETWORK, "eth0"));
	ck_assert(!has_row(&an, RES_NETWORK, "wlan0"));
	ck_assert(!has_row(&an, RES_DISK, "sda"));
	ck_assert_int_ne(an.health.status, HEALTH_UNKNOWN);
	analysis_done(&an);
	/* The alert on wlan0, up when it vanished, cleared as "no data"
	 * after a minute: it never stays up forever. */
	ring_lock(x.r);
	ck_assert_int_eq(alerts_nactive(x.al), 0);
	ck_assert_int_ge(alerts_nlog(x.al), 1);
	ck_assert_str_eq(alerts_get(x.al, 0)->object, "wlan0");
	ck_assert(alerts_get(x.al, 0)->nodata);
	ring_unlock(x.r);
	fx_close(&x);
}
END_TEST

/* ---- counters ----------------------------------------------------------- */

START_TEST(derive_wraps_and_resets)
{
	struct cpu_ticks	 a, b;
	struct cpu_figs		 c;
	struct disk_raw		 dp, dc;
	struct disk_figs	 d;
	struct net_raw		 np, nc;
	struct net_figs		 n;
	double			 v = 42;

	/* uint64 wrap and a reset to 0: no rate, never a huge one */
	ck_assert(!rate(UINT64_MAX - 10, 5, 1.0, &v));
	ck_assert(v == 42);
	ck_assert(!FIG_OK(rate_fig(UINT64_MAX - 10, 5, 1.0)));
	ck_assert(!FIG_OK(rate_fig(123456789, 0, 1.0)));
	ck_assert(!FIG_OK(delta_fig(7, 0)));
	ck_assert(rate_fig(0, UINT64_MAX, 1.0) <= 1.9e19);
	ck_assert(!FIG_OK(rate_fig(0, 10, 0)));
	ck_assert(!FIG_OK(rate_fig(0, 10, -1)));
	ck_assert(!FIG_OK(rate_fig(0, 10, NAN)));
	ck_assert(!FIG_OK(rate_fig(0, 10, INFINITY)));

	/* CPU ticks: one field wrapped, one reset */
	memset(&a, 0, sizeof a);
	a.user = UINT64_MAX - 5;
	a.idle = 1000;
	a.system = 500;
	b = a;
	b.user = 3;		/* wrapped */
	b.idle = 1100;
	b.system = 0;		/* reset */
	cpu_derive(&a, &b, &c);
	check_cpu_figs(&c, "cpu wrap");
	ck_assert(c.idle == 100 && c.busy == 0);
	/* everything reset to 0 (a CPU replugged): no time, no figure */
	memset(&b, 0, sizeof b);
	cpu_derive(&a, &b, &c);
	ck_assert(!FIG_OK(c.busy) && !FIG_OK(c.idle) && !FIG_OK(c.user));

	/* A disk whose counters were reset (driver reload) */
	memset(&dp, 0, sizeof dp);
	dp.reads = dp.writes = 1000000;
	dp.read_sectors = dp.write_sectors = UINT64_MAX - 1;
	dp.read_ms = dp.write_ms = dp.io_ms = dp.weighted_ms = 99999;
	memset(&dc, 0, sizeof dc);
	dc.reads = 3;
	dc.io_ms = 5;
	dc.inflight = -1;
	disk_derive(&dp, &dc, 1.0, &d);
	ck_assert(!FIG_OK(d.read_bps) && !FIG_OK(d.write_bps));
	ck_assert(!FIG_OK(d.read_iops) && !FIG_OK(d.util_pct));
	ck_assert(!FIG_OK(d.await_ms) && !FIG_OK(d.queue));
	ck_assert(!FIG_OK(d.inflight));

	/* An interface recreated under the same name */
	memset(&np, 0, sizeof np);
	np.rx_bytes = np.tx_bytes = 1ULL << 40;
	np.rx_packets = np.tx_packets = 1ULL << 30;
	memset(&nc, 0, sizeof nc);
	nc.rx_bytes = 100;
	net_derive(&np, &nc, 1.0, &n);
	ck_assert(!FIG_OK(n.rx_bps) && !FIG_OK(n.tx_bps));
	ck_assert(!FIG_OK(n.rx_pps) && !FIG_OK(n.tx_pps));
	ck_assert(n.rx_errors_ps == 0);

	/* PID reuse: the new process has fewer ticks than the old had */
	ck_assert(!FIG_OK(proc_cpu_pct(5000, 10, 100, 1.0, 1, 2)));
	/* or many more (a reused pid of a long-lived process): clamped */
	ck_assert(proc_cpu_pct(10, 500000, 100, 1.0, 1, 2) == 100);
	ck_assert(proc_cpu_pct(10, 500000, 100, 1.0, 64, 2) == 200);
	ck_assert(proc_cpu_pct(10, 500000, 100, 1.0, 0, 2) == 100);
	ck_assert(!FIG_OK(proc_cpu_pct(10, 20, 0, 1.0, 1, 2)));
	ck_assert(!FIG_OK(proc_cpu_pct(10, 20, 100, 0, 1, 2)));
}
END_TEST

/*
 * Raw counters (CPU ticks, a disk, an interface, a process) going through a
 * wrap, a reset to 0 and a PID reuse, turned into samples by derive.h as
 * the live source does, and run downstream.
 */
START_TEST(counters_wrap_downstream)
{
	struct fx		 x;
	struct cpu_ticks	 tp, tc;
	struct disk_raw		 dp, dc;
	struct net_raw		 np, nc;
	struct analysis		 an;
	uint64_t		 ptp = 0, ptc;
	int			 i;

	fx_open(&x, 32, 2);
	memset(&tp, 0, sizeof tp);
	memset(&dp, 0, sizeof dp);
	memset(&np, 0, sizeof np);
	tp.user = UINT64_MAX - 250;	/* wraps at 3 */
	tp.idle = 1000;
	dp.read_sectors = UINT64_MAX - 5000;
	dp.io_ms = 100;
	np.rx_bytes = UINT64_MAX - 1000000;
	for (i = 0; i < 24; i++) {
		fx_sample(&x, i, T0 + i, M0 + i, 1, 2);
		tc = tp;
		tc.user += 100;		/* unsigned: wraps */
		tc.idle += 100;
		tc.system += 20;
		if (i == 10)
			memset(&tc, 0, sizeof tc);	/* reset to 0 */
		cpu_derive(&tp, &tc, &x.s.cpu);
		x.s.per_cpu[0] = x.s.per_cpu[1] = x.s.cpu;
		tp = tc;

		dc = dp;
		dc.read_sectors += 2048;
		dc.reads += 4;
		dc.read_ms += 8;
		dc.io_ms += 10;
		dc.weighted_ms += 10;
		dc.inflight = 1;
		if (i == 12)
			memset(&dc, 0, sizeof dc);
		disk_derive(&dp, &dc, 1.0, &x.s.disks[0]);
		dp = dc;

		nc = np;
		nc.rx_bytes += 600000;	/* wraps at 2 */
		nc.rx_packets += 400;
		if (i == 15)
			memset(&nc, 0, sizeof nc);
		net_derive(&np, &nc, 1.0, &x.s.nets[0]);
		np = nc;

		/* pid 555: reused at 7 by a process with fewer ticks */
		ptc = i == 7 ? 3 : ptp + 50;
		addproc(&x.full, 555, "reused", proc_cpu_pct(ptp, ptc, 100,
		    1.0, 1, 2), 10 * MIB, 0);
		ptp = ptc;
		fx_push(&x);
		ring_lock(x.r);
		ck_assert(ring_get(x.r, 0)->cpu.busy >= 0 ||
		    !FIG_OK(ring_get(x.r, 0)->cpu.busy));
		ring_unlock(x.r);
	}
	analysis_init(&an);
	downstream(&x, &an);
	ck_assert_int_ne(an.health.status, HEALTH_UNKNOWN);
	/* 20 % busy, no wrap turned into a saturated CPU */
	ck_assert_ptr_null(finding(&an, "cpu.saturated"));
	analysis_done(&an);
	fx_close(&x);
}
END_TEST

/* ---- time --------------------------------------------------------------- */

/* Samples 0.4 ms apart and 0 s apart, derived as the live source would. */
START_TEST(samples_under_a_millisecond)
{
	struct fx		 x;
	struct cpu_ticks	 tp, tc;
	struct disk_raw		 dp, dc;
	struct net_raw		 np, nc;
	struct analysis		 an;
	double			 t = T0, mono = M0, dt;
	int			 i;

	fx_open(&x, 64, 2);
	memset(&tp, 0, sizeof tp);
	memset(&dp, 0, sizeof dp);
	memset(&np, 0, sizeof np);
	for (i = 0; i < 40; i++) {
		/* 1 s, then alternately 0.4 ms and 0 */
		dt = i < 10 ? 1.0 : i % 2 == 0 ? 0.0004 : 0.0;
		t += dt;
		mono += dt;
		fx_sample(&x, i, t, mono, i == 0 ? NAN : dt, 2);
		/* in 0.4 ms at most a tick moves (USER_HZ 100) */
		tc = tp;
		if (dt > 0.5) {
			tc.user += 10;
			tc.idle += 190;
		} else if (dt > 0 && i % 4 == 0)
			tc.user += 1;
		cpu_derive(&tp, &tc, &x.s.cpu);
		x.s.per_cpu[0] = x.s.per_cpu[1] = x.s.cpu;
		tp = tc;
		dc = dp;
		dc.io_ms += dt > 0 ? 1 : 0;	/* 1 ms busy in 0.4 ms */
		dc.weighted_ms += dt > 0 ? 3 : 0;
		dc.reads += dt > 0 ? 1 : 0;
		dc.read_sectors += 8;
		dc.read_ms += 2;
		disk_derive(&dp, &dc, dt, &x.s.disks[0]);
		dp = dc;
		nc = np;
		nc.rx_bytes += 1500;
		nc.rx_packets += 1;
		net_derive(&np, &nc, dt, &x.s.nets[0]);
		np = nc;
		/* a process that got one tick in 0.4 ms: 2500 %, clamped */
		addproc(&x.full, 600, "ticker", proc_cpu_pct(100, 101, 100,
		    dt, 1, 2), MIB, 0);
		addproc(&x.full, 601, "threads", proc_cpu_pct(100, 103, 100,
		    dt, 8, 2), MIB, 0);
		if (dt == 0) {
			ck_assert(!FIG_OK(x.s.disks[0].read_bps));
			ck_assert(!FIG_OK(x.s.nets[0].rx_bps));
			ck_assert(!FIG_OK(x.full.v[x.full.n - 1].cpu_pct));
		} else if (dt < 0.001) {
			ck_assert(x.s.disks[0].util_pct <= 100);
			ck_assert(x.full.v[x.full.n - 2].cpu_pct == 100);
			ck_assert(x.full.v[x.full.n - 1].cpu_pct == 200);
		}
		fx_push(&x);
	}
	analysis_init(&an);
	downstream(&x, &an);
	ck_assert_int_ne(an.health.status, HEALTH_UNKNOWN);
	analysis_done(&an);
	/* 30 samples within 12 ms never held anything for 6 s. */
	ck_assert_int_eq(x.raises, 0);
	fx_close(&x);
}
END_TEST

/*
 * The wall clock steps back an hour at sample 10 and forward a day at 40
 * while the monotonic clock runs on, 1 s a sample.  A saturated CPU from
 * sample 20 on must still raise an alert within the alert duration (the
 * engine must not wait an hour for the wall clock to catch up), and no
 * trend may extrapolate from the jumps.
 */
START_TEST(wall_clock_jumps)
{
	struct fx	 x;
	struct analysis	 an;
	double		 t = T0;
	int		 i, first_raise = -1;

	fx_open(&x, 64, 2);
	for (i = 0; i < 60; i++) {
		if (i == 10)
			t -= 3600;
		else if (i == 40)
			t += 86400;
		else if (i > 0)
			t += 1;
		fx_sample(&x, i, t, M0 + i, i == 0 ? NAN : 1.0, 2);
		/* memory flat: a jump must not read as growth */
		if ((i >= 20 && i < 30) || (i >= 36 && i < 46))
			fx_burn(&x, 97);
		fx_push(&x);
		if (first_raise < 0 && x.raises > 0)
			first_raise = i;
	}
	ck_assert_msg(first_raise >= 20 && first_raise <= 27,
	    "CPU alert raised at sample %d (saturated from 20)", first_raise);
	ck_assert_int_eq(x.raise_m[0], M_CPU_BUSY);
	analysis_init(&an);
	downstream(&x, &an);
	ck_assert_int_eq(an.health.status, HEALTH_OK);
	ck_assert_int_eq(an.ntrends, 0);
	/* Both alerts cleared once the burner stopped; the second, up
	 * while the wall clock leapt a day, lasted seconds, not a day. */
	ck_assert_int_eq(x.raises, 4);		/* busy and run queue */
	ring_lock(x.r);
	ck_assert_int_eq(alerts_nactive(x.al), 0);
	ck_assert_int_eq(alerts_nlog(x.al), 4);
	for (i = 0; i < 4; i++)
		ck_assert_msg(alerts_get(x.al, i)->duration_s > 0 &&
		    alerts_get(x.al, i)->duration_s < 15, "alert %d lasted "
		    "%g s", i, alerts_get(x.al, i)->duration_s);
	ring_unlock(x.r);
	analysis_done(&an);
	fx_close(&x);
}
END_TEST

/*
 * A suspend: an hour passes between samples 9 and 10 (both clocks).  Rates
 * over the gap are counters divided by 3600 s; the CPU saturated in the one
 * sample before the gap and the one after must not raise an alert (two
 * samples an hour apart are not six seconds of evidence); growth before
 * and after must not make a trend out of the gap.
 */
START_TEST(suspend_gap)
{
	struct fx		 x;
	struct net_raw		 np, nc;
	struct analysis		 an;
	double			 t, mono, dt;
	int			 i;

	fx_open(&x, 64, 2);
	memset(&np, 0, sizeof np);
	np.rx_bytes = 1ULL << 32;
	for (i = 0; i < 20; i++) {
		dt = i == 10 ? 3600 : 1;
		t = T0 + i + (i >= 10 ? 3599 : 0);
		mono = M0 + i + (i >= 10 ? 3599 : 0);
		fx_sample(&x, i, t, mono, i == 0 ? NAN : dt, 2);
		nc = np;
		nc.rx_bytes += i == 10 ? 5000000 : 1000;	/* over the gap */
		nc.rx_packets += 10;
		net_derive(&np, &nc, dt, &x.s.nets[0]);
		np = nc;
		if (i == 10) {
			ck_assert(x.s.nets[0].rx_bps > 1000 &&
			    x.s.nets[0].rx_bps < 2000);
		}
		/* memory grows 1 MiB/s before and after, 0 across */
		x.s.mem.used_bytes = 2 * GIB + MIB * (i < 10 ? i : i - 1);
		x.s.mem.available_bytes = 8 * GIB - x.s.mem.used_bytes;
		x.s.mem.used_pct = 100 * x.s.mem.used_bytes / (8 * GIB);
		if (i == 9 || i == 10)
			fx_burn(&x, 99);
		fx_push(&x);
	}
	ck_assert_msg(x.raises == 0, "%d alert(s) raised over the gap, the "
	    "first at t %+.0f", x.raises, x.raise_t[0] - T0);
	analysis_init(&an);
	downstream(&x, &an);
	ck_assert_int_eq(an.health.status, HEALTH_OK);
	for (i = 0; i < an.ntrends; i++)
		ck_assert_msg(an.trends[i].kind != TREND_MEM ||
		    an.trends[i].sev < SEV_WARNING, "%s", an.trends[i].text);
	analysis_done(&an);
	fx_close(&x);
}
END_TEST

/* ---- missing data ------------------------------------------------------- */

/*
 * An unprivileged view: no PSI, no per-process I/O, no steal, no link
 * speed, no disk latency, and no per-CPU figures.  Something is measured,
 * so the status is not UNKNOWN.
 */
START_TEST(nan_everywhere_but_some)
{
	struct fx	 x;
	struct analysis	 an;
	int		 i, c, k;

	fx_open(&x, 16, 2);
	for (i = 0; i < 12; i++) {
		fx_sample(&x, i, T0 + i, M0 + i, i == 0 ? NAN : 1, 2);
		x.s.cpu.steal = NAN;
		for (c = 0; c < x.s.ncpu; c++)
			cpu_figs_na(&x.s.per_cpu[c]);
		for (c = 0; c < PSI_NRES; c++) {
			x.s.psi[c].some_avg10 = x.s.psi[c].some_avg60 = NAN;
			x.s.psi[c].some_avg300 = x.s.psi[c].some_total_us = NAN;
		}
		x.s.disks[0].await_ms = x.s.disks[0].queue = NAN;
		x.s.nets[0].speed_bps = NAN;
		x.s.nets[0].up = -1;
		x.s.mem.swapin_ps = x.s.mem.swapout_ps = NAN;
		x.s.mem.majflt_ps = x.s.mem.oom_kills = NAN;
		x.s.self_cpu_pct = NAN;
		for (k = 0; k < x.full.n; k++)
			x.full.v[k].read_bps = x.full.v[k].write_bps = NAN;
		fx_push(&x);
	}
	analysis_init(&an);
	downstream(&x, &an);
	ck_assert_int_eq(an.health.status, HEALTH_OK);
	ck_assert_int_eq(an.health.score, 100);
	ck_assert_msg(strstr(an.unseen, "PSI") != NULL, "unseen: %s",
	    an.unseen);
	analysis_done(&an);
	fx_close(&x);
}
END_TEST

/* Only memory measured: still judged; then nothing at all: UNKNOWN. */
START_TEST(nan_everywhere)
{
	struct fx	 x;
	struct analysis	 an;
	int		 i;

	fx_open(&x, 16, 2);
	for (i = 0; i < 6; i++) {
		sample_reset(&x.s);
		proctab_clear(&x.full);
		x.s.seq = (uint64_t)i + 1;
		x.s.t = T0 + i;
		x.s.mono = M0 + i;
		x.s.dt = i == 0 ? NAN : 1;
		if (i < 3) {
			x.s.mem.total_bytes = 8 * GIB;
			x.s.mem.used_bytes = 7.8 * GIB;
			x.s.mem.used_pct = 97.5;
			x.s.mem.available_bytes = 0.2 * GIB;
		}
		fx_push(&x);
	}
	analysis_init(&an);
	ring_lock(x.r);
	/* The newest 3: nothing at all. */
	ck_assert_int_eq(analysis_run(&an, x.r, 3, &x.th, NULL), 0);
	ck_assert_int_eq(an.health.status, HEALTH_UNKNOWN);
	ck_assert_int_eq(an.health.score, -1);
	/* The oldest 3: memory only, and it is nearly full. */
	ck_assert_int_eq(analysis_run_at(&an, x.r, 3, 3, &x.th, NULL), 0);
	ck_assert_int_eq(an.health.status, HEALTH_CRITICAL);
	ck_assert_int_ge(an.health.score, 0);
	ring_unlock(x.r);
	analysis_done(&an);
	downstream(&x, NULL);
	fx_close(&x);
}
END_TEST

START_TEST(no_processes)
{
	struct fx	 x;
	struct analysis	 an;
	int		 i;

	fx_open(&x, 16, 2);
	for (i = 0; i < 8; i++) {
		fx_sample(&x, i, T0 + i, M0 + i, i == 0 ? NAN : 1, 2);
		proctab_clear(&x.full);
		x.full.total = x.full.running = x.full.threads = 0;
		if (i >= 3)
			fx_burn(&x, 96);
		proctab_clear(&x.full);	/* saturated, nobody to blame */
		fx_push(&x);
		ck_assert_int_eq(x.s.top.n, 0);
	}
	analysis_init(&an);
	downstream(&x, &an);
	ck_assert_int_ne(an.health.status, HEALTH_UNKNOWN);
	ck_assert_ptr_nonnull(finding(&an, "cpu.saturated"));
	ck_assert_int_eq(finding(&an, "cpu.saturated")->nculprits, 0);
	analysis_done(&an);
	fx_close(&x);
}
END_TEST

START_TEST(ten_thousand_same_name)
{
	struct fx	 x;
	struct analysis	 an;
	const struct finding *f;
	int		 i, k;

	fx_open(&x, 8, 2);
	for (i = 0; i < 6; i++) {
		fx_sample(&x, i, T0 + i, M0 + i, i == 0 ? NAN : 1, 2);
		for (k = 0; k < 10000; k++)
			addproc(&x.full, 10000 + k, "worker",
			    i == 0 ? NAN : (k % 100) * 0.019, 4 * MIB + k,
			    (double)(k % 7));
		fx_burn(&x, 98);
		fx_push(&x);
	}
	ring_lock(x.r);
	ck_assert_int_eq(ring_full(x.r)->n, 10000 + 4);
	ring_unlock(x.r);
	analysis_init(&an);
	downstream(&x, &an);
	ck_assert_ptr_nonnull(f = finding(&an, "cpu.saturated"));
	ck_assert_int_ge(f->nculprits, 1);
	ck_assert_str_eq(f->culprits[0].comm, "burner");
	analysis_done(&an);
	fx_close(&x);
}
END_TEST

/* ---- the real machine --------------------------------------------------- */

static void
live_check(const struct sample *s, const struct proctab *procs, int cores)
{
	check_sample(s, cores);
	check_procs(procs, cores, "live");
	ck_assert_msg(!FIG_OK(s->dt) || s->dt > 0, "dt %g", s->dt);
}

/* Two reads with no sleep, then 50 in a tight loop: < 1 ms apart. */
START_TEST(live_back_to_back)
{
	struct source	 src;
	struct sample	 s;
	struct proctab	 procs;
	char		*cause = NULL;
	int		 i, cores, nproc = 0, nself = 0;
	double		 mindt = HUGE_VAL, maxself = 0, t0;

	memset(&src, 0, sizeof src);
	memset(&s, 0, sizeof s);
	memset(&procs, 0, sizeof procs);
	ck_assert_msg(source_live_open(&src, &cfg, true, &cause) == 0, "%s", cause);
	cores = src.host.cpus > 0 ? src.host.cpus : 1;
	/* 52 reads at least, and 0.3 s at least: own CPU is measured over
	 * windows of 50 ms or more, so several windows end in the run. */
	t0 = clock_mono();
	for (i = 0; i < 52 || clock_mono() - t0 < 0.3; i++) {
		sample_reset(&s);
		proctab_clear(&procs);
		ck_assert_msg(source_read(&src, &s, &procs, &cause) == 0,
		    "read %d: %s", i, cause);
		if (s.ncpu > cores)
			cores = s.ncpu;
		live_check(&s, &procs, cores);
		if (FIG_OK(s.dt) && s.dt < mindt)
			mindt = s.dt;
		if (FIG_OK(s.self_cpu_pct)) {
			nself++;
			if (s.self_cpu_pct > maxself)
				maxself = s.self_cpu_pct;
		}
		nproc += procs.n;
	}
	ck_assert_int_gt(nproc, 52);
	ck_assert_msg(nself > 0, "no own CPU figure in %d reads over %.3f s",
	    i, clock_mono() - t0);
	/* This process has one thread: one core at most (1 % of slack for
	 * the clocks' microseconds of jitter over a 50 ms window). */
	ck_assert_msg(maxself <= 101, "own CPU %g %% with one thread",
	    maxself);
	fprintf(stderr, "# live: %d reads, shortest dt %.6f s, perftop's "
	    "own CPU up to %.1f %%\n", i, mindt, maxself);
	source_close(&src);
	sample_done(&s);
	proctab_done(&procs);
}
END_TEST

static const struct proc *
find_pid(const struct proctab *t, int pid)
{
	int	 i;

	for (i = 0; i < t->n; i++)
		if (t->v[i].pid == pid)
			return &t->v[i];
	return NULL;
}

static void
live_read_once(struct source *src, struct sample *s, struct proctab *t)
{
	char	*cause = NULL;

	sample_reset(s);
	proctab_clear(t);
	ck_assert_msg(source_read(src, s, t, &cause) == 0, "%s", cause);
}

static pid_t
idle_child(void)
{
	pid_t	 pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		for (;;)
			pause();
	}
	return pid;
}

/*
 * Reads skip listing /proc while the kernel's fork counter stands still,
 * and skip an idle process's I/O file: a new process must show in the very
 * next read all the same, one gone must leave it, and an idle process's
 * I/O is 0 (measured), not n/a.
 */
START_TEST(live_processes_come_and_go)
{
	struct source	 src;
	struct sample	 s;
	struct proctab	 t;
	const struct proc *p;
	char		*cause = NULL;
	pid_t		 a, b;
	int		 i;

	memset(&src, 0, sizeof src);
	memset(&s, 0, sizeof s);
	memset(&t, 0, sizeof t);
	ck_assert_msg(source_live_open(&src, &cfg, true, &cause) == 0, "%s",
	    cause);
	a = idle_child();
	live_read_once(&src, &s, &t);
	ck_assert_ptr_nonnull(p = find_pid(&t, a));
	ck_assert_int_eq(p->ppid, getpid());
	for (i = 0; i < 20; i++) {
		usleep(20000);
		live_read_once(&src, &s, &t);
		ck_assert_ptr_nonnull(p = find_pid(&t, a));
		ck_assert_ptr_nonnull(find_pid(&t, getpid()));
		ck_assert_msg(p->read_bps == 0 && p->write_bps == 0,
		    "idle child: read %g write %g", p->read_bps,
		    p->write_bps);
	}
	b = idle_child();
	live_read_once(&src, &s, &t);
	ck_assert_ptr_nonnull(find_pid(&t, b));
	kill(a, SIGKILL);
	ck_assert_int_eq(waitpid(a, NULL, 0), a);
	live_read_once(&src, &s, &t);
	ck_assert_ptr_null(find_pid(&t, a));
	ck_assert_ptr_nonnull(find_pid(&t, b));
	kill(b, SIGKILL);
	ck_assert_int_eq(waitpid(b, NULL, 0), b);
	live_read_once(&src, &s, &t);
	ck_assert_ptr_null(find_pid(&t, b));
	source_close(&src);
	sample_done(&s);
	proctab_done(&t);
}
END_TEST

/* A child that does what it is told through cmd, then says so on ack. */
static pid_t
worker_child(int *cmd, int *ack)
{
	struct timespec	 t0, t;
	int		 c[2], a[2];
	char		 k;
	volatile char	*mem = NULL;	/* not optimized away */
	size_t		 i;
	pid_t		 pid;

	ck_assert_int_eq(pipe(c), 0);
	ck_assert_int_eq(pipe(a), 0);
	ck_assert_int_ge(pid = fork(), 0);
	if (pid == 0) {
		close(c[1]);
		close(a[0]);
		while (read(c[0], &k, 1) == 1) {
			if (k == 'm' && (mem = malloc(64 << 20)) != NULL) {
				for (i = 0; i < 64 << 20; i += 4096)
					mem[i] = 1;		/* RSS +64 MiB */
			}
			if (k == 's') {				/* 0.3 s of CPU */
				clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
				do
					clock_gettime(CLOCK_PROCESS_CPUTIME_ID,
					    &t);
				while ((double)(t.tv_sec - t0.tv_sec) +
				    (double)(t.tv_nsec - t0.tv_nsec) / 1e9 <
				    0.3);
			}
			if (k == 'f' && fork() == 0) {		/* an idle child */
				for (;;)
					pause();
			}
			if (write(a[1], &k, 1) != 1 || k == 'x')
				_exit(0);
		}
		_exit(0);
	}
	close(c[0]);
	close(a[1]);
	*cmd = c[1];
	*ack = a[0];
	return pid;
}

static void
worker_do(int cmd, int ack, char k)
{
	char	 r;

	ck_assert_int_eq(write(cmd, &k, 1), 1);
	ck_assert_int_eq(read(ack, &r, 1), 1);
	ck_assert_int_eq(r, k);
}

/* Read until every one of pids was read as still (not run since). */
static void
live_until_still(struct source *src, struct sample *s, struct proctab *t,
    const pid_t *pids, int npids)
{
	int	 i, n, k;

	for (n = 0; n < 100; n++) {
		usleep(20000);
		live_read_once(src, s, t);
		for (k = i = 0; i < npids; i++)
			k += source_live_still(src, pids[i]);
		if (k == npids)
			return;
	}
	ck_abort_msg("idle processes never read as still in %d reads", n);
}

/*
 * A process that has not run since its last read is taken from that read
 * (schedstat, which tells, is cheaper than stat).  Whatever happens to it
 * must show in the next read all the same: memory it touches, CPU it
 * burns, a stop, a parent that exits (reparenting does not make the child
 * run; here the parent stays a zombie, as a parent may for long).
 */
/* How many of our descriptors are open on /proc/PID/file. */
static int
fd_open_on(pid_t pid, const char *file)
{
	DIR		*d;
	struct dirent	*e;
	char		 path[300], want[64], link[128];
	ssize_t		 n;
	int		 k = 0;

	snprintf(want, sizeof want, "/proc/%d/%s", (int)pid, file);
	ck_assert_ptr_nonnull(d = opendir("/proc/self/fd"));
	while ((e = readdir(d)) != NULL) {
		snprintf(path, sizeof path, "/proc/self/fd/%s", e->d_name);
		n = readlink(path, link, sizeof link - 1);
		if (n > 0) {
			link[n] = '\0';
			k += strcmp(link, want) == 0;
		}
	}
	closedir(d);
	return k;
}

static void
still_processes(bool tight)
{
	struct source	 src;
	struct sample	 s;
	struct proctab	 t;
	struct rlimit	 rl;
	const struct proc *p;
	char		*cause = NULL;
	pid_t		 w, g, m, pids[3];
	int		 wcmd, wack, mcmd, mack, i;
	double		 rss;

	memset(&src, 0, sizeof src);
	memset(&s, 0, sizeof s);
	memset(&t, 0, sizeof t);
	/* Orphans of our children's come to us, not to init. */
	ck_assert_int_eq(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	ck_assert_msg(source_live_open(&src, &cfg, true, &cause) == 0, "%s",
	    cause);
	w = worker_child(&wcmd, &wack);
	m = worker_child(&mcmd, &mack);
	worker_do(mcmd, mack, 'f');
	live_read_once(&src, &s, &t);
	if (tight) {
		/* Room for stat and one more per process (and the 256 the
		 * source leaves to the rest), not for three. */
		rl.rlim_cur = rl.rlim_max = (rlim_t)(256 + 2 * t.n + 16);
		ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
	}
	g = -1;
	for (i = 0; i < t.n; i++)
		if (t.v[i].ppid == m)
			g = t.v[i].pid;
	ck_assert_int_gt(g, 0);
	pids[0] = w;
	pids[1] = g;
	pids[2] = m;

	live_until_still(&src, &s, &t, pids, 3);
	ck_assert_ptr_nonnull(p = find_pid(&t, w));
	/* Its I/O measured (none), whether its io file is kept or not. */
	ck_assert_msg(p->read_bps == 0 && p->write_bps == 0,
	    "still worker: read %g write %g B/s", p->read_bps, p->write_bps);
	/* Its schedstat is kept open; its io only when there is room. */
	ck_assert_int_eq(fd_open_on(w, "schedstat"), 1);
	ck_assert_int_eq(fd_open_on(w, "io"), tight ? 0 : 1);
	rss = p->rss_bytes;
	worker_do(wcmd, wack, 'm');
	live_read_once(&src, &s, &t);
	ck_assert_ptr_nonnull(p = find_pid(&t, w));
	ck_assert_msg(p->rss_bytes >= rss + 60.0 * (1 << 20),
	    "RSS %g after 64 MiB more, %g before", p->rss_bytes, rss);

	live_until_still(&src, &s, &t, pids, 3);
	worker_do(wcmd, wack, 's');
	live_read_once(&src, &s, &t);
	ck_assert_ptr_nonnull(p = find_pid(&t, w));
	ck_assert_msg(p->cpu_pct > 20, "CPU %g %% after 0.3 s spun",
	    p->cpu_pct);

	live_until_still(&src, &s, &t, pids, 3);
	ck_assert_int_eq(kill(w, SIGSTOP), 0);
	for (i = 0; i < 100; i++) {
		live_read_once(&src, &s, &t);
		ck_assert_ptr_nonnull(p = find_pid(&t, w));
		if (p->state == 'T')
			break;
		usleep(10000);	/* until the stop is taken */
	}
	ck_assert_int_eq(p->state, 'T');
	ck_assert_int_eq(kill(w, SIGCONT), 0);

	live_until_still(&src, &s, &t, pids, 3);
	ck_assert_ptr_nonnull(p = find_pid(&t, g));
	ck_assert_int_eq(p->ppid, m);
	worker_do(mcmd, mack, 'x');	/* it is exiting */
	for (i = 0; i < 100; i++) {
		live_read_once(&src, &s, &t);
		ck_assert_ptr_nonnull(p = find_pid(&t, m));
		if (p->state == 'Z')
			break;
		usleep(10000);	/* until the exit is done */
	}
	ck_assert_int_eq(p->state, 'Z');
	ck_assert_ptr_nonnull(p = find_pid(&t, g));
	ck_assert_int_eq(p->ppid, getpid());

	kill(g, SIGKILL);
	worker_do(wcmd, wack, 'x');
	ck_assert_int_eq(waitpid(w, NULL, 0), w);
	ck_assert_int_eq(waitpid(m, NULL, 0), m);
	ck_assert_int_eq(waitpid(g, NULL, 0), g);
	source_close(&src);
	sample_done(&s);
	proctab_done(&t);
}

START_TEST(live_still_processes)
{
	still_processes(false);
}
END_TEST

/* The same when descriptors are short: schedstat takes io's place. */
START_TEST(live_still_processes_tight)
{
	still_processes(true);
}
END_TEST

/*
 * Kernel threads (PF_KTHREAD in their stat flags) are shown as ps shows
 * them, "[comm]" and root's, without their empty cmdline being read; a
 * process of ours keeps its real command line and user.
 */
START_TEST(live_kernel_threads)
{
	struct source	 src;
	struct sample	 s;
	struct proctab	 t;
	struct pidstat	 st;
	struct passwd	*pw;
	const struct proc *p;
	char		*cause = NULL, path[64], buf[1024], want[64];
	int		 i, fd, nk = 0;
	ssize_t		 n;

	memset(&src, 0, sizeof src);
	memset(&s, 0, sizeof s);
	memset(&t, 0, sizeof t);
	ck_assert_msg(source_live_open(&src, &cfg, true, &cause) == 0, "%s",
	    cause);
	live_read_once(&src, &s, &t);
	for (i = 0; i < t.n; i++) {
		p = &t.v[i];
		snprintf(path, sizeof path, "/proc/%d/stat", p->pid);
		if ((fd = open(path, O_RDONLY)) < 0)
			continue;		/* gone since */
		n = procfs_pread(fd, buf, sizeof buf);
		close(fd);
		if (n <= 0 || pidstat_parse(buf, (size_t)n, &st) != 0 ||
		    (st.flags & 0x00200000) == 0)
			continue;
		nk++;
		snprintf(want, sizeof want, "[%s]", p->comm);
		ck_assert_str_eq(p->cmdline, want);
		ck_assert_str_eq(p->user, "root");
	}
	ck_assert_ptr_nonnull(p = find_pid(&t, getpid()));
	ck_assert_ptr_nonnull(strstr(p->cmdline, "test_faults"));
	ck_assert_ptr_nonnull(pw = getpwuid(geteuid()));
	ck_assert_str_eq(p->user, pw->pw_name);
	fprintf(stderr, "# live: %d kernel threads of %d processes\n", nk,
	    t.n);
	source_close(&src);
	sample_done(&s);
	proctab_done(&t);
}
END_TEST

static void
setup(void)
{
	conf_defaults(&cfg);
}

static Suite *
faults_suite(void)
{
	Suite	*s = suite_create("faults");
	TCase	*tc = tcase_create("injected");
	TCase	*tl = tcase_create("live");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, cpus_come_and_go);
	tcase_add_test(tc, devices_come_and_go);
	tcase_add_test(tc, derive_wraps_and_resets);
	tcase_add_test(tc, counters_wrap_downstream);
	tcase_add_test(tc, samples_under_a_millisecond);
	tcase_add_test(tc, wall_clock_jumps);
	tcase_add_test(tc, suspend_gap);
	tcase_add_test(tc, nan_everywhere_but_some);
	tcase_add_test(tc, nan_everywhere);
	tcase_add_test(tc, no_processes);
	tcase_add_test(tc, ten_thousand_same_name);
	suite_add_tcase(s, tc);

	tcase_add_checked_fixture(tl, setup, NULL);
	tcase_set_timeout(tl, 120);
	tcase_add_test(tl, live_back_to_back);
	tcase_add_test(tl, live_processes_come_and_go);
	tcase_add_test(tl, live_still_processes);
	tcase_add_test(tl, live_still_processes_tight);
	tcase_add_test(tl, live_kernel_threads);
	suite_add_tcase(s, tl);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(faults_suite());
	int	 failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
