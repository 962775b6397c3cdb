/*
 * ring.h - the in-memory history of samples.
 *
 * A bounded ring of struct sample (default 600 = ten minutes at 1 s) plus
 * the full process table of the newest sample.  Each slot keeps its own
 * top-process list, so rewinding shows who was busy at that moment.
 *
 * Writers (the collector) fill a private sample and hand it over with
 * ring_push(), which swaps buffers under the lock in O(1): no allocation per
 * tick once the slots are warm.  Readers take the lock with ring_lock(),
 * read slots through ring_get() and release it with ring_unlock(); they must
 * not keep pointers past the unlock.  Readers hold the lock only while they
 * build a frame (no I/O), so the collector never waits for long.
 */
#ifndef PERFTOP_RING_H
#define PERFTOP_RING_H

#include <pthread.h>
#include <stdint.h>

#include "sample.h"

struct ring;

struct ring	*ring_create(int capacity, const struct host *);
void		 ring_free(struct ring *);

/*
 * Publish s as the newest sample and full as its full process table.  On
 * return s and full hold the buffers of the evicted slot (contents
 * undefined): reuse them for the next sample.  Bumps the generation.
 */
void		 ring_push(struct ring *, struct sample *s, struct proctab *full);
/* The same, for a caller that holds the lock (to publish more with it). */
void		 ring_push_locked(struct ring *, struct sample *s,
		    struct proctab *full);

void		 ring_lock(struct ring *);
void		 ring_unlock(struct ring *);
/* Under the lock: */
int		 ring_len(const struct ring *);
int		 ring_capacity(const struct ring *);
uint64_t	 ring_generation(const struct ring *);
/* age 0 is the newest; NULL when age >= ring_len(). */
const struct sample *ring_get(const struct ring *, int age);
/* Full process table of the newest sample (empty before the first push). */
const struct proctab *ring_full(const struct ring *);
const struct host *ring_host(const struct ring *);

#endif
