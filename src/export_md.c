/*
 * export_md.c - the Markdown report: something to paste into a ticket.
 *
 * A title with the host and the time window, then the diagnosis: "Health"
 * (the score line, the status and every deduction), "Findings" (severity,
 * summary, culprit and its share), "Advice" (numbered, worst first, each
 * naming its culprit), the "USE scorecard", "Trends" and "Alerts" (raise
 * and clear times in UTC, duration, min/avg/max).  Then the host facts, a
 * "Key figures" table (average, maximum and last value of each figure over
 * the window, per disk, interface and filesystem too) and the busiest
 * processes of the last sample.
 *
 * The report shows its moment (struct report's age): samples newer than it
 * are left out and, before the newest, the moment's top list stands in for
 * the process table.  With redact set the host name is a hash and command
 * lines lose their arguments.
 *
 * Every piece of text that came from the machine (names, command lines) is
 * written as a code span, so Markdown syntax in it (*, _, <, backslashes)
 * shows as it is; a '|' is escaped as "\|" so that no cell can split a
 * table row (GitHub and CommonMark table extensions unescape it inside code
 * spans too), and the fence is longer than any run of backticks inside.
 * Prose made by the analysis (summaries, advice, cell texts) may quote
 * process names too, so it is written with every Markdown-active character
 * backslash-escaped (md_text).  Sanitized text has no newlines, so a cell
 * can never end a row early.
 */
#include <config.h>

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alerts.h"
#include "analysis.h"
#include "export.h"
#include "sanitize.h"
#include "util.h"

#define MD_TOP_PROCS	15
#define MD_CMD_COLS	120	/* command line shown per process, columns */

enum md_unit { MD_PCT, MD_BYTES, MD_RATE, MD_NUM, MD_PERSEC, MD_MS };

/* A value of one sample: a field at off, in the entity called name. */
typedef double (*md_get)(const struct sample *, const char *name, size_t off);

/* Average, maximum and last value of a figure over the window. */
struct md_acc {
	double	 sum, max, last;
	int	 n;
};

static void
md_iso(char *buf, size_t bufsz, double t)
{
	struct tm	 tm;
	time_t		 tt;

	if (!isfinite(t) || t < 0) {
		snprintf(buf, bufsz, "n/a");
		return;
	}
	tt = (time_t)t;
	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(buf, bufsz, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, bufsz, "n/a");
}

/*
 * Write s as a code span that is safe in a table cell; at most maxcols
 * columns of it (0: all), then an ellipsis.  Empty text writes nothing.
 */
static void
md_code(FILE *f, const char *s, int maxcols)
{
	size_t	 len = strlen(s), i;
	int	 run = 0, longest = 0, pad, k;
	bool	 cut = false;

	if (maxcols > 0 && text_width(s) > maxcols) {
		len = text_fit(s, maxcols - 1, NULL);
		cut = true;
	}
	if (len == 0) {
		if (cut)
			fputs("…", f);
		return;
	}
	for (i = 0; i < len; i++) {
		run = s[i] == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	pad = s[0] == '`' || s[0] == ' ' || s[len - 1] == '`' ||
	    s[len - 1] == ' ';
	for (k = 0; k <= longest; k++)
		fputc('`', f);
	if (pad)
		fputc(' ', f);
	for (i = 0; i < len; i++) {
		if (s[i] == '|')
			fputc('\\', f);
		fputc(s[i], f);
	}
	if (pad)
		fputc(' ', f);
	for (k = 0; k <= longest; k++)
		fputc('`', f);
	if (cut)
		fputs("…", f);
}

/*
 * Write prose escaped for Markdown: a backslash before every character
 * that could start emphasis, a code span, a link, HTML, an entity or a
 * heading, or split a table cell (CommonMark lets any ASCII punctuation be
 * escaped, and GitHub tables honour "\|").
 */
static void
md_text(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		if (strchr("\\`*_[]<>|~&#", *s) != NULL)
			fputc('\\', f);
		fputc(*s, f);
	}
}

/* A metric's value with its unit: "95.2 %", "12.0 ms", "3.00 /s". */
static void
md_metric_value(FILE *f, enum metric m, double v)
{
	const struct metric_def	*md = metric_get(m);
	char			 b[32];

	fputs(fmt_num(b, sizeof b, v), f);
	if (isfinite(v) && md != NULL && md->unit[0] != '\0') {
		fputc(' ', f);
		md_text(f, md->unit);
	}
}

static const char *
md_metric_name(enum metric m)
{
	const struct metric_def	*md = metric_get(m);

	return md != NULL ? md->name : "";
}

static const char *
md_value(char *buf, size_t bufsz, double v, enum md_unit unit)
{
	if (!isfinite(v)) {
		snprintf(buf, bufsz, "n/a");
		return buf;
	}
	switch (unit) {
	case MD_PCT:
		return fmt_pct(buf, bufsz, v);
	case MD_BYTES:
		return fmt_bytes(buf, bufsz, v);
	case MD_RATE:
		return fmt_rate(buf, bufsz, v);
	case MD_NUM:
		snprintf(buf, bufsz, "%.2f", v);
		break;
	case MD_PERSEC:
		snprintf(buf, bufsz, "%.1f/s", v);
		break;
	case MD_MS:
		snprintf(buf, bufsz, "%.1f ms", v);
		break;
	}
	return buf;
}

static double
get_field(const struct sample *s, const char *name, size_t off)
{
	(void)name;
	return *(const double *)(const void *)((const char *)s + off);
}

static double
get_core_max(const struct sample *s, const char *name, size_t off)
{
	double	 m = FIG_NA;
	int	 i;

	(void)name;
	(void)off;
	for (i = 0; i < s->ncpu; i++) {
		if (FIG_OK(s->per_cpu[i].busy) &&
		    (!FIG_OK(m) || s->per_cpu[i].busy > m))
			m = s->per_cpu[i].busy;
	}
	return m;
}

#define ENTITY_FIELD(p, off) \
	(*(const double *)(const void *)((const char *)(p) + (off)))

static double
get_disk(const struct sample *s, const char *name, size_t off)
{
	int	 i;

	for (i = 0; i < s->ndisk; i++)
		if (strcmp(s->disks[i].name, name) == 0)
			return ENTITY_FIELD(&s->disks[i], off);
	return FIG_NA;
}

static double
get_net(const struct sample *s, const char *name, size_t off)
{
	int	 i;

	for (i = 0; i < s->nnet; i++)
		if (strcmp(s->nets[i].name, name) == 0)
			return ENTITY_FIELD(&s->nets[i], off);
	return FIG_NA;
}

/* rx + tx of a pair of fields (off is the rx one, tx follows it). */
static double
get_net_pair(const struct sample *s, const char *name, size_t off)
{
	double	 rx = get_net(s, name, off);
	double	 tx = get_net(s, name, off + sizeof(double));

	if (!FIG_OK(rx) && !FIG_OK(tx))
		return FIG_NA;
	return (FIG_OK(rx) ? rx : 0) + (FIG_OK(tx) ? tx : 0);
}

static double
get_fs(const struct sample *s, const char *name, size_t off)
{
	int	 i;

	for (i = 0; i < s->nfs; i++)
		if (strcmp(s->fs[i].mount, name) == 0)
			return ENTITY_FIELD(&s->fs[i], off);
	return FIG_NA;
}

static struct md_acc
md_window(const struct report *rp, md_get get, const char *name, size_t off)
{
	struct md_acc	 a = { 0, FIG_NA, FIG_NA, 0 };
	double		 v;
	int		 age;

	for (age = export_len(rp) - 1; age >= 0; age--) {
		v = get(export_sample(rp, age), name, off);
		if (age == 0)
			a.last = v;
		if (!isfinite(v))
			continue;
		a.sum += v;
		a.n++;
		if (!FIG_OK(a.max) || v > a.max)
			a.max = v;
	}
	return a;
}

/* One row of the key figures table: label, optional `name`, suffix. */
static void
md_row(FILE *f, const struct report *r, const char *label,
    const char *name, const char *suffix, enum md_unit unit, md_get get,
    size_t off)
{
	struct md_acc	 a = md_window(r, get, name, off);
	char		 b1[32], b2[32], b3[32];

	fprintf(f, "| %s", label);
	if (name != NULL) {
		fputc(' ', f);
		md_code(f, name, 40);
	}
	fprintf(f, "%s | %s | %s | %s |\n", suffix,
	    md_value(b1, sizeof b1, a.n > 0 ? a.sum / a.n : FIG_NA, unit),
	    md_value(b2, sizeof b2, a.max, unit),
	    md_value(b3, sizeof b3, a.last, unit));
}

#define SF(field)	offsetof(struct sample, field)

static void
md_rows_system(FILE *f, const struct report *r)
{
	static const struct {
		const char	*label;
		enum md_unit	 unit;
		size_t		 off;
	} rows[] = {
		{ "CPU busy %",			MD_PCT,	   SF(cpu.busy) },
		{ "CPU user %",			MD_PCT,	   SF(cpu.user) },
		{ "CPU system %",		MD_PCT,	   SF(cpu.system) },
		{ "CPU iowait %",		MD_PCT,	   SF(cpu.iowait) },
		{ "CPU steal %",		MD_PCT,	   SF(cpu.steal) },
		{ "Load average 1 min",		MD_NUM,	   SF(load[0]) },
		{ "Load average 5 min",		MD_NUM,	   SF(load[1]) },
		{ "Load average 15 min",	MD_NUM,	   SF(load[2]) },
		{ "Runnable tasks",		MD_NUM,	   SF(procs_running) },
		{ "Blocked tasks (D state)",	MD_NUM,	   SF(procs_blocked) },
		{ "Context switches",		MD_PERSEC, SF(ctxsw_ps) },
		{ "Memory used %",		MD_PCT,	   SF(mem.used_pct) },
		{ "Memory used",		MD_BYTES,  SF(mem.used_bytes) },
		{ "Memory available",		MD_BYTES,  SF(mem.available_bytes) },
		{ "Swap used",			MD_BYTES,  SF(mem.swap_used_bytes) },
		{ "Swap in (pages)",		MD_PERSEC, SF(mem.swapin_ps) },
		{ "Swap out (pages)",		MD_PERSEC, SF(mem.swapout_ps) },
		{ "Major page faults",		MD_PERSEC, SF(mem.majflt_ps) },
		{ "PSI cpu some avg10 %",	MD_PCT,	   SF(psi[PSI_CPU].some_avg10) },
		{ "PSI memory some avg10 %",	MD_PCT,	   SF(psi[PSI_MEMORY].some_avg10) },
		{ "PSI memory full avg10 %",	MD_PCT,	   SF(psi[PSI_MEMORY].full_avg10) },
		{ "PSI io some avg10 %",	MD_PCT,	   SF(psi[PSI_IO].some_avg10) },
		{ "PSI io full avg10 %",	MD_PCT,	   SF(psi[PSI_IO].full_avg10) },
	};
	size_t	 i;

	for (i = 0; i < 5; i++)
		md_row(f, r, rows[i].label, NULL, "", rows[i].unit, get_field,
		    rows[i].off);
	md_row(f, r, "CPU busy, busiest core %", NULL, "", MD_PCT,
	    get_core_max, 0);
	for (; i < sizeof rows / sizeof rows[0]; i++)
		md_row(f, r, rows[i].label, NULL, "", rows[i].unit, get_field,
		    rows[i].off);
}

static int
md_rows_devices(FILE *f, const struct report *r)
{
	const char	**names;
	int		  n, i;

	if (export_names(r, EXPORT_DISKS, &names, &n) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		md_row(f, r, "Disk", names[i], " read", MD_RATE, get_disk,
		    offsetof(struct disk_figs, read_bps));
		md_row(f, r, "Disk", names[i], " write", MD_RATE, get_disk,
		    offsetof(struct disk_figs, write_bps));
		md_row(f, r, "Disk", names[i], " utilization %", MD_PCT,
		    get_disk, offsetof(struct disk_figs, util_pct));
		md_row(f, r, "Disk", names[i], " await", MD_MS, get_disk,
		    offsetof(struct disk_figs, await_ms));
	}
	free(names);

	if (export_names(r, EXPORT_NETS, &names, &n) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		md_row(f, r, "Net", names[i], " receive", MD_RATE, get_net,
		    offsetof(struct net_figs, rx_bps));
		md_row(f, r, "Net", names[i], " transmit", MD_RATE, get_net,
		    offsetof(struct net_figs, tx_bps));
		md_row(f, r, "Net", names[i], " drops (rx+tx)", MD_PERSEC,
		    get_net_pair, offsetof(struct net_figs, rx_drops_ps));
		md_row(f, r, "Net", names[i], " errors (rx+tx)", MD_PERSEC,
		    get_net_pair, offsetof(struct net_figs, rx_errors_ps));
	}
	free(names);

	if (export_names(r, EXPORT_FS, &names, &n) != 0)
		return -1;
	for (i = 0; i < n; i++)
		md_row(f, r, "Filesystem", names[i], " used %", MD_PCT,
		    get_fs, offsetof(struct fs_figs, used_pct));
	free(names);
	return 0;
}

/* ---- diagnosis ------------------------------------------------------- */

/* `comm` (pid N), or "-" when there is no culprit. */
static void
md_culprit(FILE *f, const struct culprit *cu)
{
	if (cu == NULL || cu->pid <= 0) {
		fputs("-", f);
		return;
	}
	md_code(f, cu->comm, 32);
	fprintf(f, " (pid %d)", cu->pid);
}

/* "cpu" or "disk `sda`". */
static void
md_resource(FILE *f, enum resource res, const char *object)
{
	fputs(resource_name(res), f);
	if (object[0] != '\0') {
		fputc(' ', f);
		md_code(f, object, 40);
	}
}

static void
md_health(FILE *f, const struct report *rp)
{
	const struct analysis	*an = rp->an;
	enum health_status	 st = export_status(rp);
	char			 line[1024];
	int			 i;

	fputs("## Health\n\n", f);
	if (an == NULL) {
		fprintf(f, "**Health n/a \xe2\x80\x94 not analysed**\n\n"
		    "Status **%s** (batch exit status %d).\n\n",
		    health_status_name(st), (int)st);
		return;
	}
	analysis_health_line(an, line, sizeof line, true, 0);
	fputs("**", f);
	md_text(f, line);
	fprintf(f, "**\n\nStatus **%s** (batch exit status %d)",
	    health_status_name(st), (int)st);
	if (an->health.score >= 0 && st != HEALTH_UNKNOWN)
		fprintf(f, ", score %d of 100", an->health.score);
	fprintf(f, ", judged over %d sample%s", an->nsamples,
	    an->nsamples == 1 ? "" : "s");
	if (an->nsamples > 1 && isfinite(an->t_last - an->t_first))
		fprintf(f, " (%.1f s)", an->t_last - an->t_first);
	fputs(".\n", f);
	if (an->unseen[0] != '\0') {
		fputs("\nNot visible (not measured, so not judged): ", f);
		md_text(f, an->unseen);
		fputs(".\n", f);
	}
	fputc('\n', f);
	if (an->health.ndeductions == 0) {
		fputs("No deductions.\n\n", f);
		return;
	}
	fputs("| Points | Reason | Resource | Metric |\n"
	    "|--:|---|---|---|\n", f);
	for (i = 0; i < an->nfindings; i++) {
		const struct finding *fd = &an->findings[i];
		if (fd->points <= 0)
			continue;
		fprintf(f, "| \xe2\x88\x92%d | ", fd->points);
		md_text(f, fd->reason);
		fputs(" | ", f);
		md_resource(f, fd->res, fd->object);
		fputs(" | ", f);
		md_code(f, md_metric_name(fd->metric), 0);
		fputs(" |\n", f);
	}
	fprintf(f, "| **\xe2\x88\x92%d** | total: score %d | | |\n\n",
	    an->health.deducted, an->health.score);
}

static void
md_findings(FILE *f, const struct analysis *an)
{
	char	 b[32];
	int	 i;

	fputs("## Findings\n\n", f);
	if (an == NULL || an->nfindings == 0) {
		fputs(an == NULL ? "Not analysed.\n\n" : "No findings: every "
		    "measured figure is below its info level.\n\n", f);
		return;
	}
	fputs("Worst first.  Share: the culprit's part of all use of the "
	    "resource in the window.\n\n"
	    "| Severity | Resource | Summary | Value | Threshold | Culprit "
	    "| Share | Points |\n"
	    "|---|---|---|--:|--:|---|--:|--:|\n", f);
	for (i = 0; i < an->nfindings; i++) {
		const struct finding *fd = &an->findings[i];
		const struct culprit *cu = fd->nculprits > 0 ?
		    &fd->culprits[0] : NULL;
		fprintf(f, "| %s | ", severity_name(fd->sev));
		md_resource(f, fd->res, fd->object);
		fputs(" | ", f);
		md_text(f, fd->summary);
		fputs(" | ", f);
		md_metric_value(f, fd->metric, fd->value);
		fputs(" | ", f);
		md_metric_value(f, fd->metric, fd->threshold);
		fputs(" | ", f);
		md_culprit(f, cu);
		if (cu != NULL && cu->pid > 0 && isfinite(cu->share_pct))
			fprintf(f, " | %s %%", fmt_pct(b, sizeof b,
			    cu->share_pct));
		else
			fputs(" | -", f);
		if (fd->points > 0)
			fprintf(f, " | \xe2\x88\x92%d |\n", fd->points);
		else
			fputs(" | 0 |\n", f);
	}
	fputc('\n', f);
}

static void
md_advice(FILE *f, const struct analysis *an)
{
	char	 b[32];
	int	 i, n = 0;

	fputs("## Advice\n\n", f);
	for (i = 0; an != NULL && i < an->nfindings; i++) {
		const struct finding *fd = &an->findings[i];
		const struct culprit *cu = &fd->culprits[0];
		if (fd->advice[0] == '\0')
			continue;
		fprintf(f, "%d. **%s**: ", ++n, severity_name(fd->sev));
		md_text(f, fd->advice);
		if (fd->advice[strlen(fd->advice) - 1] != '.')
			fputc('.', f);
		if (fd->nculprits > 0 && cu->pid > 0) {
			fputs(" Culprit: ", f);
			md_culprit(f, cu);
			if (isfinite(cu->share_pct))
				fprintf(f, ", %s %% of the %s use",
				    fmt_pct(b, sizeof b, cu->share_pct),
				    resource_name(fd->res));
			fputs(".", f);
		} else
			fputs(" Culprit: no single process.", f);
		fputc('\n', f);
	}
	if (n == 0)
		fputs("Nothing to do.\n", f);
	fputc('\n', f);
}

static void
md_cell(FILE *f, const struct use_cell *cl)
{
	if (cl->sev == SEV_NA) {
		fputs("n/a", f);
		return;
	}
	if (cl->text[0] != '\0')
		md_text(f, cl->text);
	else
		fputs("-", f);
	if (cl->sev >= SEV_INFO)
		fprintf(f, " (%s)", severity_name(cl->sev));
}

static void
md_use(FILE *f, const struct analysis *an)
{
	int	 i, c;

	fputs("## USE scorecard\n\n", f);
	if (an == NULL || an->nrows == 0) {
		fputs("No data.\n\n", f);
		return;
	}
	fputs("Utilization, saturation and errors of each resource; n/a: not "
	    "measured.\n\n"
	    "| Resource | Utilization | Saturation | Errors |\n"
	    "|---|---|---|---|\n", f);
	for (i = 0; i < an->nrows; i++) {
		const struct use_row *r = &an->rows[i];
		fputs("| ", f);
		md_resource(f, r->res, r->object);
		for (c = 0; c < USE_NCOLS; c++) {
			fputs(" | ", f);
			md_cell(f, &r->cell[c]);
		}
		fputs(" |\n", f);
	}
	fputc('\n', f);
}

static void
md_trends(FILE *f, const struct analysis *an)
{
	int	 i;

	fputs("## Trends\n\n", f);
	if (an == NULL || an->ntrends == 0) {
		fputs("No steady growth in the window.\n\n", f);
		return;
	}
	fputs("| Severity | Trend | Fit r\xc2\xb2 |\n|---|---|--:|\n", f);
	for (i = 0; i < an->ntrends; i++) {
		const struct trend *t = &an->trends[i];
		fprintf(f, "| %s | ", severity_name(t->sev));
		md_text(f, t->text);
		fprintf(f, " | %.2f |\n", t->r2);
	}
	fputc('\n', f);
}

static void
md_alerts(FILE *f, const struct report *rp)
{
	const struct alert	*al;
	char			 b1[64], b2[64], b3[32];
	int			 i, n;

	fputs("## Alerts\n\n", f);
	n = rp->alerts != NULL ? alerts_count(rp->alerts) : 0;
	if (n == 0) {
		fputs("No alert was raised", f);
		if (rp->cfg != NULL)
			fprintf(f, " (an alert needs its level held for "
			    "%g s)", rp->cfg->th.alert_duration_s);
		fputs(".\n\n", f);
		return;
	}
	fputs("Active first, then the log; times are UTC.\n\n"
	    "| Level | Alert | Raised | Cleared | Duration | Min | Avg | Max "
	    "|\n|---|---|---|---|--:|--:|--:|--:|\n", f);
	for (i = 0; i < n; i++) {
		if ((al = alerts_get(rp->alerts, i)) == NULL)
			continue;
		md_iso(b1, sizeof b1, al->raise_t);
		if (al->active)
			snprintf(b2, sizeof b2, "active");
		else
			md_iso(b2, sizeof b2, al->clear_t);
		fprintf(f, "| %s | ", severity_name(al->level));
		md_text(f, al->text);
		if (isfinite(al->duration_s))
			snprintf(b3, sizeof b3, al->duration_s < 10 ?
			    "%.1f s" : "%.0f s", al->duration_s);
		else
			snprintf(b3, sizeof b3, "n/a");
		fprintf(f, " | %s | %s%s | %s | ", b1, b2,
		    al->nodata ? " (no data)" : "", b3);
		md_metric_value(f, al->metric, al->vmin);
		fputs(" | ", f);
		md_metric_value(f, al->metric, al->vavg);
		fputs(" | ", f);
		md_metric_value(f, al->metric, al->vmax);
		fputs(" |\n", f);
	}
	fputc('\n', f);
}

static void
md_host(FILE *f, const struct report *rp)
{
	const struct host	*h = ring_host(rp->ring);
	const struct config	*cfg = rp->cfg;
	const struct sample	*first = export_sample(rp, export_len(rp) - 1);
	const struct sample	*last = export_sample(rp, 0);
	char			 b1[256], b2[64];

	export_hostname(rp, b1, sizeof b1);
	fputs("## Host\n\n| Fact | Value |\n|---|---|\n| Host name | ", f);
	md_code(f, b1, 0);
	fputs(" |\n| Kernel | ", f);
	md_code(f, h->kernel, 0);
	fputs(" |\n| Operating system | ", f);
	md_code(f, h->os, 0);
	fputs(" |\n| Architecture | ", f);
	md_code(f, h->arch, 0);
	if (h->cpus > 0)
		fprintf(f, " |\n| CPUs | %d", h->cpus);
	else
		fputs(" |\n| CPUs | n/a", f);
	fprintf(f, " |\n| Memory | %s",
	    fmt_bytes(b1, sizeof b1, h->mem_total_bytes));
	md_iso(b1, sizeof b1, h->boot_time);
	fprintf(f, " |\n| Booted | %s |\n", b1);
	md_iso(b1, sizeof b1, first != NULL ? first->t : FIG_NA);
	md_iso(b2, sizeof b2, last != NULL ? last->t : FIG_NA);
	fprintf(f, "| Window | %d samples, %s to %s", export_len(rp), b1, b2);
	if (first != NULL && last != NULL && isfinite(last->t - first->t))
		fprintf(f, " (%.1f s)", last->t - first->t);
	if (cfg != NULL && isfinite(cfg->interval_s))
		fprintf(f, ", every %g s", cfg->interval_s);
	fputs(" |\n| Generator | perftop " PACKAGE_VERSION " |\n\n", f);
}

static int
md_figures(FILE *f, const struct report *r)
{
	double	 oom = 0, oom_total = FIG_NA;
	bool	 oom_ok = false;
	int	 age;

	fputs("## Key figures\n\n"
	    "Average, maximum and last value over the window; rates are per "
	    "second; n/a: not measured.\n\n"
	    "| Figure | Average | Maximum | Last |\n"
	    "|---|--:|--:|--:|\n", f);
	md_rows_system(f, r);
	if (md_rows_devices(f, r) != 0)
		return -1;
	for (age = export_len(r) - 1; age >= 0; age--) {
		const struct sample *s = export_sample(r, age);
		if (FIG_OK(s->mem.oom_kills)) {
			oom += s->mem.oom_kills;
			oom_ok = true;
		}
		if (FIG_OK(s->mem.oom_kills_total))
			oom_total = s->mem.oom_kills_total;
	}
	if (oom_ok)
		fprintf(f, "\nOOM kills in the window: %.0f", oom);
	else
		fputs("\nOOM kills in the window: n/a", f);
	if (FIG_OK(oom_total))
		fprintf(f, " (since boot: %.0f)", oom_total);
	fputs(".\n\n", f);
	return 0;
}

/* The busiest processes of the moment, from a sorted copy. */
static int
md_procs(FILE *f, const struct report *rp)
{
	const struct proctab	*full = export_procs(rp);
	const struct proc	*p;
	const char		*cmd;
	char			 b[4][32], cbuf[CMDLINE_MAX];
	int			 i, *idx;

	fputs("## Top processes\n\n", f);
	if (export_len(rp) == 0 || full->n == 0) {
		fputs("No process data.\n", f);
		return 0;
	}
	if ((idx = export_proc_order(full)) == NULL)
		return -1;
	fprintf(f, "By CPU in the last sample (%d of %d tasks); CPU %% is of "
	    "one core.\n\n"
	    "| PID | User | CPU %% | RSS | Read/s | Write/s | Command |\n"
	    "|--:|---|--:|--:|--:|--:|---|\n",
	    full->n < MD_TOP_PROCS ? full->n : MD_TOP_PROCS, full->total > 0 ?
	    full->total : full->n);
	for (i = 0; i < full->n && i < MD_TOP_PROCS; i++) {
		p = &full->v[idx[i]];
		cmd = export_cmdline(rp, full, p, cbuf, sizeof cbuf);
		fprintf(f, "| %d | ", p->pid);
		md_code(f, p->user, 32);
		fprintf(f, " | %s | %s | %s | %s | ",
		    md_value(b[0], sizeof b[0], p->cpu_pct, MD_PCT),
		    md_value(b[1], sizeof b[1], p->rss_bytes, MD_BYTES),
		    md_value(b[2], sizeof b[2], p->read_bps, MD_RATE),
		    md_value(b[3], sizeof b[3], p->write_bps, MD_RATE));
		md_code(f, p->comm, 32);
		if (*cmd != '\0') {
			fputc(' ', f);
			md_code(f, cmd, MD_CMD_COLS);
		}
		fputs(" |\n", f);
	}
	free(idx);
	return 0;
}

int
export_markdown(FILE *f, const struct report *rp)
{
	const struct sample	*first = export_sample(rp, export_len(rp) - 1);
	const struct sample	*last = export_sample(rp, 0);
	char			 b1[64], b2[64], host[256];

	md_iso(b1, sizeof b1, first != NULL ? first->t : FIG_NA);
	md_iso(b2, sizeof b2, last != NULL ? last->t : FIG_NA);
	export_hostname(rp, host, sizeof host);
	fputs("# perftop report for ", f);
	md_code(f, host, 0);
	fprintf(f, ", %s to %s\n\n", b1, b2);
	md_health(f, rp);
	md_findings(f, rp->an);
	md_advice(f, rp->an);
	md_use(f, rp->an);
	md_trends(f, rp->an);
	md_alerts(f, rp);
	md_host(f, rp);
	if (md_figures(f, rp) != 0 || md_procs(f, rp) != 0)
		return -1;
	return ferror(f) ? -1 : 0;
}
