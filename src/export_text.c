/*
 * export_text.c - the plain text report: for a terminal or a mail.
 *
 * The same sections as the Markdown report (health line and deductions,
 * findings, advice, USE scorecard, trends, alerts, host, key figures, top
 * processes), each a title underlined with '=' and then aligned columns or
 * wrapped prose.  There is no escape code and no markup at all: what the
 * machine named (processes, disks, mounts) was sanitized at ingest, so it
 * is printable text already, and columns are measured with text_width() so
 * that wide characters keep them aligned.  Long cells are cut with an
 * ellipsis; the last column of a table is never padded.
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

#define TX_TOP_PROCS	15
#define TX_WRAP		76	/* prose is wrapped to this many columns */
#define TX_CELL_MAX	48	/* widest cell but the last column's */
#define TX_LAST_MAX	100	/* the last column's */
#define TX_COLS_MAX	9

/* A table of text cells; every cell is a copy. */
struct tx_table {
	int	  ncols;
	char	  align[TX_COLS_MAX];	/* 'l' or 'r' */
	char	**cells;		/* nrows * ncols */
	int	  nrows, cap;
	bool	  failed;
};

static void
tx_table_init(struct tx_table *t, const char *align)
{
	memset(t, 0, sizeof *t);
	t->ncols = (int)strlen(align);
	memcpy(t->align, align, (size_t)t->ncols);
}

static void
tx_table_done(struct tx_table *t)
{
	int	 i;

	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
}

/* Append a row of ncols cells (NULL cells are empty). */
static void
tx_row(struct tx_table *t, const char *const *cells)
{
	char	**nc;
	int	  i, base;

	if (t->failed)
		return;
	if (t->nrows == t->cap) {
		t->cap = t->cap > 0 ? t->cap * 2 : 16;
		nc = realloc(t->cells, (size_t)t->cap * (size_t)t->ncols *
		    sizeof *nc);
		if (nc == NULL) {
			t->failed = true;
			return;
		}
		t->cells = nc;
	}
	base = t->nrows * t->ncols;
	for (i = 0; i < t->ncols; i++) {
		t->cells[base + i] = strdup(cells[i] != NULL ? cells[i] : "");
		if (t->cells[base + i] == NULL)
			t->failed = true;
	}
	t->nrows++;
	if (t->failed) {
		/* Keep the table consistent for tx_table_done. */
		for (i = 0; i < t->ncols; i++) {
			free(t->cells[base + i]);
			t->cells[base + i] = NULL;
		}
		t->nrows--;
	}
}

/* Write s in at most maxcols columns, cut with "…"; returns the width. */
static int
tx_put(FILE *f, const char *s, int maxcols)
{
	int	 w = text_width(s), used = 0;
	size_t	 n;

	if (w <= maxcols) {
		fputs(s, f);
		return w;
	}
	n = text_fit(s, maxcols - 1, &used);
	fwrite(s, 1, n, f);
	fputs("\xe2\x80\xa6", f);
	return used + 1;
}

static void
tx_pad(FILE *f, int n)
{
	for (; n > 0; n--)
		fputc(' ', f);
}

/*
 * The table, indented by two spaces, two spaces between columns.  Padding
 * is held back until something follows it, so no line ends in spaces.
 */
static int
tx_table_print(FILE *f, struct tx_table *t)
{
	int	 width[TX_COLS_MAX] = { 0 };
	int	 r, c, w, max, pend;

	if (t->failed) {
		errno = ENOMEM;
		return -1;
	}
	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < t->ncols; c++) {
			max = c == t->ncols - 1 ? TX_LAST_MAX : TX_CELL_MAX;
			w = text_width(t->cells[r * t->ncols + c]);
			if (w > max)
				w = max;
			if (w > width[c])
				width[c] = w;
		}
	for (r = 0; r < t->nrows; r++) {
		pend = 2;
		for (c = 0; c < t->ncols; c++) {
			const char *s = t->cells[r * t->ncols + c];
			if (c > 0)
				pend += 2;
			w = text_width(s);
			if (w > width[c])
				w = width[c];
			if (t->align[c] == 'r')
				pend += width[c] - w;
			if (*s != '\0') {
				tx_pad(f, pend);
				pend = 0;
				tx_put(f, s, width[c]);
			}
			if (t->align[c] != 'r')
				pend += width[c] - w;
		}
		fputc('\n', f);
	}
	fputc('\n', f);
	return 0;
}

/*
 * Prose wrapped to TX_WRAP columns: the first line starts with lead, the
 * others with as many spaces as lead is wide.  Words wider than the line
 * stand alone on theirs.
 */
static void
tx_wrap(FILE *f, const char *lead, const char *s)
{
	int	 indent = text_width(lead), col, w;
	size_t	 n;
	char	 word[1024];

	fputs(lead, f);
	col = indent;
	while (*s != '\0') {
		while (*s == ' ')
			s++;
		if (*s == '\0')
			break;
		n = strcspn(s, " ");
		if (n >= sizeof word)
			n = sizeof word - 1;
		memcpy(word, s, n);
		word[n] = '\0';
		s += n;
		w = text_width(word);
		if (col > indent && col + 1 + w > TX_WRAP) {
			fputc('\n', f);
			tx_pad(f, indent);
			col = indent;
		} else if (col > indent) {
			fputc(' ', f);
			col++;
		}
		fputs(word, f);
		col += w;
	}
	fputc('\n', f);
}

static void
tx_title(FILE *f, const char *title)
{
	int	 i, w = text_width(title);

	fprintf(f, "%s\n", title);
	for (i = 0; i < w; i++)
		fputc('=', f);
	fputs("\n\n", f);
}

static void
tx_iso(char *buf, size_t bufsz, double t)
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

/* "95.2 %", "12.0 ms": a metric's value with its unit. */
static const char *
tx_metric_value(char *buf, size_t bufsz, enum metric m, double v)
{
	const struct metric_def	*md = metric_get(m);
	char			 b[32];

	fmt_num(b, sizeof b, v);
	if (isfinite(v) && md != NULL && md->unit[0] != '\0')
		snprintf(buf, bufsz, "%s %s", b, md->unit);
	else
		snprintf(buf, bufsz, "%s", b);
	return buf;
}

/* "cpu" or "disk sda". */
static const char *
tx_resource(char *buf, size_t bufsz, enum resource res, const char *object)
{
	if (object[0] != '\0')
		snprintf(buf, bufsz, "%s %s", resource_name(res), object);
	else
		snprintf(buf, bufsz, "%s", resource_name(res));
	return buf;
}

/* "comm (pid N)" or "-". */
static const char *
tx_culprit(char *buf, size_t bufsz, const struct culprit *cu)
{
	if (cu == NULL || cu->pid <= 0)
		snprintf(buf, bufsz, "-");
	else
		snprintf(buf, bufsz, "%s (pid %d)", cu->comm, cu->pid);
	return buf;
}

static int
tx_health(FILE *f, const struct report *rp)
{
	const struct analysis	*an = rp->an;
	enum health_status	 st = export_status(rp);
	struct tx_table		 t;
	char			 line[1024], b[3][320];
	int			 i, rc;

	tx_title(f, "Health");
	if (an == NULL) {
		fprintf(f, "Health n/a \xe2\x80\x94 not analysed\n"
		    "Status %s (batch exit status %d).\n\n",
		    health_status_name(st), (int)st);
		return 0;
	}
	analysis_health_line(an, line, sizeof line, true, 0);
	fprintf(f, "%s\nStatus %s (batch exit status %d)", line,
	    health_status_name(st), (int)st);
	if (an->health.score >= 0 && st != HEALTH_UNKNOWN)
		fprintf(f, ", score %d of 100", an->health.score);
	fprintf(f, ", judged over %d sample%s", an->nsamples,
	    an->nsamples == 1 ? "" : "s");
	if (an->nsamples > 1 && isfinite(an->t_last - an->t_first))
		fprintf(f, " (%.1f s)", an->t_last - an->t_first);
	fputs(".\n", f);
	if (an->unseen[0] != '\0')
		fprintf(f, "Not visible (not measured, so not judged): %s.\n",
		    an->unseen);
	fputc('\n', f);
	if (an->health.ndeductions == 0) {
		fputs("No deductions.\n\n", f);
		return 0;
	}
	tx_table_init(&t, "rlll");
	tx_row(&t, (const char *[]){ "Points", "Reason", "Resource",
	    "Metric" });
	for (i = 0; i < an->nfindings; i++) {
		const struct finding *fd = &an->findings[i];
		const struct metric_def *md = metric_get(fd->metric);
		if (fd->points <= 0)
			continue;
		snprintf(b[0], sizeof b[0], "-%d", fd->points);
		tx_row(&t, (const char *[]){ b[0], fd->reason,
		    tx_resource(b[1], sizeof b[1], fd->res, fd->object),
		    md != NULL ? md->name : "" });
	}
	snprintf(b[0], sizeof b[0], "-%d", an->health.deducted);
	snprintf(b[1], sizeof b[1], "total: score %d", an->health.score);
	tx_row(&t, (const char *[]){ b[0], b[1], "", "" });
	rc = tx_table_print(f, &t);
	tx_table_done(&t);
	return rc;
}

static int
tx_findings(FILE *f, const struct analysis *an)
{
	struct tx_table	 t;
	char		 b[6][320];
	int		 i, rc;

	tx_title(f, "Findings");
	if (an == NULL || an->nfindings == 0) {
		fputs(an == NULL ? "Not analysed.\n\n" : "No findings: every "
		    "measured figure is below its info level.\n\n", f);
		return 0;
	}
	fputs("Worst first.  Share: the culprit's part of all use of the "
	    "resource in the\nwindow.\n\n", f);
	tx_table_init(&t, "llrrlrrl");
	tx_row(&t, (const char *[]){ "Severity", "Resource", "Value",
	    "Threshold", "Culprit", "Share", "Points", "Summary" });
	for (i = 0; i < an->nfindings; i++) {
		const struct finding *fd = &an->findings[i];
		const struct culprit *cu = fd->nculprits > 0 ?
		    &fd->culprits[0] : NULL;
		if (cu != NULL && cu->pid > 0 && isfinite(cu->share_pct))
			snprintf(b[4], sizeof b[4], "%.1f %%", cu->share_pct);
		else
			snprintf(b[4], sizeof b[4], "-");
		snprintf(b[5], sizeof b[5], fd->points > 0 ? "-%d" : "%d",
		    fd->points);
		tx_row(&t, (const char *[]){ severity_name(fd->sev),
		    tx_resource(b[0], sizeof b[0], fd->res, fd->object),
		    tx_metric_value(b[1], sizeof b[1], fd->metric, fd->value),
		    tx_metric_value(b[2], sizeof b[2], fd->metric,
		    fd->threshold),
		    tx_culprit(b[3], sizeof b[3], cu), b[4], b[5],
		    fd->summary });
	}
	rc = tx_table_print(f, &t);
	tx_table_done(&t);
	return rc;
}

static void
tx_advice(FILE *f, const struct analysis *an)
{
	char	 lead[32], text[FINDING_ADVICE + 256];
	int	 i, n = 0;
	size_t	 len;

	tx_title(f, "Advice");
	for (i = 0; an != NULL && i < an->nfindings; i++) {
		const struct finding *fd = &an->findings[i];
		const struct culprit *cu = &fd->culprits[0];
		if (fd->advice[0] == '\0')
			continue;
		snprintf(lead, sizeof lead, "%2d. ", ++n);
		len = strlen(fd->advice);
		snprintf(text, sizeof text, "%s: %s%s", severity_name(fd->sev),
		    fd->advice, fd->advice[len - 1] != '.' ? "." : "");
		len = strlen(text);
		if (fd->nculprits > 0 && cu->pid > 0) {
			snprintf(text + len, sizeof text - len,
			    " Culprit: %s (pid %d)", cu->comm, cu->pid);
			len = strlen(text);
			if (isfinite(cu->share_pct))
				snprintf(text + len, sizeof text - len,
				    ", %.1f %% of the %s use", cu->share_pct,
				    resource_name(fd->res));
			len = strlen(text);
			snprintf(text + len, sizeof text - len, ".");
		} else
			snprintf(text + len, sizeof text - len,
			    " Culprit: no single process.");
		tx_wrap(f, lead, text);
	}
	if (n == 0)
		fputs("Nothing to do.\n", f);
	fputc('\n', f);
}

static const char *
tx_cell(char *buf, size_t bufsz, const struct use_cell *cl)
{
	if (cl->sev == SEV_NA)
		snprintf(buf, bufsz, "n/a");
	else if (cl->sev >= SEV_INFO)
		snprintf(buf, bufsz, "%s (%s)", cl->text[0] != '\0' ?
		    cl->text : "-", severity_name(cl->sev));
	else
		snprintf(buf, bufsz, "%s", cl->text[0] != '\0' ? cl->text :
		    "-");
	return buf;
}

static int
tx_use(FILE *f, const struct analysis *an)
{
	struct tx_table	 t;
	char		 b[4][320];
	int		 i, rc;

	tx_title(f, "USE scorecard");
	if (an == NULL || an->nrows == 0) {
		fputs("No data.\n\n", f);
		return 0;
	}
	fputs("Utilization, saturation and errors of each resource; n/a: not "
	    "measured.\n\n", f);
	tx_table_init(&t, "llll");
	tx_row(&t, (const char *[]){ "Resource", "Utilization", "Saturation",
	    "Errors" });
	for (i = 0; i < an->nrows; i++) {
		const struct use_row *r = &an->rows[i];
		tx_row(&t, (const char *[]){
		    tx_resource(b[0], sizeof b[0], r->res, r->object),
		    tx_cell(b[1], sizeof b[1], &r->cell[USE_U]),
		    tx_cell(b[2], sizeof b[2], &r->cell[USE_S]),
		    tx_cell(b[3], sizeof b[3], &r->cell[USE_E]) });
	}
	rc = tx_table_print(f, &t);
	tx_table_done(&t);
	return rc;
}

static int
tx_trends(FILE *f, const struct analysis *an)
{
	struct tx_table	 t;
	char		 b[32];
	int		 i, rc;

	tx_title(f, "Trends");
	if (an == NULL || an->ntrends == 0) {
		fputs("No steady growth in the window.\n\n", f);
		return 0;
	}
	tx_table_init(&t, "lrl");
	tx_row(&t, (const char *[]){ "Severity", "Fit r2", "Trend" });
	for (i = 0; i < an->ntrends; i++) {
		const struct trend *tr = &an->trends[i];
		snprintf(b, sizeof b, "%.2f", tr->r2);
		tx_row(&t, (const char *[]){ severity_name(tr->sev), b,
		    tr->text });
	}
	rc = tx_table_print(f, &t);
	tx_table_done(&t);
	return rc;
}

static int
tx_alerts(FILE *f, const struct report *rp)
{
	const struct alert	*al;
	struct tx_table		 t;
	char			 b[7][96];
	int			 i, n, rc;

	tx_title(f, "Alerts");
	n = rp->alerts != NULL ? alerts_count(rp->alerts) : 0;
	if (n == 0) {
		fputs("No alert was raised", f);
		if (rp->cfg != NULL)
			fprintf(f, " (an alert needs its level held for "
			    "%g s)", rp->cfg->th.alert_duration_s);
		fputs(".\n\n", f);
		return 0;
	}
	fputs("Active first, then the log; times are UTC.\n\n", f);
	tx_table_init(&t, "lllrrrrl");
	tx_row(&t, (const char *[]){ "Level", "Raised", "Cleared",
	    "Duration", "Min", "Avg", "Max", "Alert" });
	for (i = 0; i < n; i++) {
		if ((al = alerts_get(rp->alerts, i)) == NULL)
			continue;
		tx_iso(b[0], sizeof b[0], al->raise_t);
		if (al->active)
			snprintf(b[1], sizeof b[1], "active");
		else {
			tx_iso(b[1], sizeof b[1], al->clear_t);
			if (al->nodata)
				strlcpy0(b[1] + strlen(b[1]), " (no data)",
				    sizeof b[1] - strlen(b[1]));
		}
		if (isfinite(al->duration_s))
			snprintf(b[2], sizeof b[2], al->duration_s < 10 ?
			    "%.1f s" : "%.0f s", al->duration_s);
		else
			snprintf(b[2], sizeof b[2], "n/a");
		tx_row(&t, (const char *[]){ severity_name(al->level), b[0],
		    b[1], b[2],
		    tx_metric_value(b[3], sizeof b[3], al->metric, al->vmin),
		    tx_metric_value(b[4], sizeof b[4], al->metric, al->vavg),
		    tx_metric_value(b[5], sizeof b[5], al->metric, al->vmax),
		    al->text });
	}
	rc = tx_table_print(f, &t);
	tx_table_done(&t);
	return rc;
}

static int
tx_host(FILE *f, const struct report *rp)
{
	const struct host	*h = ring_host(rp->ring);
	const struct sample	*first = export_sample(rp, export_len(rp) - 1);
	const struct sample	*last = export_sample(rp, 0);
	struct tx_table		 t;
	char			 b[2][320], t1[64], t2[64], name[256];
	size_t			 len;
	int			 rc;

	tx_title(f, "Host");
	tx_table_init(&t, "ll");
	export_hostname(rp, name, sizeof name);
	tx_row(&t, (const char *[]){ "Host name", name });
	tx_row(&t, (const char *[]){ "Kernel", h->kernel });
	tx_row(&t, (const char *[]){ "Operating system", h->os });
	tx_row(&t, (const char *[]){ "Architecture", h->arch });
	if (h->cpus > 0)
		snprintf(b[0], sizeof b[0], "%d", h->cpus);
	else
		snprintf(b[0], sizeof b[0], "n/a");
	tx_row(&t, (const char *[]){ "CPUs", b[0] });
	tx_row(&t, (const char *[]){ "Memory",
	    fmt_bytes(b[0], sizeof b[0], h->mem_total_bytes) });
	tx_iso(b[0], sizeof b[0], h->boot_time);
	tx_row(&t, (const char *[]){ "Booted", b[0] });
	tx_iso(t1, sizeof t1, first != NULL ? first->t : FIG_NA);
	tx_iso(t2, sizeof t2, last != NULL ? last->t : FIG_NA);
	snprintf(b[0], sizeof b[0], "%d samples, %s to %s", export_len(rp),
	    t1, t2);
	len = strlen(b[0]);
	if (first != NULL && last != NULL && isfinite(last->t - first->t))
		snprintf(b[0] + len, sizeof b[0] - len, " (%.1f s)",
		    last->t - first->t);
	len = strlen(b[0]);
	if (rp->cfg != NULL && isfinite(rp->cfg->interval_s))
		snprintf(b[0] + len, sizeof b[0] - len, ", every %g s",
		    rp->cfg->interval_s);
	tx_row(&t, (const char *[]){ "Window", b[0] });
	tx_row(&t, (const char *[]){ "Generator", "perftop " PACKAGE_VERSION });
	rc = tx_table_print(f, &t);
	tx_table_done(&t);
	return rc;
}

/* ---- key figures ------------------------------------------------------ */




/* One figure: average, maximum and last value over the window. */
static void
tx_fig(struct tx_table *t, const struct report *rp, const char *label,
    int kind, const char *name, const char *suffix, size_t off,
    enum export_unit unit)
{
	double	 v, sum = 0, max = FIG_NA, last = FIG_NA;
	int	 k, n = 0;
	char	 b[3][32], lb[320];

	for (k = export_len(rp) - 1; k >= 0; k--) {
		v = export_fig(export_sample(rp, k), kind, name, off);
		if (k == 0)
			last = v;
		if (!isfinite(v))
			continue;
		sum += v;
		n++;
		if (!FIG_OK(max) || v > max)
			max = v;
	}
	if (name != NULL)
		snprintf(lb, sizeof lb, "%s %s %s", label, name, suffix);
	else
		snprintf(lb, sizeof lb, "%s", label);
	tx_row(t, (const char *[]){ lb,
	    export_value(b[0], sizeof b[0], n > 0 ? sum / n : FIG_NA, unit),
	    export_value(b[1], sizeof b[1], max, unit),
	    export_value(b[2], sizeof b[2], last, unit) });
}

#define SF(field)	offsetof(struct sample, field)
#define DF(field)	offsetof(struct disk_figs, field)
#define NF(field)	offsetof(struct net_figs, field)

static int
tx_figures(FILE *f, const struct report *rp)
{
	static const struct {
		const char	*label;
		int		 kind;
		size_t		 off;
		enum export_unit	 unit;
	} sys[] = {
		{ "CPU busy",			0, SF(cpu.busy), EU_PCT },
		{ "CPU user",			0, SF(cpu.user), EU_PCT },
		{ "CPU system",			0, SF(cpu.system), EU_PCT },
		{ "CPU iowait",			0, SF(cpu.iowait), EU_PCT },
		{ "CPU steal",			0, SF(cpu.steal), EU_PCT },
		{ "CPU busy, busiest core",	4, 0, EU_PCT },
		{ "Load average 1 min",		0, SF(load[0]), EU_NUM },
		{ "Load average 5 min",		0, SF(load[1]), EU_NUM },
		{ "Load average 15 min",	0, SF(load[2]), EU_NUM },
		{ "Runnable tasks",		0, SF(procs_running), EU_NUM },
		{ "Blocked tasks (D state)",	0, SF(procs_blocked), EU_NUM },
		{ "Context switches",		0, SF(ctxsw_ps), EU_PERSEC },
		{ "Memory used",		0, SF(mem.used_pct), EU_PCT },
		{ "Memory used",		0, SF(mem.used_bytes), EU_BYTES },
		{ "Memory available",		0, SF(mem.available_bytes),
						   EU_BYTES },
		{ "Swap used",			0, SF(mem.swap_used_bytes),
						   EU_BYTES },
		{ "Swap in (pages)",		0, SF(mem.swapin_ps), EU_PERSEC },
		{ "Swap out (pages)",		0, SF(mem.swapout_ps),
						   EU_PERSEC },
		{ "Major page faults",		0, SF(mem.majflt_ps), EU_PERSEC },
		{ "PSI cpu some avg10",		0, SF(psi[PSI_CPU].some_avg10),
						   EU_PCT },
		{ "PSI memory some avg10",	0,
		    SF(psi[PSI_MEMORY].some_avg10), EU_PCT },
		{ "PSI memory full avg10",	0,
		    SF(psi[PSI_MEMORY].full_avg10), EU_PCT },
		{ "PSI io some avg10",		0, SF(psi[PSI_IO].some_avg10),
						   EU_PCT },
		{ "PSI io full avg10",		0, SF(psi[PSI_IO].full_avg10),
						   EU_PCT },
	};
	static const struct {
		const char	*suffix;
		int		 kind;
		size_t		 off;
		enum export_unit	 unit;
	} dev[] = {
		{ "read",		1, DF(read_bps), EU_RATE },
		{ "write",		1, DF(write_bps), EU_RATE },
		{ "utilization",	1, DF(util_pct), EU_PCT },
		{ "await",		1, DF(await_ms), EU_MS },
		{ "receive",		2, NF(rx_bps), EU_RATE },
		{ "transmit",		2, NF(tx_bps), EU_RATE },
		{ "rx drops",		2, NF(rx_drops_ps), EU_PERSEC },
		{ "tx drops",		2, NF(tx_drops_ps), EU_PERSEC },
		{ "rx errors",		2, NF(rx_errors_ps), EU_PERSEC },
		{ "tx errors",		2, NF(tx_errors_ps), EU_PERSEC },
		{ "used",		3, offsetof(struct fs_figs, used_pct),
					   EU_PCT },
	};
	static const char *const kinds[] = { "", "Disk", "Net",
	    "Filesystem" };
	struct tx_table	 t;
	const char	**names;
	size_t		  i, j;
	int		  kind, n, k, rc;

	tx_title(f, "Key figures");
	fputs("Average, maximum and last value over the window; rates are per "
	    "second;\nn/a: not measured.\n\n", f);
	tx_table_init(&t, "lrrr");
	tx_row(&t, (const char *[]){ "Figure", "Average", "Maximum", "Last" });
	for (i = 0; i < sizeof sys / sizeof sys[0]; i++)
		tx_fig(&t, rp, sys[i].label, sys[i].kind, NULL, NULL,
		    sys[i].off, sys[i].unit);
	for (kind = 1; kind <= 3; kind++) {
		if (export_names(rp, kind, &names, &n) != 0) {
			tx_table_done(&t);
			return -1;
		}
		for (k = 0; k < n; k++)
			for (j = 0; j < sizeof dev / sizeof dev[0]; j++)
				if (dev[j].kind == kind)
					tx_fig(&t, rp, kinds[kind], kind,
					    names[k], dev[j].suffix,
					    dev[j].off, dev[j].unit);
		free(names);
	}
	rc = tx_table_print(f, &t);
	tx_table_done(&t);
	return rc;
}

static int
tx_procs(FILE *f, const struct report *rp)
{
	const struct proctab	*pt = export_procs(rp);
	struct tx_table		 t;
	char			 b[6][64], cmd[CMDLINE_MAX + 80], cb[CMDLINE_MAX];
	const char		*cl;
	int			*idx, i, n, rc;

	tx_title(f, "Top processes");
	if (export_len(rp) == 0 || pt->n == 0) {
		fputs("No process data.\n", f);
		return 0;
	}
	if ((idx = export_proc_order(pt)) == NULL)
		return -1;
	n = pt->n < TX_TOP_PROCS ? pt->n : TX_TOP_PROCS;
	fprintf(f, "By CPU in the last sample (%d of %d tasks); CPU %% is of "
	    "one core.\n\n", n, pt->total > 0 ? pt->total : pt->n);
	tx_table_init(&t, "rlrrrrl");
	tx_row(&t, (const char *[]){ "PID", "User", "CPU %", "RSS", "Read/s",
	    "Write/s", "Command" });
	for (i = 0; i < n; i++) {
		const struct proc *p = &pt->v[idx[i]];
		snprintf(b[0], sizeof b[0], "%d", p->pid);
		cl = export_cmdline(rp, pt, p, cb, sizeof cb);
		if (*cl != '\0')
			snprintf(cmd, sizeof cmd, "%s: %s", p->comm, cl);
		else
			snprintf(cmd, sizeof cmd, "%s", p->comm);
		tx_row(&t, (const char *[]){ b[0], p->user,
		    export_value(b[1], sizeof b[1], p->cpu_pct, EU_NUM),
		    export_value(b[2], sizeof b[2], p->rss_bytes, EU_BYTES),
		    export_value(b[3], sizeof b[3], p->read_bps, EU_RATE),
		    export_value(b[4], sizeof b[4], p->write_bps, EU_RATE), cmd });
	}
	free(idx);
	rc = tx_table_print(f, &t);
	tx_table_done(&t);
	return rc;
}

int
export_text(FILE *f, const struct report *rp)
{
	const struct sample	*first = export_sample(rp, export_len(rp) - 1);
	const struct sample	*last = export_sample(rp, 0);
	char			 b1[64], b2[64], host[256], title[400];

	tx_iso(b1, sizeof b1, first != NULL ? first->t : FIG_NA);
	tx_iso(b2, sizeof b2, last != NULL ? last->t : FIG_NA);
	export_hostname(rp, host, sizeof host);
	snprintf(title, sizeof title, "perftop report for %s", host);
	tx_title(f, title);
	fprintf(f, "%s to %s\n\n", b1, b2);
	if (tx_health(f, rp) != 0 || tx_findings(f, rp->an) != 0)
		return -1;
	tx_advice(f, rp->an);
	if (tx_use(f, rp->an) != 0 || tx_trends(f, rp->an) != 0 ||
	    tx_alerts(f, rp) != 0 || tx_host(f, rp) != 0 ||
	    tx_figures(f, rp) != 0 || tx_procs(f, rp) != 0)
		return -1;
	return ferror(f) ? -1 : 0;
}
