/*
 * ring.c - the bounded history of samples (see ring.h).
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "ring.h"
#include "util.h"

struct ring {
	pthread_mutex_t	 lock;
	int		 cap;
	int		 len;
	int		 head;		/* index of the newest slot */
	uint64_t	 gen;
	struct sample	*slots;
	struct proctab	 full;
	struct host	 host;
};

struct ring *
ring_create(int capacity, const struct host *host)
{
	struct ring	*r;
	int		 i;

	if (capacity < 1)
		capacity = 1;
	r = xcalloc(1, sizeof *r);
	pthread_mutex_init(&r->lock, NULL);
	r->cap = capacity;
	r->head = -1;
	r->slots = xcalloc((size_t)capacity, sizeof *r->slots);
	for (i = 0; i < capacity; i++)
		sample_reset(&r->slots[i]);
	if (host != NULL)
		r->host = *host;
	return r;
}

void
ring_free(struct ring *r)
{
	int	 i;

	if (r == NULL)
		return;
	for (i = 0; i < r->cap; i++)
		sample_done(&r->slots[i]);
	free(r->slots);
	proctab_done(&r->full);
	pthread_mutex_destroy(&r->lock);
	free(r);
}

void
ring_push(struct ring *r, struct sample *s, struct proctab *full)
{
	pthread_mutex_lock(&r->lock);
	ring_push_locked(r, s, full);
	pthread_mutex_unlock(&r->lock);
}

void
ring_push_locked(struct ring *r, struct sample *s, struct proctab *full)
{
	struct proctab	 tmp;
	int		 next;

	next = (r->head + 1) % r->cap;
	sample_swap(&r->slots[next], s);
	if (full != NULL) {
		tmp = r->full;
		r->full = *full;
		*full = tmp;
	}
	r->head = next;
	if (r->len < r->cap)
		r->len++;
	r->gen++;
}

void
ring_lock(struct ring *r)
{
	pthread_mutex_lock(&r->lock);
}

void
ring_unlock(struct ring *r)
{
	pthread_mutex_unlock(&r->lock);
}

int
ring_len(const struct ring *r)
{
	return r->len;
}

int
ring_capacity(const struct ring *r)
{
	return r->cap;
}

uint64_t
ring_generation(const struct ring *r)
{
	return r->gen;
}

const struct sample *
ring_get(const struct ring *r, int age)
{
	if (age < 0 || age >= r->len)
		return NULL;
	return &r->slots[(r->head - age + r->cap) % r->cap];
}

const struct proctab *
ring_full(const struct ring *r)
{
	return &r->full;
}

const struct host *
ring_host(const struct ring *r)
{
	return &r->host;
}
