/*
 * panel_alerts.c - panel 4: active alerts, then the alert log.
 *
 * The alert engine (alerts.h) keeps the state; this panel only lists it,
 * in its order: the active alerts, worst and oldest first, with when each
 * was raised, for how long, the value now, its peak level and the
 * threshold it crossed; then the cleared alerts, newest first, with raise
 * and clear times, duration and the value's min/avg/max while active.
 * Each alert has a second line with its text ("CPU busy 95 % >= 90 %
 * (critical)").  The level is a word as well as a colour.  The list
 * scrolls.
 *
 * The engine has no history of its own, but every alert knows when it was
 * raised and cleared: frozen, the panel lists the alerts active at the
 * moment shown, then those cleared before it, and leaves out the later
 * ones.  Their figures (duration, value, peak) are as of now.
 */
#include <config.h>

#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "diag.h"
#include "draw.h"
#include "panel.h"
#include "util.h"

#define AL_LEVEL_W	9
#define AL_WHAT_W	20
#define AL_TIME_W	8
#define AL_DUR_W	7
#define AL_VAL_W	10
#define AL_INDENT	(AL_LEVEL_W + 1)

/* "45s", "3m05s", "2h10m", "3d04h". */
static const char *
al_dur(char *buf, size_t sz, double secs)
{
	long	 s;

	if (!isfinite(secs) || secs < 0) {
		snprintf(buf, sz, "n/a");
		return buf;
	}
	s = lround(secs);
	if (s < 60)
		snprintf(buf, sz, "%lds", s);
	else if (s < 3600)
		snprintf(buf, sz, "%ldm%02lds", s / 60, s % 60);
	else if (s < 86400)
		snprintf(buf, sz, "%ldh%02ldm", s / 3600, s % 3600 / 60);
	else
		snprintf(buf, sz, "%ldd%02ldh", s / 86400, s % 86400 / 3600);
	return buf;
}

/* "CPU busy", "disk busy sda". */
static void
al_what(const struct alert *a, char *buf, size_t sz)
{
	const struct metric_def	*d = metric_get(a->metric);

	snprintf(buf, sz, "%s%s%s", d != NULL ? d->label : "?",
	    a->object[0] != '\0' ? " " : "", a->object);
}

static const char *
al_unit(const struct alert *a)
{
	const struct metric_def	*d = metric_get(a->metric);

	return d != NULL ? d->unit : "";
}

bool
alert_active_at(const struct alert *a, double t)
{
	if (!isfinite(t))
		return a->active;
	return a->raise_t <= t && (a->active || !(a->clear_t <= t));
}

int
alerts_active_at(const struct alerts *al, double t, enum severity *worst)
{
	const struct alert	*a;
	int			 i, n = 0;

	*worst = SEV_OK;
	for (i = 0; (a = alerts_get(al, i)) != NULL; i++) {
		if (!alert_active_at(a, t))
			continue;
		n++;
		if (a->level > *worst)
			*worst = a->level;
	}
	return n;
}

/* Lay out cells left to right; returns the next x. */
static int
al_cell(struct scroll *sc, int y, int x, int w, const char *s, bool right,
    bool utf8, attr_t a)
{
	int	 room = sc->x + sc->w - x;

	if (w > room)
		w = room;
	if (y >= 0 && w > 0) {
		if (right)
			draw_text_right(sc->win, y, x, w, s, utf8, a);
		else
			draw_text(sc->win, y, x, w, s, 0, utf8, a);
	}
	return x + w + 1;
}

static void
al_head(struct ui *ui, struct scroll *sc, bool active)
{
	int	 y = draw_scroll_line(sc), x = sc->x;
	attr_t	 a = draw_attr(TH_COLHDR);

	if (y < 0)
		return;
	draw_fill(sc->win, y, sc->x, sc->w, a);
	x = al_cell(sc, y, x, AL_LEVEL_W, active ? "LEVEL" : "PEAK",
	    false, ui->utf8, a);
	x = al_cell(sc, y, x, AL_WHAT_W, "ALERT", false, ui->utf8, a);
	x = al_cell(sc, y, x, AL_TIME_W, active ? "SINCE" : "RAISED",
	    false, ui->utf8, a);
	if (active) {
		x = al_cell(sc, y, x, AL_DUR_W, "FOR", true, ui->utf8, a);
		x = al_cell(sc, y, x, AL_VAL_W, "NOW", true, ui->utf8, a);
		x = al_cell(sc, y, x, AL_LEVEL_W, "PEAK", false, ui->utf8,
		    a);
		al_cell(sc, y, x, AL_VAL_W, "THRESHOLD", true, ui->utf8, a);
	} else {
		x = al_cell(sc, y, x, AL_TIME_W, "CLEARED", false, ui->utf8,
		    a);
		x = al_cell(sc, y, x, AL_DUR_W, "FOR", true, ui->utf8, a);
		al_cell(sc, y, x, sc->w, "MIN / AVG / MAX", false, ui->utf8,
		    a);
	}
}

static void
al_row(struct ui *ui, struct scroll *sc, const struct alert *al)
{
	const char	*unit = al_unit(al);
	char		 what[NAME_MAX_MOUNT + 64], b1[32], b2[32], b3[32], mm[128];
	int		 y = draw_scroll_line(sc), x = sc->x;
	attr_t		 la = draw_attr(draw_sev(al->active ? al->level :
			    al->peak));

	al_what(al, what, sizeof what);
	x = al_cell(sc, y, x, AL_LEVEL_W, severity_name(al->active ?
	    al->level : al->peak), false, ui->utf8, la);
	x = al_cell(sc, y, x, AL_WHAT_W, what, false, ui->utf8, A_NORMAL);
	x = al_cell(sc, y, x, AL_TIME_W, ui_clock(b1, sizeof b1,
	    al->raise_t), false, ui->utf8, A_NORMAL);
	if (al->active) {
		x = al_cell(sc, y, x, AL_DUR_W, al_dur(b1, sizeof b1,
		    al->duration_s), true, ui->utf8, A_NORMAL);
		x = al_cell(sc, y, x, AL_VAL_W, fmt_value(b1, sizeof b1,
		    al->vlast, unit), true, ui->utf8, la);
		x = al_cell(sc, y, x, AL_LEVEL_W, severity_name(al->peak),
		    false, ui->utf8, draw_attr(draw_sev(al->peak)));
		al_cell(sc, y, x, AL_VAL_W, fmt_value(b1, sizeof b1,
		    al->threshold, unit), true, ui->utf8, A_NORMAL);
	} else {
		x = al_cell(sc, y, x, AL_TIME_W, ui_clock(b1, sizeof b1,
		    al->clear_t), false, ui->utf8, A_NORMAL);
		x = al_cell(sc, y, x, AL_DUR_W, al_dur(b1, sizeof b1,
		    al->duration_s), true, ui->utf8, A_NORMAL);
		fmt_value(b1, sizeof b1, al->vmin, "");
		fmt_value(b2, sizeof b2, al->vavg, "");
		fmt_value(b3, sizeof b3, al->vmax, unit);
		snprintf(mm, sizeof mm, "%s / %s / %s%s", b1, b2, b3,
		    al->nodata ? " (no data)" : "");
		al_cell(sc, y, x, sc->w, mm, false, ui->utf8, A_NORMAL);
	}
	y = draw_scroll_line(sc);
	draw_scroll_wrap(sc, y, AL_INDENT, AL_INDENT, al->text, ui->utf8,
	    draw_attr(TH_DIM));
}

/* Frozen at t: the alerts active then, and those cleared before. */
static void
al_layout_at(struct ui *ui, struct scroll *sc, const struct alerts *al,
    double t)
{
	const struct alert	*a;
	enum severity		 worst;
	char			 buf[128], c[16];
	int			 i, y, nact, nlog = 0;

	nact = alerts_active_at(al, t, &worst);
	for (i = 0; (a = alerts_get(al, i)) != NULL; i++)
		if (!a->active && a->clear_t <= t)
			nlog++;
	ui_clock(c, sizeof c, t);
	if (nact > 0)
		snprintf(buf, sizeof buf, "Alerts active at %s: %d (figures "
		    "as of now)", c, nact);
	else
		snprintf(buf, sizeof buf, "No alert active at %s", c);
	if ((y = draw_scroll_line(sc)) >= 0)
		draw_text(sc->win, y, sc->x, sc->w, buf, 0, ui->utf8,
		    draw_attr(TH_TITLE));
	if (nact > 0)
		al_head(ui, sc, true);
	for (i = 0; (a = alerts_get(al, i)) != NULL; i++)
		if (alert_active_at(a, t))
			al_row(ui, sc, a);
	if (nlog == 0)
		return;
	draw_scroll_line(sc);
	snprintf(buf, sizeof buf, "Cleared before %s, newest first: %d", c,
	    nlog);
	if ((y = draw_scroll_line(sc)) >= 0)
		draw_text(sc->win, y, sc->x, sc->w, buf, 0, ui->utf8,
		    draw_attr(TH_TITLE));
	al_head(ui, sc, false);
	for (i = 0; (a = alerts_get(al, i)) != NULL; i++)
		if (!a->active && a->clear_t <= t)
			al_row(ui, sc, a);
}

static void
al_layout(struct ui *ui, struct scroll *sc, const void *arg, int *first,
    int *last)
{
	const struct alerts	*al = arg;
	const struct sample	*s = ui_sample(ui, ui->ring);
	char			 buf[128];
	int			 i, y, nact = alerts_nactive(al),
				 nlog = alerts_nlog(al);

	(void)first;
	(void)last;
	if (ui->tl.frozen && s != NULL && alerts_count(al) > 0) {
		al_layout_at(ui, sc, al, s->t);
		return;
	}
	if (alerts_count(al) == 0) {
		y = draw_scroll_line(sc);
		draw_scroll_wrap(sc, y, 0, 0, ui->utf8 ?
		    "No alerts \342\200\224 thresholds in perftop.conf "
		    "(man perftop)" : "No alerts -- thresholds in "
		    "perftop.conf (man perftop)", ui->utf8, A_NORMAL);
		return;
	}
	if (nact > 0)
		snprintf(buf, sizeof buf, "Active alerts: %d", nact);
	else
		snprintf(buf, sizeof buf, "No active alerts");
	if ((y = draw_scroll_line(sc)) >= 0)
		draw_text(sc->win, y, sc->x, sc->w, buf, 0, ui->utf8,
		    draw_attr(TH_TITLE));
	if (nact > 0)
		al_head(ui, sc, true);
	for (i = 0; i < nact; i++)
		al_row(ui, sc, alerts_get(al, i));
	if (nlog == 0)
		return;
	draw_scroll_line(sc);
	snprintf(buf, sizeof buf, "Log, newest first: %d cleared", nlog);
	if ((y = draw_scroll_line(sc)) >= 0)
		draw_text(sc->win, y, sc->x, sc->w, buf, 0, ui->utf8,
		    draw_attr(TH_TITLE));
	al_head(ui, sc, false);
	for (i = nact; i < nact + nlog; i++)
		al_row(ui, sc, alerts_get(al, i));
}

static void
al_draw(struct ui *ui, WINDOW *w, const struct rect *r,
    const struct ring *ring)
{
	(void)ring;
	if (ui->diag == NULL) {
		draw_text(w, r->y, r->x, r->w, "No diagnosis in this mode.", 0,
		    ui->utf8, draw_attr(TH_DIM));
		return;
	}
	panel_scrolled(ui, w, r, al_layout, diag_alerts(ui->diag));
}

static int
al_key(struct ui *ui, int key)
{
	return panel_scroll_key(ui, key);
}

static const char *
al_hint(struct ui *ui, char *buf, size_t sz)
{
	(void)ui;
	snprintf(buf, sz, "Up/Down PgUp/PgDn scroll  1-5/Tab panels  ? help  "
	    "q quit");
	return buf;
}

const struct pt_panel panel_alerts = {
	"Alerts", al_hint, al_draw, al_key, true
};
