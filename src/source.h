/*
 * source.h - where samples come from.
 *
 * A source hands out whole samples: the live one reads the machine through
 * libproc2, libstatgrab and a few /proc and /sys files; a replay source
 * (later) reads a snapshot; tests build samples by hand.  Only the thread
 * that calls read() may touch the libraries behind a source.
 */
#ifndef PERFTOP_SOURCE_H
#define PERFTOP_SOURCE_H

#include "sample.h"

struct config;

struct source_ops {
	const char	*name;				/* "live", "replay" */
	/*
	 * Fill out (reset by the caller) and procs (cleared by the caller)
	 * with the next sample.  Returns 0, or -1 with *cause set (caller
	 * frees) when nothing could be read at all.
	 */
	int		 (*read)(void *ctx, struct sample *out,
			     struct proctab *procs, char **cause);
	void		 (*close)(void *ctx);
};

struct source {
	const struct source_ops	*ops;
	void			*ctx;
	struct host		 host;		/* filled by open */
};

/*
 * Open the live source.  Takes a priming read so that the first read()
 * already has rates (per-process CPU % excepted: it needs two reads of the
 * same process).  Returns 0 or -1 with *cause.
 */
/*
 * The live machine.  With prime, a first reading is taken now and kept to
 * itself, so the first sample read has rates (over the time since); else
 * the first sample read is that first reading (no rates yet).
 */
int	 source_live_open(struct source *, const struct config *, bool prime,
	    char **cause);

/*
 * Tell the live source how many reads it will be asked for (0: no end in
 * sight), so that it does not set up for savings a short run cannot reap.
 */
void	 source_live_plan(struct source *, long reads);

/*
 * Did the last read of the live source take process pid's figures from
 * its read before, /proc/PID/schedstat showing it had not run since?  For
 * tests; false for other sources.
 */
bool	 source_live_still(const struct source *, int pid);

static inline int
source_read(struct source *s, struct sample *out, struct proctab *procs,
    char **cause)
{
	return s->ops->read(s->ctx, out, procs, cause);
}

static inline void
source_close(struct source *s)
{
	if (s->ops != NULL)
		s->ops->close(s->ctx);
	s->ops = NULL;
	s->ctx = NULL;
}

#endif
