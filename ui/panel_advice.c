/*
 * panel_advice.c - panel 5: what to do, ranked by impact.
 *
 * One item per finding, in the analysis' order (worst severity first, then
 * the points it costs): its severity and points, the summary, the evidence
 * (the judged value against the level it crossed), the culprit process and
 * the further top consumers with their share of the resource, and the
 * advice itself, wrapped to the width.  Then the trends (time to full,
 * memory exhaustion, growing RSS).  Up and Down select a finding (the
 * same selection as in Health); g jumps to its culprit in the process
 * table.  A culprit that is no longer in the newest process table is
 * marked as exited.
 */
#include <config.h>

#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "draw.h"
#include "panel.h"
#include "sanitize.h"
#include "util.h"

#define ADV_INDENT	5		/* text under an item's first line */
#define ADV_LABEL_W	10		/* "Evidence: " */
#define ADV_SEV_W	8		/* "critical" */

struct advice_arg {
	const struct analysis	*an;
	const struct proctab	*full;	/* NULL: only a top list */
};

/* Is the culprit still running (same PID and start time)? */
static bool
culprit_alive(const struct proctab *t, const struct culprit *cu)
{
	int	 i;

	if (t == NULL)
		return true;
	for (i = 0; i < t->n; i++) {
		if (t->v[i].pid != cu->pid)
			continue;
		return !FIG_OK(cu->start_time) || !FIG_OK(t->v[i].start_time) ||
		    fabs(t->v[i].start_time - cu->start_time) <= 1.0;
	}
	return false;
}

/* What a culprit's value is, by the kind of finding (see analysis.h). */
static void
culprit_text(const struct finding *f, const struct culprit *cu, bool alive,
    char *buf, size_t sz)
{
	char		 v[48], b[32], share[64] = "";
	const char	*of;

	if (f->res == RES_CPU) {
		snprintf(v, sizeof v, "%s CPU", fmt_value(b, sizeof b,
		    cu->value, "%"));
		of = "CPU use";
	} else if (strcmp(f->rule, "proc.leak") == 0 ||
	    strcmp(f->rule, "mem.exhaust") == 0) {
		snprintf(v, sizeof v, "RSS +%.1f MiB/min",
		    cu->value * 60 / (1024.0 * 1024.0));
		of = "growth";
	} else if (f->res == RES_MEMORY) {
		snprintf(v, sizeof v, "RSS %s", fmt_bytes(b, sizeof b,
		    cu->value));
		of = "used memory";
	} else {
		snprintf(v, sizeof v, "I/O %s", fmt_rate(b, sizeof b,
		    cu->value));
		of = "disk I/O";
	}
	if (FIG_OK(cu->share_pct))
		snprintf(share, sizeof share, " (%.0f %% of %s)",
		    cu->share_pct, of);
	snprintf(buf, sz, "pid %d %s: %s%s%s", cu->pid, cu->comm, v, share,
	    alive ? "" : " - exited");
}

/* "CPU busy 97 % >= 90 % (critical level)" */
static void
evidence_text(struct ui *ui, const struct finding *f, char *buf, size_t sz)
{
	const struct metric_def	*d = metric_get(f->metric);
	char			 v[32], t[32];

	if (d == NULL || !FIG_OK(f->value)) {
		buf[0] = '\0';
		return;
	}
	fmt_value(v, sizeof v, f->value, d->unit);
	if (!FIG_OK(f->threshold)) {
		snprintf(buf, sz, "%s %s", d->label, v);
		return;
	}
	fmt_value(t, sizeof t, f->threshold, d->unit);
	snprintf(buf, sz, "%s %s %s %s (%s level)", d->label, v,
	    ui->utf8 ? (d->lower_worse ? "\342\211\244" : "\342\211\245") :
	    (d->lower_worse ? "<=" : ">="), t, severity_name(f->sev));
}

/*
 * The next step alone: the advice reads "summary; culprits - next step",
 * and the summary and culprits have lines of their own.
 */
static const char *
advice_step(const struct finding *f)
{
	const char	*s = f->advice, *p;
	size_t		 n = strlen(f->summary);

	if (n > 0 && strncmp(s, f->summary, n) == 0 && s[n] == ';')
		s += n + 1;
	while (*s == ' ')
		s++;
	if (f->nculprits > 0 && (p = strstr(s, " - ")) != NULL) {
		/* Only when what comes before is the list of culprits. */
		const char *q = strstr(s, "(pid ");
		if (q != NULL && q < p && p[3] != '\0')
			s = p + 3;
	}
	return s;
}

/* "Label:   text", wrapped under the text. */
static void
advice_labelled(struct ui *ui, struct scroll *sc, const char *label,
    const char *text, attr_t a)
{
	int	 y = draw_scroll_line(sc);

	if (y >= 0)
		draw_text(sc->win, y, sc->x + ADV_INDENT, ADV_LABEL_W, label,
		    0, ui->utf8, draw_attr(TH_DIM) | A_BOLD);
	draw_scroll_wrap(sc, y, ADV_INDENT + ADV_LABEL_W,
	    ADV_INDENT + ADV_LABEL_W, text, ui->utf8, a);
}

static void
advice_item(struct ui *ui, struct scroll *sc, const struct advice_arg *aa,
    int idx, bool sel)
{
	const struct finding	*f = &aa->an->findings[idx];
	char			 buf[256], head[64];
	int			 i, y, x;
	attr_t			 sa = draw_attr(draw_sev(f->sev));

	y = draw_scroll_line(sc);
	if (f->points > 0)
		snprintf(head, sizeof head, "%s%d", ui_minus(ui), f->points);
	else
		snprintf(head, sizeof head, "0");
	if (y >= 0) {
		snprintf(buf, sizeof buf, "%s%d.", sel ? ">" : " ", idx + 1);
		draw_text(sc->win, y, sc->x, 4, buf, 0, ui->utf8,
		    sel ? draw_attr(TH_SELECT) : A_NORMAL);
	}
	x = 4;
	snprintf(buf, sizeof buf, "%s %s", severity_name(f->sev), head);
	if (y >= 0)
		draw_text(sc->win, y, sc->x + x, sc->w - x, buf, 0, ui->utf8,
		    sa);
	x += text_width(buf) + 1;
	draw_scroll_wrap(sc, y, x, ADV_INDENT, f->summary, ui->utf8,
	    sel ? draw_attr(TH_SELECT) : A_BOLD);

	evidence_text(ui, f, buf, sizeof buf);
	if (buf[0] != '\0')
		advice_labelled(ui, sc, "Evidence:", buf, sa);
	for (i = 0; i < f->nculprits; i++) {
		const struct culprit *cu = &f->culprits[i];
		culprit_text(f, cu, culprit_alive(aa->full, cu), buf,
		    sizeof buf);
		advice_labelled(ui, sc, i == 0 ? "Culprit:" : i == 1 ?
		    "Also:" : "", buf, i == 0 ? A_BOLD : A_NORMAL);
	}
	advice_labelled(ui, sc, "Do:", advice_step(f), A_NORMAL);
}

static void
advice_layout(struct ui *ui, struct scroll *sc, const void *arg, int *first,
    int *last)
{
	const struct advice_arg	*aa = arg;
	const struct analysis	*an = aa->an;
	char			 buf[160];
	int			 i, y;

	if (an->health.status == HEALTH_UNKNOWN)
		snprintf(buf, sizeof buf, "Advice: nothing measured yet");
	else if (an->nfindings == 0)
		snprintf(buf, sizeof buf, "Advice: nothing to do %s no "
		    "findings in the last %.0f s", ui->utf8 ?
		    "\342\200\224" : "--", an->nsamples > 1 ?
		    an->t_last - an->t_first : 0.0);
	else
		snprintf(buf, sizeof buf, "Advice, by impact: %d finding%s",
		    an->nfindings, an->nfindings == 1 ? "" : "s");
	if ((y = draw_scroll_line(sc)) >= 0)
		draw_text(sc->win, y, sc->x, sc->w, buf, 0, ui->utf8,
		    draw_attr(TH_TITLE));
	for (i = 0; i < an->nfindings; i++) {
		if (i > 0)
			draw_scroll_line(sc);
		if (i == ui->fv.sel)
			*first = sc->n;
		advice_item(ui, sc, aa, i, i == ui->fv.sel);
		if (i == ui->fv.sel)
			*last = sc->n - 1;
	}

	draw_scroll_line(sc);
	if ((y = draw_scroll_line(sc)) >= 0)
		draw_text(sc->win, y, sc->x, sc->w, an->ntrends > 0 ?
		    "Trends" : "Trends: nothing grows steadily in the window",
		    0, ui->utf8, draw_attr(TH_TITLE));
	for (i = 0; i < an->ntrends; i++) {
		const struct trend *t = &an->trends[i];
		y = draw_scroll_line(sc);
		if (y >= 0)
			draw_text(sc->win, y, sc->x + 2, ADV_SEV_W,
			    severity_name(t->sev), 0, ui->utf8,
			    draw_attr(draw_sev(t->sev)));
		draw_scroll_wrap(sc, y, 2 + ADV_SEV_W + 1,
		    2 + ADV_SEV_W + 1, t->text, ui->utf8, A_NORMAL);
	}
}

static void
advice_draw(struct ui *ui, WINDOW *w, const struct rect *r,
    const struct ring *ring)
{
	struct advice_arg	 aa;
	bool			 top_only;

	if ((aa.an = ui_analysis(ui)) == NULL) {
		draw_text(w, r->y, r->x, r->w, "No diagnosis in this mode.", 0,
		    ui->utf8, draw_attr(TH_DIM));
		return;
	}
	/* A top list cannot tell that a process has exited. */
	aa.full = ui_table(ui, ring, &top_only);
	if (top_only)
		aa.full = NULL;
	findings_sync(ui, aa.an);
	health_line_draw(ui, w, r->y, r->x, r->w);
	if (r->h > 2) {
		struct rect body = *r;
		body.y += 2;
		body.h -= 2;
		panel_scrolled(ui, w, &body, advice_layout, &aa);
	}
}

static const char *
advice_hint(struct ui *ui, char *buf, size_t sz)
{
	(void)ui;
	snprintf(buf, sz, "Up/Down select  g go to culprit  PgUp/PgDn scroll  "
	    "? help  q quit");
	return buf;
}

const struct pt_panel panel_advice = {
	"Advice", advice_hint, advice_draw, findings_key, true
};
