/*
 * export_html.c - the report as one self-contained HTML page.
 *
 * One file to attach to a ticket or open in any browser, offline: the CSS
 * is inline, the charts are inline SVG drawn here, and there is no script
 * and no external asset.  It prints well (@media print keeps charts and
 * table rows whole and the status colours on).  The sections are those
 * export.c builds for every report, with charts of the window after the
 * advice: CPU busy and iowait, memory used, utilization of each disk,
 * network receive and transmit of each interface, and the load averages.
 *
 * Every string that is not the report's own words (names and command
 * lines from the machine, prose from the analysis) goes through html_esc(),
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

#include "analysis.h"
#include "export.h"
#include "util.h"

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
	export_time(b, sizeof b, x0, EXPORT_HMS);
	fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#555\">"
	    "%s</text>\n", CH_L, CH_H - 6, b);
	export_time(b, sizeof b, x1, EXPORT_HMS_UTC);
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

/* ---- the sections ------------------------------------------------------- */

static void
ht_piece(FILE *f, const struct rep_piece *p, const char *t)
{
	switch (p->kind) {
	case RP_TEXT:
	case RP_NAME:
		html_esc(f, t);
		break;
	case RP_CODE:
	case RP_DETAIL:
		fputs(p->kind == RP_CODE ? "<code>" : " <code class=\"muted\">",
		    f);
		html_esc(f, t);
		fputs("</code>", f);
		break;
	case RP_SEV:
		ht_sev(f, (enum severity)p->arg);
		break;
	case RP_STRONG:
		fprintf(f, "<strong>%s</strong>", t);
		break;
	default:	/* RP_LIT, RP_BREAK */
		fputs(t, f);
	}
}

static void
ht_section(struct rep_out *o, const struct rep_sec *s)
{
	if (s->status >= 0)
		fprintf(o->f, "<section class=\"health %s\">\n",
		    ht_status_class((enum health_status)s->status));
	else
		fputs("<section>\n", o->f);
	fprintf(o->f, "<h2>%s</h2>\n", s->title);
}

static void
ht_end(struct rep_out *o, const struct rep_sec *s)
{
	fputs("</section>\n", o->f);
}

static int
ht_para(struct rep_out *o, const struct rep_sec *s, const struct rep_block *b)
{
	int	 i;

	for (i = 0; i < b->nline; i++) {
		fputs(i == 0 && b->headline ? "<p class=\"line\">" : "<p>",
		    o->f);
		export_pieces(o->f, o->w, s, &s->line[b->line + i]);
		fputs("</p>\n", o->f);
	}
	return 0;
}

static int
ht_list(struct rep_out *o, const struct rep_sec *s, const struct rep_block *b)
{
	const struct rep_line	*l;
	int			 i;

	fputs("<ol>\n", o->f);
	for (i = 0; i < b->nline; i++) {
		l = &s->line[b->line + i];
		fputs("<li>", o->f);
		ht_sev(o->f, (enum severity)l->sev);
		fputs(": ", o->f);
		export_pieces(o->f, o->w, s, l);
		fputs("</li>\n", o->f);
	}
	fputs("</ol>\n", o->f);
	return 0;
}

/*
 * A cell: a class for its severity (the USE scorecard's), else "num" in a
 * right-aligned column.  A table of facts names each row in a <th>.
 */
static void
ht_cell(struct rep_out *o, const struct rep_sec *s, const struct rep_block *b,
    const struct rep_line *l, int c)
{
	if (c == 0 && b->facts)
		fputs("<th>", o->f);
	else if (l->sev == SEV_NA)
		fputs("<td class=\"muted\">", o->f);
	else if (l->sev >= 0)
		fprintf(o->f, "<td class=\"sev-%s\">",
		    severity_name((enum severity)l->sev));
	else
		fputs(b->align[c] == 'r' ? "<td class=\"num\">" : "<td>", o->f);
	export_pieces(o->f, o->w, s, l);
	fputs(c == 0 && b->facts ? "</th>" : "</td>", o->f);
}

static int
ht_table(struct rep_out *o, const struct rep_sec *s, const struct rep_block *b)
{
	const struct rep_line	*l = &s->line[b->line];
	int			 i, c;

	fputs("<table>\n", o->f);
	if (!b->facts) {
		fputs("<thead><tr>", o->f);
		for (c = 0; c < b->ncols; c++, l++) {
			fputs("<th>", o->f);
			export_pieces(o->f, o->w, s, l);
			fputs("</th>", o->f);
		}
		fputs("</tr></thead>\n", o->f);
	} else
		l += b->ncols;
	fputs("<tbody>\n", o->f);
	for (i = b->ncols; i < b->nline; i += b->ncols) {
		fputs("<tr>", o->f);
		for (c = 0; c < b->ncols; c++, l++)
			ht_cell(o, s, b, l, c);
		fputs("</tr>\n", o->f);
	}
	fputs("</tbody>\n</table>\n", o->f);
	return 0;
}

static void
ht_head(struct rep_out *o, const struct report *rp, const char *host,
    const char *from, const char *to)
{
	FILE	*f = o->f;
	int	 n = export_len(rp);

	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
	    "content=\"width=device-width, initial-scale=1\">\n"
	    "<meta name=\"generator\" content=\"perftop " PACKAGE_VERSION
	    "\">\n<title>perftop report for ", f);
	html_esc(f, host);
	fprintf(f, ", %s to %s</title>\n<style>\n%s</style>\n</head>\n"
	    "<body>\n<header>\n<h1>perftop report for <code>", from, to,
	    ht_css);
	html_esc(f, host);
	fprintf(f, "</code></h1>\n<p>%s to %s, %d sample%s</p>\n</header>\n"
	    "<main>\n", from, to, n, n == 1 ? "" : "s");
}

/* The charts of the window come after the advice. */
static int
ht_after(struct rep_out *o, const struct report *rp, enum rep_id id)
{
	return id == REP_ADVICE ? ht_charts(o->f, rp) : 0;
}

static void
ht_tail(struct rep_out *o)
{
	fputs("</main>\n<footer>Generated by perftop " PACKAGE_VERSION
	    ".</footer>\n</body>\n</html>\n", o->f);
}

const struct rep_writer rep_html = {
	EXPORT_HTML, ht_head, ht_section, ht_piece, ht_para, ht_list, ht_table,
	ht_end, ht_after, ht_tail
};
