/*
 * export_html.c - the report as one self-contained HTML page.
 *
 * One file to attach to a ticket or open in any browser, offline: the CSS
 * is inline, the charts are inline SVG drawn here, and there is no script
 * and no external asset.  It prints well (@media print keeps charts and
 * table rows whole and the status colours on).  The sections are those of
 * the Markdown report, with charts of the window after the advice: CPU
 * busy and iowait, memory used, utilization of each disk, network receive
 * and transmit of each interface, and the load averages.
 *
 * Every string that did not come from this file (names and command lines
 * from the machine, prose from the analysis) goes through html_esc(),
 * which escapes & < > " and ', so nothing from the data can open a tag or
 * end an attribute, in the HTML as in the SVG.  The SVG elements are
 * well-formed XML (quoted attributes, closed empty elements), so an XML
 * parser reads each chart on its own.
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
#include "util.h"

#define HT_TOP_PROCS	25
#define HT_SERIES_MAX	8	/* lines per chart; more are left out */

/* Chart geometry, in SVG user units. */
#define CH_W		720
#define CH_H		180
#define CH_L		64	/* left margin: y labels */
#define CH_R		12
#define CH_T		10
#define CH_B		24	/* bottom margin: x labels */

static const char *const ht_palette[HT_SERIES_MAX] = {
	"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e",
	"#9467bd", "#8c564b", "#e377c2", "#17becf"
};

static const char ht_css[] =
"body{font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif;"
"margin:1.5em auto;max-width:60em;padding:0 1em;color:#222;"
"line-height:1.4}\n"
"h1{font-size:1.5em;margin-bottom:.2em}\n"
"h2{font-size:1.2em;border-bottom:1px solid #ccc;padding-bottom:.2em;"
"margin-top:1.6em}\n"
"table{border-collapse:collapse;margin:.5em 0;font-size:.9em}\n"
"th,td{border:1px solid #ccc;padding:.2em .5em;text-align:left;"
"vertical-align:top}\n"
"th{background:#f2f2f2}\n"
"td.num{text-align:right;white-space:nowrap}\n"
"code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.95em;"
"word-break:break-all}\n"
".health{border:2px solid #888;border-radius:6px;padding:.3em 1em;"
"margin:1em 0}\n"
".health .line{font-size:1.2em;font-weight:bold}\n"
".status-ok{background:#e6f4ea;border-color:#2e7d32}\n"
".status-warning{background:#fff4d6;border-color:#b8860b}\n"
".status-critical{background:#fde2e1;border-color:#c62828}\n"
".status-unknown{background:#eee;border-color:#777}\n"
".sev-info{color:#1f5fa8}\n"
".sev-warning{color:#8a6100;font-weight:bold}\n"
".sev-critical{color:#b71c1c;font-weight:bold}\n"
"figure{margin:1em 0}\n"
"figure svg{width:100%;height:auto;max-width:720px;display:block}\n"
"figcaption{font-size:.9em}\n"
".sw{display:inline-block;width:.8em;height:.8em;margin:0 .3em 0 .8em;"
"vertical-align:middle}\n"
".muted{color:#666}\n"
"footer{margin-top:2em;font-size:.8em;color:#666}\n"
"@media print{body{max-width:none;margin:0;font-size:10pt}"
"section,figure,tr{break-inside:avoid}"
".health,.sw{print-color-adjust:exact;-webkit-print-color-adjust:exact}}\n";

/* Text escaped for HTML and XML: element content and quoted attributes. */
static void
html_esc(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&#39;", f);
			break;
		default:
			fputc(*s, f);
		}
	}
}

/* The time t in UTC: an ISO 8601 date and time, or (form) the time of
 * day alone, "HH:MM:SS", or with " UTC" (form 2). */
static void
ht_iso(char *buf, size_t bufsz, double t, int form)
{
	struct tm	 tm;
	time_t		 tt;

	if (!isfinite(t) || t < 0) {
		snprintf(buf, bufsz, "n/a");
		return;
	}
	tt = (time_t)t;
	if (gmtime_r(&tt, &tm) == NULL || strftime(buf, bufsz, form == 0 ?
	    "%Y-%m-%dT%H:%M:%SZ" : form == 1 ? "%H:%M:%S" : "%H:%M:%S UTC",
	    &tm) == 0)
		snprintf(buf, bufsz, "n/a");
}

static void
ht_metric_value(FILE *f, enum metric m, double v)
{
	const struct metric_def	*md = metric_get(m);
	char			 b[32];

	fputs(fmt_num(b, sizeof b, v), f);
	if (isfinite(v) && md != NULL && md->unit[0] != '\0') {
		fputc(' ', f);
		html_esc(f, md->unit);
	}
}

/* "cpu" or "disk <code>sda</code>". */
static void
ht_resource(FILE *f, enum resource res, const char *object)
{
	fputs(resource_name(res), f);
	if (object[0] != '\0') {
		fputs(" <code>", f);
		html_esc(f, object);
		fputs("</code>", f);
	}
}

static void
ht_culprit(FILE *f, const struct culprit *cu)
{
	if (cu == NULL || cu->pid <= 0) {
		fputs("-", f);
		return;
	}
	fputs("<code>", f);
	html_esc(f, cu->comm);
	fprintf(f, "</code> (pid %d)", cu->pid);
}

static const char *
ht_status_class(enum health_status st)
{
	switch (st) {
	case HEALTH_OK:
		return "status-ok";
	case HEALTH_WARNING:
		return "status-warning";
	case HEALTH_CRITICAL:
		return "status-critical";
	default:
		return "status-unknown";
	}
}

static void
ht_sev(FILE *f, enum severity sev)
{
	fprintf(f, "<span class=\"sev-%s\">%s</span>", severity_name(sev),
	    severity_name(sev));
}

/* ---- charts ------------------------------------------------------------- */

enum ht_unit { HT_PCT, HT_RATE, HT_NUM };

struct ht_series {
	char	 label[160];
	double	*v;		/* one per sample, oldest first */
};

struct ht_chart {
	const char		*title;
	enum ht_unit		 unit;
	int			 n;	/* samples */
	const double		*t;	/* their times */
	struct ht_series	 s[HT_SERIES_MAX];
	int			 ns;
	int			 more;	/* series left out */
};

static const char *
ht_axis(char *buf, size_t bufsz, double v, enum ht_unit unit)
{
	switch (unit) {
	case HT_PCT:
		snprintf(buf, bufsz, "%.0f %%", v);
		break;
	case HT_RATE:
		fmt_rate(buf, bufsz, v);
		break;
	case HT_NUM:
		snprintf(buf, bufsz, "%.2f", v);
		break;
	}
	return buf;
}

/* 1, 2, 5 times a power of ten, at least v. */
static double
ht_nice(double v)
{
	double	 p, m;

	if (!(v > 0))
		return 1;
	p = pow(10, floor(log10(v)));
	m = v / p;
	return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

static void
ht_chart_svg(FILE *f, const struct ht_chart *c)
{
	double	 ymax = 0, x0 = c->t[0], x1 = c->t[c->n - 1], x, y, v;
	double	 pw = CH_W - CH_L - CH_R, ph = CH_H - CH_T - CH_B;
	char	 b[64];
	int	 i, k, g;
	bool	 pen;

	if (c->unit == HT_PCT)
		ymax = 100;
	else {
		for (i = 0; i < c->ns; i++)
			for (k = 0; k < c->n; k++)
				if (isfinite(c->s[i].v[k]) && c->s[i].v[k] > ymax)
					ymax = c->s[i].v[k];
		ymax = ht_nice(ymax);
	}
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" "
	    "aria-label=\"", CH_W, CH_H, CH_W, CH_H);
	html_esc(f, c->title);
	fputs("\">\n", f);
	fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%.0f\" height=\"%.0f\" "
	    "fill=\"#fafafa\" stroke=\"#ccc\"/>\n", CH_L, CH_T, pw, ph);
	for (g = 0; g <= 4; g++) {
		y = CH_T + ph - ph * g / 4;
		fprintf(f, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" "
		    "stroke=\"#e0e0e0\"/>\n", CH_L, y, CH_W - CH_R, y);
		fprintf(f, "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" "
		    "text-anchor=\"end\" fill=\"#555\">", CH_L - 4, y + 4);
		html_esc(f, ht_axis(b, sizeof b, ymax * g / 4, c->unit));
		fputs("</text>\n", f);
	}
	ht_iso(b, sizeof b, x0, 1);
	fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#555\">"
	    "%s</text>\n", CH_L, CH_H - 6, b);
	ht_iso(b, sizeof b, x1, 2);
	fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"11\" "
	    "text-anchor=\"end\" fill=\"#555\">%s</text>\n", CH_W - CH_R,
	    CH_H - 6, b);
	for (i = 0; i < c->ns; i++) {
		fprintf(f, "<path fill=\"none\" stroke=\"%s\" "
		    "stroke-width=\"1.5\" d=\"", ht_palette[i]);
		pen = false;
		for (k = 0; k < c->n; k++) {
			v = c->s[i].v[k];
			if (!isfinite(v)) {
				pen = false;
				continue;
			}
			x = x1 > x0 ? CH_L + pw * (c->t[k] - x0) / (x1 - x0) :
			    CH_L + pw / 2;
			y = CH_T + ph - ph * fmin(fmax(v / ymax, 0), 1);
			fprintf(f, "%s%.1f %.1f", pen ? " L" : (k > 0 ? " M" :
			    "M"), x, y);
			pen = true;
		}
		fputs("\"/>\n", f);
		/* A point with no neighbour would not show as a line. */
		for (k = 0; k < c->n; k++) {
			v = c->s[i].v[k];
			if (!isfinite(v) || (k > 0 && isfinite(c->s[i].v[k - 1])) ||
			    (k + 1 < c->n && isfinite(c->s[i].v[k + 1])))
				continue;
			x = x1 > x0 ? CH_L + pw * (c->t[k] - x0) / (x1 - x0) :
			    CH_L + pw / 2;
			y = CH_T + ph - ph * fmin(fmax(v / ymax, 0), 1);
			fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" "
			    "fill=\"%s\"/>\n", x, y, ht_palette[i]);
		}
	}
	fputs("</svg>\n", f);
}

static void
ht_chart(FILE *f, const struct ht_chart *c)
{
	int	 i;

	fputs("<figure>\n", f);
	if (c->n == 0 || c->ns == 0) {
		fputs("<p class=\"muted\">No data.</p>\n", f);
	} else
		ht_chart_svg(f, c);
	fputs("<figcaption><strong>", f);
	html_esc(f, c->title);
	fputs("</strong>", f);
	for (i = 0; i < c->ns; i++) {
		fprintf(f, "<span class=\"sw\" style=\"background:%s\">"
		    "</span>", ht_palette[i]);
		html_esc(f, c->s[i].label);
	}
	if (c->more > 0)
		fprintf(f, " <span class=\"muted\">(and %d more not drawn)"
		    "</span>", c->more);
	fputs("</figcaption>\n</figure>\n", f);
}

#define SF(field)	offsetof(struct sample, field)

/* Add a series: the figure at off of the sample (kind 0), of the disk (1)
 * or interface (2) called name.  -1 on allocation failure. */
static int
ht_series(const struct report *rp, struct ht_chart *c, const char *label,
    enum export_dev kind, const char *name, size_t off)
{
	struct ht_series	*s;
	const struct sample	*sm;
	int			 k;

	if (c->ns == HT_SERIES_MAX) {
		c->more++;
		return 0;
	}
	s = &c->s[c->ns];
	if ((s->v = calloc((size_t)c->n + 1, sizeof *s->v)) == NULL)
		return -1;
	strlcpy0(s->label, label, sizeof s->label);
	for (k = 0; k < c->n; k++) {
		sm = export_sample(rp, c->n - 1 - k);
		s->v[k] = export_fig(sm, kind, name, off);
	}
	c->ns++;
	return 0;
}

static void
ht_chart_done(struct ht_chart *c)
{
	int	 i;

	for (i = 0; i < c->ns; i++)
		free(c->s[i].v);
	c->ns = 0;
}

static int
ht_charts(FILE *f, const struct report *rp)
{
	struct ht_chart	 c;
	const char	**names;
	double		*t;
	char		 lb[160];
	int		  n = export_len(rp), k, i, nn, rc = -1;

	fputs("<section>\n<h2>Charts</h2>\n", f);
	if (n == 0) {
		fputs("<p>No samples.</p>\n</section>\n", f);
		return 0;
	}
	if ((t = calloc((size_t)n, sizeof *t)) == NULL)
		return -1;
	for (k = 0; k < n; k++)
		t[k] = export_sample(rp, n - 1 - k)->t;
	memset(&c, 0, sizeof c);
	c.n = n;
	c.t = t;

	c.title = "CPU busy and iowait, % of all CPUs";
	c.unit = HT_PCT;
	if (ht_series(rp, &c, "busy", 0, NULL, SF(cpu.busy)) != 0 ||
	    ht_series(rp, &c, "iowait", 0, NULL, SF(cpu.iowait)) != 0)
		goto out;
	ht_chart(f, &c);
	ht_chart_done(&c);

	c.title = "Memory used, %";
	if (ht_series(rp, &c, "used", 0, NULL, SF(mem.used_pct)) != 0)
		goto out;
	ht_chart(f, &c);
	ht_chart_done(&c);

	c.title = "Disk utilization, %";
	c.more = 0;
	if (export_names(rp, EXPORT_DISKS, &names, &nn) != 0)
		goto out;
	for (i = 0; i < nn; i++)
		if (ht_series(rp, &c, names[i], 1, names[i],
		    offsetof(struct disk_figs, util_pct)) != 0) {
			free(names);
			goto out;
		}
	free(names);
	ht_chart(f, &c);
	ht_chart_done(&c);

	c.title = "Network receive and transmit, bytes/s";
	c.unit = HT_RATE;
	c.more = 0;
	if (export_names(rp, EXPORT_NETS, &names, &nn) != 0)
		goto out;
	for (i = 0; i < nn; i++) {
		snprintf(lb, sizeof lb, "%s rx", names[i]);
		if (ht_series(rp, &c, lb, 2, names[i],
		    offsetof(struct net_figs, rx_bps)) != 0) {
			free(names);
			goto out;
		}
		snprintf(lb, sizeof lb, "%s tx", names[i]);
		if (ht_series(rp, &c, lb, 2, names[i],
		    offsetof(struct net_figs, tx_bps)) != 0) {
			free(names);
			goto out;
		}
	}
	free(names);
	ht_chart(f, &c);
	ht_chart_done(&c);

	c.title = "Load average";
	c.unit = HT_NUM;
	c.more = 0;
	if (ht_series(rp, &c, "1 min", 0, NULL, SF(load[0])) != 0 ||
	    ht_series(rp, &c, "5 min", 0, NULL, SF(load[1])) != 0 ||
	    ht_series(rp, &c, "15 min", 0, NULL, SF(load[2])) != 0)
		goto out;
	ht_chart(f, &c);
	rc = 0;
out:
	ht_chart_done(&c);
	free(t);
	fputs("</section>\n", f);
	if (rc != 0)
		errno = ENOMEM;
	return rc;
}

/* ---- diagnosis ---------------------------------------------------------- */

static void
ht_health(FILE *f, const struct report *rp)
{
	const struct analysis	*an = rp->an;
	enum health_status	 st = export_status(rp);
	char			 line[1024];
	int			 i;

	fprintf(f, "<section class=\"health %s\">\n<h2>Health</h2>\n",
	    ht_status_class(st));
	if (an == NULL) {
		fprintf(f, "<p class=\"line\">Health n/a \xe2\x80\x94 not "
		    "analysed</p>\n<p>Status <strong>%s</strong> (batch exit "
		    "status %d).</p>\n</section>\n", health_status_name(st),
		    (int)st);
		return;
	}
	analysis_health_line(an, line, sizeof line, true, 0);
	fputs("<p class=\"line\">", f);
	html_esc(f, line);
	fprintf(f, "</p>\n<p>Status <strong>%s</strong> (batch exit status "
	    "%d)", health_status_name(st), (int)st);
	if (an->health.score >= 0 && st != HEALTH_UNKNOWN)
		fprintf(f, ", score %d of 100", an->health.score);
	fprintf(f, ", judged over %d sample%s", an->nsamples,
	    an->nsamples == 1 ? "" : "s");
	if (an->nsamples > 1 && isfinite(an->t_last - an->t_first))
		fprintf(f, " (%.1f s)", an->t_last - an->t_first);
	fputs(".</p>\n", f);
	if (an->unseen[0] != '\0') {
		fputs("<p>Not visible (not measured, so not judged): ", f);
		html_esc(f, an->unseen);
		fputs(".</p>\n", f);
	}
	if (an->health.ndeductions == 0) {
		fputs("<p>No deductions.</p>\n</section>\n", f);
		return;
	}
	fputs("<table>\n<thead><tr><th>Points</th><th>Reason</th>"
	    "<th>Resource</th><th>Metric</th></tr></thead>\n<tbody>\n", f);
	for (i = 0; i < an->nfindings; i++) {
		const struct finding *fd = &an->findings[i];
		const struct metric_def *md = metric_get(fd->metric);
		if (fd->points <= 0)
			continue;
		fprintf(f, "<tr><td class=\"num\">\xe2\x88\x92%d</td><td>",
		    fd->points);
		html_esc(f, fd->reason);
		fputs("</td><td>", f);
		ht_resource(f, fd->res, fd->object);
		fputs("</td><td><code>", f);
		html_esc(f, md != NULL ? md->name : "");
		fputs("</code></td></tr>\n", f);
	}
	fprintf(f, "<tr><td class=\"num\"><strong>\xe2\x88\x92%d</strong>"
	    "</td><td>total: score %d</td><td></td><td></td></tr>\n"
	    "</tbody>\n</table>\n</section>\n", an->health.deducted,
	    an->health.score);
}

static void
ht_findings(FILE *f, const struct analysis *an)
{
	int	 i;

	fputs("<section>\n<h2>Findings</h2>\n", f);
	if (an == NULL || an->nfindings == 0) {
		fputs(an == NULL ? "<p>Not analysed.</p>\n" : "<p>No findings: "
		    "every measured figure is below its info level.</p>\n", f);
		fputs("</section>\n", f);
		return;
	}
	fputs("<p>Worst first.  Share: the culprit's part of all use of the "
	    "resource in the window.</p>\n<table>\n<thead><tr>"
	    "<th>Severity</th><th>Resource</th><th>Summary</th><th>Value</th>"
	    "<th>Threshold</th><th>Culprit</th><th>Share</th><th>Points</th>"
	    "</tr></thead>\n<tbody>\n", f);
	for (i = 0; i < an->nfindings; i++) {
		const struct finding *fd = &an->findings[i];
		const struct culprit *cu = fd->nculprits > 0 ?
		    &fd->culprits[0] : NULL;
		fputs("<tr><td>", f);
		ht_sev(f, fd->sev);
		fputs("</td><td>", f);
		ht_resource(f, fd->res, fd->object);
		fputs("</td><td>", f);
		html_esc(f, fd->summary);
		fputs("</td><td class=\"num\">", f);
		ht_metric_value(f, fd->metric, fd->value);
		fputs("</td><td class=\"num\">", f);
		ht_metric_value(f, fd->metric, fd->threshold);
		fputs("</td><td>", f);
		ht_culprit(f, cu);
		if (cu != NULL && cu->pid > 0 && isfinite(cu->share_pct))
			fprintf(f, "</td><td class=\"num\">%.1f %%",
			    cu->share_pct);
		else
			fputs("</td><td class=\"num\">-", f);
		if (fd->points > 0)
			fprintf(f, "</td><td class=\"num\">\xe2\x88\x92%d"
			    "</td></tr>\n", fd->points);
		else
			fputs("</td><td class=\"num\">0</td></tr>\n", f);
	}
	fputs("</tbody>\n</table>\n</section>\n", f);
}

static void
ht_advice(FILE *f, const struct analysis *an)
{
	int	 i, n = 0;

	fputs("<section>\n<h2>Advice</h2>\n", f);
	for (i = 0; an != NULL && i < an->nfindings; i++) {
		const struct finding *fd = &an->findings[i];
		const struct culprit *cu = &fd->culprits[0];
		if (fd->advice[0] == '\0')
			continue;
		if (n++ == 0)
			fputs("<ol>\n", f);
		fputs("<li>", f);
		ht_sev(f, fd->sev);
		fputs(": ", f);
		html_esc(f, fd->advice);
		if (fd->advice[strlen(fd->advice) - 1] != '.')
			fputc('.', f);
		if (fd->nculprits > 0 && cu->pid > 0) {
			fputs(" Culprit: ", f);
			ht_culprit(f, cu);
			if (isfinite(cu->share_pct))
				fprintf(f, ", %.1f %% of the %s use",
				    cu->share_pct, resource_name(fd->res));
			fputc('.', f);
		} else
			fputs(" Culprit: no single process.", f);
		fputs("</li>\n", f);
	}
	fputs(n == 0 ? "<p>Nothing to do.</p>\n" : "</ol>\n", f);
	fputs("</section>\n", f);
}

static void
ht_use(FILE *f, const struct analysis *an)
{
	int	 i, c;

	fputs("<section>\n<h2>USE scorecard</h2>\n", f);
	if (an == NULL || an->nrows == 0) {
		fputs("<p>No data.</p>\n</section>\n", f);
		return;
	}
	fputs("<p>Utilization, saturation and errors of each resource; n/a: "
	    "not measured.</p>\n<table>\n<thead><tr><th>Resource</th>"
	    "<th>Utilization</th><th>Saturation</th><th>Errors</th></tr>"
	    "</thead>\n<tbody>\n", f);
	for (i = 0; i < an->nrows; i++) {
		const struct use_row *r = &an->rows[i];
		fputs("<tr><td>", f);
		ht_resource(f, r->res, r->object);
		fputs("</td>", f);
		for (c = 0; c < USE_NCOLS; c++) {
			const struct use_cell *cl = &r->cell[c];
			if (cl->sev == SEV_NA) {
				fputs("<td class=\"muted\">n/a</td>", f);
				continue;
			}
			fprintf(f, "<td class=\"sev-%s\">",
			    severity_name(cl->sev));
			html_esc(f, cl->text[0] != '\0' ? cl->text : "-");
			if (cl->sev >= SEV_INFO)
				fprintf(f, " (%s)", severity_name(cl->sev));
			fputs("</td>", f);
		}
		fputs("</tr>\n", f);
	}
	fputs("</tbody>\n</table>\n</section>\n", f);
}

static void
ht_trends(FILE *f, const struct analysis *an)
{
	int	 i;

	fputs("<section>\n<h2>Trends</h2>\n", f);
	if (an == NULL || an->ntrends == 0) {
		fputs("<p>No steady growth in the window.</p>\n</section>\n", f);
		return;
	}
	fputs("<table>\n<thead><tr><th>Severity</th><th>Trend</th>"
	    "<th>Fit r\xc2\xb2</th></tr></thead>\n<tbody>\n", f);
	for (i = 0; i < an->ntrends; i++) {
		const struct trend *t = &an->trends[i];
		fputs("<tr><td>", f);
		ht_sev(f, t->sev);
		fputs("</td><td>", f);
		html_esc(f, t->text);
		fprintf(f, "</td><td class=\"num\">%.2f</td></tr>\n", t->r2);
	}
	fputs("</tbody>\n</table>\n</section>\n", f);
}

static void
ht_alerts(FILE *f, const struct report *rp)
{
	const struct alert	*al;
	char			 b1[64], b2[64];
	int			 i, n;

	fputs("<section>\n<h2>Alerts</h2>\n", f);
	n = rp->alerts != NULL ? alerts_count(rp->alerts) : 0;
	if (n == 0) {
		fputs("<p>No alert was raised", f);
		if (rp->cfg != NULL)
			fprintf(f, " (an alert needs its level held for "
			    "%g s)", rp->cfg->th.alert_duration_s);
		fputs(".</p>\n</section>\n", f);
		return;
	}
	fputs("<p>Active first, then the log; times are UTC.</p>\n<table>\n"
	    "<thead><tr><th>Level</th><th>Alert</th><th>Raised</th>"
	    "<th>Cleared</th><th>Duration</th><th>Min</th><th>Avg</th>"
	    "<th>Max</th></tr></thead>\n<tbody>\n", f);
	for (i = 0; i < n; i++) {
		if ((al = alerts_get(rp->alerts, i)) == NULL)
			continue;
		ht_iso(b1, sizeof b1, al->raise_t, 0);
		if (al->active)
			snprintf(b2, sizeof b2, "active");
		else
			ht_iso(b2, sizeof b2, al->clear_t, 0);
		fputs("<tr><td>", f);
		ht_sev(f, al->level);
		fputs("</td><td>", f);
		html_esc(f, al->text);
		fprintf(f, "</td><td>%s</td><td>%s%s</td><td class=\"num\">",
		    b1, b2, al->nodata ? " (no data)" : "");
		if (isfinite(al->duration_s))
			fprintf(f, al->duration_s < 10 ? "%.1f s" : "%.0f s",
			    al->duration_s);
		else
			fputs("n/a", f);
		fputs("</td><td class=\"num\">", f);
		ht_metric_value(f, al->metric, al->vmin);
		fputs("</td><td class=\"num\">", f);
		ht_metric_value(f, al->metric, al->vavg);
		fputs("</td><td class=\"num\">", f);
		ht_metric_value(f, al->metric, al->vmax);
		fputs("</td></tr>\n", f);
	}
	fputs("</tbody>\n</table>\n</section>\n", f);
}

static void
ht_fact(FILE *f, const char *name, const char *value, bool code)
{
	fprintf(f, "<tr><th>%s</th><td>%s", name, code ? "<code>" : "");
	html_esc(f, value);
	fprintf(f, "%s</td></tr>\n", code ? "</code>" : "");
}

static void
ht_host(FILE *f, const struct report *rp)
{
	const struct host	*h = ring_host(rp->ring);
	const struct sample	*first = export_sample(rp, export_len(rp) - 1);
	const struct sample	*last = export_sample(rp, 0);
	char			 b[320], t1[64], t2[64];
	size_t			 len;

	fputs("<section>\n<h2>Host</h2>\n<table>\n<tbody>\n", f);
	export_hostname(rp, b, sizeof b);
	ht_fact(f, "Host name", b, true);
	ht_fact(f, "Kernel", h->kernel, true);
	ht_fact(f, "Operating system", h->os, true);
	ht_fact(f, "Architecture", h->arch, true);
	if (h->cpus > 0)
		snprintf(b, sizeof b, "%d", h->cpus);
	else
		snprintf(b, sizeof b, "n/a");
	ht_fact(f, "CPUs", b, false);
	ht_fact(f, "Memory", fmt_bytes(b, sizeof b, h->mem_total_bytes),
	    false);
	ht_iso(b, sizeof b, h->boot_time, 0);
	ht_fact(f, "Booted", b, false);
	ht_iso(t1, sizeof t1, first != NULL ? first->t : FIG_NA, 0);
	ht_iso(t2, sizeof t2, last != NULL ? last->t : FIG_NA, 0);
	snprintf(b, sizeof b, "%d samples, %s to %s", export_len(rp), t1, t2);
	len = strlen(b);
	if (first != NULL && last != NULL && isfinite(last->t - first->t))
		snprintf(b + len, sizeof b - len, " (%.1f s)",
		    last->t - first->t);
	len = strlen(b);
	if (rp->cfg != NULL && isfinite(rp->cfg->interval_s))
		snprintf(b + len, sizeof b - len, ", every %g s",
		    rp->cfg->interval_s);
	ht_fact(f, "Window", b, false);
	ht_fact(f, "Generator", "perftop " PACKAGE_VERSION, false);
	fputs("</tbody>\n</table>\n</section>\n", f);
}

/* ---- key figures and processes ------------------------------------------ */



static void
ht_fig(FILE *f, const struct report *rp, const char *label, int kind,
    const char *name, const char *suffix, size_t off, enum export_unit unit)
{
	double	 v, sum = 0, max = FIG_NA, last = FIG_NA;
	int	 k, n = 0;
	char	 b[3][32];

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
	fputs("<tr><td>", f);
	html_esc(f, label);
	if (name != NULL) {
		fputs(" <code>", f);
		html_esc(f, name);
		fputs("</code> ", f);
		html_esc(f, suffix);
	}
	fprintf(f, "</td><td class=\"num\">%s</td><td class=\"num\">%s</td>"
	    "<td class=\"num\">%s</td></tr>\n",
	    export_value(b[0], sizeof b[0], n > 0 ? sum / n : FIG_NA, unit),
	    export_value(b[1], sizeof b[1], max, unit),
	    export_value(b[2], sizeof b[2], last, unit));
}

#define DF(field)	offsetof(struct disk_figs, field)
#define NF(field)	offsetof(struct net_figs, field)

static int
ht_figures(FILE *f, const struct report *rp)
{
	static const struct {
		const char	*label;
		size_t		 off;
		enum export_unit	 unit;
	} sys[] = {
		{ "CPU busy",			SF(cpu.busy), EU_PCT },
		{ "CPU user",			SF(cpu.user), EU_PCT },
		{ "CPU system",			SF(cpu.system), EU_PCT },
		{ "CPU iowait",			SF(cpu.iowait), EU_PCT },
		{ "CPU steal",			SF(cpu.steal), EU_PCT },
		{ "Load average 1 min",		SF(load[0]), EU_NUM },
		{ "Runnable tasks",		SF(procs_running), EU_NUM },
		{ "Blocked tasks (D state)",	SF(procs_blocked), EU_NUM },
		{ "Context switches",		SF(ctxsw_ps), EU_PERSEC },
		{ "Memory used",		SF(mem.used_pct), EU_PCT },
		{ "Memory available",		SF(mem.available_bytes),
						    EU_BYTES },
		{ "Swap used",			SF(mem.swap_used_bytes),
						    EU_BYTES },
		{ "Swap out (pages)",		SF(mem.swapout_ps), EU_PERSEC },
		{ "Major page faults",		SF(mem.majflt_ps), EU_PERSEC },
		{ "PSI cpu some avg10",		SF(psi[PSI_CPU].some_avg10),
						    EU_PCT },
		{ "PSI memory some avg10",	SF(psi[PSI_MEMORY].some_avg10),
						    EU_PCT },
		{ "PSI io some avg10",		SF(psi[PSI_IO].some_avg10),
						    EU_PCT },
	};
	static const struct {
		const char	*suffix;
		int		 kind;
		size_t		 off;
		enum export_unit	 unit;
	} dev[] = {
		{ "read", 1, DF(read_bps), EU_RATE },
		{ "write", 1, DF(write_bps), EU_RATE },
		{ "utilization", 1, DF(util_pct), EU_PCT },
		{ "await", 1, DF(await_ms), EU_MS },
		{ "receive", 2, NF(rx_bps), EU_RATE },
		{ "transmit", 2, NF(tx_bps), EU_RATE },
		{ "rx drops", 2, NF(rx_drops_ps), EU_PERSEC },
		{ "rx errors", 2, NF(rx_errors_ps), EU_PERSEC },
		{ "used", 3, offsetof(struct fs_figs, used_pct), EU_PCT },
	};
	static const char *const kinds[] = { "", "Disk", "Net",
	    "Filesystem" };
	const char	**names;
	size_t		  i, j;
	int		  kind, n, k;

	fputs("<section>\n<h2>Key figures</h2>\n<p>Average, maximum and last "
	    "value over the window; rates are per second; n/a: not "
	    "measured.</p>\n<table>\n<thead><tr><th>Figure</th>"
	    "<th>Average</th><th>Maximum</th><th>Last</th></tr></thead>\n"
	    "<tbody>\n", f);
	for (i = 0; i < sizeof sys / sizeof sys[0]; i++)
		ht_fig(f, rp, sys[i].label, 0, NULL, NULL, sys[i].off,
		    sys[i].unit);
	for (kind = 1; kind <= 3; kind++) {
		if (export_names(rp, kind, &names, &n) != 0)
			return -1;
		for (k = 0; k < n; k++)
			for (j = 0; j < sizeof dev / sizeof dev[0]; j++)
				if (dev[j].kind == kind)
					ht_fig(f, rp, kinds[kind], kind,
					    names[k], dev[j].suffix,
					    dev[j].off, dev[j].unit);
		free(names);
	}
	fputs("</tbody>\n</table>\n</section>\n", f);
	return 0;
}

static int
ht_procs(FILE *f, const struct report *rp)
{
	const struct proctab	*pt = export_procs(rp);
	const struct proc	*p;
	const char		*cl;
	char			 b[4][32], cb[CMDLINE_MAX];
	int			*idx, i, n;

	fputs("<section>\n<h2>Top processes</h2>\n", f);
	if (export_len(rp) == 0 || pt->n == 0) {
		fputs("<p>No process data.</p>\n</section>\n", f);
		return 0;
	}
	if ((idx = export_proc_order(pt)) == NULL)
		return -1;
	n = pt->n < HT_TOP_PROCS ? pt->n : HT_TOP_PROCS;
	fprintf(f, "<p>By CPU in the last sample (%d of %d tasks); CPU %% is "
	    "of one core.</p>\n<table>\n<thead><tr><th>PID</th><th>User</th>"
	    "<th>CPU %%</th><th>RSS</th><th>Read/s</th><th>Write/s</th>"
	    "<th>Command</th></tr></thead>\n<tbody>\n", n,
	    pt->total > 0 ? pt->total : pt->n);
	for (i = 0; i < n; i++) {
		p = &pt->v[idx[i]];
		fprintf(f, "<tr><td class=\"num\">%d</td><td>", p->pid);
		html_esc(f, p->user);
		fprintf(f, "</td><td class=\"num\">%s</td><td class=\"num\">%s"
		    "</td><td class=\"num\">%s</td><td class=\"num\">%s</td>"
		    "<td><code>",
		    export_value(b[0], sizeof b[0], p->cpu_pct, EU_NUM),
		    export_value(b[1], sizeof b[1], p->rss_bytes, EU_BYTES),
		    export_value(b[2], sizeof b[2], p->read_bps, EU_RATE),
		    export_value(b[3], sizeof b[3], p->write_bps, EU_RATE));
		html_esc(f, p->comm);
		fputs("</code>", f);
		cl = export_cmdline(rp, pt, p, cb, sizeof cb);
		if (*cl != '\0') {
			fputs(" <code class=\"muted\">", f);
			html_esc(f, cl);
			fputs("</code>", f);
		}
		fputs("</td></tr>\n", f);
	}
	free(idx);
	fputs("</tbody>\n</table>\n</section>\n", f);
	return 0;
}

int
export_html(FILE *f, const struct report *rp)
{
	const struct sample	*first = export_sample(rp, export_len(rp) - 1);
	const struct sample	*last = export_sample(rp, 0);
	char			 t1[64], t2[64], host[256];

	ht_iso(t1, sizeof t1, first != NULL ? first->t : FIG_NA, 0);
	ht_iso(t2, sizeof t2, last != NULL ? last->t : FIG_NA, 0);
	export_hostname(rp, host, sizeof host);
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
	    "content=\"width=device-width, initial-scale=1\">\n"
	    "<meta name=\"generator\" content=\"perftop " PACKAGE_VERSION
	    "\">\n<title>perftop report for ", f);
	html_esc(f, host);
	fprintf(f, ", %s to %s</title>\n<style>\n%s</style>\n</head>\n"
	    "<body>\n<header>\n<h1>perftop report for <code>", t1, t2, ht_css);
	html_esc(f, host);
	fprintf(f, "</code></h1>\n<p>%s to %s, %d sample%s</p>\n</header>\n"
	    "<main>\n", t1, t2, export_len(rp), export_len(rp) == 1 ? "" : "s");
	ht_health(f, rp);
	ht_findings(f, rp->an);
	ht_advice(f, rp->an);
	if (ht_charts(f, rp) != 0)
		return -1;
	ht_use(f, rp->an);
	ht_trends(f, rp->an);
	ht_alerts(f, rp);
	ht_host(f, rp);
	if (ht_figures(f, rp) != 0 || ht_procs(f, rp) != 0)
		return -1;
	fputs("</main>\n<footer>Generated by perftop " PACKAGE_VERSION
	    ".</footer>\n</body>\n</html>\n", f);
	return ferror(f) ? -1 : 0;
}
