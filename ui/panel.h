/*
 * panel.h - the dashboard's panels and the UI state they share.
 *
 * Each panel is a const vtable in its own file: draw() builds the panel's
 * body from the ring (which the caller holds locked: no I/O, no keeping
 * pointers into it), key() handles a key and returns 1 when it used it, so
 * the global keys (panels, quit) come second.  A panel that is editing
 * (the process filter) takes every key.  ui.c owns the loop, the header,
 * the tab bar and the status line.
 *
 * (ncurses' own <panel.h> defines struct panel, hence struct pt_panel.)
 */
#ifndef PERFTOP_PANEL_H
#define PERFTOP_PANEL_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "alerts.h"
#include "analysis.h"
#include "baseline.h"
#include "conf.h"
#include "ring.h"

enum panel_id {
	PANEL_OVERVIEW,
	PANEL_PROCS,
	PANEL_HEALTH,
	PANEL_ALERTS,
	PANEL_ADVICE,
	PANEL_DIFF,
	PANEL_HELP,
	PANEL_COUNT
};

/* Process table columns; also the sort keys, in screen order. */
enum pcol {
	PCOL_PID,
	PCOL_USER,
	PCOL_STATE,
	PCOL_CPU,
	PCOL_RSS,
	PCOL_THR,
	PCOL_IO,	/* READ/s + WRITE/s */
	PCOL_START,
	PCOL_CMD,	/* sorted by command name (comm) */
	PCOL_COUNT
};

#define FILTER_MAX	64

/* State of the process table, kept across frames (panel_procs.c). */
struct procs_view {
	enum pcol	 sort;
	bool		 reverse;
	char		 filter[FILTER_MAX];
	bool		 editing;	/* typing the filter */
	int		 sel_pid;	/* selection follows this PID; 0: none */
	int		 sel;		/* its row in pids[] */
	int		 top;		/* first row shown */
	int		 hscroll;	/* columns of COMMAND skipped */
	int		 page;		/* rows shown in the last frame */
	int		*pids;		/* the rows of the last frame, in order */
	int		 npids, pids_cap;
	int		*idx;		/* scratch: rows of ring_full() */
	int		 idx_cap;
	int		 jump_pid;	/* select this PID in the next frame
					   (g from a finding); 0: none */
	double		 jump_start;	/* its start time (NAN: unknown) */
	char		 jump_comm[NAME_MAX_COMM];
};

/*
 * The finding selected in Health and Advice (both list the findings in the
 * same order, worst first), kept across frames.  Once the user has moved
 * it, it follows the finding (rule and object) as the list reorders, the
 * way the process table follows a PID.  The culprit of the selection is
 * copied here when the panel is drawn (under the ring lock), so the g key
 * can use it without the lock.
 */
struct finding_view {
	int		 sel;		/* index in findings[], last frame */
	char		 rule[24];	/* followed when follow is set */
	char		 object[NAME_MAX_MOUNT];
	bool		 follow;
	bool		 reveal;	/* scroll to the selection next frame */
	int		 n;		/* findings in the last frame */
	int		 culprit_pid;	/* of the selection; 0: none */
	double		 culprit_start;
	char		 culprit_comm[NAME_MAX_COMM];
};

/*
 * The moment the dashboard shows (ui.c): live (the newest sample), or
 * frozen at one sample while collection goes on.  The frozen moment is a
 * sample seq, so it stays put as new samples arrive and its age grows; if
 * it falls out of the ring it moves to the oldest sample.  Frozen at the
 * newest sample, the full process table of that moment is copied (full);
 * an older moment has only its sample's top list.  While frozen the UI
 * runs its own analysis of the moment (an); live, the panels read the
 * collector's (diag_analysis()).
 */
struct timeline {
	bool		 frozen;
	bool		 replay;	/* no live data: always frozen */
	uint64_t	 seq;		/* frozen: the sample shown */
	int		 age;		/* this frame: samples before newest */
	struct proctab	 full;		/* copy of the full table ... */
	uint64_t	 full_seq;	/* ... of this sample ... */
	bool		 full_ok;	/* ... when set */
	struct analysis	 an;		/* diagnosis of the frozen moment */
	uint64_t	 an_seq;	/* the moment an is of ... */
	bool		 an_ok;		/* ... when set (false: stale) */
	struct baseline	*base;		/* scratch for b, and the baseline
					   when there is no diag */
	bool		 has_base;	/* base is set (no diag only) */
	struct base_change *changes;	/* scratch for the diff view */
	struct base_proc *procs;	/* scratch: new / vanished */
};

struct diag;

struct ui {
	const struct config	*cfg;		/* borrowed */
	struct ring		*ring;		/* borrowed */
	struct diag		*diag;		/* borrowed; read under the
						   ring lock */
	bool			 utf8;		/* UTF-8 blocks and text */
	bool			 color;
	enum panel_id		 panel;
	enum panel_id		 prev_panel;	/* where ? goes back to */
	bool			 quit;
	bool			 redraw_all;	/* Ctrl-L, SIGCONT */
	struct procs_view	 procs;
	struct finding_view	 fv;		/* Health and Advice */
	int			 top[PANEL_COUNT]; /* scroll: first line */
	int			 page[PANEL_COUNT]; /* lines shown, last
						   frame */
	char			 msg[1024];	/* for the status line until
						   the next key; "" none */
	struct timeline		 tl;		/* live or frozen */
	double			*series;	/* scratch for sparklines */
	int			 series_cap;
};

/* Part of the screen a panel draws in. */
struct rect {
	int	 y, x, h, w;
};

struct pt_panel {
	const char	*name;		/* tab bar and title */
	/* Keys for the status line; NULL for none. */
	const char	*(*hint)(struct ui *, char *buf, size_t bufsz);
	void		 (*draw)(struct ui *, WINDOW *, const struct rect *,
			     const struct ring *);
	int		 (*key)(struct ui *, int key);
	bool		 needs_data;	/* shows "collecting" until a sample */
};

extern const struct pt_panel panel_overview, panel_procs, panel_health,
		    panel_alerts, panel_advice, panel_diff, panel_help;

/* panel_procs.c: initial state from the configuration; free it. */
void	 procs_view_init(struct procs_view *, const struct config *);
void	 procs_view_done(struct procs_view *);
/*
 * Show pid in the process table: panel 2, filter cleared, the selection on
 * that process from the next frame on (the status line says so when it has
 * exited, or its PID now belongs to a process with another start time;
 * start_time NAN: do not check).  comm names it in that message.
 */
void	 procs_jump(struct ui *, int pid, double start_time,
	    const char *comm);

/*
 * panel_health.c: the health line (status word, score and top reasons,
 * active alerts on the right) in cols columns at y,x; the finding
 * selection shared with Advice: sync it with this frame's findings (under
 * the ring lock), and its keys (Up Down Home End g).
 */
void	 health_line_draw(struct ui *, WINDOW *, int y, int x, int cols);
void	 findings_sync(struct ui *, const struct analysis *);
int	 findings_key(struct ui *, int key);
/* A value with its unit: "97 %", "6.0/core", "12 pages/s", "n/a". */
const char *fmt_value(char *buf, size_t bufsz, double v, const char *unit);

/*
 * A panel body that scrolls: layout() lays out every line on sc (see
 * struct scroll in draw.h) and sets *first and *last to the lines of the
 * selected item (left at -1 when none).  panel_scrolled() keeps
 * ui->top[ui->panel] in range, brings the selection into view after a
 * move (ui->fv.reveal), and lays out again when that moved the view.
 */
struct scroll;
typedef void	(*panel_layout)(struct ui *, struct scroll *, const void *arg,
		    int *first, int *last);
void	 panel_scrolled(struct ui *, WINDOW *, const struct rect *,
	    panel_layout, const void *arg);
/* Up/Down/PgUp/PgDn/Home/End on such a body; 1 when the key was used. */
int	 panel_scroll_key(struct ui *, int key);
/* "−" (U+2212) or "-" */
const char *ui_minus(const struct ui *);

/* ui.c: set the status line's message (until the next key). */
void	 ui_message(struct ui *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* ui.c: a scratch array of at least n doubles (NULL on no memory). */
double	*ui_scratch(struct ui *, int n);

/*
 * ui.c, under the ring lock, for the frame being drawn: the moment shown
 * (its age, its sample, NULL before the first), its process table (the
 * copy, the ring's full table, or the sample's top list: *top_only true),
 * the analysis of it (NULL when there is none), the baseline (NULL when
 * none is set) and the number of samples the diagnosis looks back.
 */
int			 ui_age(const struct ui *);
const struct sample	*ui_sample(const struct ui *, const struct ring *);
const struct proctab	*ui_table(const struct ui *, const struct ring *,
			    bool *top_only);
const struct analysis	*ui_analysis(const struct ui *);
const struct baseline	*ui_baseline(const struct ui *);
int			 ui_window(const struct ui *);
/*
 * Samples compared with the baseline (b captures, the diff view
 * compares): the diagnosis window, but at least 60 seconds' worth when the
 * ring holds that many from the moment shown.
 */
int			 ui_base_window(const struct ui *, const struct ring *);
/* "12:03:04" of epoch t, "n/a". */
const char		*ui_clock(char *buf, size_t bufsz, double t);

/*
 * panel_alerts.c: is alert a active at the moment t (raised by then and
 * not yet cleared)?  Live (t NAN): is it active now?
 */
bool	 alert_active_at(const struct alert *, double t);
/* The number of alerts active at t, and the worst level of them. */
int	 alerts_active_at(const struct alerts *, double t, enum severity *);

#endif
