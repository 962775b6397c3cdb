/*
 * draw.h - small drawing helpers shared by the panels.
 *
 * The theme maps a role (header, selection, warning...) to curses
 * attributes: colour pairs when the terminal has colours and the user wants
 * them, bold and reverse video otherwise, so a monochrome terminal still
 * shows what matters.  Text goes through draw_text(), which cuts at
 * character boundaries by display width (wide characters count two) and, in
 * a non-UTF-8 locale, escapes everything outside ASCII first.  Sparklines
 * take an array of values, oldest first, and draw NAN as a gap.  A
 * struct scroll lays out a long panel body line by line (wrapping text at
 * spaces) and draws only the lines in view.
 *
 * UI thread only: the theme is file-scope state.
 */
#ifndef PERFTOP_DRAW_H
#define PERFTOP_DRAW_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

#include "analysis.h"

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
 * The role of a judged severity: n/a dim, ok green, info and "-" plain,
 * warning and critical as TH_WARN and TH_CRIT (bold, and reverse video for
 * critical, on a monochrome terminal).
 */
enum theme_role draw_sev(enum severity);
/* The same for v judged against a threshold (level_judge); lv NULL or all
 * levels disabled: TH_NORMAL, NAN: TH_DIM. */
enum theme_role draw_level(const struct level *, bool lower_worse, double v);
/* The role of an overall health status (UNKNOWN plain). */
enum theme_role draw_status(enum health_status);

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
/* draw_text of the first n bytes of s (a whole number of characters). */
int	 draw_textn(WINDOW *, int y, int x, int cols, const char *s, size_t n,
	    bool utf8, attr_t);
/*
 * Bytes of s (sanitized; ASCII already when the locale is not UTF-8) for
 * one line of at most cols columns, broken after the last space that fits,
 * or cut when no space does.  At least one character when s is not empty.
 */
size_t	 draw_wrap_len(const char *s, int cols);
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

/*
 * A scrolled list of lines in the area y,x,h,w: the panel lays out every
 * line from the first, and only those from top to top + h - 1 reach the
 * screen.  After the layout, n is the number of lines there are, so the
 * panel can clamp top (and lay out again when it moved).
 */
struct scroll {
	WINDOW	*win;
	int	 y, x, h, w;
	int	 top;		/* first line shown */
	int	 n;		/* lines laid out so far */
};

void	 draw_scroll_init(struct scroll *, WINDOW *, int y, int x, int h,
	    int w, int top);
/* Lay out one line: its screen row, or -1 when it is out of view. */
int	 draw_scroll_line(struct scroll *);
/*
 * Lay out s wrapped at spaces into lines of the area's width less indent
 * columns (a word longer than a line is cut), the first line after first
 * columns already used by a prefix the caller drew (first >= indent), the
 * others at indent.  Returns the lines used (at least 1).  The first line
 * must have been laid out by the caller (its row is passed as y, -1 when
 * out of view); the following ones are laid out here.
 */
int	 draw_scroll_wrap(struct scroll *, int y, int first, int indent,
	    const char *s, bool utf8, attr_t);
/* Keep lines first..last (inclusive) in view by moving top; returns the
 * new top (clamped to 0). */
int	 draw_scroll_reveal(const struct scroll *, int first, int last);

#endif
