/*
 * panel_help.c - the help panel.
 *
 * Help lists every key, grouped by where it works, and what the panels
 * show; keep it in step with the key handlers in ui.c, panel_procs.c,
 * panel_health.c (Health and Diff), panel_alerts.c and panel_advice.c and
 * with the man page.
 */
#include <config.h>

#include <curses.h>
#include <stdio.h>

#include "draw.h"
#include "panel.h"

static const char *help_text[] = {
	"#Anywhere",
	"  1 2 3 4 5 6   Overview, Processes, Health, Alerts, Advice, Diff",
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
	"  (  )          scroll the COMMAND column sideways (also Left",
	"                Right while live; frozen, they move in time)",
	"",
	"#Time: freeze, rewind, baseline, export",
	"  space         freeze the whole dashboard at the newest sample",
	"                (collection goes on; the header says FROZEN at",
	"                the time shown); space again: back to live",
	"  Left Right    frozen: one sample back / forward, in every panel",
	"  [  ]          frozen: 60 seconds back / forward",
	"  {  }          frozen: the oldest / the newest sample kept",
	"                Every panel shows the moment: values, sparklines",
	"                ending there, health, findings.  The process table",
	"                is the full table when frozen at the newest sample,",
	"                else that sample's top processes only.",
	"  b             capture a baseline from the window of the moment",
	"                shown (the diagnosis window, at least 60 s when",
	"                kept), compare with it from then on and save it to",
	"                $XDG_STATE_HOME/perftop/baseline.json (loaded at",
	"                the next start); values then show their difference:",
	"                \"72.0% (+38)\"",
	"  B             clear the baseline and remove the saved file",
	"  e             export the moment shown: a snapshot (JSON) and a",
	"                Markdown report, perftop-HOST-TIME.json and .md in",
	"                the current directory (or export_dir in",
	"                perftop.conf); the status line names them",
	"  perftop --replay FILE opens a snapshot frozen at its newest sample;",
	"  the keys above move through it, space does not go live.",
	"",
	"#Health (panel 3)",
	"  The health score (100 minus the points of each finding) and the",
	"  USE scorecard: Utilization, Saturation and Errors of the CPU,",
	"  memory, I/O, each disk, interface and filesystem over the last",
	"  seconds (window in perftop.conf), then every finding and the points",
	"  it takes off the score, worst first.  ok, warning and critical are",
	"  words as well as colours; n/a means not measured.",
	"  Up Down       select a finding",
	"  g             go to its culprit in the process table (panel 2)",
	"  PgUp PgDn     scroll;  Home End  first / last",
	"",
	"#Alerts (panel 4)",
	"  Active alerts first (level, since when, for how long, value now,",
	"  peak level, threshold), then the log of cleared ones, newest first",
	"  (raised, cleared, duration, min / avg / max).  An alert fires when",
	"  a level holds for alert_duration_s (6 s) and clears below the level",
	"  less a margin.  Thresholds: perftop.conf (man perftop).",
	"  Up Down PgUp PgDn Home End   scroll",
	"",
	"#Advice (panel 5)",
	"  One item per finding, by impact: the evidence (value against the",
	"  level it crossed), the culprit process and the next biggest users",
	"  with their share of the resource, and what to do.  Then the",
	"  trends: filesystems filling up, memory running out, growing RSS.",
	"  Up Down       select an item",
	"  g             go to its culprit in the process table (panel 2):",
	"                the filter is cleared and the row selected; the",
	"                status line says so when the process has exited",
	"  PgUp PgDn     scroll;  Home End  first / last",
	"",
	"#Overview (panel 1)",
	"  The first line is the health line: the score, its top reasons and",
	"  the active alerts, led by WARNING or CRITICAL.  A \"!\" after a",
	"  label: the diagnosis judges that figure warning (bold) or critical",
	"  (reverse) over its window.  Values are coloured by the thresholds.",
	"",
	"#Diff (panel 6)",
	"  Without a baseline: how to capture one (b).  With one: each",
	"  metric's baseline mean, its mean now (the window of the moment",
	"  shown, at least 60 s), the difference, the effect in baseline",
	"  standard deviations, the p-value of Welch's t-test on means of",
	"  blocks of 10 samples (so slow drift is not significant) and the",
	"  verdict: SIGNIFICANT when p < 0.01 and the effect is 1 sd or more,",
	"  else not significant; largest first.  Then the top processes new",
	"  since the baseline and those that have vanished.",
	"  Up Down PgUp PgDn Home End   scroll",
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
	snprintf(buf, sz, "? back  Up/Down scroll  1-6/Tab panels  q quit");
	return buf;
}

const struct pt_panel panel_help = {
	"Help", help_hint, help_draw, help_key, false
};
