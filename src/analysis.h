/*
 * analysis.h - diagnosis: USE scorecard, findings, health score, trends.
 *
 * A pure function of a window of samples from the ring, the thresholds and
 * (later) an optional baseline.  No I/O, no curses, no globals, no clock:
 * "now" is the newest sample's t, and the same inputs always give the same
 * result (every sort has a total order, ties broken by name and pid).
 *
 * How it judges (doc/health.md has the full rules):
 * - A level is crossed when MORE THAN HALF of the window's valid samples
 *   reach it (value >= level; for "lower is worse" metrics value <= level).
 *   That is the window's lower median compared with >=, so a single spike in
 *   a multi-sample window never warns, while a batch of a few seconds still
 *   reports a saturated CPU.  With one valid sample, that sample decides.
 * - A figure that could not be measured (NAN) is "n/a": it is neither
 *   evidence of health nor a problem.  Only when nothing at all could be
 *   measured is the status UNKNOWN.
 * - Every deduction of the health score belongs to exactly one finding, and
 *   the finding carries the points it deducts (after the per-resource cap),
 *   so 100 - sum(points) is the score (clamped to 0).
 *
 * Usage (the caller holds the ring lock for the whole call):
 *
 *	struct thresholds th;
 *	struct analysis	  an;
 *	thresholds_defaults(&th);	(then config overrides, see below)
 *	analysis_init(&an);
 *	ring_lock(r);
 *	analysis_run(&an, r, 10, &th, NULL);	last 10 samples, or 0 = all
 *	ring_unlock(r);
 *	... an.health, an.rows[], an.findings[], an.trends[] ...
 *	analysis_done(&an);
 *
 * A struct analysis may be reused for every frame: its arrays grow and are
 * kept.  It owns no pointer into the ring, so it may be read after the
 * unlock.  It is not thread-safe: one analysis per thread.
 */
#ifndef PERFTOP_ANALYSIS_H
#define PERFTOP_ANALYSIS_H

#include <stdbool.h>
#include <stddef.h>

#include "ring.h"
#include "sample.h"

struct baseline;	/* baseline.h: statistics of a normal window */

/*
 * Severity, ordered so that the worst of two is the larger.  Cells use all
 * of them; findings use INFO, WARNING and CRITICAL only.
 */
enum severity {
	SEV_NA,		/* value not measured: "n/a" */
	SEV_NONE,	/* measured, no threshold applies (e.g. bytes/s of a
			   link of unknown speed) */
	SEV_OK,
	SEV_INFO,
	SEV_WARNING,
	SEV_CRITICAL
};
/* "n/a" "-" "ok" "info" "warning" "critical" */
const char	*severity_name(enum severity);

/* Overall status; the values are the --batch exit codes (Nagios). */
enum health_status {
	HEALTH_OK = 0,
	HEALTH_WARNING = 1,
	HEALTH_CRITICAL = 2,
	HEALTH_UNKNOWN = 3
};
/* "OK" "WARNING" "CRITICAL" "UNKNOWN" */
const char	*health_status_name(enum health_status);

enum resource {
	RES_CPU,
	RES_MEMORY,
	RES_IO,		/* the I/O system as a whole (PSI io) */
	RES_DISK,
	RES_NETWORK,
	RES_FS,
	RES_NRES
};
/* "cpu" "memory" "io" "disk" "network" "filesystem" */
const char	*resource_name(enum resource);

/*
 * Metrics with thresholds.  Each has a name for reports ("cpu.busy_pct"),
 * a config name (the setting in the libconfig group `thresholds`), a unit
 * and a direction.  Config names (libconfig: thresholds = { NAME = {
 * info = ..; warn = ..; crit = ..; }; ... }), defaults info/warn/crit:
 *
 *   cpu_busy_pct       %        65 / 72 / 90   busy = 100 - idle - iowait
 *   runq_per_core      tasks    -  / 1.0 / 2.0 runnable tasks (not counting
 *                                              perftop's reader) per core
 *   psi_cpu_some10     %        -  / 10 / 25   PSI cpu some (psi_share())
 *   cpu_steal_pct      %        -  / 10 / 25
 *   mem_used_pct       %        -  / 72 / 90   from MemAvailable
 *   psi_memory_some10  %        -  /  5 / 20
 *   swapout_ps         pages/s  -  /  8 / 10
 *   majflt_ps          /s       -  / 100 / 1000
 *   oom_kills          kills    -  /  1 / 1    any kill in the window: crit
 *   mem_exhaust_min    min     120 / 30 / 5   lower is worse (trend)
 *   rss_growth_mib_min MiB/min  10 / 60 / 600  per process (trend)
 *   disk_busy_pct      %        -  / 56 / 70
 *   disk_await_ms      ms       10 / 20 / 50   judged only when the disk
 *                                              is >= 10 % busy
 *   psi_io_some10      %        -  / 10 / 30
 *   net_util_pct       %        -  / 72 / 90   max(rx, tx) / link speed
 *   net_drops_ps       /s       -  / 0.01 / 100 rx+tx drops
 *   net_errors_ps      /s       -  / 0.01 / 10  rx+tx errors
 *   fs_used_pct        %        -  / 85 / 95
 *   fs_full_hours      h       168 / 24 / 1   lower is worse (trend)
 *
 * A level set to NAN is disabled: the defaults above marked "-", or a level
 * set to "off" in the config (a level left out of a config group keeps its
 * default).
 */
enum metric {
	M_CPU_BUSY,
	M_CPU_RUNQ,
	M_CPU_PSI,
	M_CPU_STEAL,
	M_MEM_USED,
	M_MEM_PSI,
	M_SWAPOUT,
	M_MAJFLT,
	M_OOM,
	M_MEM_EXHAUST,
	M_RSS_GROWTH,
	M_DISK_BUSY,
	M_DISK_AWAIT,
	M_IO_PSI,
	M_NET_UTIL,
	M_NET_DROPS,
	M_NET_ERRORS,
	M_FS_USED,
	M_FS_FULL,
	M_NMETRICS,
	M_NONE = -1
};

struct metric_def {
	const char	*name;		/* "cpu.busy_pct": reports, JSON */
	const char	*conf;		/* "cpu_busy_pct": config setting */
	const char	*unit;		/* "%", "ms", "/s", ... */
	const char	*label;		/* "CPU busy": screen */
	enum resource	 res;
	bool		 lower_worse;	/* time-to-full style metrics */
	bool		 per_sample;	/* alerts can watch it sample by sample */
	bool		 event;		/* counts events (OOM): fires at once */
	size_t		 field;		/* the figure it is: offset of a double
					   in struct sample, or for disk,
					   network and filesystem metrics in
					   the object's disk_figs, net_figs or
					   fs_figs; 0 when it is computed from
					   several (metric_sample()) */
};
/* The definition of m, NULL when m is out of range. */
const struct metric_def *metric_get(enum metric m);
/* Metric by config name or report name; M_NONE when unknown. */
enum metric	 metric_find(const char *name);

/* One threshold: info, warn and crit levels (NAN = disabled). */
struct level {
	double	info;
	double	warn;
	double	crit;
};

struct thresholds {
	struct level	lv[M_NMETRICS];		/* indexed by enum metric */

	/* Alerts (alerts.h); config names in brackets. */
	double	alert_duration_s;	/* [alert_duration_s] 6: a level must
					   hold this long before an alert
					   fires */
	double	hysteresis_pct;		/* [hysteresis_pct] 5: percent metrics
					   clear only below level - 5 points */
	double	hysteresis_rel;		/* [hysteresis_rel] 0.1: other metrics
					   clear only below level * (1 - 0.1) */

	/* Trends (least squares over the window). */
	int	trend_min_points;	/* [trend_min_points] 5 */
	double	trend_min_r2;		/* [trend_min_r2] 0.8 */
};

void	 thresholds_defaults(struct thresholds *);
/*
 * Check the levels are ordered (info <= warn <= crit, reversed for lower-
 * is-worse metrics; NAN levels are skipped) and the other settings are in
 * range.  Returns 0, or -1 with *cause naming the setting (caller frees).
 */
int	 thresholds_check(const struct thresholds *, char **cause);
/*
 * Severity of value v against lv: crit, warn and info levels in turn, each
 * compared with >= (<= when lower_worse).  SEV_NA for NAN, SEV_OK below
 * every level.  A value exactly at a level has that level's severity.
 */
enum severity	 level_judge(const struct level *, bool lower_worse, double v);

/* ---- scorecard ---------------------------------------------------------- */

enum use_col { USE_U, USE_S, USE_E, USE_NCOLS };

struct use_cell {
	double		value;		/* the judged figure; NAN = n/a */
	enum severity	sev;
	enum metric	metric;		/* what value is; M_NONE if none */
	char		text[96];	/* "97 %", "runq 3.0/core, PSI 40 %" */
};

/* One row: cpu, memory, io, then each disk, interface and filesystem. */
struct use_row {
	enum resource	res;
	char		object[NAME_MAX_MOUNT];	/* disk, iface, mount or "" */
	struct use_cell	cell[USE_NCOLS];
	enum severity	sev;		/* worst cell */
};

/* ---- findings ----------------------------------------------------------- */

#define CULPRITS_MAX	4		/* the culprit and up to 3 more */
#define FINDING_SUMMARY	160
#define FINDING_ADVICE	512

struct culprit {
	int	pid;			/* 0: none */
	double	start_time;		/* to tell a reused pid apart */
	char	comm[NAME_MAX_COMM];	/* sanitized already */
	double	value;			/* its use: cpu % (100 = a core),
					   bytes/s of I/O, RSS bytes, or RSS
					   growth bytes/s */
	double	share_pct;		/* its part of all use of the resource
					   in the window, 0-100; NAN when the
					   total is unknown */
};

struct finding {
	char		 rule[24];	/* "cpu.saturated", "disk.saturated" */
	enum resource	 res;
	char		 object[NAME_MAX_MOUNT]; /* "sda", "eth0", "/var", "" */
	enum severity	 sev;		/* SEV_INFO, SEV_WARNING, SEV_CRITICAL */
	char		 reason[64];	/* for the score: "CPU saturated" */
	char		 summary[FINDING_SUMMARY];
	enum metric	 metric;	/* the metric that set sev */
	double		 value;		/* its window value */
	double		 threshold;	/* the level crossed */
	int		 points;	/* deducted from the score (>= 0) */
	int		 nculprits;	/* culprits[0] is "the" culprit */
	struct culprit	 culprits[CULPRITS_MAX];
	char		 advice[FINDING_ADVICE]; /* concrete next step */
};

/* ---- trends ------------------------------------------------------------- */

enum trend_kind {
	TREND_FS,		/* filesystem used bytes: full in ... */
	TREND_MEM,		/* memory used bytes: exhausted in ... */
	TREND_RSS		/* one process's RSS: leak suspect */
};

struct trend {
	enum trend_kind	kind;
	char		object[NAME_MAX_MOUNT];	/* mount, "", or comm */
	int		pid;			/* TREND_RSS */
	double		slope;		/* bytes per second (least squares) */
	double		r2;		/* fit quality 0..1 */
	int		npoints;
	double		now;		/* fitted value at the newest sample */
	double		eta_s;		/* seconds until full; NAN if none */
	enum severity	sev;		/* SEV_INFO when below every level */
	char		text[FINDING_SUMMARY];
};

/* ---- result ------------------------------------------------------------- */

/*
 * The deductions are the findings with points > 0, in findings order (the
 * worst first): score = 100 - deducted, clamped to 0.
 */
struct health {
	int			score;	/* 0..100; -1 when UNKNOWN */
	enum health_status	status;	/* worst finding severity */
	int			deducted; /* sum of the findings' points */
	int			ndeductions; /* findings with points > 0 */
};

struct analysis {
	/* Window actually used. */
	int		 nsamples;
	double		 t_first, t_last;	/* epoch s; NAN when empty */
	int		 ncpu;			/* cores used for per-core */

	struct health	 health;

	int		 nrows;
	struct use_row	*rows;
	int		 nfindings;
	struct finding	*findings;	/* worst first: severity, points,
					   resource, object, rule */
	int		 ntrends;
	struct trend	*trends;

	/* What could not be seen: "PSI, steal, per-process I/O", or "". */
	char		 unseen[256];

	/* Private: capacities and scratch buffers, kept between runs. */
	int		 rows_cap, findings_cap, trends_cap;
	void		*priv;
};

void	 analysis_init(struct analysis *);
void	 analysis_done(struct analysis *);

/*
 * Analyse the newest `window` samples of r (window <= 0 or more than
 * ring_len(r): all of them), with the full process table of the newest
 * sample for memory culprits.  th and base are borrowed; base may be NULL
 * (with a baseline, values far outside its spread become "anomaly"
 * findings, doc/health.md).  The caller holds the ring lock.  Returns 0, or -1 on
 * allocation failure (the result then says UNKNOWN).
 */
int	 analysis_run(struct analysis *, const struct ring *r, int window,
	    const struct thresholds *th, const struct baseline *base);
/*
 * The same for the moment `age` samples before the newest (0 = newest):
 * the window ends there (frozen view, rewind).  An older moment has no full
 * process table: its sample's top list stands in.
 */
int	 analysis_run_at(struct analysis *, const struct ring *r, int age,
	    int window, const struct thresholds *th,
	    const struct baseline *base);

/*
 * The one-line summary: "Health 58 — CPU saturated (−30), swap in use
 * (−12)", at most max_reasons reasons (<= 0: all), ", +2 more" when cut.
 * utf8 false gives "Health 58 -- CPU saturated (-30), ...".  An UNKNOWN
 * result reads "Health n/a — nothing measured"; no deduction reads
 * "Health 100 — OK".  Always NUL-terminates; returns the length it would
 * have had (like snprintf).
 */
size_t	 analysis_health_line(const struct analysis *, char *buf,
	    size_t bufsz, bool utf8, int max_reasons);

/*
 * Per-sample metric value (what alerts watch): v for metric m of object
 * index obj (a disk, net or fs index of s; ignored for machine-wide
 * metrics).  prev is the sample before s (NULL if none), for the PSI
 * shares; ncpu is the core count.  NAN when not measured, or, for
 * M_DISK_AWAIT, when the disk was less than 10 % busy (too few I/Os to
 * judge latency).  Trend metrics (M_MEM_EXHAUST, M_RSS_GROWTH, M_FS_FULL)
 * are NAN here.
 */
double	 metric_sample(const struct sample *s, const struct sample *prev,
	    int ncpu, enum metric m, int obj);
/*
 * PSI "some" share of resource r, percent: the stall time between prev and
 * s (from the cumulative some_total_us counters, so it has no lag), or the
 * kernel's avg10 (a 10 s decaying average) when that cannot be computed.
 */
double	 psi_share(const struct sample *s, const struct sample *prev,
	    enum psi_res r);
/* Object name of index obj for metric m in s ("" for machine-wide). */
const char *metric_object(const struct sample *s, enum metric m, int obj);
/* Number of objects of m in s (1 for machine-wide metrics). */
int	 metric_nobjects(const struct sample *s, enum metric m);

#endif
