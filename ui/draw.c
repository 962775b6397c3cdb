/*
 * draw.c - theme, width-aware text and sparklines (see draw.h).
 *
 * Every string the panels show passes through draw_text(), so the
 * rules live in one place: cut by display columns at a character
 * boundary, never inside a UTF-8 sequence, and escape to ASCII when the
 * locale cannot show UTF-8.
 */
#include <config.h>

#include <curses.h>
#include <math.h>
#include <string.h>
#include <wchar.h>

#include "draw.h"
#include "sanitize.h"

/* Colour pairs. */
enum { PAIR_OK = 1, PAIR_WARN, PAIR_CRIT, PAIR_ACCENT, PAIR_BAR };

static attr_t	 theme[TH_COUNT];

static const char ascii_ramp[] = "_.-:=+*#";	/* 8 levels, like U+2581.. */

void
draw_theme_init(bool color)
{
	int	 bg = -1;

	/* Monochrome: everything that matters is bold or reverse video. */
	theme[TH_NORMAL] = A_NORMAL;
	theme[TH_HEADER] = A_REVERSE;
	theme[TH_TAB] = A_NORMAL;
	theme[TH_TAB_ON] = A_REVERSE | A_BOLD;
	theme[TH_TITLE] = A_BOLD;
	theme[TH_COLHDR] = A_BOLD | A_UNDERLINE;
	theme[TH_SORTCOL] = A_REVERSE;
	theme[TH_SELECT] = A_REVERSE;
	theme[TH_OK] = A_NORMAL;
	theme[TH_WARN] = A_BOLD;
	theme[TH_CRIT] = A_BOLD | A_REVERSE;
	theme[TH_DIM] = A_NORMAL;
	theme[TH_SPARK] = A_NORMAL;
	theme[TH_STATUS] = A_NORMAL;
	if (!color || start_color() != OK)
		return;
	if (use_default_colors() != OK)
		bg = COLOR_BLACK;
	init_pair(PAIR_OK, COLOR_GREEN, bg);
	init_pair(PAIR_WARN, COLOR_YELLOW, bg);
	init_pair(PAIR_CRIT, COLOR_RED, bg);
	init_pair(PAIR_ACCENT, COLOR_CYAN, bg);
	init_pair(PAIR_BAR, COLOR_BLACK, COLOR_CYAN);
	theme[TH_HEADER] = COLOR_PAIR(PAIR_BAR);
	theme[TH_TAB_ON] = COLOR_PAIR(PAIR_BAR) | A_BOLD;
	theme[TH_TITLE] = COLOR_PAIR(PAIR_ACCENT) | A_BOLD;
	theme[TH_COLHDR] = COLOR_PAIR(PAIR_ACCENT) | A_BOLD;
	theme[TH_SORTCOL] = COLOR_PAIR(PAIR_BAR) | A_BOLD;
	theme[TH_OK] = COLOR_PAIR(PAIR_OK);
	theme[TH_WARN] = COLOR_PAIR(PAIR_WARN) | A_BOLD;
	theme[TH_CRIT] = COLOR_PAIR(PAIR_CRIT) | A_BOLD;
	theme[TH_SPARK] = COLOR_PAIR(PAIR_ACCENT);
	theme[TH_DIM] = A_DIM;
}

attr_t
draw_attr(enum theme_role r)
{
	return (unsigned)r < TH_COUNT ? theme[r] : A_NORMAL;
}

enum theme_role
draw_severity(double v, double warn, double crit)
{
	if (isnan(v))
		return TH_DIM;
	if (v >= crit)
		return TH_CRIT;
	if (v >= warn)
		return TH_WARN;
	return TH_OK;
}

enum theme_role
draw_sev(enum severity sev)
{
	switch (sev) {
	case SEV_NA:
		return TH_DIM;
	case SEV_OK:
		return TH_OK;
	case SEV_WARNING:
		return TH_WARN;
	case SEV_CRITICAL:
		return TH_CRIT;
	default:
		return TH_NORMAL;
	}
}

enum theme_role
draw_level(const struct level *lv, bool lower_worse, double v)
{
	if (isnan(v))
		return TH_DIM;
	if (lv == NULL)
		return TH_NORMAL;
	return draw_sev(level_judge(lv, lower_worse, v));
}

enum theme_role
draw_status(enum health_status st)
{
	switch (st) {
	case HEALTH_OK:
		return TH_OK;
	case HEALTH_WARNING:
		return TH_WARN;
	case HEALTH_CRITICAL:
		return TH_CRIT;
	default:
		return TH_NORMAL;
	}
}

int
draw_text(WINDOW *w, int y, int x, int cols, const char *s, int skip,
    bool utf8, attr_t a)
{
	char	 buf[2048];
	size_t	 n;
	int	 used;

	if (cols <= 0 || s == NULL)
		return 0;
	if (!utf8) {
		text_sanitize(buf, sizeof buf, s, strlen(s), true);
		s = buf;
	}
	if (skip > 0) {
		s += text_fit(s, skip, &used);
		/* A wide character across the cut is dropped whole. */
		if (used < skip && *s != '\0')
			s += text_fit(s, 2, NULL);
	}
	n = text_fit(s, cols, &used);
	if (n == 0)
		return 0;
	wattrset(w, a);
	mvwaddnstr(w, y, x, s, (int)n);
	wattrset(w, A_NORMAL);
	return used;
}

int
draw_text_right(WINDOW *w, int y, int x, int cols, const char *s, bool utf8,
    attr_t a)
{
	char	 buf[2048];
	int	 width;

	if (cols <= 0 || s == NULL)
		return 0;
	if (!utf8) {
		text_sanitize(buf, sizeof buf, s, strlen(s), true);
		s = buf;
	}
	width = text_width(s);
	if (width > cols)
		width = cols;
	return draw_text(w, y, x + cols - width, width, s, 0, true, a);
}

void
draw_fill(WINDOW *w, int y, int x, int cols, attr_t a)
{
	if (cols > 0)
		mvwhline(w, y, x, ' ' | a, cols);
}

static int
spark_level(double v, double hi)
{
	int	 lvl;

	if (!(hi > 0) || !(v > 0))
		return 0;
	lvl = (int)(v / hi * 8.0);
	return lvl > 7 ? 7 : lvl;
}

void
draw_spark_cell(WINDOW *w, int y, int x, double v, double hi, bool utf8,
    attr_t a)
{
	cchar_t	 cc;
	wchar_t	 wc[2];
	int	 lvl;

	if (isnan(v)) {
		mvwaddch(w, y, x, ' ');
		return;
	}
	lvl = spark_level(v, hi);
	if (!utf8) {
		mvwaddch(w, y, x, (chtype)ascii_ramp[lvl] | a);
		return;
	}
	wc[0] = (wchar_t)(0x2581 + lvl);
	wc[1] = L'\0';
	setcchar(&cc, wc, a & ~A_COLOR, (short)PAIR_NUMBER(a), NULL);
	mvwadd_wch(w, y, x, &cc);
}

void
draw_spark(WINDOW *w, int y, int x, int width, const double *v, int n,
    double hi, bool utf8, attr_t a)
{
	int	 i, col;

	if (width <= 0)
		return;
	if (n > width) {	/* keep the newest */
		v += n - width;
		n = width;
	}
	col = x + width - n;
	for (i = 0; i < n; i++)
		draw_spark_cell(w, y, col + i, v[i], hi, utf8, a);
}

double
draw_max(const double *v, int n)
{
	double	 m = 0;
	int	 i;

	for (i = 0; i < n; i++)
		if (isfinite(v[i]) && v[i] > m)
			m = v[i];
	return m;
}

void
draw_scroll_init(struct scroll *sc, WINDOW *w, int y, int x, int h, int width,
    int top)
{
	sc->win = w;
	sc->y = y;
	sc->x = x;
	sc->h = h > 0 ? h : 0;
	sc->w = width > 0 ? width : 0;
	sc->top = top > 0 ? top : 0;
	sc->n = 0;
}

int
draw_scroll_line(struct scroll *sc)
{
	int	 i = sc->n++;

	if (i < sc->top || i >= sc->top + sc->h)
		return -1;
	return sc->y + i - sc->top;
}

int
draw_textn(WINDOW *w, int y, int x, int cols, const char *s, size_t n,
    bool utf8, attr_t a)
{
	char	 line[2048];

	if (n >= sizeof line)
		n = sizeof line - 1;
	memcpy(line, s, n);
	line[n] = '\0';
	return draw_text(w, y, x, cols, line, 0, utf8, a);
}

size_t
draw_wrap_len(const char *s, int cols)
{
	size_t	 n, brk;

	if (*s == '\0')
		return 0;
	n = text_fit(s, cols, NULL);
	if (n == 0) {		/* a wide character in one column: cut it */
		n = 1;
		while (((unsigned char)s[n] & 0xC0) == 0x80)
			n++;
		return n;
	}
	if (s[n] == '\0' || (s[n] == ' ' && s[n + 1] != '%'))
		return n;
	/* "97 %" stays on one line. */
	for (brk = n; brk > 0 && (s[brk] != ' ' || s[brk + 1] == '%'); brk--)
		;
	return brk > 0 ? brk : n;
}

int
draw_scroll_wrap(struct scroll *sc, int y, int first, int indent,
    const char *s, bool utf8, attr_t a)
{
	char	 buf[2048];
	int	 col = first, lines = 1, cols;
	size_t	 n;

	if (!utf8) {
		text_sanitize(buf, sizeof buf, s, strlen(s), true);
		s = buf;
	}
	for (;;) {
		cols = sc->w - col;
		if (cols < 1)
			cols = 1;
		n = draw_wrap_len(s, cols);
		if (y >= 0 && n > 0)
			draw_textn(sc->win, y, sc->x + col, cols, s, n, true, a);
		s += n;
		while (*s == ' ')
			s++;
		if (*s == '\0')
			return lines;
		y = draw_scroll_line(sc);
		col = indent;
		lines++;
	}
}

int
draw_scroll_reveal(const struct scroll *sc, int first, int last)
{
	int	 top = sc->top;

	if (last >= top + sc->h)
		top = last - sc->h + 1;
	if (first < top)
		top = first;
	return top > 0 ? top : 0;
}
