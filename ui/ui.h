/*
 * ui.h - the interactive dashboard.
 *
 * The UI thread owns curses alone.  It sleeps in poll() on the terminal and
 * on the collector's wake-up eventfd, redraws from the ring (under its lock,
 * building the frame with erase() and one doupdate()), and handles keys and
 * resize.
 */
#ifndef PERFTOP_UI_H
#define PERFTOP_UI_H

#include "conf.h"
#include "ring.h"

struct collector;
struct diag;

/*
 * Run the dashboard until the user quits, a signal asks to stop, or
 * iterations (> 0) frames have been drawn after new samples.  ring, cfg,
 * coll and diag (the diagnosis, read under the ring lock; may be NULL) are
 * borrowed.  Returns the process exit status (0 on q).
 *
 * Replay: coll NULL and wake_fd -1.  The dashboard starts frozen at the
 * newest sample of the ring and cannot go live; with iterations it draws
 * that many frames and exits.
 */
int	 ui_run(struct ring *, const struct config *, struct collector *,
	    struct diag *, int wake_fd, long iterations);
/* Replay: the file's name for the header (borrowed; NULL: none). */
void	 ui_replay_name(const char *);

#endif
