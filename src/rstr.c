/*
 * rstr.c - immutable, reference-counted strings (see rstr.h).
 *
 * Layout: a header (count, length) followed by the bytes and a NUL; the
 * pointer handed out is to the bytes, so an rstr reads as a C string.
 */
#include <config.h>

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rstr.h"

struct rstr {
	atomic_uint	refs;
	uint32_t	len;
};

static const char empty[1] = "";
const char *const RSTR_EMPTY = empty;

static atomic_long live;

static struct rstr *
hdr(const char *r)
{
	return (struct rstr *)(void *)((uintptr_t)r - sizeof(struct rstr));
}

const char *
rstr_new(const char *s, size_t len)
{
	struct rstr	*h;
	char		*p;

	if (len == 0)
		return RSTR_EMPTY;
	if (len > UINT32_MAX - 1 - sizeof *h ||
	    (h = malloc(sizeof *h + len + 1)) == NULL)
		return NULL;
	atomic_init(&h->refs, 1);
	h->len = (uint32_t)len;
	p = (char *)(h + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	atomic_fetch_add_explicit(&live, 1, memory_order_relaxed);
	return p;
}

const char *
rstr_dup(const char *s)
{
	return s == NULL ? RSTR_EMPTY : rstr_new(s, strlen(s));
}

const char *
rstr_ref(const char *r)
{
	if (r != NULL && r != empty)
		atomic_fetch_add_explicit(&hdr(r)->refs, 1,
		    memory_order_relaxed);
	return r;
}

void
rstr_unref(const char *r)
{
	struct rstr	*h;

	if (r == NULL || r == empty)
		return;
	h = hdr(r);
	/* Release our writes; the one that frees acquires everyone's. */
	if (atomic_fetch_sub_explicit(&h->refs, 1, memory_order_acq_rel) == 1) {
		atomic_fetch_sub_explicit(&live, 1, memory_order_relaxed);
		free(h);
	}
}

size_t
rstr_len(const char *r)
{
	if (r == NULL || r == empty)
		return 0;
	return hdr(r)->len;
}

int
rstr_set(const char **slot, const char *s)
{
	const char	*n;

	if (s == NULL)
		s = "";
	if (*slot != NULL && strcmp(*slot, s) == 0)
		return 0;
	n = rstr_dup(s);
	rstr_unref(*slot);
	*slot = n != NULL ? n : RSTR_EMPTY;
	return n != NULL ? 0 : -1;
}

void
rstr_assign(const char **slot, const char *r)
{
	if (*slot == r)
		return;
	rstr_ref(r);
	rstr_unref(*slot);
	*slot = r;
}

long
rstr_live(void)
{
	return atomic_load_explicit(&live, memory_order_relaxed);
}
