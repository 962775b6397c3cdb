/*
 * draw.h - small drawing helpers shared by the panels.
 *
 * The theme maps a role (header, selection, warning...) to curses
 * attributes: colour pairs when the terminal has colours and the user wants
 * them, bold and reverse video otherwise, so a monochrome terminal still
 * shows what matters.  Text goes through draw_text(), which cuts at
 * character boundaries by display width (wide characters count two) and, in
 * a non-UTF-8 locale, escapes everything outside ASCII first.  Sparklines
 * take an array of values, oldest first, and draw NAN as a gap.
 *
 * UI thread only: the theme is file-scope state.
 */
#ifndef PERFTOP_DRAW_H
#define PERFTOP_DRAW_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

enum theme_role {
	TH_NORMAL,
	TH_HEADER,	/* top line */
	TH_TAB,		/* tab bar, other tabs */
	TH_TAB_ON,	/* tab bar, current tab */
	TH_TITLE,	/* a panel's title line */
	TH_COLHDR,	/* table column headers */
	TH_SORTCOL,	/* the column the table is sorted by */
	TH_SELECT,	/* selected row */
	TH_OK,
	TH_WARN,
	TH_CRIT,
	TH_DIM,		/* n/a, hints */
	TH_SPARK,	/* sparklines */
	TH_STATUS,	/* bottom line */
	TH_COUNT
};

/* Set up the theme after curses started; color: use colour pairs. */
void	 draw_theme_init(bool color);
attr_t	 draw_attr(enum theme_role);
/* TH_OK, TH_WARN or TH_CRIT for v against two thresholds (NAN: TH_DIM). */
enum theme_role draw_severity(double v, double warn, double crit);

/*
 * Draw s (sanitized UTF-8) at y,x in at most cols columns, after skipping
 * its first skip columns.  utf8 false: escape non-ASCII characters first.
 * Returns the columns used.
 */
int	 draw_text(WINDOW *, int y, int x, int cols, const char *s, int skip,
	    bool utf8, attr_t);
/* draw_text of s right-aligned in cols columns. */
int	 draw_text_right(WINDOW *, int y, int x, int cols, const char *s,
	    bool utf8, attr_t);
/* Clear cols columns at y,x and give them attr (for bars). */
void	 draw_fill(WINDOW *, int y, int x, int cols, attr_t);

/*
 * A sparkline of n values (oldest first) in the w columns at y,x, newest
 * in the last column; with n < w the left part stays blank.  Values are
 * scaled to 0..hi (hi <= 0 or NAN: all at the lowest level); NAN is a gap.
 * UTF-8 draws U+2581..U+2588, ASCII the ramp "_.-:=+*#".
 */
void	 draw_spark(WINDOW *, int y, int x, int w, const double *v, int n,
	    double hi, bool utf8, attr_t);
/* One sparkline cell for v in 0..hi (used for per-core bars). */
void	 draw_spark_cell(WINDOW *, int y, int x, double v, double hi,
	    bool utf8, attr_t);
/* Largest finite value of v (0 when none). */
double	 draw_max(const double *v, int n);

#endif
