/*
 * panel_health.c - panel 3: the USE scorecard and every deduction of the
 * health score; also the health line and the finding selection that the
 * overview and the Advice panel share.
 *
 * Everything here reads the diagnosis the collector keeps up to date
 * (diag_analysis(), diag_alerts()) while the UI holds the ring lock, and
 * keeps no pointer into it past the frame.  The scorecard has one row per
 * resource and object, with the utilization, saturation and errors cells
 * coloured by severity (on a monochrome terminal: bold for warning,
 * reverse video for critical) and the row's worst severity as a word, so
 * nothing depends on colour alone.  Below it, each finding with the points
 * it takes off the score, worst first, then what could not be seen.  The
 * selected finding is the one g jumps from to its culprit.  Frozen, the
 * analysis is the UI's own of the moment shown (ui_analysis()), and the
 * alerts counted are those active at that moment.
 *
 * Panel 6, Diff, lives here too: the baseline against the window of the
 * moment shown, metric by metric (baseline_diff(): means, difference,
 * effect in standard deviations, Welch's p on block means, and whether
 * that is significant), then the top processes new since the baseline
 * and those gone.
 */
#include <config.h>

#include <curses.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "draw.h"
#include "panel.h"
#include "sanitize.h"
#include "util.h"

#define SEV_W		8	/* "critical" */
#define NAME_W_MAX	20

const char *
fmt_value(char *buf, size_t sz, double v, const char *unit)
{
	const char	*sep = " ";

	if (!isfinite(v)) {
		snprintf(buf, sz, "n/a");
		return buf;
	}
	if (unit == NULL || *unit == '\0' || *unit == '/')
		sep = "";
	if (fabs(v) >= 10 || v == floor(v))
		snprintf(buf, sz, "%.0f%s%s", v, sep, unit != NULL ? unit : "");
	else if (fabs(v) >= 1)
		snprintf(buf, sz, "%.1f%s%s", v, sep, unit != NULL ? unit : "");
	else
		snprintf(buf, sz, "%.2f%s%s", v, sep, unit != NULL ? unit : "");
	return buf;
}

void
health_line_draw(struct ui *ui, WINDOW *w, int y, int x, int cols)
{
	const struct analysis	*an;
	const struct alerts	*al;
	enum health_status	 st;
	enum severity		 worst = SEV_OK;
	char			 line[512], right[64];
	attr_t			 a, ra;
	int			 n, used = 0, rw = 0;

	if ((an = ui_analysis(ui)) == NULL || cols <= 0)
		return;
	al = ui->diag != NULL ? diag_alerts(ui->diag) : NULL;
	st = an->health.status;
	a = draw_attr(draw_status(st));

	n = 0;
	if (al != NULL)
		n = alerts_active_at(al, ui->tl.frozen ? an->t_last : FIG_NA,
		    &worst);
	if (n > 0) {
		snprintf(right, sizeof right, "%d alert%s %s", n,
		    n == 1 ? "" : "s", ui->tl.frozen ? "active then" :
		    "active");
		ra = draw_attr(draw_sev(worst));
	} else {
		snprintf(right, sizeof right, "no alerts");
		ra = draw_attr(TH_DIM);
	}
	/* The alert count only when the line keeps some room. */
	if (cols >= text_width(right) + 30) {
		rw = text_width(right) + 2;
		draw_text_right(w, y, x, cols, right, ui->utf8, ra);
	}
	/* The word, so that no colour is needed to tell the status. */
	if (st == HEALTH_WARNING || st == HEALTH_CRITICAL)
		used = draw_text(w, y, x, cols - rw, health_status_name(st), 0,
		    ui->utf8, a) + 1;
	analysis_health_line(an, line, sizeof line, ui->utf8, 3);
	draw_text(w, y, x + used, cols - rw - used, line, 0, ui->utf8, a);
}

/* ---- the finding selection (Health and Advice) ------------------------- */

void
findings_sync(struct ui *ui, const struct analysis *an)
{
	struct finding_view	*fv = &ui->fv;
	const struct finding	*f;
	int			 i;

	fv->n = an->nfindings;
	if (fv->follow && fv->rule[0] != '\0') {
		for (i = 0; i < an->nfindings; i++) {
			f = &an->findings[i];
			if (strcmp(f->rule, fv->rule) == 0 &&
			    strcmp(f->object, fv->object) == 0)
				break;
		}
		if (i < an->nfindings)
			fv->sel = i;
	}
	if (fv->sel >= fv->n)
		fv->sel = fv->n - 1;
	if (fv->sel < 0)
		fv->sel = 0;
	fv->culprit_pid = 0;
	fv->culprit_start = FIG_NA;
	fv->culprit_comm[0] = '\0';
	if (fv->n == 0)
		return;
	/* A followed finding that is gone hands over to the one in its row. */
	f = &an->findings[fv->sel];
	strlcpy0(fv->rule, f->rule, sizeof fv->rule);
	strlcpy0(fv->object, f->object, sizeof fv->object);
	if (f->nculprits > 0 && f->culprits[0].pid > 0) {
		fv->culprit_pid = f->culprits[0].pid;
		fv->culprit_start = f->culprits[0].start_time;
		strlcpy0(fv->culprit_comm, f->culprits[0].comm,
		    sizeof fv->culprit_comm);
	}
}

static void
findings_move(struct ui *ui, int d)
{
	struct finding_view	*fv = &ui->fv;
	int			 sel = fv->sel + d;

	if (sel >= fv->n)
		sel = fv->n - 1;
	if (sel < 0)
		sel = 0;
	fv->sel = sel;
	fv->follow = true;
	fv->reveal = true;
	/* The next frame follows the finding in this row from then on. */
	fv->rule[0] = '\0';
}

int
findings_key(struct ui *ui, int key)
{
	struct finding_view	*fv = &ui->fv;
	int			*top = &ui->top[ui->panel];
	int			 page = ui->page[ui->panel];

	switch (key) {
	case KEY_DOWN:
	case KEY_UP:
		if (fv->n == 0)
			*top += key == KEY_DOWN ? 1 : -1;
		else
			findings_move(ui, key == KEY_DOWN ? 1 : -1);
		break;
	case KEY_NPAGE:
		*top += page > 1 ? page - 1 : 1;
		break;
	case KEY_PPAGE:
		*top -= page > 1 ? page - 1 : 1;
		break;
	case KEY_HOME:
		*top = 0;
		fv->sel = 0;
		fv->follow = false;
		break;
	case KEY_END:
		findings_move(ui, fv->n);
		*top = 1 << 20;		/* clamped when drawn */
		break;
	case 'g':
		if (fv->n == 0)
			snprintf(ui->msg, sizeof ui->msg, "no finding selected");
		else if (fv->culprit_pid <= 0)
			snprintf(ui->msg, sizeof ui->msg, "this finding names "
			    "no process");
		else
			procs_jump(ui, fv->culprit_pid, fv->culprit_start,
			    fv->culprit_comm);
		break;
	default:
		return 0;
	}
	if (*top < 0)
		*top = 0;
	return 1;
}

/* ---- scrolled bodies ----------------------------------------------------- */

const char *
ui_minus(const struct ui *ui)
{
	return ui->utf8 ? "\342\210\222" : "-";
}

static void
scrolled_clear(WINDOW *w, const struct rect *r)
{
	int	 y;

	for (y = r->y; y < r->y + r->h; y++)
		draw_fill(w, y, r->x, r->w, A_NORMAL);
}

/* Lines the layout takes at width w (a pass that draws nothing). */
static int
scrolled_count(struct ui *ui, WINDOW *w, int width, panel_layout layout,
    const void *arg)
{
	struct scroll	 sc;
	int		 first = -1, last = -1;

	draw_scroll_init(&sc, w, 0, 0, 0, width, 0);
	layout(ui, &sc, arg, &first, &last);
	return sc.n;
}

void
panel_scrolled(struct ui *ui, WINDOW *w, const struct rect *r,
    panel_layout layout, const void *arg)
{
	struct scroll	 sc;
	int		*top = &ui->top[ui->panel];
	int		 first = -1, last = -1, n, h = r->h, y;
	char		 buf[96];

	if (h <= 0)
		return;
	n = scrolled_count(ui, w, r->w, layout, arg);
	/* When it does not fit, the last row says where we are. */
	if (n > h && h > 1)
		h--;
	ui->page[ui->panel] = h;
	if (*top > n - h)
		*top = n - h;
	if (*top < 0)
		*top = 0;
	draw_scroll_init(&sc, w, r->y, r->x, h, r->w, *top);
	layout(ui, &sc, arg, &first, &last);
	if (ui->fv.reveal && first >= 0 &&
	    draw_scroll_reveal(&sc, first, last) != *top) {
		*top = draw_scroll_reveal(&sc, first, last);
		scrolled_clear(w, r);
		draw_scroll_init(&sc, w, r->y, r->x, h, r->w, *top);
		layout(ui, &sc, arg, &first, &last);
	}
	ui->fv.reveal = false;
	if (h == r->h)
		return;
	y = r->y + h;
	snprintf(buf, sizeof buf, "lines %d-%d of %d  %s", *top + 1,
	    *top + h, n, *top + h < n ? "Down/PgDn: more" : "Up/PgUp: back");
	draw_text_right(w, y, r->x, r->w, buf, ui->utf8,
	    draw_attr(TH_DIM) | A_BOLD);
}

int
panel_scroll_key(struct ui *ui, int key)
{
	int	*top = &ui->top[ui->panel];
	int	 page = ui->page[ui->panel];

	switch (key) {
	case KEY_DOWN:
		(*top)++;
		break;
	case KEY_UP:
		(*top)--;
		break;
	case KEY_NPAGE:
		*top += page > 1 ? page - 1 : 1;
		break;
	case KEY_PPAGE:
		*top -= page > 1 ? page - 1 : 1;
		break;
	case KEY_HOME:
		*top = 0;
		break;
	case KEY_END:
		*top = 1 << 20;		/* clamped when drawn */
		break;
	default:
		return 0;
	}
	if (*top < 0)
		*top = 0;
	return 1;
}

/* ---- the Health panel ---------------------------------------------------- */

static const char *const row_names[RES_NRES] = {
	"cpu", "memory", "io", "disk", "net", "fs"
};
static const char *const col_heads[USE_NCOLS] = {
	"UTILIZATION", "SATURATION", "ERRORS"
};

static void
row_name(const struct use_row *r, char *buf, size_t sz)
{
	const char	*res = (unsigned)r->res < RES_NRES ?
	    row_names[r->res] : "?";

	if (r->object[0] == '\0')
		snprintf(buf, sz, "%s", res);
	else
		snprintf(buf, sz, "%s %s", res, r->object);
}

/* The text of a cell as the screen will show it (ASCII when not UTF-8). */
static const char *
cell_text(const struct ui *ui, const struct use_cell *c, char *buf,
    size_t sz)
{
	const char	*s = c->sev == SEV_NA || c->text[0] == '\0' ? "n/a" :
	    c->text;

	if (ui->utf8)
		return s;
	text_sanitize(buf, sz, s, strlen(s), true);
	return buf;
}

/* Column widths: the name, then U, S and E sharing what is left. */
static void
grid_widths(struct ui *ui, const struct analysis *an, int width, int *namew,
    int *cw)
{
	char	 buf[sizeof an->rows[0].object + 16], tb[256];
	int	 nat[USE_NCOLS], i, c, avail, rest;

	*namew = 8;
	for (c = 0; c < USE_NCOLS; c++)
		nat[c] = text_width(col_heads[c]);
	for (i = 0; i < an->nrows; i++) {
		row_name(&an->rows[i], buf, sizeof buf);
		if (text_width(buf) > *namew)
			*namew = text_width(buf);
		for (c = 0; c < USE_NCOLS; c++) {
			int tw = text_width(cell_text(ui,
			    &an->rows[i].cell[c], tb, sizeof tb));
			if (tw > nat[c])
				nat[c] = tw;
		}
	}
	if (*namew > NAME_W_MAX)
		*namew = NAME_W_MAX;
	avail = width - *namew - 1 - SEV_W - 1 - (USE_NCOLS - 1);
	if (avail < 3 * 6)
		avail = 3 * 6;
	if (nat[USE_U] + nat[USE_S] + nat[USE_E] <= avail) {
		cw[USE_U] = nat[USE_U];
		cw[USE_S] = nat[USE_S];
		cw[USE_E] = avail - nat[USE_U] - nat[USE_S];
		return;
	}
	/* Errors are short; U and S share the rest by their needs. */
	cw[USE_E] = nat[USE_E] < avail / 4 ? nat[USE_E] : avail / 4;
	rest = avail - cw[USE_E];
	cw[USE_U] = rest * nat[USE_U] / (nat[USE_U] + nat[USE_S]);
	if (cw[USE_U] < rest / 3)
		cw[USE_U] = rest / 3;
	if (cw[USE_U] > rest - rest / 3)
		cw[USE_U] = rest - rest / 3;
	cw[USE_S] = rest - cw[USE_U];
}

struct health_arg {
	const struct analysis	*an;
	bool			 compact;	/* one line per grid row */
};

/* A cell cut to cols, with an ellipsis when cut (UTF-8 only). */
static void
cell_cut(struct ui *ui, WINDOW *w, int y, int x, int cols, const char *s,
    attr_t a)
{
	int	 used;

	if (!ui->utf8 || text_width(s) <= cols || cols < 2) {
		draw_text(w, y, x, cols, s, 0, true, a);
		return;
	}
	used = draw_text(w, y, x, cols - 1, s, 0, true, a);
	draw_text(w, y, x + used, 1, "\342\200\246", 0, true, a);
}

/*
 * One scorecard row; a cell that does not fit wraps inside its column,
 * or, compact, is cut.
 */
static void
grid_row(struct ui *ui, struct scroll *sc, const struct use_row *r,
    int namew, const int *cw, bool compact)
{
	char		 name[sizeof r->object + 16], tb[USE_NCOLS][256];
	const char	*p[USE_NCOLS];
	size_t		 n;
	int		 c, x, y, line;
	attr_t		 a;

	row_name(r, name, sizeof name);
	for (c = 0; c < USE_NCOLS; c++)
		p[c] = cell_text(ui, &r->cell[c], tb[c], sizeof tb[c]);
	for (line = 0; line == 0 || *p[USE_U] != '\0' || *p[USE_S] != '\0' ||
	    *p[USE_E] != '\0'; line++) {
		y = draw_scroll_line(sc);
		if (line == 0 && y >= 0) {
			draw_text(sc->win, y, sc->x, namew, name, 0, ui->utf8,
			    draw_attr(r->sev >= SEV_WARNING ? draw_sev(r->sev) :
			    TH_NORMAL));
			draw_text(sc->win, y, sc->x + namew + 1, SEV_W,
			    severity_name(r->sev), 0, ui->utf8,
			    draw_attr(draw_sev(r->sev)));
		}
		x = sc->x + namew + 1 + SEV_W + 1;
		for (c = 0; c < USE_NCOLS; x += cw[c] + 1, c++) {
			a = draw_attr(draw_sev(r->cell[c].sev));
			if (compact) {
				if (y >= 0)
					cell_cut(ui, sc->win, y, x, cw[c],
					    p[c], a);
				p[c] = "";
				continue;
			}
			n = draw_wrap_len(p[c], cw[c]);
			if (y >= 0 && n > 0)
				draw_textn(sc->win, y, x, cw[c], p[c], n, true,
				    a);
			p[c] += n;
			while (*p[c] == ' ')
				p[c]++;
		}
	}
}

static void
grid_layout(struct ui *ui, struct scroll *sc, const struct analysis *an,
    bool compact)
{
	char	 buf[160], t[16];
	int	 namew, cw[USE_NCOLS], i, c, x, y;
	double	 span;

	span = an->nsamples > 1 ? an->t_last - an->t_first : 0;
	if (an->nsamples > 0)
		snprintf(buf, sizeof buf, "USE scorecard: last %.0f s "
		    "(%d sample%s)%s%s", span, an->nsamples,
		    an->nsamples == 1 ? "" : "s", ui->tl.frozen ? " to " : "",
		    ui->tl.frozen ? ui_clock(t, sizeof t, an->t_last) : "");
	else
		snprintf(buf, sizeof buf, "USE scorecard: no samples yet");
	if ((y = draw_scroll_line(sc)) >= 0)
		draw_text(sc->win, y, sc->x, sc->w, buf, 0, ui->utf8,
		    draw_attr(TH_TITLE));
	if (an->nrows == 0)
		return;
	grid_widths(ui, an, sc->w, &namew, cw);
	if ((y = draw_scroll_line(sc)) >= 0) {
		draw_fill(sc->win, y, sc->x, sc->w, draw_attr(TH_COLHDR));
		draw_text(sc->win, y, sc->x, namew, "RESOURCE", 0, ui->utf8,
		    draw_attr(TH_COLHDR));
		draw_text(sc->win, y, sc->x + namew + 1, SEV_W, "STATUS", 0,
		    ui->utf8, draw_attr(TH_COLHDR));
		x = sc->x + namew + 1 + SEV_W + 1;
		for (c = 0; c < USE_NCOLS; x += cw[c] + 1, c++)
			draw_text(sc->win, y, x, cw[c], col_heads[c], 0,
			    ui->utf8, draw_attr(TH_COLHDR));
	}
	for (i = 0; i < an->nrows; i++)
		grid_row(ui, sc, &an->rows[i], namew, cw, compact);
}

/* "−30 critical CPU saturated: ...", wrapped; the selection marked. */
static void
deduction_layout(struct ui *ui, struct scroll *sc, const struct finding *f,
    bool sel, int *first, int *last)
{
	char	 pts[16];
	int	 y;

	*first = sc->n;
	y = draw_scroll_line(sc);
	if (f->points > 0)
		snprintf(pts, sizeof pts, "%s%d", ui_minus(ui), f->points);
	else
		snprintf(pts, sizeof pts, "0");
	if (y >= 0) {
		if (sel)
			draw_text(sc->win, y, sc->x, 1, ">", 0, ui->utf8,
			    draw_attr(TH_SELECT));
		draw_text_right(sc->win, y, sc->x + 1, 3, pts, ui->utf8,
		    draw_attr(f->points > 0 ? draw_sev(f->sev) : TH_DIM));
		draw_text(sc->win, y, sc->x + 5, SEV_W, severity_name(f->sev),
		    0, ui->utf8, draw_attr(draw_sev(f->sev)));
	}
	draw_scroll_wrap(sc, y, 5 + SEV_W + 1, 5 + SEV_W + 1, f->summary,
	    ui->utf8, sel ? draw_attr(TH_SELECT) : A_NORMAL);
	*last = sc->n - 1;
}

static void
health_layout(struct ui *ui, struct scroll *sc, const void *arg, int *first,
    int *last)
{
	const struct health_arg	*ha = arg;
	const struct analysis	*an = ha->an;
	char			 buf[160];
	int			 i, y;

	grid_layout(ui, sc, an, ha->compact);
	draw_scroll_line(sc);
	if (an->health.status == HEALTH_UNKNOWN)
		snprintf(buf, sizeof buf, "Findings: nothing measured yet");
	else if (an->nfindings == 0)
		snprintf(buf, sizeof buf, "Findings: none %s score 100",
		    ui->utf8 ? "\342\200\224" : "--");
	else
		snprintf(buf, sizeof buf, "Findings and deductions: score %d "
		    "= 100 %s %d", an->health.score, ui_minus(ui),
		    an->health.deducted);
	if ((y = draw_scroll_line(sc)) >= 0)
		draw_text(sc->win, y, sc->x, sc->w, buf, 0, ui->utf8,
		    draw_attr(TH_TITLE));
	for (i = 0; i < an->nfindings; i++) {
		int f0, f1;

		deduction_layout(ui, sc, &an->findings[i], i == ui->fv.sel,
		    &f0, &f1);
		if (i == ui->fv.sel) {
			*first = f0;
			*last = f1;
		}
	}
	if (an->unseen[0] != '\0') {
		draw_scroll_line(sc);
		y = draw_scroll_line(sc);
		if (y >= 0)
			draw_text(sc->win, y, sc->x, sc->w, "Not visible:", 0,
			    ui->utf8, draw_attr(TH_TITLE));
		draw_scroll_wrap(sc, y, 13, 13, an->unseen, ui->utf8,
		    draw_attr(TH_DIM));
	}
}

static void
health_draw(struct ui *ui, WINDOW *w, const struct rect *r,
    const struct ring *ring)
{
	struct health_arg	 ha;
	struct rect		 body = *r;

	(void)ring;
	if ((ha.an = ui_analysis(ui)) == NULL) {
		draw_text(w, r->y, r->x, r->w, "No diagnosis in this mode.", 0,
		    ui->utf8, draw_attr(TH_DIM));
		return;
	}
	ha.compact = false;
	findings_sync(ui, ha.an);
	health_line_draw(ui, w, r->y, r->x, r->w);
	body.y += 2;
	body.h -= 2;
	if (body.h <= 0)
		return;
	/* Wrapped cells only when everything then fits on the screen. */
	if (scrolled_count(ui, w, body.w, health_layout, &ha) > body.h)
		ha.compact = true;
	panel_scrolled(ui, w, &body, health_layout, &ha);
}

static const char *
health_hint(struct ui *ui, char *buf, size_t sz)
{
	(void)ui;
	snprintf(buf, sz, "Up/Down select  g go to culprit  PgUp/PgDn scroll  "
	    "? help  q quit");
	return buf;
}

const struct pt_panel panel_health = {
	"Health", health_hint, health_draw, findings_key, true
};

/* ---- the Diff panel ------------------------------------------------------ */

#define DIFF_PROCS	64		/* new, and vanished, processes shown */
#define DIFF_KEY_MAX	32
#define DIFF_NUM_W	9

struct diff_arg {
	const struct baseline	 *b;
	const struct base_change *ch;
	int			  nch;
	const struct base_proc	 *newp, *gone;
	int			  nnew, ngone;
	int			  nsamples;	/* now: the window compared */
	double			  t_first, t_last;
};

/* A figure by the unit its key names: rates, bytes, percent, number. */
static const char *
diff_num(const struct ui *ui, char *buf, size_t sz, const char *key,
    double v, bool sign)
{
	size_t		 n = strlen(key);
	char		 num[32];
	const char	*sg = "";

	if (!isfinite(v)) {
		snprintf(buf, sz, "n/a");
		return buf;
	}
	if (sign)
		sg = v < 0 ? ui_minus(ui) : "+";
	if (sign)
		v = fabs(v);
	if (n > 4 && strcmp(key + n - 4, "_bps") == 0)
		snprintf(buf, sz, "%s%s", sg, fmt_rate(num, sizeof num, v));
	else if (n > 6 && strcmp(key + n - 6, "_bytes") == 0)
		snprintf(buf, sz, "%s%s", sg, fmt_bytes(num, sizeof num, v));
	else if (n > 4 && strcmp(key + n - 4, "_pct") == 0)
		snprintf(buf, sz, "%s%.1f%%", sg, v);
	else if (v >= 100)
		snprintf(buf, sz, "%s%.0f", sg, v);
	else
		snprintf(buf, sz, "%s%.2f", sg, v);
	return buf;
}

static void
diff_none(struct ui *ui, struct scroll *sc)
{
	int	 y;

	if ((y = draw_scroll_line(sc)) >= 0)
		draw_text(sc->win, y, sc->x, sc->w, "No baseline set.", 0,
		    ui->utf8, draw_attr(TH_TITLE));
	draw_scroll_line(sc);
	y = draw_scroll_line(sc);
	draw_scroll_wrap(sc, y, 0, 0, "Press b to capture one from the "
	    "window of the moment shown (the diagnosis window, and at least "
	    "60 seconds of samples when there are that many).  It is saved "
	    "as $XDG_STATE_HOME/perftop/baseline.json "
	    "(~/.local/state/perftop/ when XDG_STATE_HOME is unset) and "
	    "loaded at the next start; B clears it and removes the file.  "
	    "perftop --baseline FILE compares with a snapshot instead.",
	    ui->utf8, A_NORMAL);
	draw_scroll_line(sc);
	y = draw_scroll_line(sc);
	draw_scroll_wrap(sc, y, 0, 0, "With a baseline this panel lists "
	    "what changed most, metric by metric, and says whether each "
	    "change is statistically significant (Welch's t-test on means "
	    "of blocks of samples, so that a slow drift is not called "
	    "significant), then the top processes that are new since the "
	    "baseline and those that are gone.", ui->utf8, draw_attr(TH_DIM));
}

static void
diff_head(struct ui *ui, struct scroll *sc, int kw)
{
	char	 buf[160];
	int	 y;

	if ((y = draw_scroll_line(sc)) < 0)
		return;
	snprintf(buf, sizeof buf, "%-*s %*s %*s %*s %7s %6s %s", kw, "METRIC",
	    DIFF_NUM_W, "BASE", DIFF_NUM_W, "NOW", DIFF_NUM_W, "DELTA",
	    "EFFECT", "P", "VERDICT");
	draw_fill(sc->win, y, sc->x, sc->w, draw_attr(TH_COLHDR));
	draw_text(sc->win, y, sc->x, sc->w, buf, 0, ui->utf8,
	    draw_attr(TH_COLHDR));
}

static void
diff_row(struct ui *ui, struct scroll *sc, const struct base_change *c,
    int kw)
{
	char		 b[32], n[32], d[32], e[32], p[16];
	const char	*verdict, *cells[5];
	int		 y, x, i, cw;
	attr_t		 va;

	if ((y = draw_scroll_line(sc)) < 0)
		return;
	diff_num(ui, b, sizeof b, c->key, c->base_mean, false);
	diff_num(ui, n, sizeof n, c->key, c->now_mean, false);
	diff_num(ui, d, sizeof d, c->key, c->delta, true);
	if (isfinite(c->effect))
		snprintf(e, sizeof e, "%s%.1fsd", c->effect < 0 ?
		    ui_minus(ui) : "+", fabs(c->effect));
	else
		snprintf(e, sizeof e, "n/a");
	if (!isfinite(c->p))
		snprintf(p, sizeof p, "n/a");
	else if (c->p < 0.001)
		snprintf(p, sizeof p, "<0.001");
	else
		snprintf(p, sizeof p, "%.3f", c->p);
	if (c->significant) {
		verdict = "SIGNIFICANT";
		va = draw_attr(TH_WARN) | A_BOLD;
	} else if (!isfinite(c->p)) {
		verdict = "not significant (too few samples)";
		va = draw_attr(TH_DIM);
	} else {
		verdict = "not significant";
		va = draw_attr(TH_DIM);
	}
	cells[0] = b;
	cells[1] = n;
	cells[2] = d;
	cells[3] = e;
	cells[4] = p;
	x = sc->x;
	draw_text(sc->win, y, x, kw, c->key, 0, ui->utf8, c->significant ?
	    A_BOLD : A_NORMAL);
	x += kw + 1;
	/* Cell by cell: the minus sign is one column but three bytes. */
	for (i = 0; i < 5 && x < sc->x + sc->w; i++) {
		cw = i < 3 ? DIFF_NUM_W : i == 3 ? 7 : 6;
		if (cw > sc->x + sc->w - x)
			cw = sc->x + sc->w - x;
		draw_text_right(sc->win, y, x, cw, cells[i], ui->utf8,
		    A_NORMAL);
		x += cw + 1;
	}
	if (x < sc->x + sc->w)
		draw_text(sc->win, y, x, sc->x + sc->w - x, verdict, 0,
		    ui->utf8, va);
}

static void
diff_procs(struct ui *ui, struct scroll *sc, const char *title,
    const struct base_proc *v, int n)
{
	char	 buf[NAME_MAX_COMM + 96], c[16], r[16];
	int	 i, y;

	draw_scroll_line(sc);
	snprintf(buf, sizeof buf, "%s: %d", title, n);
	if ((y = draw_scroll_line(sc)) >= 0)
		draw_text(sc->win, y, sc->x, sc->w, buf, 0, ui->utf8,
		    draw_attr(TH_TITLE));
	for (i = 0; i < n; i++) {
		if ((y = draw_scroll_line(sc)) < 0)
			continue;
		snprintf(buf, sizeof buf, "  pid %7d  cpu %6s%%  rss %7s  %s",
		    v[i].pid, fmt_pct(c, sizeof c, v[i].cpu_pct),
		    fmt_bytes(r, sizeof r, v[i].rss_bytes), v[i].comm);
		draw_text(sc->win, y, sc->x, sc->w, buf, 0, ui->utf8,
		    A_NORMAL);
	}
}

static void
diff_layout(struct ui *ui, struct scroll *sc, const void *arg, int *first,
    int *last)
{
	const struct diff_arg	*da = arg;
	const struct baseline	*b = da->b;
	char			 buf[PATH_MAX + 160];
	char			 t0[16], t1[16], t2[16], t3[16];
	int			 i, y, kw = 12, nsig = 0;

	(void)first;
	(void)last;
	if (b == NULL) {
		diff_none(ui, sc);
		return;
	}
	snprintf(buf, sizeof buf, "Baseline: %s-%s, %d samples (%s)",
	    ui_clock(t0, sizeof t0, b->t_first), ui_clock(t1, sizeof t1,
	    b->t_last), b->nsamples, b->source[0] != '\0' ? b->source :
	    "captured");
	if ((y = draw_scroll_line(sc)) >= 0)
		draw_text(sc->win, y, sc->x, sc->w, buf, 0, ui->utf8,
		    draw_attr(TH_TITLE));
	for (i = 0; i < da->nch; i++)
		nsig += da->ch[i].significant;
	snprintf(buf, sizeof buf, "Now: %s-%s, %d samples.  %d of %d "
	    "metrics changed significantly (p < 0.01 on means of blocks of "
	    "%d samples, and at least 1 sd).", ui_clock(t2, sizeof t2,
	    da->t_first), ui_clock(t3, sizeof t3, da->t_last), da->nsamples,
	    nsig, da->nch, BASELINE_BLOCK);
	y = draw_scroll_line(sc);
	draw_scroll_wrap(sc, y, 0, 0, buf, ui->utf8, A_NORMAL);
	draw_scroll_line(sc);
	for (i = 0; i < da->nch; i++)
		if ((int)strlen(da->ch[i].key) > kw)
			kw = (int)strlen(da->ch[i].key);
	if (kw > DIFF_KEY_MAX)
		kw = DIFF_KEY_MAX;
	if (da->nch == 0) {
		if ((y = draw_scroll_line(sc)) >= 0)
			draw_text(sc->win, y, sc->x, sc->w, "No metric in "
			    "common with the baseline.", 0, ui->utf8,
			    draw_attr(TH_DIM));
	} else
		diff_head(ui, sc, kw);
	for (i = 0; i < da->nch; i++)
		diff_row(ui, sc, &da->ch[i], kw);
	diff_procs(ui, sc, "New top processes (not in the baseline)",
	    da->newp, da->nnew);
	diff_procs(ui, sc, "Vanished (in the baseline, gone now)", da->gone,
	    da->ngone);
}

static void
diff_draw(struct ui *ui, WINDOW *w, const struct rect *r,
    const struct ring *ring)
{
	struct timeline		*tl = &ui->tl;
	struct diff_arg		 da;
	const struct sample	*s;
	int			 age = ui_age(ui), n;

	memset(&da, 0, sizeof da);
	da.b = ui_baseline(ui);
	if (da.b != NULL && tl->changes == NULL) {
		tl->changes = calloc(BASELINE_STATS_MAX, sizeof *tl->changes);
		tl->procs = calloc(2 * DIFF_PROCS, sizeof *tl->procs);
	}
	if (da.b != NULL && tl->changes != NULL && tl->procs != NULL &&
	    (s = ring_get(ring, age)) != NULL) {
		n = ui_base_window(ui, ring);
		if (n > ring_len(ring) - age)
			n = ring_len(ring) - age;
		da.nsamples = n;
		da.t_last = s->t;
		da.t_first = ring_get(ring, age + n - 1)->t;
		da.ch = tl->changes;
		da.nch = baseline_diff(da.b, ring, age, n, tl->changes,
		    BASELINE_STATS_MAX);
		da.newp = tl->procs;
		da.nnew = baseline_new_procs(da.b, ring, age, tl->procs,
		    DIFF_PROCS);
		da.gone = tl->procs + DIFF_PROCS;
		da.ngone = baseline_vanished_procs(da.b, ring, age,
		    tl->procs + DIFF_PROCS, DIFF_PROCS);
	} else if (da.b != NULL) {
		draw_text(w, r->y, r->x, r->w, "No samples to compare (or no "
		    "memory).", 0, ui->utf8, draw_attr(TH_DIM));
		return;
	}
	panel_scrolled(ui, w, r, diff_layout, &da);
}

static int
diff_key(struct ui *ui, int key)
{
	return panel_scroll_key(ui, key);
}

static const char *
diff_hint(struct ui *ui, char *buf, size_t sz)
{
	snprintf(buf, sz, "%sUp/Down PgUp/PgDn scroll  ? help  q quit",
	    ui_baseline(ui) != NULL ? "b recapture  B clear  " :
	    "b capture a baseline  ");
	return buf;
}

const struct pt_panel panel_diff = {
	"Diff", diff_hint, diff_draw, diff_key, true
};
