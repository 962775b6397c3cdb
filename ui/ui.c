/*
 * ui.c - the dashboard's loop, frame, header, tab bar and status line.
 *
 * This is the only thread that calls curses.  It sleeps in ppoll() on the
 * terminal and on the collector's eventfd, with no timer: a frame is built
 * when a sample lands, a key is pressed or the terminal is resized, and
 * never otherwise.  A frame is erase() + drawing + one doupdate(), so
 * ncurses sends only what changed; clear() (a full repaint) is kept for
 * Ctrl-L and for coming back from a suspend.
 *
 * SIGINT, SIGTERM, SIGHUP, SIGWINCH, SIGCONT and SIGTSTP are blocked except
 * inside ppoll(), so a signal can never slip in between a check and the
 * sleep; the handlers only set flags (ncurses' own handlers deal with
 * SIGWINCH and SIGTSTP).  The exit status is 0 for q and --iterations, and
 * 128 + the signal number for SIGINT, SIGTERM and SIGHUP, as a shell would
 * report it; a terminal that went away counts as SIGHUP.
 */
#include <config.h>

#include <curses.h>
#include <errno.h>
#include <langinfo.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "collector.h"
#include "draw.h"
#include "panel.h"
#include "sanitize.h"
#include "ui.h"
#include "util.h"

#define MIN_COLS	40
#define MIN_LINES	10
#define ESC_DELAY_MS	50
#define EOF_POLLS	3	/* readable with nothing to read: gone */

static const struct pt_panel *panels[PANEL_COUNT] = {
	[PANEL_OVERVIEW] = &panel_overview,
	[PANEL_PROCS] = &panel_procs,
	[PANEL_HEALTH] = &panel_health,
	[PANEL_ALERTS] = &panel_alerts,
	[PANEL_ADVICE] = &panel_advice,
	[PANEL_HELP] = &panel_help,
};
static const char *panel_keys[PANEL_COUNT] = { "1", "2", "3", "4", "5", "?" };

static const int ui_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGCONT };
#define NSIGNALS	((int)(sizeof ui_signals / sizeof ui_signals[0]))

static volatile sig_atomic_t	 ui_sig;	/* a signal asking to stop */
static volatile sig_atomic_t	 ui_cont;	/* resumed after a stop */

/* What the loop remembers between frames. */
struct ui_frame {
	uint64_t	 gen;		/* ring generation last drawn */
	unsigned long	 nerr;		/* collector errors seen */
	uint64_t	 err_gen;	/* generation when the last one came */
	char		 err[256];
};

static void
ui_signal(int sig)
{
	if (sig == SIGCONT)
		ui_cont = 1;
	else
		ui_sig = sig;
}

double *
ui_scratch(struct ui *ui, int n)
{
	double	*p;

	if (n <= ui->series_cap)
		return ui->series;
	if ((p = reallocarray(ui->series, (size_t)n, sizeof *p)) == NULL)
		return NULL;
	ui->series = p;
	ui->series_cap = n;
	return p;
}

/* "3d04h", "4h12m" or "12m". */
static void
fmt_uptime(char *buf, size_t sz, double secs)
{
	long	 s = (long)secs;

	if (!isfinite(secs) || secs < 0)
		snprintf(buf, sz, "up ?");
	else if (s >= 86400)
		snprintf(buf, sz, "up %ldd%02ldh", s / 86400, s % 86400 / 3600);
	else if (s >= 3600)
		snprintf(buf, sz, "up %ldh%02ldm", s / 3600, s % 3600 / 60);
	else
		snprintf(buf, sz, "up %ldm", s / 60);
}

struct piece {
	char	 text[64];
	int	 prio;		/* dropped first when low; -1 dropped */
};

/* The header's pieces, in screen order; returns how many. */
static int
ui_header_pieces(const struct ring *ring, const struct sample *s,
    struct piece *p)
{
	const struct host	*h = ring_host(ring);
	char			 a[16], b[16], c[32];
	struct tm		 tm;
	time_t			 t;
	int			 n = 0;

	snprintf(p[n].text, sizeof p[n].text, "perftop");
	p[n++].prio = 10;
	if (s == NULL)
		return n;
	t = (time_t)s->t;
	if (localtime_r(&t, &tm) != NULL &&
	    strftime(p[n].text, sizeof p[n].text, "%H:%M:%S", &tm) > 0)
		p[n++].prio = 9;
	fmt_uptime(p[n].text, sizeof p[n].text, s->t - h->boot_time);
	p[n++].prio = 1;
	snprintf(p[n].text, sizeof p[n].text, "%d cpus",
	    s->ncpu > 0 ? s->ncpu : h->cpus);
	p[n++].prio = 2;
	if (FIG_OK(s->load[0]))
		snprintf(p[n].text, sizeof p[n].text, "load %.2f %.2f %.2f",
		    s->load[0], s->load[1], s->load[2]);
	else
		snprintf(p[n].text, sizeof p[n].text, "load n/a");
	p[n++].prio = 8;
	snprintf(p[n].text, sizeof p[n].text, "tasks %d, %d run",
	    s->top.total, s->top.running);
	p[n++].prio = 7;
	fmt_pct(a, sizeof a, s->self_cpu_pct);
	if (FIG_OK(s->self_cpu_pct))
		strlcpy0(a + strlen(a), "%", sizeof a - strlen(a));
	if (FIG_OK(s->collect_ms))
		snprintf(c, sizeof c, "%.1fms", s->collect_ms);
	else
		snprintf(c, sizeof c, "n/a");
	snprintf(p[n].text, sizeof p[n].text, "self %s %s %s", a,
	    fmt_bytes(b, sizeof b, s->self_rss_bytes), c);
	p[n++].prio = 6;
	return n;
}

/*
 * The header line.  When the pieces do not fit, the least important go
 * first.  The host name is on the tab bar.
 */
static void
ui_header(struct ui *ui, const struct ring *ring, const struct sample *s)
{
	struct piece	 p[8];
	int		 n, i, total, low, x;

	n = ui_header_pieces(ring, s, p);
	for (;;) {
		total = -2;
		low = -1;
		for (i = 0; i < n; i++) {
			if (p[i].prio < 0)
				continue;
			total += text_width(p[i].text) + 2;
			if (low < 0 || p[i].prio < p[low].prio)
				low = i;
		}
		if (total <= COLS || low <= 0)
			break;
		p[low].prio = -1;
	}
	draw_fill(stdscr, 0, 0, COLS, draw_attr(TH_HEADER));
	for (i = 0, x = 0; i < n && x < COLS; i++) {
		if (p[i].prio < 0)
			continue;
		x += draw_text(stdscr, 0, x, COLS - x, p[i].text, 0, ui->utf8,
		    draw_attr(TH_HEADER) | (i == 0 ? A_BOLD : 0)) + 2;
	}
}

/*
 * The tab bar, and the host name on its right when there is room.  On a
 * narrow terminal the other tabs shrink to their keys.
 */
static void
ui_tabs(struct ui *ui, const struct ring *ring)
{
	const char	*host = ring_host(ring)->hostname;
	char		 buf[32];
	int		 i, x = 0, full = 0;

	for (i = 0; i < PANEL_COUNT; i++)
		full += text_width(panels[i]->name) + 4;
	for (i = 0; i < PANEL_COUNT && x < COLS; i++) {
		if (full <= COLS || (int)ui->panel == i)
			snprintf(buf, sizeof buf, " %s %s ", panel_keys[i],
			    panels[i]->name);
		else
			snprintf(buf, sizeof buf, " %s ", panel_keys[i]);
		x += draw_text(stdscr, 1, x, COLS - x, buf, 0, ui->utf8,
		    draw_attr((int)ui->panel == i ? TH_TAB_ON : TH_TAB));
	}
	if (COLS - x - 2 >= text_width(host))
		draw_text_right(stdscr, 1, x + 2, COLS - x - 2, host, ui->utf8,
		    draw_attr(TH_TITLE));
}

static void
ui_status(struct ui *ui, const struct ui_frame *f, bool show_err)
{
	char		 buf[512];
	const char	*hint;
	int	 x = 0, y = LINES - 1;

	draw_fill(stdscr, y, 0, COLS, draw_attr(TH_STATUS));
	if (show_err) {
		snprintf(buf, sizeof buf, "error: %s ", f->err);
		x = draw_text(stdscr, y, 0, COLS, buf, 0, ui->utf8,
		    draw_attr(TH_CRIT)) + 1;
	}
	if (ui->msg[0] != '\0' && x < COLS)
		x += draw_text(stdscr, y, x, COLS - x, ui->msg, 0, ui->utf8,
		    draw_attr(TH_STATUS) | A_BOLD) + 2;
	hint = NULL;
	if (panels[ui->panel]->hint != NULL)
		hint = panels[ui->panel]->hint(ui, buf, sizeof buf);
	if (hint != NULL && x < COLS)
		draw_text(stdscr, y, x, COLS - x, hint, 0, ui->utf8,
		    draw_attr(TH_STATUS));
}

static void
ui_too_small(struct ui *ui)
{
	char	 buf[64];
	int	 y = LINES / 2 > 0 ? LINES / 2 - 1 : 0;

	snprintf(buf, sizeof buf, "terminal too small (need %dx%d)",
	    MIN_COLS, MIN_LINES);
	if (COLS >= text_width(buf)) {
		draw_text(stdscr, y, (COLS - text_width(buf)) / 2, COLS, buf,
		    0, ui->utf8, A_BOLD);
		return;
	}
	draw_text(stdscr, y, 0, COLS, "terminal too small", 0, ui->utf8,
	    A_BOLD);
	snprintf(buf, sizeof buf, "(need %dx%d)", MIN_COLS, MIN_LINES);
	if (y + 1 < LINES)
		draw_text(stdscr, y + 1, 0, COLS, buf, 0, ui->utf8, A_BOLD);
}

/* Build and show one frame. */
static void
ui_draw(struct ui *ui, struct ring *ring, struct collector *coll,
    struct ui_frame *f)
{
	const struct pt_panel	*pp = panels[ui->panel];
	const struct sample	*s;
	struct rect		 body;
	char			 err[sizeof f->err];
	unsigned long		 nerr = 0;
	bool			 show_err;

	/* Before the ring lock: the collector's lock is its own. */
	if (coll != NULL)
		nerr = collector_error(coll, err, sizeof err);

	ring_lock(ring);
	f->gen = ring_generation(ring);
	if (nerr != f->nerr) {
		f->nerr = nerr;
		f->err_gen = f->gen;
		strlcpy0(f->err, err, sizeof f->err);
	}
	/* An error stays on screen until a good sample follows it. */
	show_err = f->nerr > 0 && f->err_gen == f->gen && f->err[0] != '\0';
	s = ring_get(ring, 0);

	erase();
	if (COLS < MIN_COLS || LINES < MIN_LINES)
		ui_too_small(ui);
	else {
		ui_header(ui, ring, s);
		ui_tabs(ui, ring);
		body.y = 2;
		body.x = 0;
		body.h = LINES - 3;
		body.w = COLS;
		if (s == NULL && pp->needs_data)
			draw_text(stdscr, body.y, 0, COLS, "perftop: "
			    "collecting first sample...", 0, ui->utf8,
			    A_BOLD);
		else
			pp->draw(ui, stdscr, &body, ring);
		ui_status(ui, f, show_err);
	}
	wnoutrefresh(stdscr);
	ring_unlock(ring);

	if (ui->redraw_all) {
		clearok(curscr, TRUE);
		ui->redraw_all = false;
	}
	doupdate();
}

static void
ui_set_panel(struct ui *ui, enum panel_id p)
{
	if (p != ui->panel && p == PANEL_HELP)
		ui->prev_panel = ui->panel;
	ui->panel = p;
}

/* One key; returns true when the screen must be redrawn. */
static bool
ui_key(struct ui *ui, int ch)
{
	bool	 had_msg = ui->msg[0] != '\0';

	if (ch == KEY_RESIZE)
		return true;
	ui->msg[0] = '\0';	/* a message lasts until the next key */
	if (panels[ui->panel]->key(ui, ch))
		return true;
	switch (ch) {
	case 'q':
		ui->quit = true;
		return false;
	case '\t':
		ui_set_panel(ui, (ui->panel + 1) % PANEL_COUNT);
		break;
	case KEY_BTAB:
		ui_set_panel(ui, (ui->panel + PANEL_COUNT - 1) % PANEL_COUNT);
		break;
	case '1':
	case '2':
	case '3':
	case '4':
	case '5':
		ui_set_panel(ui, (enum panel_id)(ch - '1'));
		break;
	case '?':
	case KEY_F(1):
		if (ui->panel == PANEL_HELP)
			ui_set_panel(ui, ui->prev_panel);
		else
			ui_set_panel(ui, PANEL_HELP);
		break;
	case 'L' & 0x1f:	/* Ctrl-L */
		ui->redraw_all = true;
		break;
	default:
		return had_msg;
	}
	return true;
}

/* Read every pending key; returns how many. */
static int
ui_keys(struct ui *ui, bool *dirty)
{
	int	 ch, n = 0;

	while (!ui->quit && (ch = getch()) != ERR) {
		n++;
		if (ui_key(ui, ch))
			*dirty = true;
	}
	return n;
}

static int
ui_loop(struct ui *ui, struct ring *ring, struct collector *coll,
    int wake_fd, long iterations, const sigset_t *waitmask)
{
	struct ui_frame	 f;
	struct pollfd	 pfd[2];
	uint64_t	 v;
	long		 frames = 0;
	bool		 dirty = true, woken = false;
	int		 n, avail, eofs = 0;

	memset(&f, 0, sizeof f);
	for (;;) {
		if (ui_sig != 0)
			return 128 + ui_sig;
		if (ui->quit)
			return 0;
		if (ui_cont) {
			ui_cont = 0;
			ui->redraw_all = dirty = true;
		}
		if (dirty) {
			ui_draw(ui, ring, coll, &f);
			dirty = false;
			if (woken && iterations > 0 && ++frames >= iterations)
				return 0;
			woken = false;
		}

		pfd[0].fd = STDIN_FILENO;
		pfd[0].events = POLLIN;
		pfd[1].fd = wake_fd;
		pfd[1].events = POLLIN;
		pfd[0].revents = pfd[1].revents = 0;
		n = ppoll(pfd, wake_fd >= 0 ? 2 : 1, NULL, waitmask);
		if (n < 0) {
			if (errno != EINTR)
				return 1;
			/* SIGWINCH: ncurses queues KEY_RESIZE. */
			ui_keys(ui, &dirty);
			continue;
		}
		if (pfd[1].revents & POLLIN) {
			while (read(wake_fd, &v, sizeof v) == (ssize_t)sizeof v)
				;
			dirty = woken = true;
		}
		if (pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL))
			return 128 + SIGHUP;	/* the terminal is gone */
		if (pfd[0].revents & POLLIN) {
			/* Readable with nothing to read is end of file. */
			if (ioctl(STDIN_FILENO, FIONREAD, &avail) != 0 ||
			    avail == 0) {
				if (++eofs >= EOF_POLLS)
					return 128 + SIGHUP;
			} else
				eofs = 0;
			ui_keys(ui, &dirty);
		}
	}
}

static void
ui_signals_set(struct sigaction *old)
{
	struct sigaction	 sa;
	int			 i;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = ui_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;	/* no SA_RESTART: ppoll must return */
	for (i = 0; i < NSIGNALS; i++)
		sigaction(ui_signals[i], &sa, &old[i]);
}

static void
ui_signals_restore(const struct sigaction *old)
{
	int	 i;

	for (i = 0; i < NSIGNALS; i++)
		sigaction(ui_signals[i], &old[i], NULL);
}

static bool
ui_want_color(const struct config *cfg)
{
	const char	*nc = getenv("NO_COLOR");

	if (cfg->color == COLOR_NEVER)
		return false;
	if (cfg->color == COLOR_AUTO && nc != NULL && *nc != '\0')
		return false;
	return has_colors();
}

int
ui_run(struct ring *ring, const struct config *cfg, struct collector *coll,
    struct diag *diag, int wake_fd, long iterations)
{
	struct ui		 ui;
	struct sigaction	 old[NSIGNALS];
	sigset_t		 block, waitmask;
	SCREEN			*sp;
	int			 rc;

	memset(&ui, 0, sizeof ui);
	ui.cfg = cfg;
	ui.diag = diag;
	ui.panel = ui.prev_panel = PANEL_OVERVIEW;
	procs_view_init(&ui.procs, cfg);
	ui_sig = ui_cont = 0;
	tzset();		/* before the ring lock: it may read a file */

	/* Ours before newterm(), so ncurses keeps its hands off them. */
	ui_signals_set(old);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGCONT);
	sigaddset(&block, SIGWINCH);
	sigaddset(&block, SIGTSTP);
	pthread_sigmask(SIG_BLOCK, &block, &waitmask);

	if ((sp = newterm(NULL, stdout, stdin)) == NULL) {
		pthread_sigmask(SIG_SETMASK, &waitmask, NULL);
		ui_signals_restore(old);
		fprintf(stderr, "perftop: cannot drive terminal type '%s'\n",
		    getenv("TERM") != NULL ? getenv("TERM") : "");
		procs_view_done(&ui.procs);
		return 1;
	}
	set_term(sp);
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	set_escdelay(ESC_DELAY_MS);
	ui.utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0 &&
	    !cfg->ascii_only;
	ui.color = ui_want_color(cfg);
	draw_theme_init(ui.color);

	rc = ui_loop(&ui, ring, coll, wake_fd, iterations, &waitmask);

	endwin();
	delscreen(sp);
	/* Pending signals land on our handlers (flags), then go back. */
	pthread_sigmask(SIG_SETMASK, &waitmask, NULL);
	ui_signals_restore(old);
	procs_view_done(&ui.procs);
	free(ui.series);
	return rc;
}
