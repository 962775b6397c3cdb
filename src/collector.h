/*
 * collector.h - the collector thread.
 *
 * Reads one sample from a source per tick on a CLOCK_MONOTONIC schedule
 * that does not drift (a late tick is not made up for by a burst), pushes it
 * into the ring and writes to a wake-up eventfd so the UI redraws.  The
 * collector is the only thread that touches the source (and so libproc2
 * and libstatgrab).
 */
#ifndef PERFTOP_COLLECTOR_H
#define PERFTOP_COLLECTOR_H

#include "ring.h"
#include "source.h"

struct collector;
struct diag;

/*
 * Start collecting every interval_s seconds, the first sample one interval
 * from now (the source's priming read is the start of its rates), or at
 * once when now is set (a source opened without a priming read: the first
 * sample then has no rates, only the figures one reading gives).  Stops by
 * itself after count samples when count > 0.  src, ring and diag (NULL: no
 * diagnosis) are borrowed and must outlive the collector; after each
 * sample the collector runs diag_update() under the ring lock, then
 * diag_after().  Each sample, and each failed read, writes 1 to wake_fd
 * (an eventfd, or -1).  Returns NULL with *cause on failure.
 */
struct collector *collector_start(struct ring *, struct source *,
		    struct diag *, double interval_s, long count, bool now,
		    int wake_fd, char **cause);
/* Wait until a counted collector has taken its samples (joins the thread). */
void		 collector_wait(struct collector *);
/* Stop and join the thread; frees the collector. */
void		 collector_stop(struct collector *);
/*
 * Copy the last read error ("" if none) into buf; returns the number of
 * failed reads so far.  Safe from any thread.
 */
unsigned long	 collector_error(struct collector *, char *buf, size_t bufsz);

/* Monotonic clock in seconds. */
double		 clock_mono(void);
/* Wall clock in seconds since the epoch. */
double		 clock_wall(void);

#endif
