/*
 * export_json.c - the batch JSON document (doc/json.md is its contract).
 *
 * The head of the document holds the host, the window and the diagnosis
 * (health, findings, USE scorecard, trends, alerts, advice), then come the
 * samples and the process table.
 *
 * Every figure goes through json_fig(): NAN (not measured) and infinities
 * become null, never 0; whole numbers that a double holds exactly become
 * JSON integers so byte counts keep every digit; the rest are reals with
 * at most 6 decimals.  Text
 * goes through json_text(), which re-sanitizes anything that is not clean
 * UTF-8, so jansson never refuses a string.  Building stops at the first
 * allocation failure: the caller sees NULL (errno ENOMEM), never a document
 * with holes.
 *
 * The figures of a sample, a process, the host and the baseline are named
 * by the field tables of sample.h and snapshot.h, which the snapshot loader
 * reads back by: a name is spelled once.  Text, booleans and arrays are
 * written by hand around them.
 *
 * export_json() builds the whole document; export_json_write() streams the
 * same document one sample at a time, re-indenting each piece, so the
 * memory a long batch needs does not grow with the number of samples.
 *
 * The report's moment (age) bounds the window: newer samples are left out
 * and the process table is that of the moment.  With report.redact the
 * host name becomes its hash and command lines lose their arguments, in
 * processes[] and in every top[].  A snapshot (report.snapshot,
 * doc/snapshot.md) adds the moment shown (view), the config in force (never
 * the hook command), the baseline and each sample's top processes; without
 * it the batch document is unchanged.
 */
#include <config.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "export.h"
#include "sanitize.h"
#include "snapshot.h"

#define JSON_FLAGS	(JSON_INDENT(2) | JSON_REAL_PRECISION(15))
#define EXACT_INT_MAX	9007199254740992.0	/* 2^53 */
#define ROUND_LIMIT	(EXACT_INT_MAX / 1e6)	/* x * 1e6 still exact */

/* A builder: records the first failure so callers can chain freely. */
struct jb {
	bool	 failed;
};

static json_t *
jb_check(struct jb *b, json_t *v)
{
	if (v == NULL)
		b->failed = true;
	return v;
}

/* Set key in obj to v (a new reference, may be NULL after a failure). */
static void
jb_set(struct jb *b, json_t *obj, const char *key, json_t *v)
{
	if (obj == NULL || v == NULL) {
		json_decref(v);
		b->failed = true;
		return;
	}
	if (json_object_set_new(obj, key, v) != 0)
		b->failed = true;
}

static void
jb_append(struct jb *b, json_t *arr, json_t *v)
{
	if (arr == NULL || v == NULL) {
		json_decref(v);
		b->failed = true;
		return;
	}
	if (json_array_append_new(arr, v) != 0)
		b->failed = true;
}

/*
 * A figure: null when not measured, an integer when it is one.  Fractions
 * are rounded to 6 decimals (a microsecond, a millionth of a percent), which
 * drops the float noise of a subtraction (0.200117868000007) and keeps every
 * digit that was measured; 15 significant digits print it exactly.  Epoch
 * times have 10 integer digits, so they keep 5 decimals: the live source
 * rounds its clocks to 10 us for that reason, and a replay reads back the
 * very doubles the live analysis used.
 */
static json_t *
json_fig(struct jb *b, double x)
{
	if (!isfinite(x))
		return jb_check(b, json_null());
	if (fabs(x) < ROUND_LIMIT)
		x = round(x * 1e6) / 1e6;
	if (x == floor(x) && fabs(x) <= EXACT_INT_MAX)
		return jb_check(b, json_integer((json_int_t)x));
	return jb_check(b, json_real(x));
}

static void
jb_fig(struct jb *b, json_t *obj, const char *key, double x)
{
	jb_set(b, obj, key, json_fig(b, x));
}

static void
jb_int(struct jb *b, json_t *obj, const char *key, long long v)
{
	jb_set(b, obj, key, jb_check(b, json_integer((json_int_t)v)));
}

/* Field f of the struct at base: a figure, or (FIG_COUNT) an int. */
static double
field_fig(const void *base, const struct fig_field *f)
{
	double	 x;

	memcpy(&x, (const char *)base + f->off, sizeof x);
	return x;
}

static int
field_count(const void *base, const struct fig_field *f)
{
	int	 n;

	memcpy(&n, (const char *)base + f->off, sizeof n);
	return n;
}

/* The fields of a table (sample.h) from the struct at base, in order. */
static void
jb_fields(struct jb *b, json_t *obj, const void *base,
    const struct fig_field *f)
{
	for (; f->name != NULL; f++)
		if (f->flags & FIG_COUNT)
			jb_int(b, obj, f->name, field_count(base, f));
		else
			jb_fig(b, obj, f->name, field_fig(base, f));
}

/* A new object holding the figures of a table. */
static json_t *
json_fields(struct jb *b, const void *base, const struct fig_field *f)
{
	json_t	*o = jb_check(b, json_object());

	jb_fields(b, o, base, f);
	return o;
}

/* Text: as it is when clean (sources sanitized it), else sanitized here. */
static json_t *
json_text(struct jb *b, const char *s)
{
	json_t	*v;
	char	*buf;
	size_t	 len, need;

	if (s == NULL)
		return jb_check(b, json_null());
	len = strlen(s);
	if (text_is_clean(s) && (v = json_stringn(s, len)) != NULL)
		return v;
	need = text_sanitize(NULL, 0, s, len, false) + 1;
	if ((buf = malloc(need)) == NULL)
		return jb_check(b, NULL);
	text_sanitize(buf, need, s, len, false);
	v = json_stringn(buf, strlen(buf));
	free(buf);
	return jb_check(b, v);
}

static void
jb_text(struct jb *b, json_t *obj, const char *key, const char *s)
{
	jb_set(b, obj, key, json_text(b, s));
}

static json_t *
json_host(struct jb *b, const struct report *rp)
{
	const struct host	*h = ring_host(rp->ring);
	json_t			*o = jb_check(b, json_object());
	char			 name[sizeof h->hostname];

	export_hostname(rp, name, sizeof name);
	jb_text(b, o, "hostname", name);
	jb_text(b, o, "kernel", h->kernel);
	jb_text(b, o, "os", h->os);
	jb_text(b, o, "arch", h->arch);
	if (h->cpus > 0)
		jb_int(b, o, "cpus", h->cpus);
	else
		jb_set(b, o, "cpus", jb_check(b, json_null()));
	jb_fields(b, o, h, host_fields);
	return o;
}

/* One PSI resource; null when the kernel gave none of its figures. */
static json_t *
json_psi(struct jb *b, const struct psi_figs *p)
{
	const struct fig_field	*f;

	for (f = psi_figs_fields; f->name != NULL; f++)
		if (FIG_OK(field_fig(p, f)))
			return json_fields(b, p, psi_figs_fields);
	return jb_check(b, json_null());
}

static json_t *
json_disk(struct jb *b, const struct disk_figs *d)
{
	json_t	*o = jb_check(b, json_object());

	jb_text(b, o, "name", d->name);
	jb_fields(b, o, d, disk_figs_fields);
	return o;
}

static json_t *
json_net(struct jb *b, const struct net_figs *n)
{
	json_t	*o = jb_check(b, json_object());

	jb_text(b, o, "name", n->name);
	jb_fields(b, o, n, net_figs_fields);
	if (n->up == 0 || n->up == 1)
		jb_set(b, o, "up", jb_check(b, json_boolean(n->up)));
	else
		jb_set(b, o, "up", jb_check(b, json_null()));
	return o;
}

static json_t *
json_fs(struct jb *b, const struct fs_figs *f)
{
	json_t	*o = jb_check(b, json_object());

	jb_text(b, o, "mount", f->mount);
	jb_text(b, o, "device", f->device);
	jb_text(b, o, "fstype", f->fstype);
	jb_fields(b, o, f, fs_figs_fields);
	return o;
}

static json_t *
json_sample(struct jb *b, const struct sample *s)
{
	json_t	*o, *cpu, *a, *d, *psi;
	int	 i;

	o = json_fields(b, s, sample_time_fields);

	/* The shares of all CPUs, then of each: busy alone and in detail. */
	cpu = json_fields(b, &s->cpu, cpu_figs_fields);
	a = jb_check(b, json_array());
	d = jb_check(b, json_array());
	for (i = 0; i < s->ncpu && !b->failed; i++) {
		jb_append(b, a, json_fig(b, s->per_cpu[i].busy));
		jb_append(b, d, json_fields(b, &s->per_cpu[i],
		    cpu_figs_fields));
	}
	jb_set(b, cpu, "per_cpu", a);
	jb_set(b, cpu, "per_cpu_detail", d);
	jb_set(b, o, "cpu", cpu);

	a = jb_check(b, json_array());
	for (i = 0; i < 3; i++)
		jb_append(b, a, json_fig(b, s->load[i]));
	jb_set(b, o, "load", a);
	jb_fields(b, o, s, sample_sched_fields);
	jb_set(b, o, "mem", json_fields(b, &s->mem, mem_figs_fields));

	psi = jb_check(b, json_object());
	for (i = 0; i < PSI_NRES; i++)
		jb_set(b, psi, psi_res_names[i], json_psi(b, &s->psi[i]));
	jb_set(b, o, "psi", psi);

	a = jb_check(b, json_array());
	for (i = 0; i < s->ndisk && !b->failed; i++)
		jb_append(b, a, json_disk(b, &s->disks[i]));
	jb_set(b, o, "disks", a);
	a = jb_check(b, json_array());
	for (i = 0; i < s->nnet && !b->failed; i++)
		jb_append(b, a, json_net(b, &s->nets[i]));
	jb_set(b, o, "net", a);
	a = jb_check(b, json_array());
	for (i = 0; i < s->nfs && !b->failed; i++)
		jb_append(b, a, json_fs(b, &s->fs[i]));
	jb_set(b, o, "fs", a);

	jb_set(b, o, "self", json_fields(b, s, sample_self_fields));
	jb_set(b, o, "nprocs", json_fields(b, &s->top, proctab_count_fields));
	return o;
}

static json_t *
json_proc(struct jb *b, const struct report *rp, const struct proctab *t,
    const struct proc *p)
{
	json_t	*o = jb_check(b, json_object());
	char	 st[2], buf[CMDLINE_MAX];

	jb_int(b, o, "pid", p->pid);
	jb_int(b, o, "ppid", p->ppid);
	jb_text(b, o, "user", p->user);
	/* One printable ASCII letter, else not known. */
	if (p->state > ' ' && p->state < 0x7f) {
		st[0] = p->state;
		st[1] = '\0';
		jb_text(b, o, "state", st);
	} else
		jb_set(b, o, "state", jb_check(b, json_null()));
	jb_text(b, o, "command", p->comm);
	jb_text(b, o, "cmdline", export_cmdline(rp, t, p, buf, sizeof buf));
	jb_fields(b, o, p, proc_fields);
	return o;
}


/* Severity of a cell, finding, trend or alert in JSON. */
static const char *
json_sev_name(enum severity sev)
{
	switch (sev) {
	case SEV_NA:
		return "n/a";
	case SEV_NONE:
		return "none";
	case SEV_OK:
		return "ok";
	case SEV_INFO:
		return "info";
	case SEV_WARNING:
		return "warning";
	case SEV_CRITICAL:
		return "critical";
	}
	return "n/a";
}

static json_t *
json_metric(struct jb *b, enum metric m)
{
	const struct metric_def	*md = metric_get(m);

	return md != NULL ? json_text(b, md->name) : jb_check(b, json_null());
}

/* {pid, command, share_pct}, or null for no culprit. */
static json_t *
json_culprit(struct jb *b, const struct culprit *cu)
{
	json_t	*o;

	if (cu == NULL || cu->pid <= 0)
		return jb_check(b, json_null());
	o = jb_check(b, json_object());
	jb_int(b, o, "pid", cu->pid);
	jb_text(b, o, "command", cu->comm);
	jb_fig(b, o, "share_pct", cu->share_pct);
	return o;
}

static json_t *
json_finding(struct jb *b, const struct finding *f)
{
	const struct metric_def	*md = metric_get(f->metric);
	json_t			*o = jb_check(b, json_object());
	json_t			*a;
	int			 i;

	jb_text(b, o, "rule", f->rule);
	jb_text(b, o, "resource", resource_name(f->res));
	jb_text(b, o, "object", f->object);
	jb_text(b, o, "severity", json_sev_name(f->sev));
	jb_text(b, o, "reason", f->reason);
	jb_text(b, o, "summary", f->summary);
	jb_set(b, o, "metric", json_metric(b, f->metric));
	jb_set(b, o, "unit", md != NULL ? json_text(b, md->unit) :
	    jb_check(b, json_null()));
	jb_fig(b, o, "value", f->value);
	jb_fig(b, o, "threshold", f->threshold);
	jb_int(b, o, "points", f->points);
	jb_set(b, o, "culprit", json_culprit(b, f->nculprits > 0 ?
	    &f->culprits[0] : NULL));
	a = jb_check(b, json_array());
	for (i = 0; i < f->nculprits && i < CULPRITS_MAX; i++)
		if (f->culprits[i].pid > 0)
			jb_append(b, a, json_culprit(b, &f->culprits[i]));
	jb_set(b, o, "culprits", a);
	jb_text(b, o, "advice", f->advice);
	return o;
}

/* "CPU busy, steal" -> ["CPU busy", "steal"]; "" -> []. */
static json_t *
json_list(struct jb *b, const char *s)
{
	json_t		*a = jb_check(b, json_array());
	const char	*p = s, *e;

	while (*p != '\0') {
		if ((e = strstr(p, ", ")) == NULL)
			e = p + strlen(p);
		if (e > p)
			jb_append(b, a, jb_check(b, json_stringn(p,
			    (size_t)(e - p))));
		p = *e != '\0' ? e + 2 : e;
	}
	return a;
}

static json_t *
json_health(struct jb *b, const struct analysis *an)
{
	json_t	*o = jb_check(b, json_object());
	json_t	*a, *d;
	char	 line[1024];
	int	 i;

	if (an == NULL || an->health.status == HEALTH_UNKNOWN ||
	    an->health.score < 0)
		jb_set(b, o, "score", jb_check(b, json_null()));
	else
		jb_int(b, o, "score", an->health.score);
	jb_text(b, o, "status", health_status_name(an != NULL ?
	    an->health.status : HEALTH_UNKNOWN));
	if (an != NULL)
		analysis_health_line(an, line, sizeof line, true, 0);
	else
		snprintf(line, sizeof line, "Health n/a \xe2\x80\x94 not "
		    "analysed");
	jb_text(b, o, "summary", line);
	a = jb_check(b, json_array());
	for (i = 0; an != NULL && i < an->nfindings && !b->failed; i++) {
		const struct finding *f = &an->findings[i];
		if (f->points <= 0)
			continue;
		d = jb_check(b, json_object());
		jb_int(b, d, "points", f->points);
		jb_text(b, d, "reason", f->reason);
		jb_text(b, d, "resource", resource_name(f->res));
		jb_text(b, d, "object", f->object);
		jb_set(b, d, "metric", json_metric(b, f->metric));
		jb_append(b, a, d);
	}
	jb_set(b, o, "deductions", a);
	jb_set(b, o, "not_visible", json_list(b, an != NULL ? an->unseen :
	    ""));
	return o;
}

static json_t *
json_cell(struct jb *b, const struct use_cell *cl)
{
	json_t	*o = jb_check(b, json_object());

	jb_fig(b, o, "value", cl->value);
	jb_text(b, o, "text", cl->text);
	jb_text(b, o, "severity", json_sev_name(cl->sev));
	jb_set(b, o, "metric", json_metric(b, cl->metric));
	return o;
}

static json_t *
json_use_row(struct jb *b, const struct use_row *r)
{
	json_t	*o = jb_check(b, json_object());

	jb_text(b, o, "resource", resource_name(r->res));
	jb_text(b, o, "object", r->object);
	jb_text(b, o, "severity", json_sev_name(r->sev));
	jb_set(b, o, "utilization", json_cell(b, &r->cell[USE_U]));
	jb_set(b, o, "saturation", json_cell(b, &r->cell[USE_S]));
	jb_set(b, o, "errors", json_cell(b, &r->cell[USE_E]));
	return o;
}

static const char *
trend_kind_name(enum trend_kind k)
{
	switch (k) {
	case TREND_FS:
		return "filesystem";
	case TREND_MEM:
		return "memory";
	case TREND_RSS:
		return "rss";
	}
	return "?";
}

static json_t *
json_trend(struct jb *b, const struct trend *t)
{
	json_t	*o = jb_check(b, json_object());

	jb_text(b, o, "kind", trend_kind_name(t->kind));
	jb_text(b, o, "object", t->object);
	if (t->kind == TREND_RSS && t->pid > 0)
		jb_int(b, o, "pid", t->pid);
	else
		jb_set(b, o, "pid", jb_check(b, json_null()));
	jb_fig(b, o, "slope", t->slope);
	jb_fig(b, o, "r2", t->r2);
	jb_fig(b, o, "eta_s", t->eta_s);
	jb_text(b, o, "severity", json_sev_name(t->sev));
	jb_text(b, o, "text", t->text);
	return o;
}

static json_t *
json_alert(struct jb *b, const struct alert *al)
{
	json_t	*o = jb_check(b, json_object());

	jb_int(b, o, "id", (long long)al->id);
	jb_set(b, o, "metric", json_metric(b, al->metric));
	jb_text(b, o, "object", al->object);
	jb_text(b, o, "level", json_sev_name(al->level));
	jb_text(b, o, "peak", json_sev_name(al->peak));
	jb_set(b, o, "active", jb_check(b, json_boolean(al->active)));
	jb_fig(b, o, "raised", al->raise_t);
	jb_fig(b, o, "cleared", al->active ? FIG_NA : al->clear_t);
	jb_set(b, o, "nodata", jb_check(b, json_boolean(al->nodata)));
	jb_fig(b, o, "duration_s", al->duration_s);
	jb_fig(b, o, "min", al->vmin);
	jb_fig(b, o, "avg", al->vavg);
	jb_fig(b, o, "max", al->vmax);
	jb_fig(b, o, "threshold", al->threshold);
	jb_text(b, o, "text", al->text);
	return o;
}

/* The diagnosis keys of the head object. */
static void
json_diagnosis(struct jb *b, json_t *o, const struct report *rp)
{
	const struct analysis	*an = rp->an;
	const struct alert	*al;
	json_t			*a, *v;
	int			 i, n;

	jb_set(b, o, "health", json_health(b, an));

	a = jb_check(b, json_array());
	for (i = 0; an != NULL && i < an->nfindings && !b->failed; i++)
		jb_append(b, a, json_finding(b, &an->findings[i]));
	jb_set(b, o, "findings", a);

	a = jb_check(b, json_array());
	for (i = 0; an != NULL && i < an->nrows && !b->failed; i++)
		jb_append(b, a, json_use_row(b, &an->rows[i]));
	jb_set(b, o, "use", a);

	a = jb_check(b, json_array());
	for (i = 0; an != NULL && i < an->ntrends && !b->failed; i++)
		jb_append(b, a, json_trend(b, &an->trends[i]));
	jb_set(b, o, "trends", a);

	a = jb_check(b, json_array());
	n = rp->alerts != NULL ? alerts_count(rp->alerts) : 0;
	for (i = 0; i < n && !b->failed; i++)
		if ((al = alerts_get(rp->alerts, i)) != NULL)
			jb_append(b, a, json_alert(b, al));
	jb_set(b, o, "alerts", a);

	/* Ranked by impact: the findings are worst first already. */
	a = jb_check(b, json_array());
	for (i = 0; an != NULL && i < an->nfindings && !b->failed; i++) {
		const struct finding *f = &an->findings[i];
		if (f->advice[0] == '\0')
			continue;
		v = jb_check(b, json_object());
		jb_text(b, v, "text", f->advice);
		jb_text(b, v, "severity", json_sev_name(f->sev));
		jb_text(b, v, "rule", f->rule);
		jb_set(b, v, "culprit", json_culprit(b, f->nculprits > 0 ?
		    &f->culprits[0] : NULL));
		jb_append(b, a, v);
	}
	jb_set(b, o, "advice", a);
}

/* A sample with, in a snapshot, its top processes (busiest first). */
static json_t *
json_sample_of(struct jb *b, const struct report *rp, const struct sample *s)
{
	json_t	*o = json_sample(b, s), *a;
	int	*order, i;

	if (!rp->snapshot || b->failed)
		return o;
	a = jb_check(b, json_array());
	if ((order = export_proc_order(&s->top)) == NULL)
		b->failed = true;
	for (i = 0; order != NULL && i < s->top.n && !b->failed; i++)
		jb_append(b, a, json_proc(b, rp, &s->top, &s->top.v[order[i]]));
	free(order);
	jb_set(b, o, "top", a);
	return o;
}

static const char *
json_color_name(enum color_mode c)
{
	switch (c) {
	case COLOR_AUTO:
		return "auto";
	case COLOR_ALWAYS:
		return "always";
	case COLOR_NEVER:
		return "never";
	}
	return "auto";
}

/*
 * The settings that shape what a snapshot shows, in the config file's
 * terms (doc/snapshot.md).  Never the alert hook: its path says what runs
 * on the machine, and a snapshot travels.
 */
static json_t *
json_config(struct jb *b, const struct report *rp)
{
	const struct config	*cfg = rp->cfg;
	const struct thresholds	*th;
	const struct metric_def	*md;
	json_t			*o, *t;
	int			 m;

	if (cfg == NULL)
		return jb_check(b, json_null());
	th = &cfg->th;
	o = jb_check(b, json_object());
	jb_fig(b, o, "interval_s", cfg->interval_s);
	jb_int(b, o, "history", cfg->history);
	jb_fig(b, o, "window_s", cfg->window_s);
	jb_set(b, o, "ascii_only", jb_check(b, json_boolean(cfg->ascii_only)));
	jb_text(b, o, "color", json_color_name(cfg->color));
	jb_text(b, o, "sort", proc_sort_name(cfg->sort));
	jb_int(b, o, "overview_procs", cfg->overview_procs);
	jb_set(b, o, "redact", jb_check(b, json_boolean(cfg->redact ||
	    rp->redact)));
	t = jb_check(b, json_object());
	for (m = 0; m < M_NMETRICS; m++) {
		md = metric_get((enum metric)m);
		jb_set(b, t, md->conf, json_fields(b, &th->lv[m],
		    snapshot_level_fields));
	}
	jb_fig(b, t, "alert_duration_s", th->alert_duration_s);
	jb_fig(b, t, "hysteresis_pct", th->hysteresis_pct);
	jb_fig(b, t, "hysteresis_rel", th->hysteresis_rel);
	jb_int(b, t, "trend_min_points", th->trend_min_points);
	jb_fig(b, t, "trend_min_r2", th->trend_min_r2);
	jb_set(b, o, "thresholds", t);
	return o;
}

/* The baseline's statistics and top processes, or null. */
static json_t *
json_baseline(struct jb *b, const struct report *rp)
{
	const struct baseline	*base = rp->base;
	const struct base_stat	*st;
	const struct base_proc	*bp;
	json_t			*o, *a, *v;
	int			 i;

	if (base == NULL)
		return jb_check(b, json_null());
	o = json_fields(b, base, snapshot_baseline_fields);
	/* Where it came from: "captured", or a file name, which may say
	 * more than a redacted report should. */
	jb_text(b, o, "source", rp->redact && strcmp(base->source,
	    "captured") != 0 ? "file" : base->source);
	jb_int(b, o, "block", BASELINE_BLOCK);
	a = jb_check(b, json_array());
	for (i = 0; i < base->nstats && i < BASELINE_STATS_MAX &&
	    !b->failed; i++) {
		st = &base->stats[i];
		v = jb_check(b, json_object());
		jb_text(b, v, "key", st->key);
		jb_fields(b, v, st, snapshot_stat_fields);
		jb_append(b, a, v);
	}
	jb_set(b, o, "stats", a);
	a = jb_check(b, json_array());
	for (i = 0; i < base->nprocs && i < BASELINE_PROCS_MAX &&
	    !b->failed; i++) {
		bp = &base->procs[i];
		v = jb_check(b, json_object());
		jb_int(b, v, "pid", bp->pid);
		jb_fig(b, v, "start_time", bp->start_time);
		jb_text(b, v, "command", bp->comm);
		jb_fig(b, v, "cpu_pct", bp->cpu_pct);
		jb_fig(b, v, "rss_bytes", bp->rss_bytes);
		jb_append(b, a, v);
	}
	jb_set(b, o, "procs", a);
	return o;
}

/* The top-level fields before "samples". */
static json_t *
json_head(struct jb *b, const struct report *rp)
{
	const struct config	*cfg = rp->cfg;
	const struct sample	*first, *last;
	json_t			*o = jb_check(b, json_object()), *v;
	int			 n = export_len(rp);

	first = export_sample(rp, n - 1);
	last = export_sample(rp, 0);
	jb_int(b, o, "format_version", EXPORT_FORMAT_VERSION);
	jb_text(b, o, "generator", "perftop " PACKAGE_VERSION);
	jb_set(b, o, "host", json_host(b, rp));
	jb_fig(b, o, "interval_s", cfg != NULL ? cfg->interval_s : FIG_NA);
	jb_fig(b, o, "start", first != NULL ? first->t : FIG_NA);
	jb_fig(b, o, "end", last != NULL ? last->t : FIG_NA);
	if (rp->snapshot) {
		v = jb_check(b, json_object());
		jb_fig(b, v, "t", last != NULL ? last->t : FIG_NA);
		jb_int(b, v, "age", ring_len(rp->ring) - n);
		jb_set(b, v, "frozen", jb_check(b, json_boolean(rp->frozen)));
		jb_set(b, o, "view", v);
		jb_set(b, o, "config", json_config(b, rp));
		jb_set(b, o, "baseline", json_baseline(b, rp));
	}
	json_diagnosis(b, o, rp);
	return o;
}

json_t *
export_json(const struct report *rp)
{
	const struct proctab	*full = export_procs(rp);
	struct jb		 b = { false };
	json_t			*root, *a;
	int			*order = NULL, k, i, n = export_len(rp);

	root = json_head(&b, rp);
	a = jb_check(&b, json_array());
	for (k = n - 1; k >= 0 && !b.failed; k--)
		jb_append(&b, a, json_sample_of(&b, rp, export_sample(rp, k)));
	jb_set(&b, root, "samples", a);

	a = jb_check(&b, json_array());
	if (n > 0 && !b.failed) {
		if ((order = export_proc_order(full)) == NULL)
			b.failed = true;
		for (i = 0; order != NULL && i < full->n && !b.failed; i++)
			jb_append(&b, a,
			    json_proc(&b, rp, full, &full->v[order[i]]));
		free(order);
	}
	jb_set(&b, root, "processes", a);

	if (b.failed) {
		json_decref(root);
		errno = ENOMEM;
		return NULL;
	}
	return root;
}

/*
 * Write v as jansson would indent it at nesting depth 2 (inside a
 * top-level array): every line gets four more spaces.  jansson escapes
 * newlines inside strings, so a line break is always structure.
 */
static int
write_nested(FILE *f, json_t *v)
{
	char	*s, *p, *nl;
	int	 rc = 0;

	if ((s = json_dumps(v, JSON_FLAGS)) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	for (p = s; rc == 0 && *p != '\0'; p = nl + 1) {
		if (fputs("    ", f) == EOF)
			rc = -1;
		if ((nl = strchr(p, '\n')) == NULL) {
			if (rc == 0 && fputs(p, f) == EOF)
				rc = -1;
			break;
		}
		if (rc == 0 && fwrite(p, 1, (size_t)(nl - p) + 1, f) !=
		    (size_t)(nl - p) + 1)
			rc = -1;
	}
	free(s);
	return rc;
}

/* Write one array member (built by the caller, consumed here). */
static int
write_member(FILE *f, json_t *v, bool first)
{
	int	 rc;

	if (v == NULL) {
		errno = ENOMEM;
		return -1;
	}
	if (fputs(first ? "\n" : ",\n", f) == EOF) {
		json_decref(v);
		return -1;
	}
	rc = write_nested(f, v);
	json_decref(v);
	return rc;
}

/* Close a top-level array opened with '"key": ['. */
static int
write_close(FILE *f, bool empty, bool more)
{
	const char	*tail = more ? ",\n" : "\n";

	if (!empty && fputs("\n  ", f) == EOF)
		return -1;
	if (fputs("]", f) == EOF || fputs(tail, f) == EOF)
		return -1;
	return 0;
}

int
export_json_write(FILE *f, const struct report *rp)
{
	const struct proctab	*full = export_procs(rp);
	struct jb		 b = { false };
	json_t			*head, *v;
	char			*s;
	size_t			 len;
	int			*order, k, i, n = export_len(rp);

	/* The head object, minus its closing brace. */
	head = json_head(&b, rp);
	s = b.failed ? NULL : json_dumps(head, JSON_FLAGS);
	json_decref(head);
	if (s == NULL) {
		errno = ENOMEM;
		return -1;
	}
	len = strlen(s);
	if (len >= 2 && s[len - 1] == '}' && s[len - 2] == '\n')
		len -= 2;
	if (fwrite(s, 1, len, f) != len || fputs(",\n  \"samples\": [", f) ==
	    EOF) {
		free(s);
		return -1;
	}
	free(s);

	for (k = n - 1; k >= 0; k--) {
		v = json_sample_of(&b, rp, export_sample(rp, k));
		if (b.failed) {
			json_decref(v);
			errno = ENOMEM;
			return -1;
		}
		if (write_member(f, v, k == n - 1) != 0)
			return -1;
	}
	if (write_close(f, n == 0, true) != 0 ||
	    fputs("  \"processes\": [", f) == EOF)
		return -1;

	i = 0;
	if (n > 0) {
		if ((order = export_proc_order(full)) == NULL)
			return -1;
		for (i = 0; i < full->n; i++) {
			v = json_proc(&b, rp, full, &full->v[order[i]]);
			if (b.failed) {
				json_decref(v);
				free(order);
				errno = ENOMEM;
				return -1;
			}
			if (write_member(f, v, i == 0) != 0) {
				free(order);
				return -1;
			}
		}
		free(order);
	}
	if (write_close(f, i == 0, false) != 0 || fputs("}\n", f) == EOF)
		return -1;
	return 0;
}
