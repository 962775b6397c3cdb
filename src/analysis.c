/*
 * analysis.c - diagnosis from a window of samples (see analysis.h and
 * doc/health.md for the rules).
 *
 * One run: gather the window (oldest first), build the USE rows, judge each
 * rule on the window's lower median, fit the trends, name the culprits from
 * the samples' top lists and the newest full table, sort the findings,
 * apply the per-resource caps to their points and derive the score.  All
 * text is ASCII except process, device and mount names (sanitized UTF-8).
 */
#include <config.h>

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "baseline.h"
#include "util.h"

#define MIB		1048576.0
#define AWAIT_MIN_BUSY	10.0	/* % busy before a disk's await is judged */
#define MEM_EXTRAP	60.0	/* longest memory projection, x the span */

/* Where a figure is in a sample or one of its objects (metric_def field,
 * wstat_field(), fit_field()). */
#define IN_SAMPLE(f)	offsetof(struct sample, f)
#define IN_DISK(f)	offsetof(struct disk_figs, f)
#define IN_NET(f)	offsetof(struct net_figs, f)
#define IN_FS(f)	offsetof(struct fs_figs, f)

/* A field offset of 0 stands for "computed": no figure may be first. */
_Static_assert(IN_SAMPLE(seq) == 0 && IN_DISK(name) == 0 &&
    IN_NET(name) == 0 && IN_FS(mount) == 0, "a figure at offset 0");

static const struct metric_def metric_defs[M_NMETRICS] = {
	[M_CPU_BUSY] =	 { "cpu.busy_pct", "cpu_busy_pct", "%", "CPU busy",
			   RES_CPU, false, true, false, IN_SAMPLE(cpu.busy) },
	[M_CPU_RUNQ] =	 { "cpu.runq_per_core", "runq_per_core", "/core",
			   "run queue", RES_CPU, false, true, false, 0 },
	[M_CPU_PSI] =	 { "cpu.psi_some10", "psi_cpu_some10", "%",
			   "PSI cpu", RES_CPU, false, true, false, 0 },
	[M_CPU_STEAL] =	 { "cpu.steal_pct", "cpu_steal_pct", "%", "CPU steal",
			   RES_CPU, false, true, false, IN_SAMPLE(cpu.steal) },
	[M_MEM_USED] =	 { "memory.used_pct", "mem_used_pct", "%",
			   "memory used", RES_MEMORY, false, true, false,
			   IN_SAMPLE(mem.used_pct) },
	[M_MEM_PSI] =	 { "memory.psi_some10", "psi_memory_some10", "%",
			   "PSI memory", RES_MEMORY, false, true, false, 0 },
	[M_SWAPOUT] =	 { "memory.swapout_ps", "swapout_ps", "pages/s",
			   "swap out", RES_MEMORY, false, true, false,
			   IN_SAMPLE(mem.swapout_ps) },
	[M_MAJFLT] =	 { "memory.majflt_ps", "majflt_ps", "/s",
			   "major faults", RES_MEMORY, false, true, false,
			   IN_SAMPLE(mem.majflt_ps) },
	[M_OOM] =	 { "memory.oom_kills", "oom_kills", "kills",
			   "OOM kills", RES_MEMORY, false, true, true,
			   IN_SAMPLE(mem.oom_kills) },
	[M_MEM_EXHAUST] = { "memory.exhaust_min", "mem_exhaust_min", "min",
			   "memory exhausted in", RES_MEMORY, true, false,
			   false, 0 },
	[M_RSS_GROWTH] = { "proc.rss_growth_mib_min", "rss_growth_mib_min",
			   "MiB/min", "RSS growth", RES_MEMORY, false, false,
			   false, 0 },
	[M_DISK_BUSY] =	 { "disk.busy_pct", "disk_busy_pct", "%", "disk busy",
			   RES_DISK, false, true, false, IN_DISK(util_pct) },
	[M_DISK_AWAIT] = { "disk.await_ms", "disk_await_ms", "ms",
			   "disk await", RES_DISK, false, true, false, 0 },
	[M_IO_PSI] =	 { "io.psi_some10", "psi_io_some10", "%", "PSI io",
			   RES_IO, false, true, false, 0 },
	[M_NET_UTIL] =	 { "net.util_pct", "net_util_pct", "%",
			   "link utilization", RES_NETWORK, false, true, false,
			   0 },
	[M_NET_DROPS] =	 { "net.drops_ps", "net_drops_ps", "/s", "drops",
			   RES_NETWORK, false, true, false, 0 },
	[M_NET_ERRORS] = { "net.errors_ps", "net_errors_ps", "/s", "errors",
			   RES_NETWORK, false, true, false, 0 },
	[M_FS_USED] =	 { "fs.used_pct", "fs_used_pct", "%", "used",
			   RES_FS, false, true, false, IN_FS(used_pct) },
	[M_FS_FULL] =	 { "fs.full_hours", "fs_full_hours", "h", "full in",
			   RES_FS, true, false, false, 0 },
};

/* Rules: points deducted at warning and critical. */
struct rule_def {
	const char	*rule;
	int		 warn, crit;
};
static const struct rule_def rule_defs[] = {
	{ "cpu.saturated",	15, 30 },
	{ "cpu.steal",		 5, 10 },
	{ "mem.pressure",	15, 30 },
	{ "mem.swapping",	 6, 12 },
	{ "mem.majflt",		 5, 10 },
	{ "mem.oom",		25, 25 },
	{ "mem.exhaust",	10, 20 },
	{ "proc.leak",		 5, 10 },
	{ "io.pressure",	 8, 15 },
	{ "disk.saturated",	10, 20 },
	{ "net.saturated",	 8, 15 },
	{ "net.errors",		 3,  6 },
	{ "fs.full",		 5, 10 },
	{ "fs.filling",		 5, 10 },
};

/* Most points one resource group can deduct (io counts with disks). */
static const int group_cap[RES_NRES] = {
	[RES_CPU] = 35, [RES_MEMORY] = 50, [RES_IO] = 30, [RES_DISK] = 30,
	[RES_NETWORK] = 25, [RES_FS] = 25
};

/* One process row seen in one window sample. */
struct pent {
	const struct proc	*p;
	double			 t;
	int			 si;	/* window index, 0 = oldest */
};

/* One process over the window. */
struct pgrp {
	const struct proc	*last;	/* newest row */
	int			 first, n; /* range in pent[] */
	double			 cpu_sum, io_sum;
	int			 io_n;
	double			 slope, r2;	/* RSS fit, NAN if none */
	int			 npoints;
};

struct priv {
	const struct sample	**win;
	int			  win_cap;
	double			 *xs, *ys;
	int			  xy_cap;
	struct pent		 *pe;
	int			  pe_cap;
	struct pgrp		 *pg;
	int			  pg_cap;
	int			 *order;
	int			  order_cap;
};

/* Everything one run needs. */
struct ctx {
	struct analysis		*an;
	struct priv		*pv;
	const struct thresholds	*th;
	const struct sample	**win;	/* oldest first */
	const struct sample	 *before; /* the sample before win[0], or NULL */
	int			  n;
	const struct sample	 *now;
	const struct proctab	 *full;
	int			  ncpu;
	int			  npe, npg;
	int			  ntop_cpu;	/* window samples whose top
						   list has CPU figures */
	int			  ntop_io;	/* ... I/O figures */
	bool			  failed;
	/* Window facts used by several rules. */
	double			  cpu_total;	/* mean busy% x ncpu */
	double			  io_total;	/* mean disk bytes/s, all disks */
	double			  mem_slope;	/* bytes/s or NAN */
};

struct wstat {
	int	n;
	double	med;	/* lower median: more than half reach it */
	double	mean, min, max, last, sum;
};

/* ---- names and thresholds ---------------------------------------------- */

const char *
severity_name(enum severity s)
{
	static const char *names[] = {
		"n/a", "-", "ok", "info", "warning", "critical"
	};

	return (unsigned)s <= SEV_CRITICAL ? names[s] : "?";
}

const char *
health_status_name(enum health_status s)
{
	static const char *names[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };

	return (unsigned)s <= HEALTH_UNKNOWN ? names[s] : "UNKNOWN";
}

const char *
resource_name(enum resource r)
{
	static const char *names[RES_NRES] = {
		"cpu", "memory", "io", "disk", "network", "filesystem"
	};

	return (unsigned)r < RES_NRES ? names[r] : "?";
}

const struct metric_def *
metric_get(enum metric m)
{
	return (m >= 0 && m < M_NMETRICS) ? &metric_defs[m] : NULL;
}

enum metric
metric_find(const char *name)
{
	int	 i;

	if (name == NULL)
		return M_NONE;
	for (i = 0; i < M_NMETRICS; i++) {
		if (strcmp(name, metric_defs[i].conf) == 0 ||
		    strcmp(name, metric_defs[i].name) == 0)
			return (enum metric)i;
	}
	return M_NONE;
}

static void
level_set(struct level *l, double info, double warn, double crit)
{
	l->info = info;
	l->warn = warn;
	l->crit = crit;
}

void
thresholds_defaults(struct thresholds *th)
{
	struct level	*lv = th->lv;

	memset(th, 0, sizeof *th);
	/* atop: critical at 90/70/90/90 %, warning ("almost") at 80 % of
	 * that; glances' "careful" CPU level 65 % as info. */
	level_set(&lv[M_CPU_BUSY], 65, 72, 90);
	level_set(&lv[M_CPU_RUNQ], FIG_NA, 1.0, 2.0);
	level_set(&lv[M_CPU_PSI], FIG_NA, 10, 25);
	level_set(&lv[M_CPU_STEAL], FIG_NA, 10, 25);
	level_set(&lv[M_MEM_USED], FIG_NA, 72, 90);
	level_set(&lv[M_MEM_PSI], FIG_NA, 5, 20);
	level_set(&lv[M_SWAPOUT], FIG_NA, 8, 10);
	level_set(&lv[M_MAJFLT], FIG_NA, 100, 1000);
	level_set(&lv[M_OOM], FIG_NA, 1, 1);
	level_set(&lv[M_MEM_EXHAUST], 120, 30, 5);
	level_set(&lv[M_RSS_GROWTH], 10, 60, 600);
	level_set(&lv[M_DISK_BUSY], FIG_NA, 56, 70);
	/* glances: disk latency careful/warning/critical 10/20/50 ms. */
	level_set(&lv[M_DISK_AWAIT], 10, 20, 50);
	level_set(&lv[M_IO_PSI], FIG_NA, 10, 30);
	level_set(&lv[M_NET_UTIL], FIG_NA, 72, 90);
	level_set(&lv[M_NET_DROPS], FIG_NA, 0.01, 100);
	level_set(&lv[M_NET_ERRORS], FIG_NA, 0.01, 10);
	level_set(&lv[M_FS_USED], FIG_NA, 85, 95);
	level_set(&lv[M_FS_FULL], 168, 24, 1);
	th->alert_duration_s = 6;
	th->hysteresis_pct = 5;
	th->hysteresis_rel = 0.1;
	th->trend_min_points = 5;
	th->trend_min_r2 = 0.8;
}

int
thresholds_check(const struct thresholds *th, char **cause)
{
	const struct metric_def	*d;
	const struct level	*l;
	double			 v[3];
	int			 i, j, k;

	for (i = 0; i < M_NMETRICS; i++) {
		d = &metric_defs[i];
		l = &th->lv[i];
		v[0] = l->info;
		v[1] = l->warn;
		v[2] = l->crit;
		for (j = 0; j < 3; j++) {
			if (isinf(v[j]) || (FIG_OK(v[j]) && v[j] < 0)) {
				set_cause(cause, "thresholds.%s: levels must "
				    "be finite and not negative", d->conf);
				return -1;
			}
			for (k = j + 1; k < 3; k++) {
				if (!FIG_OK(v[j]) || !FIG_OK(v[k]))
					continue;
				if (d->lower_worse ? v[j] < v[k] : v[j] > v[k]) {
					set_cause(cause, "thresholds.%s: info, "
					    "warn and crit must %s", d->conf,
					    d->lower_worse ? "decrease (lower "
					    "is worse)" : "increase");
					return -1;
				}
			}
		}
	}
	if (!(th->alert_duration_s >= 0 && th->alert_duration_s <= 86400)) {
		set_cause(cause, "thresholds.alert_duration_s: must be 0 to "
		    "86400 seconds");
		return -1;
	}
	if (!(th->hysteresis_pct >= 0 && th->hysteresis_pct <= 50)) {
		set_cause(cause, "thresholds.hysteresis_pct: must be 0 to 50");
		return -1;
	}
	if (!(th->hysteresis_rel >= 0 && th->hysteresis_rel < 1)) {
		set_cause(cause, "thresholds.hysteresis_rel: must be 0 to "
		    "0.99");
		return -1;
	}
	if (th->trend_min_points < 3 || th->trend_min_points > 100000) {
		set_cause(cause, "thresholds.trend_min_points: must be 3 or "
		    "more");
		return -1;
	}
	if (!(th->trend_min_r2 >= 0 && th->trend_min_r2 <= 1)) {
		set_cause(cause, "thresholds.trend_min_r2: must be 0 to 1");
		return -1;
	}
	return 0;
}

static bool
reaches(double v, double level, bool lower_worse)
{
	if (!FIG_OK(level))
		return false;
	return lower_worse ? v <= level : v >= level;
}

enum severity
level_judge(const struct level *l, bool lower_worse, double v)
{
	if (!FIG_OK(v))
		return SEV_NA;
	if (reaches(v, l->crit, lower_worse))
		return SEV_CRITICAL;
	if (reaches(v, l->warn, lower_worse))
		return SEV_WARNING;
	if (reaches(v, l->info, lower_worse))
		return SEV_INFO;
	return SEV_OK;
}

/* The level that sev stands for (NAN for OK / n/a). */
static double
level_of(const struct level *l, enum severity sev)
{
	switch (sev) {
	case SEV_CRITICAL:
		return l->crit;
	case SEV_WARNING:
		return l->warn;
	case SEV_INFO:
		return l->info;
	default:
		return FIG_NA;
	}
}

/* ---- per-sample metrics ------------------------------------------------- */

static double
sum2(double a, double b)
{
	if (!FIG_OK(a) && !FIG_OK(b))
		return FIG_NA;
	return (FIG_OK(a) ? a : 0) + (FIG_OK(b) ? b : 0);
}

static double
max2(double a, double b)
{
	if (!FIG_OK(a))
		return b;
	if (!FIG_OK(b))
		return a;
	return a > b ? a : b;
}

static double
clampd(double v, double lo, double hi)
{
	return v < lo ? lo : (v > hi ? hi : v);
}

/* Runnable tasks other than perftop's own reader (always counted by
 * /proc/stat while it reads); load1 when procs_running is unknown. */
static double
runq_tasks(const struct sample *s)
{
	if (FIG_OK(s->procs_running))
		return s->procs_running >= 1 ? s->procs_running - 1 : 0;
	return s->load[0];
}

/* Seconds between two samples: monotonic clock if both have it. */
static double
gap_s(const struct sample *prev, const struct sample *s)
{
	if (FIG_OK(prev->mono) && FIG_OK(s->mono))
		return s->mono - prev->mono;
	return s->t - prev->t;
}

double
psi_share(const struct sample *s, const struct sample *prev, enum psi_res r)
{
	double	 d, dt;

	if (prev != NULL && FIG_OK(s->psi[r].some_total_us) &&
	    FIG_OK(prev->psi[r].some_total_us)) {
		d = s->psi[r].some_total_us - prev->psi[r].some_total_us;
		dt = gap_s(prev, s);
		if (d >= 0 && FIG_OK(dt) && dt > 0)
			return clampd(d / (dt * 1e6) * 100, 0, 100);
	}
	return s->psi[r].some_avg10;
}

/* Disks, interfaces and filesystems are many; the others are the sample. */
static bool
per_object(enum resource res)
{
	return res == RES_DISK || res == RES_NETWORK || res == RES_FS;
}

/* Number of objects of res in s: 1 for a machine-wide resource. */
static int
object_count(const struct sample *s, enum resource res)
{
	switch (res) {
	case RES_DISK:
		return s->ndisk;
	case RES_NETWORK:
		return s->nnet;
	case RES_FS:
		return s->nfs;
	default:
		return 1;
	}
}

/*
 * Object obj of res in s (its disk_figs, net_figs or fs_figs), with its
 * name into *name if name is not NULL; NULL (name "") when obj is out of
 * range.  A machine-wide resource's object is s itself, whatever obj.
 */
static const void *
object_at(const struct sample *s, enum resource res, int obj,
    const char **name)
{
	const void	*o = s;
	const char	*n = "";

	if (per_object(res) && (obj < 0 || obj >= object_count(s, res)))
		o = NULL;
	else if (res == RES_DISK) {
		o = &s->disks[obj];
		n = s->disks[obj].name;
	} else if (res == RES_NETWORK) {
		o = &s->nets[obj];
		n = s->nets[obj].name;
	} else if (res == RES_FS) {
		o = &s->fs[obj];
		n = s->fs[obj].mount;
	}
	if (name != NULL)
		*name = n;
	return o;
}

/* Index of the object called name in s for resource res, or -1; 0 for a
 * machine-wide resource. */
static int
object_find(const struct sample *s, enum resource res, const char *name)
{
	const char	*n;
	int		 i;

	if (!per_object(res))
		return 0;
	for (i = 0; object_at(s, res, i, &n) != NULL; i++)
		if (strcmp(n, name) == 0)
			return i;
	return -1;
}

/* The double at offset off of object obj of res in s; NAN if none. */
static double
field_get(const struct sample *s, enum resource res, int obj, size_t off)
{
	const char	*o = object_at(s, res, obj, NULL);

	return o == NULL ? FIG_NA : *(const double *)(o + off);
}

double
metric_sample(const struct sample *s, const struct sample *prev, int ncpu,
    enum metric m, int obj)
{
	const struct metric_def	*d = metric_get(m);
	const struct disk_figs	*dk;
	const struct net_figs	*nf;

	if (d == NULL)
		return FIG_NA;
	if (d->field != 0)
		return field_get(s, d->res, obj, d->field);
	switch (m) {
	case M_CPU_RUNQ:
		return ncpu > 0 ? runq_tasks(s) / ncpu : FIG_NA;
	case M_CPU_PSI:
	case M_MEM_PSI:
	case M_IO_PSI:
		return psi_share(s, prev, m == M_CPU_PSI ? PSI_CPU :
		    m == M_MEM_PSI ? PSI_MEMORY : PSI_IO);
	case M_DISK_AWAIT:
		if ((dk = object_at(s, RES_DISK, obj, NULL)) == NULL ||
		    !FIG_OK(dk->util_pct) || dk->util_pct < AWAIT_MIN_BUSY)
			return FIG_NA;
		return dk->await_ms;
	case M_NET_UTIL:
	case M_NET_DROPS:
	case M_NET_ERRORS:
		if ((nf = object_at(s, RES_NETWORK, obj, NULL)) == NULL)
			return FIG_NA;
		if (m == M_NET_DROPS)
			return sum2(nf->rx_drops_ps, nf->tx_drops_ps);
		if (m == M_NET_ERRORS)
			return sum2(nf->rx_errors_ps, nf->tx_errors_ps);
		if (!FIG_OK(nf->speed_bps) || nf->speed_bps <= 0)
			return FIG_NA;
		return max2(nf->rx_bps, nf->tx_bps) * 100 / nf->speed_bps;
	default:
		return FIG_NA;		/* a trend: only over a window */
	}
}

int
metric_nobjects(const struct sample *s, enum metric m)
{
	const struct metric_def	*d = metric_get(m);

	return d == NULL ? 0 : object_count(s, d->res);
}

const char *
metric_object(const struct sample *s, enum metric m, int obj)
{
	const struct metric_def	*d = metric_get(m);
	const char		*name = "";

	if (d != NULL && obj >= 0)
		object_at(s, d->res, obj, &name);
	return name;
}

/* ---- window statistics -------------------------------------------------- */

static int
cmp_double(const void *va, const void *vb)
{
	double	 a = *(const double *)va, b = *(const double *)vb;

	return (a > b) - (a < b);
}

/* Statistics of the valid values v[0..n-1] (oldest first); v is sorted. */
static void
wstat_of(double *v, int n, struct wstat *w)
{
	int	 i, k = 0;

	w->n = 0;
	w->med = w->mean = w->min = w->max = w->last = w->sum = FIG_NA;
	for (i = 0; i < n; i++) {
		if (FIG_OK(v[i])) {
			w->last = v[i];
			v[k++] = v[i];
		}
	}
	if (k == 0)
		return;
	w->n = k;
	w->sum = 0;
	for (i = 0; i < k; i++)
		w->sum += v[i];
	w->mean = w->sum / k;
	qsort(v, (size_t)k, sizeof *v, cmp_double);
	w->min = v[0];
	w->max = v[k - 1];
	w->med = v[(k - 1) / 2];
}

/*
 * The window's values of one figure of the object called obj ("" for a
 * machine-wide one) into c->pv->ys, oldest first, NAN where a sample has
 * no such object: metric m, or with M_NONE the field at off of res's
 * objects (a figure that is shown but not judged).
 */
static double *
series(struct ctx *c, enum metric m, enum resource res, size_t off,
    const char *obj)
{
	const struct sample	*s;
	double			*v = c->pv->ys;
	int			 i, j;

	for (i = 0; i < c->n; i++) {
		s = c->win[i];
		if ((j = object_find(s, res, obj)) < 0)
			v[i] = FIG_NA;
		else if (m != M_NONE)
			v[i] = metric_sample(s, i > 0 ? c->win[i - 1] :
			    c->before, c->ncpu, m, j);
		else
			v[i] = field_get(s, res, j, off);
	}
	return v;
}

static void
wstat_metric(struct ctx *c, enum metric m, const char *obj, struct wstat *w)
{
	wstat_of(series(c, m, metric_defs[m].res, 0, obj), c->n, w);
}

static void
wstat_field(struct ctx *c, enum resource res, size_t off, const char *obj,
    struct wstat *w)
{
	wstat_of(series(c, M_NONE, res, off, obj), c->n, w);
}

/* Window statistics of a figure computed from several fields. */
static void
wstat_fn(struct ctx *c, double (*fn)(const struct sample *, const char *),
    const char *obj, struct wstat *w)
{
	double	*v = c->pv->ys;
	int	 i;

	for (i = 0; i < c->n; i++)
		v[i] = fn(c->win[i], obj);
	wstat_of(v, c->n, w);
}

/* Bytes/s read and written: of the disk called obj, or all with "". */
static double
f_disk_bytes(const struct sample *s, const char *obj)
{
	double	 t = FIG_NA;
	int	 i;

	if (obj[0] != '\0') {
		i = object_find(s, RES_DISK, obj);
		return i < 0 ? FIG_NA :
		    sum2(s->disks[i].read_bps, s->disks[i].write_bps);
	}
	for (i = 0; i < s->ndisk; i++)
		t = sum2(t, sum2(s->disks[i].read_bps, s->disks[i].write_bps));
	return t;
}

/* Bytes/s of the busier direction of the interface called obj. */
static double
f_net_max(const struct sample *s, const char *obj)
{
	int	 i = object_find(s, RES_NETWORK, obj);

	return i < 0 ? FIG_NA : max2(s->nets[i].rx_bps, s->nets[i].tx_bps);
}

static double
f_runq_tasks(const struct sample *s, const char *obj)
{
	(void)obj;
	return runq_tasks(s);
}

/* ---- least squares ------------------------------------------------------ */

struct fit {
	int	n;
	double	slope;		/* per second */
	double	r2;
	double	now;		/* fitted value at the last x */
	double	span;		/* seconds from the first to the last x */
	bool	steady;		/* enough points, good fit, mostly rising */
};

/*
 * Least-squares line through (x[i], y[i]), x ascending.  steady when there
 * are at least min_points points over a positive span, r2 >= min_r2 and at
 * least two thirds of the steps do not go down (so one jump is no trend).
 */
static void
fit_line(const double *x, const double *y, int n, int min_points,
    double min_r2, struct fit *f)
{
	double	 mx = 0, my = 0, sxx = 0, sxy = 0, syy = 0, dx, dy;
	int	 i, ups = 0;

	memset(f, 0, sizeof *f);
	f->slope = f->r2 = f->now = FIG_NA;
	f->n = n;
	if (n < 2)
		return;
	for (i = 0; i < n; i++) {
		mx += x[i];
		my += y[i];
	}
	mx /= n;
	my /= n;
	for (i = 0; i < n; i++) {
		dx = x[i] - mx;
		dy = y[i] - my;
		sxx += dx * dx;
		sxy += dx * dy;
		syy += dy * dy;
		if (i > 0 && y[i] >= y[i - 1])
			ups++;
	}
	if (sxx <= 0)
		return;
	f->slope = sxy / sxx;
	f->r2 = syy > 0 ? (sxy * sxy) / (sxx * syy) : 0;
	f->now = my + f->slope * (x[n - 1] - mx);
	f->span = x[n - 1] - x[0];
	f->steady = n >= min_points && f->r2 >= min_r2 &&
	    3 * ups >= 2 * (n - 1) && f->slope > 0;
}

/* Fit the field at off of res's object obj against time over the
 * window. */
static void
fit_field(struct ctx *c, enum resource res, size_t off, const char *obj,
    struct fit *f)
{
	double	*x = c->pv->xs, *y, t0 = FIG_NA;
	int	 i, k = 0;

	y = series(c, M_NONE, res, off, obj);
	for (i = 0; i < c->n; i++) {
		if (!FIG_OK(y[i]) || !FIG_OK(c->win[i]->t))
			continue;
		if (!FIG_OK(t0))
			t0 = c->win[i]->t;
		if (k > 0 && c->win[i]->t <= t0 + x[k - 1])
			continue;	/* time must move forward */
		x[k] = c->win[i]->t - t0;
		y[k++] = y[i];		/* k <= i: packs in place */
	}
	fit_line(x, y, k, c->th->trend_min_points, c->th->trend_min_r2, f);
}

/* ---- text helpers ------------------------------------------------------- */

/* A link speed in bytes/s as bits: "1 Gbit/s", "100 Mbit/s". */
static const char *
link_speed(char *buf, size_t sz, double bps)
{
	double	 bits = bps * 8;

	if (!FIG_OK(bps))
		snprintf(buf, sz, "n/a");
	else if (bits >= 1e9)
		snprintf(buf, sz, "%g Gbit/s", round(bits / 1e8) / 10);
	else if (bits >= 1e6)
		snprintf(buf, sz, "%g Mbit/s", round(bits / 1e5) / 10);
	else
		snprintf(buf, sz, "%.0f bit/s", bits);
	return buf;
}

/* A duration: "45 s", "12 min", "3.2 h", "4 d". */
static const char *
dur(char *buf, size_t sz, double s)
{
	if (!FIG_OK(s))
		snprintf(buf, sz, "n/a");
	else if (s < 120)
		snprintf(buf, sz, "%.0f s", s);
	else if (s < 7200)
		snprintf(buf, sz, "%.0f min", s / 60);
	else if (s < 172800)
		snprintf(buf, sz, "%.1f h", s / 3600);
	else
		snprintf(buf, sz, "%.0f d", s / 86400);
	return buf;
}

/* Cell col of r: value v of metric m (M_NONE: none) judged sev, shown as
 * fmt. */
static void __attribute__((format(printf, 6, 7)))
cell_put(struct use_row *r, enum use_col col, double v, enum severity sev,
    enum metric m, const char *fmt, ...)
{
	struct use_cell	*cl = &r->cell[col];
	va_list		 ap;

	cl->value = v;
	cl->sev = sev;
	cl->metric = m;
	cl->text[0] = '\0';
	va_start(ap, fmt);
	txt_vcat(cl->text, sizeof cl->text, fmt, ap);
	va_end(ap);
}

/* ---- rows, findings, trends storage ------------------------------------ */

/* A new zeroed entry of a result array (array_push()); NULL, and the run
 * failed, when out of memory. */
static void *
entry_add(struct ctx *c, void **arr, int *cap, int *n, size_t elem)
{
	void	*p;

	if ((p = array_push(arr, cap, n, elem)) == NULL)
		c->failed = true;
	return p;
}

static struct use_row *
row_add(struct ctx *c, enum resource res, const char *obj)
{
	struct analysis	*an = c->an;
	struct use_row	*r;
	int		 i;

	if ((r = entry_add(c, (void **)&an->rows, &an->rows_cap, &an->nrows,
	    sizeof *r)) == NULL)
		return NULL;
	r->res = res;
	strlcpy0(r->object, obj, sizeof r->object);
	for (i = 0; i < USE_NCOLS; i++)
		cell_put(r, (enum use_col)i, FIG_NA, SEV_NA, M_NONE, "n/a");
	return r;
}

static void
row_finish(struct use_row *r)
{
	int	 i;

	r->sev = SEV_NA;
	for (i = 0; i < USE_NCOLS; i++)
		if (r->cell[i].sev > r->sev)
			r->sev = r->cell[i].sev;
}

static const struct rule_def *
rule_get(const char *rule)
{
	size_t	 i;

	for (i = 0; i < sizeof rule_defs / sizeof rule_defs[0]; i++)
		if (strcmp(rule_defs[i].rule, rule) == 0)
			return &rule_defs[i];
	return NULL;
}

/* The severity of v on metric m's levels. */
static enum severity
judge(const struct ctx *c, enum metric m, double v)
{
	return level_judge(&c->th->lv[m], metric_defs[m].lower_worse, v);
}

/* A new finding (sev INFO at least) with its points before the caps. */
static struct finding *
finding_add(struct ctx *c, const char *rule, enum resource res,
    const char *obj, enum severity sev, enum metric m, double value)
{
	struct analysis		*an = c->an;
	const struct rule_def	*rd = rule_get(rule);
	struct finding		*f;

	if (sev < SEV_INFO)
		return NULL;
	if ((f = entry_add(c, (void **)&an->findings, &an->findings_cap,
	    &an->nfindings, sizeof *f)) == NULL)
		return NULL;
	strlcpy0(f->rule, rule, sizeof f->rule);
	f->res = res;
	strlcpy0(f->object, obj, sizeof f->object);
	f->sev = sev;
	f->metric = m;
	f->value = value;
	f->threshold = m == M_NONE ? FIG_NA : level_of(&c->th->lv[m], sev);
	if (rd != NULL)
		f->points = sev == SEV_CRITICAL ? rd->crit :
		    sev == SEV_WARNING ? rd->warn : 0;
	return f;
}

/* A finding judged on metric m alone: value v of its object obj. */
static struct finding *
finding_metric(struct ctx *c, const char *rule, const char *obj,
    enum metric m, double v)
{
	return finding_add(c, rule, metric_defs[m].res, obj, judge(c, m, v),
	    m, v);
}

static struct trend *
trend_add(struct ctx *c)
{
	struct analysis	*an = c->an;
	struct trend	*t;

	if ((t = entry_add(c, (void **)&an->trends, &an->trends_cap,
	    &an->ntrends, sizeof *t)) == NULL)
		return NULL;
	t->eta_s = FIG_NA;
	return t;
}

/* A trend of object obj ("" for memory) from the window's fit f. */
static struct trend *
trend_fit(struct ctx *c, enum trend_kind kind, const char *obj,
    const struct fit *f, double eta, enum severity sev)
{
	struct trend	*t;

	if ((t = trend_add(c)) == NULL)
		return NULL;
	t->kind = kind;
	strlcpy0(t->object, obj, sizeof t->object);
	t->slope = f->slope;
	t->r2 = f->r2;
	t->npoints = f->n;
	t->now = f->now;
	t->eta_s = eta;
	t->sev = sev;
	return t;
}

/* The worst of several judged metrics: sets *m, *v to the one that wins
 * (the first on ties). */
struct judged {
	enum severity	sev;
	enum metric	m;
	double		v;
};

static void
judge_into(struct ctx *c, struct judged *j, enum metric m, double v)
{
	enum severity	 s;

	s = judge(c, m, v);
	if (j->m == M_NONE || s > j->sev) {
		j->sev = s;
		j->m = m;
		j->v = v;
	}
}

static void
judged_init(struct judged *j)
{
	j->sev = SEV_NA;
	j->m = M_NONE;
	j->v = FIG_NA;
}

/* ---- processes over the window ----------------------------------------- */

static int
cmp_start(double a, double b)
{
	bool	 na = !FIG_OK(a), nb = !FIG_OK(b);

	if (na || nb)
		return na - nb;
	return (a > b) - (a < b);
}

static int
cmp_pent(const void *va, const void *vb)
{
	const struct pent	*a = va, *b = vb;
	int			 r;

	if (a->p->pid != b->p->pid)
		return a->p->pid < b->p->pid ? -1 : 1;
	if ((r = cmp_start(a->p->start_time, b->p->start_time)) != 0)
		return r;
	return (a->si > b->si) - (a->si < b->si);
}

static double
proc_io(const struct proc *p)
{
	return sum2(p->read_bps, p->write_bps);
}

/* Group the window's top-list rows by process (pid + start time). */
static int
procs_gather(struct ctx *c)
{
	struct priv		*pv = c->pv;
	const struct sample	*s;
	struct pgrp		*g;
	struct fit		 f;
	int			 i, j, n = 0, k;
	double			 t0;

	c->ntop_cpu = c->ntop_io = 0;
	for (i = 0; i < c->n; i++) {
		bool has_cpu = false, has_io = false;
		s = c->win[i];
		/* A process's mean counts the samples where CPU (or I/O) was
		 * measured at all: the first one after start-up has none. */
		for (j = 0; j < s->top.n; j++) {
			has_cpu |= FIG_OK(s->top.v[j].cpu_pct);
			has_io |= FIG_OK(proc_io(&s->top.v[j]));
		}
		c->ntop_cpu += has_cpu;
		c->ntop_io += has_io;
		if (array_grow((void **)&pv->pe, &pv->pe_cap, n + s->top.n,
		    sizeof *pv->pe, false) != 0)
			return -1;
		for (j = 0; j < s->top.n; j++) {
			pv->pe[n].p = &s->top.v[j];
			pv->pe[n].t = s->t;
			pv->pe[n].si = i;
			n++;
		}
	}
	c->npe = n;
	if (n > 1)
		qsort(pv->pe, (size_t)n, sizeof *pv->pe, cmp_pent);
	c->npg = 0;
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n; j++)
			if (pv->pe[j].p->pid != pv->pe[i].p->pid ||
			    cmp_start(pv->pe[j].p->start_time,
			    pv->pe[i].p->start_time) != 0)
				break;
		if ((g = array_push((void **)&pv->pg, &pv->pg_cap, &c->npg,
		    sizeof *g)) == NULL)
			return -1;
		g->first = i;
		g->n = j - i;
		g->last = pv->pe[j - 1].p;
		/* RSS against time for the leak trend. */
		k = 0;
		t0 = pv->pe[i].t;
		for (int e = i; e < j; e++) {
			const struct proc *p = pv->pe[e].p;
			if (FIG_OK(p->cpu_pct))
				g->cpu_sum += p->cpu_pct;
			if (FIG_OK(proc_io(p))) {
				g->io_sum += proc_io(p);
				g->io_n++;
			}
			if (!FIG_OK(p->rss_bytes) || !FIG_OK(pv->pe[e].t))
				continue;
			if (k >= c->n ||
			    (k > 0 && pv->pe[e].t - t0 <= pv->xs[k - 1]))
				continue;
			pv->xs[k] = pv->pe[e].t - t0;
			pv->ys[k] = p->rss_bytes;
			k++;
		}
		fit_line(pv->xs, pv->ys, k, c->th->trend_min_points,
		    c->th->trend_min_r2, &f);
		g->slope = f.steady ? f.slope : FIG_NA;
		/* perftop's own RSS grows while its ring fills (the first
		 * history-length of minutes): that is warm-up, neither a
		 * leak nor a memory culprit.  The soak test checks its
		 * steady state. */
		if (c->now->self_pid > 0 && g->last->pid == c->now->self_pid)
			g->slope = FIG_NA;
		g->r2 = f.r2;
		g->npoints = k;
	}
	return 0;
}

/* Key of a process group for ranking; NAN when it has none. */
enum pkey { PK_CPU, PK_IO, PK_GROWTH };

static double
pgrp_key(const struct ctx *c, const struct pgrp *g, enum pkey key)
{
	switch (key) {
	case PK_CPU:
		return c->ntop_cpu > 0 ? g->cpu_sum / c->ntop_cpu : FIG_NA;
	case PK_IO:
		return g->io_n > 0 && c->ntop_io > 0 ?
		    g->io_sum / c->ntop_io : FIG_NA;
	case PK_GROWTH:
		return g->slope;
	}
	return FIG_NA;
}

static _Thread_local const struct ctx *rank_ctx;
static _Thread_local enum pkey rank_key;

static int
cmp_rank(const void *va, const void *vb)
{
	const struct pgrp	*a, *b;
	double			 ka, kb;
	bool			 na, nb;

	a = &rank_ctx->pv->pg[*(const int *)va];
	b = &rank_ctx->pv->pg[*(const int *)vb];
	ka = pgrp_key(rank_ctx, a, rank_key);
	kb = pgrp_key(rank_ctx, b, rank_key);
	na = !FIG_OK(ka);
	nb = !FIG_OK(kb);
	if (na || nb) {
		if (na != nb)
			return na - nb;
	} else if (ka != kb)
		return ka < kb ? 1 : -1;
	if (a->last->pid != b->last->pid)
		return a->last->pid < b->last->pid ? -1 : 1;
	return cmp_start(a->last->start_time, b->last->start_time);
}

/*
 * Fill f's culprits with the top groups by key whose value is positive;
 * total is all use of the resource (same unit) for share_pct.
 */
static void
culprits_rank(struct ctx *c, struct finding *f, enum pkey key, double total)
{
	struct priv	*pv = c->pv;
	struct culprit	*cu;
	double		 v, sum = 0;
	int		 i;

	if (array_grow((void **)&pv->order, &pv->order_cap, c->npg,
	    sizeof *pv->order, false) != 0) {
		c->failed = true;
		return;
	}
	for (i = 0; i < c->npg; i++) {
		pv->order[i] = i;
		v = pgrp_key(c, &pv->pg[i], key);
		if (FIG_OK(v) && v > 0)
			sum += v;
	}
	rank_ctx = c;
	rank_key = key;
	if (c->npg > 1)
		qsort(pv->order, (size_t)c->npg, sizeof *pv->order, cmp_rank);
	/* Without a machine total, shares are among the processes seen. */
	if (!FIG_OK(total) || total <= 0)
		total = sum;
	f->nculprits = 0;
	for (i = 0; i < c->npg && f->nculprits < CULPRITS_MAX; i++) {
		const struct pgrp *g = &pv->pg[pv->order[i]];
		v = pgrp_key(c, g, key);
		if (!FIG_OK(v) || v <= 0)
			break;
		cu = &f->culprits[f->nculprits++];
		cu->pid = g->last->pid;
		cu->start_time = g->last->start_time;
		strlcpy0(cu->comm, g->last->comm, sizeof cu->comm);
		cu->value = v;
		cu->share_pct = total > 0 ? clampd(v * 100 / total, 0, 100) :
		    FIG_NA;
	}
}

static int
cmp_rss(const void *va, const void *vb)
{
	const struct proc	*a = *(const struct proc *const *)va;
	const struct proc	*b = *(const struct proc *const *)vb;
	bool			 na = !FIG_OK(a->rss_bytes);
	bool			 nb = !FIG_OK(b->rss_bytes);

	if (na || nb) {
		if (na != nb)
			return na - nb;
	} else if (a->rss_bytes != b->rss_bytes)
		return a->rss_bytes < b->rss_bytes ? 1 : -1;
	return (a->pid > b->pid) - (a->pid < b->pid);
}

/* Largest RSS of the newest full table (or the newest top list). */
static void
culprits_rss(struct ctx *c, struct finding *f)
{
	const struct proctab	*t = c->full->n > 0 ? c->full : &c->now->top;
	const struct proc	*best[CULPRITS_MAX];
	struct culprit		*cu;
	double			 used = c->now->mem.used_bytes;
	int			 i, j, nb = 0;

	/* Insertion into a short sorted list: one pass over the table. */
	for (i = 0; i < t->n; i++) {
		const struct proc *p = &t->v[i];
		if (!FIG_OK(p->rss_bytes) || p->rss_bytes <= 0)
			continue;
		if (nb == CULPRITS_MAX && cmp_rss(&p, &best[nb - 1]) >= 0)
			continue;
		j = nb < CULPRITS_MAX ? nb++ : CULPRITS_MAX - 1;
		while (j > 0 && cmp_rss(&p, &best[j - 1]) < 0) {
			best[j] = best[j - 1];
			j--;
		}
		best[j] = p;
	}
	f->nculprits = nb;
	for (i = 0; i < nb; i++) {
		cu = &f->culprits[i];
		cu->pid = best[i]->pid;
		cu->start_time = best[i]->start_time;
		strlcpy0(cu->comm, best[i]->comm, sizeof cu->comm);
		cu->value = best[i]->rss_bytes;
		cu->share_pct = FIG_OK(used) && used > 0 ?
		    clampd(cu->value * 100 / used, 0, 100) : FIG_NA;
	}
}

/* "stress-ng (pid 812) 98 %, stress-ng (pid 813) 97 %" */
static void
culprits_text(const struct finding *f, enum pkey key, bool rss, char *buf,
    size_t sz)
{
	char	 b[32];
	int	 i;

	buf[0] = '\0';
	for (i = 0; i < f->nculprits; i++) {
		const struct culprit *cu = &f->culprits[i];
		txt_cat(buf, sz, "%s%s (pid %d) ", i > 0 ? ", " : "", cu->comm,
		    cu->pid);
		if (rss)
			txt_cat(buf, sz, "%s",
			    fmt_bytes(b, sizeof b, cu->value));
		else if (key == PK_CPU)
			txt_cat(buf, sz, "%s %%",
			    fmt_round(b, sizeof b, cu->value));
		else if (key == PK_IO)
			txt_cat(buf, sz, "%s",
			    fmt_rate(b, sizeof b, cu->value));
		else
			txt_cat(buf, sz, "+%.1f MiB/min", cu->value * 60 / MIB);
		if (FIG_OK(cu->share_pct))
			txt_cat(buf, sz, " (%s %% of %s)",
			    fmt_round(b, sizeof b, cu->share_pct),
			    rss ? "used memory" : key == PK_CPU ? "CPU use" :
			    key == PK_IO ? "disk I/O" : "growth");
	}
}

/* ---- the resources ------------------------------------------------------ */

static void
do_cpu(struct ctx *c)
{
	struct wstat	 busy, runq, psi, steal, tasks;
	struct use_row	*r;
	struct judged	 u, sat, st;
	struct finding	*f;
	char		 b1[32], b2[32], b3[32], who[256];

	wstat_metric(c, M_CPU_BUSY, "", &busy);
	wstat_metric(c, M_CPU_RUNQ, "", &runq);
	wstat_metric(c, M_CPU_PSI, "", &psi);
	wstat_metric(c, M_CPU_STEAL, "", &steal);
	wstat_fn(c, f_runq_tasks, "", &tasks);
	c->cpu_total = FIG_OK(busy.mean) && c->ncpu > 0 ?
	    busy.mean * c->ncpu : FIG_NA;
	if ((r = row_add(c, RES_CPU, "")) == NULL)
		return;

	judged_init(&u);
	judge_into(c, &u, M_CPU_BUSY, busy.med);
	judged_init(&st);
	judge_into(c, &st, M_CPU_STEAL, steal.med);
	if (busy.n > 0 || steal.n > 0) {
		struct judged w = st.sev > u.sev ? st : u;
		cell_put(r, USE_U, busy.med, w.sev, w.m,
		    "busy %s %%, steal %s %%",
		    fmt_round(b1, sizeof b1, busy.med),
		    fmt_round(b2, sizeof b2, steal.med));
	}
	judged_init(&sat);
	judge_into(c, &sat, M_CPU_RUNQ, runq.med);
	judge_into(c, &sat, M_CPU_PSI, psi.med);
	if (runq.n > 0 || psi.n > 0)
		cell_put(r, USE_S, runq.med, sat.sev, sat.m,
		    "runq %s on %d cores, PSI %s %%",
		    fmt_round(b1, sizeof b1, tasks.med), c->ncpu,
		    fmt_round(b2, sizeof b2, psi.med));
	row_finish(r);

	/* One finding for the CPU: the worst of busy, run queue and PSI. */
	if (sat.sev > u.sev)
		u = sat;
	if ((f = finding_add(c, "cpu.saturated", RES_CPU, "", u.sev, u.m,
	    u.v)) != NULL) {
		bool saturated = sat.sev >= SEV_WARNING ||
		    (u.m == M_CPU_BUSY && u.sev == SEV_CRITICAL);
		txt_set(f->reason, sizeof f->reason, "CPU %s",
		    saturated ? "saturated" : "busy");
		txt_set(f->summary, sizeof f->summary, "%s: busy %s %%",
		    f->reason, fmt_round(b1, sizeof b1, busy.med));
		if (tasks.n > 0)
			txt_cat(f->summary, sizeof f->summary,
			    ", run queue %s on %d cores",
			    fmt_round(b2, sizeof b2, tasks.med), c->ncpu);
		if (psi.n > 0)
			txt_cat(f->summary, sizeof f->summary,
			    ", PSI cpu %s %%",
			    fmt_round(b3, sizeof b3, psi.med));
		culprits_rank(c, f, PK_CPU, c->cpu_total);
		culprits_text(f, PK_CPU, false, who, sizeof who);
		if (f->nculprits > 0)
			txt_set(f->advice, sizeof f->advice, "%s; %s - renice "
			    "-n 10 -p %d, or limit it with systemd-run --scope "
			    "-p CPUQuota=50%% (or the cgroup's cpu.max)",
			    f->summary, who, f->culprits[0].pid);
		else
			txt_set(f->advice, sizeof f->advice, "%s; no process "
			    "in the top lists explains it - look at kernel "
			    "time and interrupts (mpstat -P ALL 1, perf top)",
			    f->summary);
	}
	if ((f = finding_add(c, "cpu.steal", RES_CPU, "", st.sev, st.m,
	    st.v)) != NULL) {
		txt_set(f->reason, sizeof f->reason, "CPU steal");
		txt_set(f->summary, sizeof f->summary, "CPU steal: the "
		    "hypervisor took %s %% of the CPU time",
		    fmt_round(b1, sizeof b1, steal.med));
		txt_set(f->advice, sizeof f->advice, "%s; no process in "
		    "this machine causes it - the host is overcommitted: "
		    "ask the provider, resize or move the VM", f->summary);
	}
}

/* The largest RSS as f's culprits: their text in who, or "n/a". */
static const char *
rss_culprits(struct ctx *c, struct finding *f, char *who, size_t sz)
{
	culprits_rss(c, f);
	culprits_text(f, PK_CPU, true, who, sz);
	return f->nculprits > 0 ? who : "n/a";
}

static void
do_memory(struct ctx *c)
{
	struct wstat	 used, psi, sout, sin, maj, oom;
	struct use_row	*r;
	struct judged	 u, sat;
	struct finding	*f;
	const struct sample *now = c->now;
	char		 b1[32], b2[32], b3[32], who[256];

	wstat_metric(c, M_MEM_USED, "", &used);
	wstat_metric(c, M_MEM_PSI, "", &psi);
	wstat_metric(c, M_SWAPOUT, "", &sout);
	wstat_metric(c, M_MAJFLT, "", &maj);
	wstat_metric(c, M_OOM, "", &oom);
	wstat_field(c, RES_MEMORY, IN_SAMPLE(mem.swapin_ps), "", &sin);
	if ((r = row_add(c, RES_MEMORY, "")) == NULL)
		return;

	judged_init(&u);
	judge_into(c, &u, M_MEM_USED, used.med);
	judge_into(c, &u, M_MEM_PSI, psi.med);
	if (used.n > 0)
		cell_put(r, USE_U, used.med, judge(c, M_MEM_USED, used.med),
		    M_MEM_USED, "used %s %%, avail %s",
		    fmt_round(b1, sizeof b1, used.med),
		    fmt_bytes(b2, sizeof b2, now->mem.available_bytes));
	judged_init(&sat);
	judge_into(c, &sat, M_SWAPOUT, sout.med);
	judge_into(c, &sat, M_MEM_PSI, psi.med);
	judge_into(c, &sat, M_MAJFLT, maj.med);
	if (sout.n > 0 || psi.n > 0 || maj.n > 0)
		cell_put(r, USE_S, sout.med, sat.sev, sat.m,
		    "swap out %s in %s pg/s, PSI %s %%, majflt %s/s",
		    fmt_round(b1, sizeof b1, sout.med),
		    fmt_round(b2, sizeof b2, sin.med),
		    fmt_round(b3, sizeof b3, psi.med),
		    fmt_round(who, sizeof who, maj.med));
	if (oom.n > 0)
		cell_put(r, USE_E, oom.sum, judge(c, M_OOM, oom.sum), M_OOM,
		    "OOM kills %s", fmt_round(b1, sizeof b1, oom.sum));
	row_finish(r);

	if ((f = finding_add(c, "mem.pressure", RES_MEMORY, "", u.sev, u.m,
	    u.v)) != NULL) {
		txt_set(f->reason, sizeof f->reason, "memory pressure");
		txt_set(f->summary, sizeof f->summary, "Memory pressure: "
		    "used %s %% (available %s)",
		    fmt_round(b1, sizeof b1, used.med),
		    fmt_bytes(b2, sizeof b2, now->mem.available_bytes));
		if (psi.n > 0)
			txt_cat(f->summary, sizeof f->summary,
			    ", PSI memory %s %%",
			    fmt_round(b3, sizeof b3, psi.med));
		txt_set(f->advice, sizeof f->advice, "%s; largest RSS: %s - "
		    "restart or cap it (systemd-run -p MemoryMax=), or add "
		    "memory", f->summary,
		    rss_culprits(c, f, who, sizeof who));
	}
	if ((f = finding_metric(c, "mem.swapping", "", M_SWAPOUT,
	    sout.med)) != NULL) {
		txt_set(f->reason, sizeof f->reason, "swapping");
		txt_set(f->summary, sizeof f->summary, "Swapping: out %s, "
		    "in %s pages/s, swap used %s",
		    fmt_round(b1, sizeof b1, sout.med),
		    fmt_round(b2, sizeof b2, sin.med),
		    fmt_bytes(b3, sizeof b3, now->mem.swap_used_bytes));
		txt_set(f->advice, sizeof f->advice, "%s; perftop has no "
		    "per-process swap figure: the likely victims are the "
		    "largest RSS: %s - check VmSwap in /proc/PID/status, "
		    "reduce memory use or cap the biggest", f->summary,
		    rss_culprits(c, f, who, sizeof who));
	}
	if ((f = finding_metric(c, "mem.majflt", "", M_MAJFLT,
	    maj.med)) != NULL) {
		txt_set(f->reason, sizeof f->reason, "major faults");
		txt_set(f->summary, sizeof f->summary, "Major page faults: "
		    "%s/s (pages read back from disk or swap)",
		    fmt_round(b1, sizeof b1, maj.med));
		txt_set(f->advice, sizeof f->advice, "%s; the page cache or "
		    "memory is too small for the working set; largest RSS: "
		    "%s - see who faults with pidstat -r 1", f->summary,
		    rss_culprits(c, f, who, sizeof who));
	}
	if ((f = finding_metric(c, "mem.oom", "", M_OOM, oom.sum)) != NULL) {
		txt_set(f->reason, sizeof f->reason, "OOM kills");
		txt_set(f->summary, sizeof f->summary, "OOM killer: %s "
		    "kill(s) in the window", fmt_round(b1, sizeof b1, oom.sum));
		txt_set(f->advice, sizeof f->advice, "%s; the victim is in "
		    "the kernel log (journalctl -k | grep -i oom); largest "
		    "RSS now: %s", f->summary,
		    rss_culprits(c, f, who, sizeof who));
	}
}

/* Memory exhaustion and per-process RSS growth. */
static void
do_mem_trends(struct ctx *c)
{
	const struct sample	*now = c->now;
	struct fit		 fit;
	struct trend		*t;
	struct finding		*f;
	enum severity		 sev;
	double			 eta, rate;
	char			 b1[32], b2[32], who[256];
	int			 i;

	c->mem_slope = FIG_NA;
	fit_field(c, RES_MEMORY, IN_SAMPLE(mem.used_bytes), "", &fit);
	if (fit.steady && FIG_OK(now->mem.available_bytes)) {
		c->mem_slope = fit.slope;
		eta = now->mem.available_bytes / fit.slope;
		sev = judge(c, M_MEM_EXHAUST, eta / 60);
		/* Memory comes and goes: a projection more than MEM_EXTRAP
		 * times longer than what was seen is only info. */
		if (sev > SEV_INFO && eta > MEM_EXTRAP * fit.span)
			sev = SEV_INFO;
		if (sev >= SEV_INFO &&
		    (t = trend_fit(c, TREND_MEM, "", &fit, eta, sev)) != NULL)
			txt_set(t->text, sizeof t->text, "memory exhausted in "
			    "~%s (used +%s)", dur(b1, sizeof b1, eta),
			    fmt_rate(b2, sizeof b2, fit.slope));
		if ((f = finding_add(c, "mem.exhaust", RES_MEMORY, "", sev,
		    M_MEM_EXHAUST, eta / 60)) != NULL) {
			txt_set(f->reason, sizeof f->reason,
			    "memory exhaustion");
			txt_set(f->summary, sizeof f->summary, "Memory "
			    "exhausted in ~%s: used grows %s, %s available",
			    dur(b1, sizeof b1, eta),
			    fmt_rate(b2, sizeof b2, fit.slope),
			    fmt_bytes(who, sizeof who,
			    now->mem.available_bytes));
			culprits_rank(c, f, PK_GROWTH, fit.slope);
			culprits_text(f, PK_GROWTH, false, who, sizeof who);
			txt_set(f->advice, sizeof f->advice, "%s; fastest "
			    "growing RSS: %s - stop or cap it before the OOM "
			    "killer picks a victim", f->summary,
			    f->nculprits > 0 ? who : "none of the top "
			    "processes (kernel, tmpfs or many small ones?)");
		}
	}
	for (i = 0; i < c->npg; i++) {
		const struct pgrp *g = &c->pv->pg[i];
		if (!FIG_OK(g->slope))
			continue;
		rate = g->slope * 60 / MIB;
		sev = judge(c, M_RSS_GROWTH, rate);
		if (sev < SEV_INFO)
			continue;
		if ((t = trend_add(c)) != NULL) {
			t->kind = TREND_RSS;
			strlcpy0(t->object, g->last->comm, sizeof t->object);
			t->pid = g->last->pid;
			t->slope = g->slope;
			t->r2 = g->r2;
			t->npoints = g->npoints;
			t->now = g->last->rss_bytes;
			t->sev = sev;
			txt_set(t->text, sizeof t->text, "pid %d (%s) RSS "
			    "+%.1f MiB/min%s", t->pid, t->object, rate,
			    sev >= SEV_WARNING ? " - leak suspect" : "");
		}
		if ((f = finding_add(c, "proc.leak", RES_MEMORY,
		    g->last->comm, sev, M_RSS_GROWTH, rate)) == NULL)
			continue;
		txt_set(f->reason, sizeof f->reason, "%s (pid %d) RSS growing",
		    g->last->comm, g->last->pid);
		txt_set(f->summary, sizeof f->summary, "pid %d (%s) RSS "
		    "+%.1f MiB/min, now %s%s", g->last->pid, g->last->comm,
		    rate, fmt_bytes(b1, sizeof b1, g->last->rss_bytes),
		    sev >= SEV_WARNING ? " - leak suspect" : "");
		f->nculprits = 1;
		f->culprits[0].pid = g->last->pid;
		f->culprits[0].start_time = g->last->start_time;
		strlcpy0(f->culprits[0].comm, g->last->comm,
		    sizeof f->culprits[0].comm);
		f->culprits[0].value = g->slope;
		f->culprits[0].share_pct = FIG_OK(c->mem_slope) ?
		    clampd(g->slope * 100 / c->mem_slope, 0, 100) : FIG_NA;
		txt_set(f->advice, sizeof f->advice, "%s; watch it with "
		    "pmap -x %d (or a heap profiler); restart it or cap it "
		    "with systemd-run -p MemoryMax=", f->summary,
		    g->last->pid);
	}
}

static void
io_advice(struct ctx *c, struct finding *f)
{
	char	 who[256];

	culprits_rank(c, f, PK_IO, c->io_total);
	culprits_text(f, PK_IO, false, who, sizeof who);
	if (f->nculprits > 0)
		txt_set(f->advice, sizeof f->advice, "%s; top I/O: %s - "
		    "ionice -c3 -p %d, or move that work elsewhere "
		    "(iotop -o to confirm)", f->summary, who,
		    f->culprits[0].pid);
	else
		txt_set(f->advice, sizeof f->advice, "%s; per-process I/O "
		    "was not visible (run perftop as root) or no process "
		    "did I/O - check iotop -o, and writeback (Dirty in "
		    "/proc/meminfo)", f->summary);
}

static void
do_disks(struct ctx *c)
{
	struct wstat	 psi, bytes, busy, await, await_raw, queue;
	struct use_row	*r;
	struct judged	 j;
	struct finding	*f;
	const char	*name;
	char		 b1[32], b2[32], b3[32];
	int		 i;

	wstat_metric(c, M_IO_PSI, "", &psi);
	wstat_fn(c, f_disk_bytes, "", &bytes);
	c->io_total = bytes.mean;
	if ((r = row_add(c, RES_IO, "")) == NULL)
		return;
	if (bytes.n > 0)
		cell_put(r, USE_U, bytes.med, SEV_NONE, M_NONE, "%s all disks",
		    fmt_rate(b1, sizeof b1, bytes.med));
	if (psi.n > 0)
		cell_put(r, USE_S, psi.med, judge(c, M_IO_PSI, psi.med),
		    M_IO_PSI, "PSI io %s %%",
		    fmt_round(b1, sizeof b1, psi.med));
	row_finish(r);
	if ((f = finding_metric(c, "io.pressure", "", M_IO_PSI,
	    psi.med)) != NULL) {
		txt_set(f->reason, sizeof f->reason, "I/O pressure");
		txt_set(f->summary, sizeof f->summary, "I/O pressure: tasks "
		    "stalled on I/O %s %% of the time (PSI io some)",
		    fmt_round(b1, sizeof b1, psi.med));
		io_advice(c, f);
	}

	for (i = 0; i < c->now->ndisk; i++) {
		name = c->now->disks[i].name;
		wstat_metric(c, M_DISK_BUSY, name, &busy);
		wstat_metric(c, M_DISK_AWAIT, name, &await);
		wstat_field(c, RES_DISK, IN_DISK(await_ms), name,
		    &await_raw);
		wstat_field(c, RES_DISK, IN_DISK(queue), name, &queue);
		wstat_fn(c, f_disk_bytes, name, &bytes);
		if ((r = row_add(c, RES_DISK, name)) == NULL)
			return;
		if (busy.n > 0)
			cell_put(r, USE_U, busy.med,
			    judge(c, M_DISK_BUSY, busy.med), M_DISK_BUSY,
			    "busy %s %%, %s",
			    fmt_round(b1, sizeof b1, busy.med),
			    fmt_rate(b2, sizeof b2, bytes.med));
		/* Await is judged only on the samples busy enough. */
		if (await_raw.n > 0 || queue.n > 0)
			cell_put(r, USE_S, await_raw.med, await.n > 0 ?
			    judge(c, M_DISK_AWAIT, await.med) : SEV_NONE,
			    M_DISK_AWAIT, "await %s ms, queue %s",
			    fmt_round(b1, sizeof b1, await_raw.med),
			    fmt_round(b2, sizeof b2, queue.med));
		row_finish(r);
		judged_init(&j);
		judge_into(c, &j, M_DISK_BUSY, busy.med);
		judge_into(c, &j, M_DISK_AWAIT, await.med);
		if ((f = finding_add(c, "disk.saturated", RES_DISK, name,
		    j.sev, j.m, j.v)) == NULL)
			continue;
		txt_set(f->reason, sizeof f->reason, "disk %s %s", name,
		    j.m == M_DISK_BUSY ? "saturated" : "slow");
		txt_set(f->summary, sizeof f->summary, "Disk %s %s: busy %s "
		    "%%, await %s ms, queue %s", name,
		    j.m == M_DISK_BUSY ? "saturated" : "slow",
		    fmt_round(b1, sizeof b1, busy.med),
		    fmt_round(b2, sizeof b2, await_raw.med),
		    fmt_round(b3, sizeof b3, queue.med));
		io_advice(c, f);
	}
}

static void
do_nets(struct ctx *c)
{
	struct wstat	 util, drops, errs, mx, rx, tx;
	struct use_row	*r;
	struct finding	*f;
	struct judged	 j;
	const char	*name;
	char		 b1[32], b2[32], b3[32], b4[32];
	double		 speed;
	int		 i;

	for (i = 0; i < c->now->nnet; i++) {
		name = c->now->nets[i].name;
		speed = c->now->nets[i].speed_bps;
		wstat_metric(c, M_NET_UTIL, name, &util);
		wstat_metric(c, M_NET_DROPS, name, &drops);
		wstat_metric(c, M_NET_ERRORS, name, &errs);
		wstat_fn(c, f_net_max, name, &mx);
		wstat_field(c, RES_NETWORK, IN_NET(rx_bps), name, &rx);
		wstat_field(c, RES_NETWORK, IN_NET(tx_bps), name, &tx);
		if ((r = row_add(c, RES_NETWORK, name)) == NULL)
			return;
		if (util.n > 0)
			cell_put(r, USE_U, util.med,
			    judge(c, M_NET_UTIL, util.med), M_NET_UTIL,
			    "%s %% of %s", fmt_round(b1, sizeof b1, util.med),
			    link_speed(b2, sizeof b2, speed));
		else if (mx.n > 0)
			cell_put(r, USE_U, mx.med, SEV_NONE, M_NONE,
			    "rx %s tx %s, speed n/a",
			    fmt_rate(b1, sizeof b1, rx.med),
			    fmt_rate(b2, sizeof b2, tx.med));
		if (drops.n > 0)
			cell_put(r, USE_S, drops.med,
			    judge(c, M_NET_DROPS, drops.med), M_NET_DROPS,
			    "drops %s/s", fmt_round(b1, sizeof b1, drops.med));
		if (errs.n > 0)
			cell_put(r, USE_E, errs.med,
			    judge(c, M_NET_ERRORS, errs.med), M_NET_ERRORS,
			    "errors %s/s", fmt_round(b1, sizeof b1, errs.med));
		row_finish(r);
		if ((f = finding_metric(c, "net.saturated", name, M_NET_UTIL,
		    util.med)) != NULL) {
			txt_set(f->reason, sizeof f->reason, "%s saturated",
			    name);
			txt_set(f->summary, sizeof f->summary, "Network %s "
			    "saturated: %s %% of %s (rx %s, tx %s)", name,
			    fmt_round(b1, sizeof b1, util.med),
			    link_speed(b2, sizeof b2, speed),
			    fmt_rate(b3, sizeof b3, rx.med),
			    fmt_rate(b4, sizeof b4, tx.med));
			txt_set(f->advice, sizeof f->advice, "%s; perftop "
			    "does not measure network use per process: find "
			    "the flows with ss -tnpi or nethogs %s, then "
			    "rate-limit (tc) or move the traffic", f->summary,
			    name);
		}
		judged_init(&j);
		judge_into(c, &j, M_NET_DROPS, drops.med);
		judge_into(c, &j, M_NET_ERRORS, errs.med);
		if ((f = finding_add(c, "net.errors", RES_NETWORK, name, j.sev,
		    j.m, j.v)) != NULL) {
			txt_set(f->reason, sizeof f->reason, "%s %s", name,
			    j.m == M_NET_DROPS ? "drops" : "errors");
			txt_set(f->summary, sizeof f->summary, "Network %s: "
			    "drops %s/s, errors %s/s", name,
			    fmt_round(b1, sizeof b1, drops.med),
			    fmt_round(b2, sizeof b2, errs.med));
			txt_set(f->advice, sizeof f->advice, "%s; see which "
			    "counter grows with ip -s link show %s and "
			    "ethtool -S %s; drops often mean full rx rings "
			    "(ethtool -g) or a busy CPU, errors a bad link",
			    f->summary, name, name);
		}
	}
}

static void
do_fs(struct ctx *c)
{
	const struct fs_figs	*fs;
	struct wstat		 used;
	struct use_row		*r;
	struct finding		*f;
	struct trend		*t;
	struct fit		 fit;
	enum severity		 sev;
	double			 eta;
	char			 b1[32], b2[32], b3[32];
	int			 i;

	for (i = 0; i < c->now->nfs; i++) {
		fs = &c->now->fs[i];
		wstat_metric(c, M_FS_USED, fs->mount, &used);
		fit_field(c, RES_FS, IN_FS(used_bytes), fs->mount, &fit);
		if ((r = row_add(c, RES_FS, fs->mount)) == NULL)
			return;
		if (used.n > 0)
			cell_put(r, USE_U, used.med,
			    judge(c, M_FS_USED, used.med), M_FS_USED,
			    "used %s %%, %s free",
			    fmt_round(b1, sizeof b1, used.med),
			    fmt_bytes(b2, sizeof b2, fs->avail_bytes));
		eta = FIG_NA;
		sev = SEV_NONE;
		if (fit.steady && FIG_OK(fs->avail_bytes)) {
			eta = fs->avail_bytes / fit.slope;
			sev = judge(c, M_FS_FULL, eta / 3600);
			cell_put(r, USE_S, fit.slope, sev, M_FS_FULL,
			    "+%s, full in ~%s",
			    fmt_rate(b1, sizeof b1, fit.slope),
			    dur(b2, sizeof b2, eta));
		} else if (fit.n >= 2 && FIG_OK(fit.slope))
			/* Measured, but no steady growth: not judged. */
			cell_put(r, USE_S, fit.slope, SEV_NONE, M_NONE,
			    "no steady growth");
		row_finish(r);
		if ((f = finding_metric(c, "fs.full", fs->mount, M_FS_USED,
		    used.med)) != NULL) {
			txt_set(f->reason, sizeof f->reason, "%s almost full",
			    fs->mount);
			txt_set(f->summary, sizeof f->summary, "Filesystem "
			    "%s %s %% used, %s free of %s", fs->mount,
			    fmt_round(b1, sizeof b1, used.med),
			    fmt_bytes(b2, sizeof b2, fs->avail_bytes),
			    fmt_bytes(b3, sizeof b3, fs->size_bytes));
			txt_set(f->advice, sizeof f->advice, "%s; find the "
			    "biggest directories with du -xh --max-depth=2 "
			    "%s | sort -h | tail; rotate logs, clean caches "
			    "or grow it", f->summary, fs->mount);
		}
		if (sev >= SEV_INFO && (t = trend_fit(c, TREND_FS, fs->mount,
		    &fit, eta, sev)) != NULL)
			txt_set(t->text, sizeof t->text, "filesystem %s full "
			    "in ~%s (+%s)", fs->mount, dur(b1, sizeof b1, eta),
			    fmt_rate(b2, sizeof b2, fit.slope));
		if ((f = finding_add(c, "fs.filling", RES_FS, fs->mount, sev,
		    M_FS_FULL, eta / 3600)) != NULL) {
			txt_set(f->reason, sizeof f->reason, "%s filling up",
			    fs->mount);
			txt_set(f->summary, sizeof f->summary, "Filesystem "
			    "%s full in ~%s: +%s, %s free", fs->mount,
			    dur(b1, sizeof b1, eta),
			    fmt_rate(b2, sizeof b2, fit.slope),
			    fmt_bytes(b3, sizeof b3, fs->avail_bytes));
			/* The writers are the likely fillers. */
			io_advice(c, f);
		}
	}
}

/* ---- anomalies against the baseline ------------------------------------ */

/*
 * The series watched for anomalies (doc/health.md, "Anomalies"): a
 * machine-wide key, or PREFIX + object + SUFFIX for one per object.  floor
 * is the smallest spread that counts (a baseline that never moved would
 * make any wobble "far outside" it); both says a drop is as unusual as a
 * rise.
 */
struct watch {
	const char	*pfx, *sfx;	/* sfx NULL: pfx is the whole key */
	enum resource	 res;
	enum metric	 m;
	const char	*label, *unit;
	double		 floor;
	bool		 both;
};
static const struct watch watches[] = {
	{ "cpu.busy_pct", NULL, RES_CPU, M_CPU_BUSY, "CPU busy", "%", 2,
	  false },
	{ "cpu.iowait_pct", NULL, RES_CPU, M_NONE, "CPU iowait", "%", 2,
	  false },
	{ "load.1", NULL, RES_CPU, M_NONE, "load", "", 0.25, false },
	{ "psi.cpu.some_avg10", NULL, RES_CPU, M_NONE, "PSI cpu", "%", 2,
	  false },
	{ "mem.used_pct", NULL, RES_MEMORY, M_MEM_USED, "memory used", "%",
	  1, false },
	{ "mem.swapout_ps", NULL, RES_MEMORY, M_SWAPOUT, "swap out",
	  " pages/s", 1, false },
	{ "mem.majflt_ps", NULL, RES_MEMORY, M_MAJFLT, "major faults", "/s",
	  5, false },
	{ "psi.memory.some_avg10", NULL, RES_MEMORY, M_NONE, "PSI memory",
	  "%", 2, false },
	{ "psi.io.some_avg10", NULL, RES_IO, M_NONE, "PSI io", "%", 2,
	  false },
	{ "disk.", ".util_pct", RES_DISK, M_DISK_BUSY, "busy", "%", 2,
	  false },
	{ "disk.", ".await_ms", RES_DISK, M_DISK_AWAIT, "await", " ms", 1,
	  false },
	{ "net.", ".rx_bps", RES_NETWORK, M_NONE, "received", "B/s", 65536,
	  true },
	{ "net.", ".tx_bps", RES_NETWORK, M_NONE, "sent", "B/s", 65536,
	  true },
	{ "fs.", ".used_pct", RES_FS, M_FS_USED, "used", "%", 0.5, false },
};

#define ANOMALY_Z_INFO	3.0	/* spreads from the baseline mean */
#define ANOMALY_Z_WARN	6.0
#define ANOMALY_MIN_N	3	/* valid samples: "for a while" */
#define ANOMALY_REL	0.02	/* spread floor, share of the mean */

/* The watch for key, with its object into obj; NULL if not watched. */
static const struct watch *
watch_of(const char *key, char *obj, size_t objsz)
{
	const struct watch	*w;
	size_t			 i, kl = strlen(key), pl, sl;

	for (i = 0; i < sizeof watches / sizeof watches[0]; i++) {
		w = &watches[i];
		pl = strlen(w->pfx);
		if (w->sfx == NULL) {
			if (strcmp(key, w->pfx) == 0) {
				obj[0] = '\0';
				return w;
			}
			continue;
		}
		sl = strlen(w->sfx);
		if (kl > pl + sl && strncmp(key, w->pfx, pl) == 0 &&
		    strcmp(key + kl - sl, w->sfx) == 0 &&
		    kl - pl - sl < objsz) {
			memcpy(obj, key + pl, kl - pl - sl);
			obj[kl - pl - sl] = '\0';
			return w;
		}
	}
	return NULL;
}

/* A value for a summary: "72 %", "1.5", "12.3M/s". */
static const char *
anomaly_fmt(char *buf, size_t sz, const struct watch *w, double v)
{
	char	 b[32];

	if (strcmp(w->unit, "B/s") == 0)
		snprintf(buf, sz, "%s", fmt_rate(b, sizeof b, v));
	else
		snprintf(buf, sz, "%s%s%s", fmt_round(b, sizeof b, v),
		    strcmp(w->unit, "%") == 0 ? " " : "", w->unit);
	return buf;
}

/*
 * A value far outside the baseline's spread for a while: in more than
 * half of the window's valid samples (at least ANOMALY_MIN_N) it lies
 * ANOMALY_Z_INFO or more spreads beyond the baseline mean (either way for
 * traffic).  Info, warning at ANOMALY_Z_WARN; never points.
 */
static void
do_anomalies(struct ctx *c, const struct baseline *base)
{
	const struct base_stat	*bs;
	const struct watch	*w;
	struct finding		*f;
	struct wstat		 zs, vs;
	double			*z = c->pv->xs, *v = c->pv->ys, sd;
	char			 obj[NAME_MAX_MOUNT], b1[48], b2[48], b3[48];
	int			 i, j;
	bool			 drop;
	enum severity		 sev;

	if (base == NULL)
		return;
	for (i = 0; i < base->nstats; i++) {
		bs = &base->stats[i];
		if ((w = watch_of(bs->key, obj, sizeof obj)) == NULL ||
		    !FIG_OK(bs->mean) || bs->n < 2)
			continue;
		sd = FIG_OK(bs->sd) ? bs->sd : 0;
		if (sd < w->floor)
			sd = w->floor;
		if (sd < ANOMALY_REL * fabs(bs->mean))
			sd = ANOMALY_REL * fabs(bs->mean);
		for (j = 0; j < c->n; j++) {
			v[j] = baseline_sample_value(c->win[j], bs->key);
			z[j] = FIG_OK(v[j]) ? (v[j] - bs->mean) / sd : FIG_NA;
			if (w->both && FIG_OK(z[j]))
				z[j] = fabs(z[j]);
		}
		wstat_of(z, c->n, &zs);
		if (zs.n < ANOMALY_MIN_N || !FIG_OK(zs.med))
			continue;
		sev = zs.med >= ANOMALY_Z_WARN ? SEV_WARNING :
		    zs.med >= ANOMALY_Z_INFO ? SEV_INFO : SEV_OK;
		if (sev < SEV_INFO)
			continue;
		/* The typical value: the lower median of a rise, the upper
		 * median of a drop (more than half the window beyond it). */
		for (j = 0; j < c->n; j++)
			v[j] = baseline_sample_value(c->win[j], bs->key);
		wstat_of(v, c->n, &vs);
		drop = w->both && vs.med < bs->mean;
		if (drop)
			vs.med = v[vs.n / 2];	/* v is sorted valid values */
		if ((f = finding_add(c, "anomaly", w->res, obj, sev, w->m,
		    vs.med)) == NULL)
			continue;
		f->points = 0;		/* unusual is not unhealthy */
		f->threshold = bs->mean + (drop ? -1 : 1) * ANOMALY_Z_INFO * sd;
		txt_set(f->reason, sizeof f->reason, "unusual %s%s%s", w->label,
		    obj[0] != '\0' ? " " : "", obj);
		txt_set(f->summary, sizeof f->summary, "%s%s%s %s vs "
		    "baseline %s \xc2\xb1 %s (%s%.1f sd)", obj,
		    obj[0] != '\0' ? " " : "", w->label,
		    anomaly_fmt(b1, sizeof b1, w, vs.med),
		    anomaly_fmt(b2, sizeof b2, w, bs->mean),
		    anomaly_fmt(b3, sizeof b3, w, FIG_OK(bs->sd) ? bs->sd : 0),
		    drop ? "\xe2\x88\x92" : "+", fabs(vs.med - bs->mean) / sd);
		txt_set(f->advice, sizeof f->advice, "%s: unusual for this "
		    "machine, though past no threshold; compare with the "
		    "baseline (the diff view lists what changed and the new "
		    "processes)", f->summary);
	}
}

/* ---- ordering, caps, score --------------------------------------------- */

static int
rule_points(const struct finding *f)
{
	const struct rule_def	*rd = rule_get(f->rule);

	if (rd == NULL)
		return 0;
	return f->sev == SEV_CRITICAL ? rd->crit :
	    f->sev == SEV_WARNING ? rd->warn : 0;
}

/* Worst first: severity, points (base or after the caps), resource,
 * object, rule, value.  A total order, so the result is deterministic. */
static int
cmp_findings(const struct finding *a, const struct finding *b, bool capped)
{
	int	 pa = capped ? a->points : rule_points(a);
	int	 pb = capped ? b->points : rule_points(b);
	int	 r;

	if (a->sev != b->sev)
		return a->sev > b->sev ? -1 : 1;
	if (pa != pb)
		return pa > pb ? -1 : 1;
	if (a->res != b->res)
		return a->res < b->res ? -1 : 1;
	if ((r = strcmp(a->object, b->object)) != 0)
		return r;
	if ((r = strcmp(a->rule, b->rule)) != 0)
		return r;
	return (a->value > b->value) - (a->value < b->value);
}

static int
cmp_base(const void *va, const void *vb)
{
	return cmp_findings(va, vb, false);
}

static int
cmp_capped(const void *va, const void *vb)
{
	return cmp_findings(va, vb, true);
}

static int
group_of(enum resource r)
{
	return r == RES_IO ? RES_DISK : (int)r;
}

static void
score(struct ctx *c)
{
	struct analysis	*an = c->an;
	int		 used[RES_NRES] = { 0 }, i, g, room;
	bool		 measured = false;
	enum severity	 worst = SEV_OK;

	/* Caps go to the worst findings first (by their full points)... */
	if (an->nfindings > 1)
		qsort(an->findings, (size_t)an->nfindings,
		    sizeof *an->findings, cmp_base);
	an->health.deducted = an->health.ndeductions = 0;
	for (i = 0; i < an->nfindings; i++) {
		struct finding *f = &an->findings[i];
		g = group_of(f->res);
		room = group_cap[g] - used[g];
		if (f->points > room)
			f->points = room > 0 ? room : 0;
		used[g] += f->points;
		an->health.deducted += f->points;
		if (f->points > 0)
			an->health.ndeductions++;
		if (f->sev > worst)
			worst = f->sev;
	}
	/* ...then they are listed by what they actually deduct. */
	if (an->nfindings > 1)
		qsort(an->findings, (size_t)an->nfindings,
		    sizeof *an->findings, cmp_capped);
	for (i = 0; i < an->nrows && !measured; i++)
		for (g = 0; g < USE_NCOLS; g++)
			if (an->rows[i].cell[g].sev != SEV_NA)
				measured = true;
	if (!measured || c->failed) {
		an->health.status = HEALTH_UNKNOWN;
		an->health.score = -1;
		return;
	}
	an->health.score = 100 - an->health.deducted;
	if (an->health.score < 0)
		an->health.score = 0;
	an->health.status = worst == SEV_CRITICAL ? HEALTH_CRITICAL :
	    worst == SEV_WARNING ? HEALTH_WARNING : HEALTH_OK;
}

/* What could not be measured over the whole window. */
static void
unseen(struct ctx *c)
{
	static const struct { enum metric m; const char *what; } machine[] = {
		{ M_CPU_BUSY, "CPU busy" }, { M_CPU_STEAL, "steal" },
		{ M_CPU_RUNQ, "run queue" }, { M_CPU_PSI, "PSI" },
		{ M_MEM_USED, "memory" }, { M_SWAPOUT, "swap rates" },
		{ M_MAJFLT, "major faults" }, { M_OOM, "OOM kills" },
	};
	char		*u = c->an->unseen;
	struct wstat	 w;
	size_t		 i;
	int		 j, io = 0, procs = 0;
	bool		 speed = false;

	u[0] = '\0';
	for (i = 0; i < sizeof machine / sizeof machine[0]; i++) {
		wstat_metric(c, machine[i].m, "", &w);
		if (w.n == 0)
			txt_cat(u, sizeof c->an->unseen, "%s%s",
			    u[0] ? ", " : "", machine[i].what);
	}
	/* The moment's own table: I/O of other users' processes is not
	 * readable without privileges, and that narrows the disk culprits. */
	for (j = 0; j < c->full->n; j++) {
		procs++;
		if (FIG_OK(proc_io(&c->full->v[j])))
			io++;
	}
	if (procs > 0 && io == 0)
		txt_cat(u, sizeof c->an->unseen, "%sper-process I/O",
		    u[0] ? ", " : "");
	else if (io < procs)
		txt_cat(u, sizeof c->an->unseen, "%sI/O of %d of %d processes",
		    u[0] ? ", " : "", procs - io, procs);
	for (j = 0; j < c->now->nnet; j++)
		if (strcmp(c->now->nets[j].name, "lo") != 0 &&
		    !FIG_OK(c->now->nets[j].speed_bps))
			speed = true;
	if (speed)
		txt_cat(u, sizeof c->an->unseen, "%slink speed",
		    u[0] ? ", " : "");
}

/* ---- entry points ------------------------------------------------------- */

void
analysis_init(struct analysis *an)
{
	memset(an, 0, sizeof *an);
	an->t_first = an->t_last = FIG_NA;
	an->health.score = -1;
	an->health.status = HEALTH_UNKNOWN;
}

void
analysis_done(struct analysis *an)
{
	struct priv	*pv = an->priv;

	if (pv != NULL) {
		free(pv->win);
		free(pv->xs);
		free(pv->ys);
		free(pv->pe);
		free(pv->pg);
		free(pv->order);
		free(pv);
	}
	free(an->rows);
	free(an->findings);
	free(an->trends);
	memset(an, 0, sizeof *an);
}

/* Reset the result and size the scratch for n samples. */
static int
prepare(struct analysis *an, int n)
{
	struct priv	*pv;
	int		 cap;

	an->nsamples = an->nrows = an->nfindings = an->ntrends = 0;
	an->t_first = an->t_last = FIG_NA;
	an->ncpu = 0;
	an->unseen[0] = '\0';
	an->health.score = -1;
	an->health.status = HEALTH_UNKNOWN;
	an->health.deducted = an->health.ndeductions = 0;
	if (an->priv == NULL && (an->priv = calloc(1, sizeof *pv)) == NULL)
		return -1;
	pv = an->priv;
	if (array_grow((void **)&pv->win, &pv->win_cap, n, sizeof *pv->win,
	    false) != 0)
		return -1;
	cap = pv->xy_cap;
	if (array_grow((void **)&pv->xs, &cap, n, sizeof *pv->xs, false) != 0)
		return -1;
	cap = pv->xy_cap;
	if (array_grow((void **)&pv->ys, &cap, n, sizeof *pv->ys, false) != 0)
		return -1;
	pv->xy_cap = cap;
	return 0;
}

int
analysis_run(struct analysis *an, const struct ring *r, int window,
    const struct thresholds *th, const struct baseline *base)
{
	return analysis_run_at(an, r, 0, window, th, base);
}

int
analysis_run_at(struct analysis *an, const struct ring *r, int age,
    int window, const struct thresholds *th, const struct baseline *base)
{
	const struct host	*h = ring_host(r);
	struct ctx		 c;
	int			 len = ring_len(r) - age, i;

	if (age < 0 || len < 0)
		len = 0;
	if (window <= 0 || window > len)
		window = len;
	if (prepare(an, window > 0 ? window : 1) != 0)
		return -1;
	if (window == 0)
		return 0;		/* no data yet: UNKNOWN */
	memset(&c, 0, sizeof c);
	c.an = an;
	c.pv = an->priv;
	c.th = th;
	c.win = c.pv->win;
	c.n = window;
	for (i = 0; i < window; i++)
		c.win[i] = ring_get(r, age + window - 1 - i);
	c.now = c.win[window - 1];
	c.before = ring_get(r, age + window);	/* NULL: window is all */
	/* The full table belongs to the newest sample; an older moment has
	 * only its own top processes. */
	c.full = age == 0 ? ring_full(r) : &c.now->top;
	c.ncpu = h != NULL && h->cpus > 0 ? h->cpus : c.now->ncpu;
	an->nsamples = window;
	an->t_first = c.win[0]->t;
	an->t_last = c.now->t;
	an->ncpu = c.ncpu;
	/* The processes first: culprits and RSS trends need them.  The
	 * per-process fit needs xs/ys as long as the longest group. */
	if (procs_gather(&c) != 0) {
		c.failed = true;
		score(&c);
		return -1;
	}
	do_cpu(&c);
	do_memory(&c);
	do_mem_trends(&c);
	do_disks(&c);
	do_nets(&c);
	do_fs(&c);
	do_anomalies(&c, base);
	unseen(&c);
	score(&c);
	return c.failed ? -1 : 0;
}

size_t
analysis_health_line(const struct analysis *an, char *buf, size_t bufsz,
    bool utf8, int max_reasons)
{
	const char	*dash = utf8 ? "\xe2\x80\x94" : "--";
	const char	*minus = utf8 ? "\xe2\x88\x92" : "-";
	char		 tmp[1024];
	size_t		 len;
	int		 i, shown = 0, more = 0;

	tmp[0] = '\0';
	if (an->health.status == HEALTH_UNKNOWN)
		snprintf(tmp, sizeof tmp, "Health n/a %s nothing measured",
		    dash);
	else {
		snprintf(tmp, sizeof tmp, "Health %d %s", an->health.score,
		    dash);
		for (i = 0; i < an->nfindings; i++) {
			const struct finding *f = &an->findings[i];
			if (f->points <= 0)
				continue;
			if (max_reasons > 0 && shown >= max_reasons) {
				more++;
				continue;
			}
			txt_cat(tmp, sizeof tmp, "%s %s (%s%d)",
			    shown ? "," : "", f->reason, minus, f->points);
			shown++;
		}
		if (more > 0)
			txt_cat(tmp, sizeof tmp, ", +%d more", more);
		if (shown == 0)
			txt_cat(tmp, sizeof tmp, " %s", health_status_name(
			    an->health.status));
	}
	len = strlen(tmp);
	if (bufsz > 0) {
		strlcpy0(buf, tmp, bufsz);
		if (len >= bufsz)
			utf8_trim(buf, bufsz - 1);
	}
	return len;
}
