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

#include "conf.h"
#include "ring.h"

enum panel_id {
	PANEL_OVERVIEW,
	PANEL_PROCS,
	PANEL_HEALTH,
	PANEL_ALERTS,
	PANEL_ADVICE,
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
};

struct diag;

struct ui {
	const struct config	*cfg;		/* borrowed */
	struct diag		*diag;		/* borrowed; read under the
						   ring lock */
	bool			 utf8;		/* UTF-8 blocks and text */
	bool			 color;
	enum panel_id		 panel;
	enum panel_id		 prev_panel;	/* where ? goes back to */
	bool			 quit;
	bool			 redraw_all;	/* Ctrl-L, SIGCONT */
	struct procs_view	 procs;
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
		    panel_alerts, panel_advice, panel_help;

/* panel_procs.c: initial state from the configuration; free it. */
void	 procs_view_init(struct procs_view *, const struct config *);
void	 procs_view_done(struct procs_view *);

/* ui.c: a scratch array of at least n doubles (NULL on no memory). */
double	*ui_scratch(struct ui *, int n);

#endif
