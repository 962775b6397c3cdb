/*
 * panel_help.c - the help panel and the panels still to come.
 *
 * Help lists every key, grouped by where it works; keep it in step with
 * the key handlers in ui.c and panel_procs.c and with the man page.
 * Health, Alerts and Advice are in the tab bar already so the layout does
 * not move later; for now they say plainly that they do not exist yet.
 */
#include <config.h>

#include <curses.h>
#include <stdio.h>

#include "draw.h"
#include "panel.h"

static const char *help_text[] = {
	"#Anywhere",
	"  1 2 3 4 5     Overview, Processes, Health, Alerts, Advice",
	"  Tab  S-Tab    next / previous panel",
	"  ?  F1         this help (again: back)",
	"  Ctrl-L        redraw the whole screen",
	"  q             quit",
	"",
	"#Processes (panel 2)",
	"  P M N I C     sort by CPU, memory (RSS), PID, I/O, command name",
	"  <  >          sort by the column to the left / right",
	"  r             reverse the sort order",
	"  /             filter: type a part of the command, its name or the",
	"                user; Enter keeps it, Esc clears it, Backspace edits",
	"  Esc           clear the filter",
	"  Up Down       move the selection (it then follows that process)",
	"  PgUp PgDn     move by a page",
	"  Home End      first / last row (Home: stay on the first row)",
	"  Left Right    scroll the COMMAND column sideways",
	"",
	"#Help",
	"  Up Down PgUp PgDn Home   scroll this help",
	"",
	"#Figures",
	"  n/a means not measured (no permission, absent file); never 0.",
	"  Sparklines: newest on the right; percentages on a 0-100 scale,",
	"  rates against the largest value shown; a gap is a missing sample.",
};

#define HELP_LINES	((int)(sizeof help_text / sizeof help_text[0]))

static int	 help_top;	/* first line shown (UI thread only) */

static void
help_draw(struct ui *ui, WINDOW *w, const struct rect *r,
    const struct ring *ring)
{
	const char	*s;
	int		 i, y = r->y, rows = r->h;

	(void)ring;
	if (help_top > HELP_LINES - rows)
		help_top = HELP_LINES - rows;
	if (help_top < 0)
		help_top = 0;
	for (i = help_top; i < HELP_LINES && y < r->y + rows; i++, y++) {
		s = help_text[i];
		if (*s == '#')
			draw_text(w, y, r->x, r->w, s + 1, 0, ui->utf8,
			    draw_attr(TH_TITLE));
		else
			draw_text(w, y, r->x, r->w, s, 0, ui->utf8, A_NORMAL);
	}
	if (help_top + rows < HELP_LINES)
		draw_text_right(w, r->y + rows - 1, r->x, r->w,
		    "(Down: more)", ui->utf8, draw_attr(TH_DIM) | A_BOLD);
}

static int
help_key(struct ui *ui, int key)
{
	(void)ui;
	switch (key) {
	case KEY_DOWN:
	case KEY_NPAGE:
		help_top += key == KEY_DOWN ? 1 : 10;
		break;
	case KEY_UP:
	case KEY_PPAGE:
		help_top -= key == KEY_UP ? 1 : 10;
		break;
	case KEY_HOME:
		help_top = 0;
		break;
	default:
		return 0;
	}
	return 1;
}

static const char *
help_hint(struct ui *ui, char *buf, size_t sz)
{
	(void)ui;
	snprintf(buf, sz, "? back  Up/Down scroll  1-5/Tab panels  q quit");
	return buf;
}

static int
no_key(struct ui *ui, int key)
{
	(void)ui;
	(void)key;
	return 0;
}

static void
notyet_draw(struct ui *ui, WINDOW *w, const struct rect *r, const char *what)
{
	char	 buf[160];

	snprintf(buf, sizeof buf, "%s: not yet %s coming in a later version "
	    "(see README)", what, ui->utf8 ? "\342\200\224" : "--");
	draw_text(w, r->y, r->x, r->w, buf, 0, ui->utf8, draw_attr(TH_TITLE));
	if (r->h > 2)
		draw_text(w, r->y + 2, r->x, r->w, "Panels 1 (Overview) and "
		    "2 (Processes) show the live figures.", 0, ui->utf8,
		    A_NORMAL);
}

static void
health_draw(struct ui *ui, WINDOW *w, const struct rect *r,
    const struct ring *ring)
{
	(void)ring;
	notyet_draw(ui, w, r, "Health analysis");
}

static void
alerts_draw(struct ui *ui, WINDOW *w, const struct rect *r,
    const struct ring *ring)
{
	(void)ring;
	notyet_draw(ui, w, r, "Alerts");
}

static void
advice_draw(struct ui *ui, WINDOW *w, const struct rect *r,
    const struct ring *ring)
{
	(void)ring;
	notyet_draw(ui, w, r, "Advice");
}

static const char *
notyet_hint(struct ui *ui, char *buf, size_t sz)
{
	(void)ui;
	snprintf(buf, sz, "1-5/Tab panels  ? help  q quit");
	return buf;
}

const struct pt_panel panel_help = {
	"Help", help_hint, help_draw, help_key, false
};
const struct pt_panel panel_health = {
	"Health", notyet_hint, health_draw, no_key, false
};
const struct pt_panel panel_alerts = {
	"Alerts", notyet_hint, alerts_draw, no_key, false
};
const struct pt_panel panel_advice = {
	"Advice", notyet_hint, advice_draw, no_key, false
};
