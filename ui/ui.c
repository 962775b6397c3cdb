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
 * The dashboard shows one moment: live (the newest sample) or frozen
 * (space) at one sample while collection goes on; Left/Right, [ ] and { }
 * move the frozen moment through the ring's history, and every panel
 * draws that moment (struct timeline in panel.h).  b captures a baseline
 * from the moment's window and saves it in the state directory, B clears
 * it, e exports the moment as a snapshot and a Markdown report.  Without
 * a collector and a wake-up fd (--replay) the dashboard starts frozen at
 * the newest sample and cannot go live.  The ring lock is held while a
 * snapshot is written (the report reads the ring): a local write of a few
 * hundred kilobytes and an fsync, which the collector waits out once.
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
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "baseline.h"
#include "collector.h"
#include "diag.h"
#include "draw.h"
#include "export.h"
#include "panel.h"
#include "sanitize.h"
#include "snapshot.h"
#include "ui.h"
#include "util.h"

#define MIN_COLS	40
#define MIN_LINES	10
#define ESC_DELAY_MS	50
#define EOF_POLLS	3	/* readable with nothing to read: gone */
#define BASE_MIN_S	60	/* a baseline covers at least this (if any) */
#define JUMP_S		60	/* [ and ] */
#define DIFF_MAX	BASELINE_STATS_MAX

static const struct pt_panel *panels[PANEL_COUNT] = {
	[PANEL_OVERVIEW] = &panel_overview,
	[PANEL_PROCS] = &panel_procs,
	[PANEL_HEALTH] = &panel_health,
	[PANEL_ALERTS] = &panel_alerts,
	[PANEL_ADVICE] = &panel_advice,
	[PANEL_DIFF] = &panel_diff,
	[PANEL_HELP] = &panel_help,
};
static const char *panel_keys[PANEL_COUNT] = {
	"1", "2", "3", "4", "5", "6", "?"
};

static const int ui_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGCONT };
#define NSIGNALS	((int)(sizeof ui_signals / sizeof ui_signals[0]))

static volatile sig_atomic_t	 ui_sig;	/* a signal asking to stop */
static volatile sig_atomic_t	 ui_cont;	/* resumed after a stop */
static const char		*ui_replay_file;	/* for the header */

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

void
ui_message(struct ui *ui, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(ui->msg, sizeof ui->msg, fmt, ap);
	va_end(ap);
}

void
ui_replay_name(const char *name)
{
	ui_replay_file = name;
}

const char *
ui_clock(char *buf, size_t sz, double t)
{
	struct tm	 tm;
	time_t		 tt;

	if (!isfinite(t)) {
		snprintf(buf, sz, "n/a");
		return buf;
	}
	tt = (time_t)t;
	if (localtime_r(&tt, &tm) == NULL ||
	    strftime(buf, sz, "%H:%M:%S", &tm) == 0)
		snprintf(buf, sz, "?");
	return buf;
}

/* "0.3s", "45s", "3m05s", "2h10m". */
static void
fmt_span(char *buf, size_t sz, double secs)
{
	long	 s = lround(secs);

	if (!isfinite(secs) || secs < 0)
		snprintf(buf, sz, "?");
	else if (secs < 9.95 && fabs(secs - s) >= 0.05)
		snprintf(buf, sz, "%.1fs", secs);
	else if (s < 60)
		snprintf(buf, sz, "%lds", s);
	else if (s < 3600)
		snprintf(buf, sz, "%ldm%02lds", s / 60, s % 60);
	else
		snprintf(buf, sz, "%ldh%02ldm", s / 3600, s % 3600 / 60);
}

/* ---- the moment shown ----------------------------------------------------- */

int
ui_age(const struct ui *ui)
{
	return ui->tl.age;
}

const struct sample *
ui_sample(const struct ui *ui, const struct ring *ring)
{
	return ring_get(ring, ui->tl.age);
}

const struct proctab *
ui_table(const struct ui *ui, const struct ring *ring, bool *top_only)
{
	const struct timeline	*tl = &ui->tl;
	const struct sample	*s;

	if (top_only != NULL)
		*top_only = false;
	if (!tl->frozen)
		return ring_full(ring);
	if (tl->full_ok && tl->full_seq == tl->seq)
		return &tl->full;
	if ((s = ring_get(ring, tl->age)) == NULL || tl->age == 0)
		return ring_full(ring);
	if (top_only != NULL)
		*top_only = true;
	return &s->top;
}

const struct analysis *
ui_analysis(const struct ui *ui)
{
	if (ui->tl.frozen)
		return ui->tl.an_ok ? &ui->tl.an : NULL;
	return ui->diag != NULL ? diag_analysis(ui->diag) : NULL;
}

const struct baseline *
ui_baseline(const struct ui *ui)
{
	if (ui->diag != NULL)
		return diag_baseline(ui->diag);
	return ui->tl.has_base ? ui->tl.base : NULL;
}

int
ui_window(const struct ui *ui)
{
	double	 n;

	if (ui->diag != NULL)
		return diag_window(ui->diag);
	n = ceil(ui->cfg->window_s / ui->cfg->interval_s - 1e-9);
	return n < 1 ? 1 : n > INT_MAX ? INT_MAX : (int)n;
}

int
ui_base_window(const struct ui *ui, const struct ring *ring)
{
	const struct sample	*s0 = ring_get(ring, ui->tl.age), *s;
	int			 n = 1, w = ui_window(ui);

	if (s0 == NULL)
		return w;
	/* Samples less than BASE_MIN_S older than the moment (time, not
	 * the interval: a replayed file has its own). */
	while ((s = ring_get(ring, ui->tl.age + n)) != NULL &&
	    s0->t - s->t < BASE_MIN_S - 1e-6)
		n++;
	return n > w ? n : w;
}

/* The age of the sample seq: the first not newer; -1 when older than all. */
static int
moment_find(const struct ring *ring, uint64_t seq)
{
	const struct sample	*s0 = ring_get(ring, 0), *s;
	int			 len = ring_len(ring), age;

	if (s0 == NULL || seq >= s0->seq)
		return 0;
	age = (int)(s0->seq - seq < (uint64_t)len ? s0->seq - seq : 0);
	if ((s = ring_get(ring, age)) != NULL && s->seq == seq)
		return age;
	for (age = 0; age < len; age++)
		if (ring_get(ring, age)->seq <= seq)
			return age;
	return -1;
}

/* Copy the full table of the newest sample (the moment is the newest). */
static void
tl_copy_full(struct ui *ui, const struct ring *ring)
{
	struct timeline		*tl = &ui->tl;
	const struct proctab	*src = ring_full(ring);
	const struct sample	*s0 = ring_get(ring, 0);
	int			 i;

	tl->full_ok = false;
	if (s0 == NULL)
		return;
	proctab_clear(&tl->full);
	for (i = 0; i < src->n; i++) {
		if (proctab_add(&tl->full, &src->v[i], proc_cmdline(src,
		    &src->v[i]), CMDLINE_MAX) == NULL) {
			ui_message(ui, "out of memory: "
			    "the process table shows the top processes only");
			return;
		}
	}
	tl->full.total = src->total;
	tl->full.running = src->running;
	tl->full.threads = src->threads;
	tl->full_seq = s0->seq;
	tl->full_ok = true;
}

/*
 * Under the ring lock: place the moment for this frame (or action), and
 * bring the analysis of a frozen moment up to date.
 */
static void
tl_sync(struct ui *ui, const struct ring *ring)
{
	struct timeline		*tl = &ui->tl;
	const struct sample	*s;
	int			 age, len = ring_len(ring);

	tl->age = 0;
	if (!tl->frozen || len == 0)
		return;
	if ((age = moment_find(ring, tl->seq)) < 0) {
		age = len - 1;
		ui_message(ui, "the frozen moment has left "
		    "the history (%d samples): showing the oldest", len);
	}
	s = ring_get(ring, age);
	tl->seq = s->seq;
	tl->age = age;
	if (!tl->an_ok || tl->an_seq != tl->seq) {
		if (analysis_run_at(&tl->an, ring, age, ui_window(ui),
		    &ui->cfg->th, ui_baseline(ui)) != 0)
			ui_message(ui, "out of memory in "
			    "the analysis of the moment");
		tl->an_seq = tl->seq;
		tl->an_ok = true;
	}
}

/* Under the ring lock: freeze at the newest sample. */
static void
tl_freeze(struct ui *ui, const struct ring *ring)
{
	struct timeline		*tl = &ui->tl;
	const struct sample	*s0 = ring_get(ring, 0);

	if (s0 == NULL) {
		if (tl->replay)
			tl->frozen = true;
		else
			ui_message(ui, "nothing to freeze: "
			    "no sample yet");
		return;
	}
	tl->frozen = true;
	tl->seq = s0->seq;
	tl->an_ok = false;
	tl_copy_full(ui, ring);
}

/* Under the ring lock: show the sample of age (clamped). */
static void
tl_goto(struct ui *ui, const struct ring *ring, int age)
{
	struct timeline	*tl = &ui->tl;
	int		 len = ring_len(ring);

	if (len == 0)
		return;
	if (age >= len) {
		age = len - 1;
		if (tl->age == age)
			ui_message(ui, "at the oldest "
			    "sample (%d in the history)", len);
	}
	if (age < 0) {
		age = 0;
		if (tl->age == 0)
			ui_message(ui, "at the newest "
			    "sample%s", tl->replay ? "" : " (space: live)");
	}
	tl->age = age;
	tl->seq = ring_get(ring, age)->seq;
	if (age == 0 && !(tl->full_ok && tl->full_seq == tl->seq))
		tl_copy_full(ui, ring);
}

/* The age secs seconds older (> 0) or newer (< 0) than the moment. */
static int
tl_age_by_time(const struct ring *ring, int age, double secs)
{
	const struct sample	*s0 = ring_get(ring, age), *s;
	int			 len = ring_len(ring), a = age;

	if (s0 == NULL)
		return age;
	if (secs > 0) {
		while (a + 1 < len) {
			a++;
			s = ring_get(ring, a);
			if (s0->t - s->t >= secs - 1e-6)
				break;
		}
		return a == age ? age + 1 : a;
	}
	while (a > 0) {
		a--;
		s = ring_get(ring, a);
		if (s->t - s0->t >= -secs - 1e-6)
			break;
	}
	return a == age ? age - 1 : a;
}

/*
 * The state file of the baseline (baseline_state_path():
 * $XDG_STATE_HOME/perftop/baseline.json, or under ~/.local/state).
 * mkdirs: create its missing directories, mode 0700.
 */
static int
tl_state_path(char *buf, size_t sz, bool mkdirs, char **cause)
{
	char		 dir[PATH_MAX], *p;
	struct stat	 st;
	bool		 end;

	if (baseline_state_path(buf, sz) != 0) {
		set_cause(cause, "no state directory: neither XDG_STATE_HOME "
		    "nor HOME is an absolute path (or it is too long)");
		return -1;
	}
	if (!mkdirs)
		return 0;
	strlcpy0(dir, buf, sizeof dir);
	if ((p = strrchr(dir, '/')) == NULL || p == dir) {
		set_cause(cause, "%s: no directory", buf);
		return -1;
	}
	*p = '\0';
	for (p = dir + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		end = *p == '\0';
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
			set_cause(cause, "%s: %s", dir, strerror(errno));
			return -1;
		}
		if (end)
			break;
		*p = '/';
	}
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		set_cause(cause, "%s: not a directory", dir);
		return -1;
	}
	return 0;
}

/* Under the ring lock: the report of the moment shown. */
static void
tl_report(struct ui *ui, const struct ring *ring, struct report *rp,
    const struct baseline *base)
{
	memset(rp, 0, sizeof *rp);
	rp->ring = ring;
	rp->cfg = ui->cfg;
	rp->an = ui_analysis(ui);
	rp->alerts = ui->diag != NULL ? diag_alerts(ui->diag) : NULL;
	rp->age = ui->tl.age;
	rp->base = base;
	rp->redact = ui->cfg->redact;
	rp->snapshot = true;
	rp->frozen = ui->tl.frozen;
}

/* b: capture a baseline from the moment's window, use it and save it. */
static void
tl_capture(struct ui *ui)
{
	struct timeline	*tl = &ui->tl;
	struct ring	*ring = ui->ring;
	struct report	 rp;
	char		 path[PATH_MAX], from[16], to[16], *cause = NULL;
	int		 rc, n, w;

	if (tl->base == NULL && (tl->base = calloc(1, sizeof *tl->base)) ==
	    NULL) {
		ui_message(ui, "baseline: out of memory");
		return;
	}
	rc = tl_state_path(path, sizeof path, true, &cause);
	ring_lock(ring);
	tl_sync(ui, ring);
	w = ui_base_window(ui, ring);
	if (ring_len(ring) == 0 ||
	    baseline_capture(tl->base, ring, tl->age, w) != 0) {
		ring_unlock(ring);
		ui_message(ui, "baseline: no samples to "
		    "capture yet");
		free(cause);
		return;
	}
	if (ui->diag != NULL)
		diag_set_baseline(ui->diag, tl->base);
	else
		tl->has_base = true;
	n = tl->base->nsamples;
	ui_clock(from, sizeof from, tl->base->t_first);
	ui_clock(to, sizeof to, tl->base->t_last);
	if (rc == 0) {
		tl_report(ui, ring, &rp, tl->base);
		rc = snapshot_write(path, &rp, &cause);
	}
	tl->an_ok = false;	/* the analysis compares with it */
	ring_unlock(ring);
	if (rc == 0)
		ui_message(ui, "baseline captured (%d "
		    "samples, %s-%s), saved to %s", n, from, to, path);
	else
		ui_message(ui, "baseline captured (%d "
		    "samples), NOT saved: %s", n, cause != NULL ? cause : "?");
	free(cause);
}

/* B: forget the baseline and remove its file. */
static void
tl_clear(struct ui *ui)
{
	char	 path[PATH_MAX], *cause = NULL;
	bool	 had;

	ring_lock(ui->ring);
	had = ui_baseline(ui) != NULL;
	if (ui->diag != NULL)
		diag_set_baseline(ui->diag, NULL);
	ui->tl.has_base = false;
	ui->tl.an_ok = false;
	ring_unlock(ui->ring);
	if (tl_state_path(path, sizeof path, false, &cause) != 0) {
		ui_message(ui, "baseline %s; %s",
		    had ? "cleared" : "was not set", cause);
		free(cause);
	} else if (unlink(path) == 0)
		ui_message(ui, "baseline %s; removed %s",
		    had ? "cleared" : "was not set", path);
	else if (errno == ENOENT)
		ui_message(ui, "baseline %s; no saved file "
		    "(%s)", had ? "cleared" : "was not set", path);
	else
		ui_message(ui, "baseline %s; cannot remove "
		    "%s: %s", had ? "cleared" : "was not set", path,
		    strerror(errno));
}

/* e: export the moment shown. */
static void
tl_export(struct ui *ui)
{
	struct ring	*ring = ui->ring;
	struct report	 rp;
	char		 json[PATH_MAX], md[PATH_MAX], *cause = NULL;
	const char	*dir = ui->cfg->export_dir[0] != '\0' ?
			    ui->cfg->export_dir : ".";
	int		 rc;

	ring_lock(ring);
	if (ring_len(ring) == 0) {
		ring_unlock(ring);
		ui_message(ui, "export: no sample yet");
		return;
	}
	tl_sync(ui, ring);
	tl_report(ui, ring, &rp, ui_baseline(ui));
	rc = snapshot_export(dir, &rp, json, md, sizeof json, &cause);
	ring_unlock(ring);
	if (rc == 0)
		ui_message(ui, "exported %s and %s", json,
		    md);
	else
		ui_message(ui, "export failed: %s",
		    cause != NULL ? cause : "?");
	free(cause);
}

/* Keys of time: space, b, B, e, and while frozen the moves. */
static bool
ui_time_key(struct ui *ui, int ch)
{
	struct timeline	*tl = &ui->tl;
	struct ring	*ring = ui->ring;
	int		 age;

	switch (ch) {
	case ' ':
		if (tl->replay) {
			ui_message(ui, "replay: no live "
			    "data (q quits)");
			return true;
		}
		ring_lock(ring);
		if (tl->frozen) {
			tl->frozen = false;
			tl->an_ok = false;
		} else
			tl_freeze(ui, ring);
		ring_unlock(ring);
		return true;
	case 'b':
		tl_capture(ui);
		return true;
	case 'B':
		tl_clear(ui);
		return true;
	case 'e':
		tl_export(ui);
		return true;
	}
	if (!tl->frozen)
		return false;
	switch (ch) {
	case KEY_LEFT:
	case KEY_RIGHT:
	case '[':
	case ']':
	case '{':
	case '}':
		break;
	default:
		return false;
	}
	ring_lock(ring);
	tl_sync(ui, ring);
	switch (ch) {
	case KEY_LEFT:
		age = tl->age + 1;
		break;
	case KEY_RIGHT:
		age = tl->age - 1;
		break;
	case '[':
		age = tl_age_by_time(ring, tl->age, JUMP_S);
		break;
	case ']':
		age = tl_age_by_time(ring, tl->age, -JUMP_S);
		break;
	case '{':
		age = ring_len(ring) > 0 ? ring_len(ring) - 1 : 0;
		break;
	default:
		age = 0;
		break;
	}
	tl_goto(ui, ring, age);
	ring_unlock(ring);
	return true;
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
	char	 text[384];
	int	 prio;		/* dropped first when low; -1 dropped */
	bool	 loud;		/* FROZEN, REPLAY: stands out */
};

/* The frozen moment: "FROZEN at 12:03:04", its age, "oldest". */
static int
ui_header_moment(struct ui *ui, const struct ring *ring,
    const struct sample *s, struct piece *p)
{
	const struct sample	*s0 = ring_get(ring, 0);
	const char		*name;
	char			 t[16], ago[64];
	int			 n = 0;

	ui_clock(t, sizeof t, s->t);
	/* Tenths when samples come faster than once a second. */
	if (ui->cfg->interval_s < 1 && isfinite(s->t) && strlen(t) == 8)
		snprintf(t + 8, sizeof t - 8, ".%d",
		    (int)((s->t - floor(s->t)) * 10) % 10);
	if (ui->tl.replay) {
		name = ui_replay_file != NULL ? strrchr(ui_replay_file, '/') :
		    NULL;
		name = name != NULL ? name + 1 : ui_replay_file;
		snprintf(p[n].text, sizeof p[n].text, "REPLAY%s%s of %s at %s",
		    name != NULL ? " " : "", name != NULL ? name : "",
		    ring_host(ring)->hostname, t);
	} else
		snprintf(p[n].text, sizeof p[n].text, "FROZEN at %s", t);
	p[n].loud = true;
	p[n++].prio = 11;
	if (ui->tl.age == 0)
		snprintf(p[n].text, sizeof p[n].text, "newest");
	else {
		fmt_span(ago, sizeof ago, s0->t - s->t);
		snprintf(p[n].text, sizeof p[n].text, "%s%s before newest%s",
		    ui_minus(ui), ago, ui->tl.age == ring_len(ring) - 1 ?
		    " (oldest)" : "");
	}
	p[n++].prio = 9;
	return n;
}

/* The header's pieces, in screen order; returns how many. */
static int
ui_header_pieces(struct ui *ui, const struct ring *ring,
    const struct sample *s, struct piece *p)
{
	const struct host	*h = ring_host(ring);
	char			 a[16], b[16], c[32];
	int			 n = 0;

	memset(p, 0, 8 * sizeof *p);
	snprintf(p[n].text, sizeof p[n].text, "perftop");
	p[n++].prio = 10;
	if (s == NULL)
		return n;
	if (ui->tl.frozen)
		n += ui_header_moment(ui, ring, s, p + n);
	else {
		ui_clock(p[n].text, sizeof p[n].text, s->t);
		p[n++].prio = 9;
	}
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
 * first.  The host name is on the tab bar.  A frozen moment is in reverse
 * video (red in colour), so nobody takes it for live figures.
 */
static void
ui_header(struct ui *ui, const struct ring *ring, const struct sample *s)
{
	struct piece	 p[8];
	int		 n, i, total, low, x;
	attr_t		 a, loud;

	n = ui_header_pieces(ui, ring, s, p);
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
	/* Monochrome: the header is reverse video, so the loud part is
	 * normal video and bold in it. */
	loud = ui->color ? (draw_attr(TH_CRIT) | A_REVERSE | A_BOLD) : A_BOLD;
	draw_fill(stdscr, 0, 0, COLS, draw_attr(TH_HEADER));
	for (i = 0, x = 0; i < n && x < COLS; i++) {
		if (p[i].prio < 0)
			continue;
		a = p[i].loud ? loud : draw_attr(TH_HEADER) |
		    (i == 0 ? A_BOLD : 0);
		if (p[i].loud && x + 1 < COLS) {	/* a margin */
			draw_fill(stdscr, 0, x, 1, loud);
			x++;
		}
		x += draw_text(stdscr, 0, x, COLS - x, p[i].text, 0, ui->utf8,
		    a);
		if (p[i].loud && x < COLS) {
			draw_fill(stdscr, 0, x, 1, loud);
			x++;
		}
		x += 2;
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

/* The keys of time, while frozen. */
static const char *
ui_time_hint(struct ui *ui, char *buf, size_t sz)
{
	snprintf(buf, sz, "%s %s sample  [ ] 60s  { } oldest/newest  %s"
	    "b baseline  e export  6 diff  ", ui->utf8 ? "\342\206\220" :
	    "Left", ui->utf8 ? "\342\206\222" : "Right", ui->tl.replay ?
	    "" : "space live  ");
	return buf;
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
	if (ui->tl.frozen && x < COLS && !(ui->panel == PANEL_PROCS &&
	    ui->procs.editing)) {
		x += draw_text(stdscr, y, x, COLS - x, ui->tl.replay ?
		    "REPLAY" : "FROZEN", 0, ui->utf8, draw_attr(TH_WARN)) + 1;
		x += draw_text(stdscr, y, x, COLS - x, ui_time_hint(ui, buf,
		    sizeof buf), 0, ui->utf8, draw_attr(TH_STATUS));
	}
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
	tl_sync(ui, ring);
	s = ui_sample(ui, ring);

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
	/* Time keys come first, but not while the filter is typed. */
	if (!(ui->panel == PANEL_PROCS && ui->procs.editing) &&
	    ui_time_key(ui, ch))
		return true;
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
	case '6':
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
	bool		 replay = ui->tl.replay;
	const struct timespec zero = { 0, 0 };
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
			/* A replay has no samples to wait for: every frame
			 * counts, and the next follows at once. */
			if ((woken || replay) && iterations > 0 &&
			    ++frames >= iterations)
				return 0;
			woken = false;
			if (replay && iterations > 0)
				dirty = true;
		}

		pfd[0].fd = STDIN_FILENO;
		pfd[0].events = POLLIN;
		pfd[1].fd = wake_fd;
		pfd[1].events = POLLIN;
		pfd[0].revents = pfd[1].revents = 0;
		n = ppoll(pfd, wake_fd >= 0 ? 2 : 1, dirty ? &zero : NULL,
		    waitmask);
		if (n < 0) {
			if (errno != EINTR)
				return 1;
			/* SIGWINCH: ncurses queues KEY_RESIZE. */
			ui_keys(ui, &dirty);
			continue;
		}
		if (wake_fd >= 0 && (pfd[1].revents & POLLIN)) {
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

static void
ui_done(struct ui *ui)
{
	procs_view_done(&ui->procs);
	analysis_done(&ui->tl.an);
	proctab_done(&ui->tl.full);
	free(ui->tl.base);
	free(ui->tl.changes);
	free(ui->tl.procs);
	free(ui->series);
}

int
ui_run(struct ring *ring, const struct config *cfg, struct collector *coll,
    struct diag *diag, int wake_fd, long iterations)
{
	struct ui		 ui;
	struct sigaction	 old[NSIGNALS];
	sigset_t		 block, waitmask;
	SCREEN			*sp;
	const char		*term;
	char			*cup;
	int			 rc;

	memset(&ui, 0, sizeof ui);
	ui.cfg = cfg;
	ui.ring = ring;
	ui.diag = diag;
	ui.panel = ui.prev_panel = PANEL_OVERVIEW;
	procs_view_init(&ui.procs, cfg);
	analysis_init(&ui.tl.an);
	/* No collector and no wake-up: a replay, frozen from the start. */
	if (coll == NULL && wake_fd < 0) {
		ui.tl.replay = true;
		ring_lock(ring);
		tl_freeze(&ui, ring);
		ring_unlock(ring);
	}
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

	if ((term = getenv("TERM")) == NULL)
		term = "";
	if ((sp = newterm(NULL, stdout, stdin)) == NULL) {
		pthread_sigmask(SIG_SETMASK, &waitmask, NULL);
		ui_signals_restore(old);
		fprintf(stderr, "perftop: cannot drive terminal type '%s'%s; "
		    "use --batch\n", term, *term == '\0' ? " (TERM unset)" :
		    "");
		ui_done(&ui);
		return 1;
	}
	/* A terminal that cannot move the cursor (dumb, some emacs
	 * buffers) would get frame after frame appended: refuse it. */
	cup = tigetstr("cup");
	if (cup == NULL || cup == (char *)-1) {
		endwin();
		delscreen(sp);
		pthread_sigmask(SIG_SETMASK, &waitmask, NULL);
		ui_signals_restore(old);
		fprintf(stderr, "perftop: cannot drive terminal type '%s' (no "
		    "cursor addressing); use --batch\n", term);
		ui_done(&ui);
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
	ui_done(&ui);
	return rc;
}
