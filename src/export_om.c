/*
 * export_om.c - the Prometheus text exposition format (version 0.0.4), as
 * node_exporter's textfile collector reads it: health, findings, alerts
 * and the key utilization and saturation figures of the moment, so that
 * Prometheus and Grafana can watch every host's perftop.
 *
 * doc/openmetrics.md is the contract: every metric, its type, unit and
 * labels.  The rules followed here:
 * - no timestamps (the textfile collector refuses them); the moment's own
 *   time is a gauge, perftop_report_timestamp_seconds;
 * - base units: seconds, bytes, and ratios 0..1 for shares of time or
 *   capacity (CPU busy, disk busy, PSI, memory and filesystem used);
 * - rates that perftop computed over its interval are gauges named
 *   ..._per_second; cumulative kernel counters are counters named ..._total;
 * - each family is written whole (HELP, TYPE, its samples) and only when it
 *   has a sample; a figure that was not measured is left out, never 0;
 * - label values escape '\', '"' and newline; names from the machine were
 *   sanitized at ingest, so they are valid UTF-8 with no control bytes;
 *   two samples of a family never share a label set (later duplicates are
 *   dropped), which Prometheus would refuse.
 */
#include <config.h>

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "alerts.h"
#include "analysis.h"
#include "export.h"

#define OM_LABELS_MAX	2048
#define RATIO_DIGITS	1e9	/* ratios keep 9 decimals */
#define EXACT_INT_MAX	9007199254740992.0

struct om {
	FILE		*f;
	const char	*name;
	const char	*type;
	const char	*help;
	bool		 head;		/* HELP and TYPE written */
};

/* Start a family; its header is written with its first sample. */
static void
om_family(struct om *o, const char *name, const char *type, const char *help)
{
	o->name = name;
	o->type = type;
	o->help = help;
	o->head = false;
}

static void
om_num(FILE *f, double x)
{
	if (isnan(x))
		fputs("NaN", f);
	else if (isinf(x))
		fputs(x > 0 ? "+Inf" : "-Inf", f);
	else {
		if (fabs(x) < EXACT_INT_MAX / RATIO_DIGITS)
			x = round(x * RATIO_DIGITS) / RATIO_DIGITS;
		if (x == floor(x) && fabs(x) <= EXACT_INT_MAX)
			fprintf(f, "%.0f", x);
		else
			fprintf(f, "%.15g", x);
	}
}

/* One sample; labels is "" or "{...}".  Not measured: left out. */
static void
om_sample(struct om *o, const char *labels, double v)
{
	if (!isfinite(v))
		return;
	if (!o->head) {
		fprintf(o->f, "# HELP %s %s\n# TYPE %s %s\n", o->name,
		    o->help, o->name, o->type);
		o->head = true;
	}
	fprintf(o->f, "%s%s ", o->name, labels);
	om_num(o->f, v);
	fputc('\n', o->f);
}

/* The whole family of one unlabelled sample. */
static void
om_gauge(struct om *o, const char *name, const char *help, double v)
{
	om_family(o, name, "gauge", help);
	om_sample(o, "", v);
}

/*
 * Labels into buf: pairs of name and value, ended by NULL, as
 * {a="x",b="y"} with values escaped (\\ \" \n).  Every value is a name
 * bounded by sample.h (at most NAME_MAX_MOUNT bytes, twice that escaped),
 * and a family has at most five labels, so OM_LABELS_MAX always holds them.
 */
static const char *
om_labels(char *buf, size_t bufsz, ...)
{
	va_list		 ap;
	const char	*k, *v;
	size_t		 n = 0;

	va_start(ap, bufsz);
	buf[n++] = '{';
	while ((k = va_arg(ap, const char *)) != NULL) {
		v = va_arg(ap, const char *);
		/* name="" plus a comma, a brace and the NUL. */
		if (n + strlen(k) + 2 * strlen(v) + 6 >= bufsz)
			break;
		if (n > 1)
			buf[n++] = ',';
		n += (size_t)sprintf(buf + n, "%s=\"", k);
		for (; *v != '\0'; v++) {
			if (*v == '\\' || *v == '"' || *v == '\n')
				buf[n++] = '\\';
			buf[n++] = *v == '\n' ? 'n' : *v;
		}
		buf[n++] = '"';
	}
	va_end(ap);
	buf[n++] = '}';
	buf[n] = '\0';
	return buf;
}

/* ---- the diagnosis ------------------------------------------------------ */

static const enum severity om_levels[] = { SEV_INFO, SEV_WARNING,
    SEV_CRITICAL };

static bool
om_same_finding(const struct finding *a, const struct finding *b)
{
	return strcmp(a->rule, b->rule) == 0 && a->res == b->res &&
	    strcmp(a->object, b->object) == 0 && a->sev == b->sev &&
	    a->metric == b->metric;
}

static const char *
om_finding_labels(char *buf, size_t bufsz, const struct finding *fd)
{
	const struct metric_def	*md = metric_get(fd->metric);

	return om_labels(buf, bufsz, "rule", fd->rule, "resource",
	    resource_name(fd->res), "object", fd->object, "severity",
	    severity_name(fd->sev), "metric", md != NULL ? md->name : "",
	    (const char *)NULL);
}

static void
om_diagnosis(struct om *o, const struct report *rp)
{
	const struct analysis	*an = rp->an;
	const struct alert	*al;
	enum health_status	 st = export_status(rp);
	char			 lb[OM_LABELS_MAX];
	int			 i, j, n, count;
	size_t			 l;

	if (an != NULL && st != HEALTH_UNKNOWN && an->health.score >= 0)
		om_gauge(o, "perftop_health_score", "Health score of the "
		    "window, 0 (worst) to 100 (no deduction).",
		    an->health.score);
	om_gauge(o, "perftop_health_status", "Health status: 0 OK, 1 "
	    "WARNING, 2 CRITICAL, 3 UNKNOWN (the batch exit status).",
	    (double)st);

	om_family(o, "perftop_findings", "gauge",
	    "Number of findings of the window by severity.");
	for (l = 0; l < sizeof om_levels / sizeof om_levels[0]; l++) {
		count = 0;
		for (i = 0; an != NULL && i < an->nfindings; i++)
			if (an->findings[i].sev == om_levels[l])
				count++;
		om_sample(o, om_labels(lb, sizeof lb, "severity",
		    severity_name(om_levels[l]), (const char *)NULL), count);
	}

	n = an != NULL ? an->nfindings : 0;
	om_family(o, "perftop_finding", "gauge", "A finding of the window "
	    "(always 1): what rule, on which resource and object, how "
	    "severe.");
	for (i = 0; i < n; i++) {
		for (j = 0; j < i && !om_same_finding(&an->findings[j],
		    &an->findings[i]); j++)
			;
		if (j == i)
			om_sample(o, om_finding_labels(lb, sizeof lb,
			    &an->findings[i]), 1);
	}
	om_family(o, "perftop_finding_points", "gauge", "Points a finding "
	    "deducts from the health score.");
	for (i = 0; i < n; i++) {
		for (j = 0; j < i && !om_same_finding(&an->findings[j],
		    &an->findings[i]); j++)
			;
		if (j == i)
			om_sample(o, om_finding_labels(lb, sizeof lb,
			    &an->findings[i]), an->findings[i].points);
	}

	om_family(o, "perftop_alerts_active", "gauge",
	    "Number of active alerts by level.");
	n = rp->alerts != NULL ? alerts_count(rp->alerts) : 0;
	for (l = 0; l < sizeof om_levels / sizeof om_levels[0]; l++) {
		count = 0;
		for (i = 0; i < n; i++)
			if ((al = alerts_get(rp->alerts, i)) != NULL &&
			    al->active && al->level == om_levels[l])
				count++;
		om_sample(o, om_labels(lb, sizeof lb, "level",
		    severity_name(om_levels[l]), (const char *)NULL), count);
	}
}

/* ---- figures of the moment ---------------------------------------------- */

#define SF(field)	offsetof(struct sample, field)
#define FIELD(p, off) (*(const double *)(const void *)((const char *)(p) + (off)))

/* A machine-wide gauge: the field at off, times scale. */
static const struct {
	const char	*name;
	const char	*help;
	size_t		 off;
	double		 scale;
} om_sys[] = {
	{ "perftop_cpu_busy_ratio", "Share of all CPUs' time busy (not idle, "
	    "not iowait), 0..1.", SF(cpu.busy), 0.01 },
	{ "perftop_load1", "Load average over 1 minute.", SF(load[0]), 1 },
	{ "perftop_load5", "Load average over 5 minutes.", SF(load[1]), 1 },
	{ "perftop_load15", "Load average over 15 minutes.", SF(load[2]), 1 },
	{ "perftop_procs_running", "Runnable tasks.", SF(procs_running), 1 },
	{ "perftop_procs_blocked", "Tasks blocked on I/O (D state).",
	    SF(procs_blocked), 1 },
	{ "perftop_context_switches_per_second", "Context switches per "
	    "second over the interval.", SF(ctxsw_ps), 1 },
	{ "perftop_memory_total_bytes", "Memory size.", SF(mem.total_bytes),
	    1 },
	{ "perftop_memory_used_bytes", "Memory in use: total minus "
	    "MemAvailable.", SF(mem.used_bytes), 1 },
	{ "perftop_memory_available_bytes", "MemAvailable: memory that can be "
	    "had without swapping.", SF(mem.available_bytes), 1 },
	{ "perftop_memory_used_ratio", "Memory used over memory size, 0..1.",
	    SF(mem.used_pct), 0.01 },
	{ "perftop_swap_total_bytes", "Swap size.", SF(mem.swap_total_bytes),
	    1 },
	{ "perftop_swap_used_bytes", "Swap in use.", SF(mem.swap_used_bytes),
	    1 },
	{ "perftop_swap_in_pages_per_second", "Pages swapped in per second.",
	    SF(mem.swapin_ps), 1 },
	{ "perftop_swap_out_pages_per_second", "Pages swapped out per "
	    "second.", SF(mem.swapout_ps), 1 },
	{ "perftop_major_page_faults_per_second", "Major page faults per "
	    "second.", SF(mem.majflt_ps), 1 },
};

static void
om_machine(struct om *o, const struct report *rp, const struct sample *s)
{
	static const struct {
		const char	*mode;
		size_t		 off;
	} modes[] = {
		{ "user", SF(cpu.user) }, { "system", SF(cpu.system) },
		{ "iowait", SF(cpu.iowait) }, { "steal", SF(cpu.steal) },
		{ "idle", SF(cpu.idle) },
	};
	static const char *const psi[PSI_NRES] = { "cpu", "memory", "io" };
	const struct host	*h = ring_host(rp->ring);
	char			 lb[OM_LABELS_MAX];
	size_t			 i;
	int			 r;

	if (h->cpus > 0)
		om_gauge(o, "perftop_cpus", "CPUs (cores) of the host.",
		    h->cpus);
	om_family(o, "perftop_cpu_ratio", "gauge", "Share of all CPUs' time "
	    "by mode, 0..1 (user includes nice, system irq and softirq).");
	for (i = 0; i < sizeof modes / sizeof modes[0]; i++)
		om_sample(o, om_labels(lb, sizeof lb, "mode", modes[i].mode,
		    (const char *)NULL), FIELD(s, modes[i].off) / 100);
	for (i = 0; i < sizeof om_sys / sizeof om_sys[0]; i++)
		om_gauge(o, om_sys[i].name, om_sys[i].help,
		    FIELD(s, om_sys[i].off) * om_sys[i].scale);
	if (s->top.total > 0)
		om_gauge(o, "perftop_processes", "Tasks on the host.",
		    s->top.total);
	om_family(o, "perftop_oom_kills_total", "counter",
	    "Processes killed by the OOM killer since boot.");
	om_sample(o, "", s->mem.oom_kills_total);

	om_family(o, "perftop_pressure_some_ratio", "gauge", "PSI: share of "
	    "time some task stalled on the resource, 10 s average, 0..1.");
	for (r = 0; r < PSI_NRES; r++)
		om_sample(o, om_labels(lb, sizeof lb, "resource", psi[r],
		    (const char *)NULL), s->psi[r].some_avg10 / 100);
	om_family(o, "perftop_pressure_full_ratio", "gauge", "PSI: share of "
	    "time all non-idle tasks stalled on the resource, 10 s average, "
	    "0..1.");
	for (r = 0; r < PSI_NRES; r++)
		om_sample(o, om_labels(lb, sizeof lb, "resource", psi[r],
		    (const char *)NULL), s->psi[r].full_avg10 / 100);
	om_family(o, "perftop_pressure_some_stalled_seconds_total", "counter",
	    "PSI: time some task stalled on the resource since boot.");
	for (r = 0; r < PSI_NRES; r++)
		om_sample(o, om_labels(lb, sizeof lb, "resource", psi[r],
		    (const char *)NULL), s->psi[r].some_total_us / 1e6);
	om_family(o, "perftop_pressure_full_stalled_seconds_total", "counter",
	    "PSI: time all non-idle tasks stalled on the resource since "
	    "boot.");
	for (r = 0; r < PSI_NRES; r++)
		om_sample(o, om_labels(lb, sizeof lb, "resource", psi[r],
		    (const char *)NULL), s->psi[r].full_total_us / 1e6);
}

/* A per-device figure; kind 0 disk, 1 interface, 2 filesystem. */
struct om_dev {
	int		 kind;
	const char	*name;
	const char	*help;
	size_t		 off;
	double		 scale;
};

#define DF(field)	offsetof(struct disk_figs, field)
#define NF(field)	offsetof(struct net_figs, field)
#define FF(field)	offsetof(struct fs_figs, field)

static const struct om_dev om_devs[] = {
	{ 0, "perftop_disk_busy_ratio", "Share of time the disk had I/O in "
	    "flight (iostat %util), 0..1.", DF(util_pct), 0.01 },
	{ 0, "perftop_disk_await_seconds", "Average time per completed I/O, "
	    "queue and service.", DF(await_ms), 0.001 },
	{ 0, "perftop_disk_queue_depth", "Average number of I/Os in flight "
	    "(aqu-sz).", DF(queue), 1 },
	{ 0, "perftop_disk_read_bytes_per_second", "Bytes read per second.",
	    DF(read_bps), 1 },
	{ 0, "perftop_disk_written_bytes_per_second", "Bytes written per "
	    "second.", DF(write_bps), 1 },
	{ 0, "perftop_disk_reads_per_second", "Reads completed per second.",
	    DF(read_iops), 1 },
	{ 0, "perftop_disk_writes_per_second", "Writes completed per second.",
	    DF(write_iops), 1 },
	{ 1, "perftop_network_receive_bytes_per_second", "Bytes received per "
	    "second.", NF(rx_bps), 1 },
	{ 1, "perftop_network_transmit_bytes_per_second", "Bytes sent per "
	    "second.", NF(tx_bps), 1 },
	{ 1, "perftop_network_receive_packets_per_second", "Packets received "
	    "per second.", NF(rx_pps), 1 },
	{ 1, "perftop_network_transmit_packets_per_second", "Packets sent per "
	    "second.", NF(tx_pps), 1 },
	{ 1, "perftop_network_receive_errors_per_second", "Receive errors per "
	    "second.", NF(rx_errors_ps), 1 },
	{ 1, "perftop_network_transmit_errors_per_second", "Transmit errors "
	    "per second.", NF(tx_errors_ps), 1 },
	{ 1, "perftop_network_receive_drops_per_second", "Received packets "
	    "dropped per second.", NF(rx_drops_ps), 1 },
	{ 1, "perftop_network_transmit_drops_per_second", "Packets to send "
	    "dropped per second.", NF(tx_drops_ps), 1 },
	{ 1, "perftop_network_speed_bytes_per_second", "Link speed.",
	    NF(speed_bps), 1 },
	{ 2, "perftop_filesystem_used_ratio", "Used over used plus available "
	    "space (as df), 0..1.", FF(used_pct), 0.01 },
	{ 2, "perftop_filesystem_size_bytes", "Filesystem size.",
	    FF(size_bytes), 1 },
	{ 2, "perftop_filesystem_used_bytes", "Space in use.", FF(used_bytes),
	    1 },
	{ 2, "perftop_filesystem_avail_bytes", "Space available to "
	    "unprivileged users.", FF(avail_bytes), 1 },
};

static const char *
om_dev_name(const struct sample *s, int kind, int i)
{
	return kind == 0 ? s->disks[i].name : kind == 1 ? s->nets[i].name :
	    s->fs[i].mount;
}

static const void *
om_dev_figs(const struct sample *s, int kind, int i)
{
	return kind == 0 ? (const void *)&s->disks[i] : kind == 1 ?
	    (const void *)&s->nets[i] : (const void *)&s->fs[i];
}

/* Index i is the first of its name in s. */
static bool
om_dev_first(const struct sample *s, int kind, int i)
{
	int	 j;

	for (j = 0; j < i; j++)
		if (strcmp(om_dev_name(s, kind, j), om_dev_name(s, kind, i)) ==
		    0)
			return false;
	return true;
}

static void
om_devices(struct om *o, const struct sample *s)
{
	char	 lb[OM_LABELS_MAX];
	size_t	 d;
	int	 i, n, kind;

	for (d = 0; d < sizeof om_devs / sizeof om_devs[0]; d++) {
		kind = om_devs[d].kind;
		n = kind == 0 ? s->ndisk : kind == 1 ? s->nnet : s->nfs;
		om_family(o, om_devs[d].name, "gauge", om_devs[d].help);
		for (i = 0; i < n; i++) {
			if (!om_dev_first(s, kind, i))
				continue;
			om_labels(lb, sizeof lb, kind == 2 ? "mountpoint" :
			    "device", om_dev_name(s, kind, i),
			    (const char *)NULL);
			om_sample(o, lb, FIELD(om_dev_figs(s, kind, i),
			    om_devs[d].off) * om_devs[d].scale);
		}
	}
	om_family(o, "perftop_network_up", "gauge",
	    "1 when the interface is up, 0 when down.");
	for (i = 0; i < s->nnet; i++)
		if (om_dev_first(s, 1, i) && (s->nets[i].up == 0 ||
		    s->nets[i].up == 1))
			om_sample(o, om_labels(lb, sizeof lb, "device",
			    s->nets[i].name, (const char *)NULL),
			    s->nets[i].up);
}

int
export_openmetrics(FILE *f, const struct report *rp)
{
	const struct sample	*last = export_sample(rp, 0);
	const struct sample	*first = export_sample(rp, export_len(rp) - 1);
	struct om		 o = { f, NULL, NULL, NULL, false };
	char			 host[256], lb[OM_LABELS_MAX];
	double			 span = FIG_NA;

	om_gauge(&o, "perftop_up", "1: perftop wrote this report.", 1);
	export_hostname(rp, host, sizeof host);
	om_family(&o, "perftop_info", "gauge", "perftop's version and the "
	    "host it watched (always 1).");
	om_sample(&o, om_labels(lb, sizeof lb, "version", PACKAGE_VERSION,
	    "host", host, (const char *)NULL), 1);
	if (last != NULL) {
		om_gauge(&o, "perftop_report_timestamp_seconds", "Time of the "
		    "moment reported (its newest sample), epoch seconds.",
		    last->t);
		/* The wall clock may have been stepped inside the window:
		 * then the monotonic clock tells its length. */
		span = last->t - first->t;
		if (FIG_OK(last->mono) && FIG_OK(first->mono) &&
		    fabs(span - (last->mono - first->mono)) > 1)
			span = last->mono - first->mono;
		om_gauge(&o, "perftop_window_seconds", "Length of the window "
		    "judged, from its oldest to its newest sample.",
		    span >= 0 ? span : FIG_NA);
	}
	om_gauge(&o, "perftop_window_samples", "Samples in the window judged.",
	    export_len(rp));
	om_diagnosis(&o, rp);
	if (last != NULL) {
		om_machine(&o, rp, last);
		om_devices(&o, last);
	}
	return ferror(f) ? -1 : 0;
}
