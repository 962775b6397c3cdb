/*
 * rstr.h - immutable, reference-counted strings.
 *
 * Names in samples (process user, command and command line; disk, interface
 * and mount names) are the same from one sample to the next.  Copying them
 * into each of the ring's 600 samples cost more memory than every figure
 * together, so a sample holds pointers to shared strings instead: the
 * source makes one when a name first appears (or changes) and every sample
 * that shows it takes a reference.  The last reference frees it.
 *
 * An rstr is a plain const char * (print it, compare it, strlen it); it may
 * only be passed to rstr_ref/rstr_unref if it came from rstr_new/rstr_dup
 * (or is RSTR_EMPTY, which is never freed).  References are atomic: the
 * collector makes them, the UI thread may drop the last one.
 */
#ifndef PERFTOP_RSTR_H
#define PERFTOP_RSTR_H

#include <stddef.h>

/* The empty string; immortal, safe to ref and unref. */
extern const char *const RSTR_EMPTY;

/* A new string of len bytes of s (with a NUL added), one reference; NULL
 * when out of memory. */
const char	*rstr_new(const char *s, size_t len);
/* rstr_new of a C string; NULL s gives RSTR_EMPTY. */
const char	*rstr_dup(const char *s);
/* One more reference to r (NULL allowed: returns NULL). */
const char	*rstr_ref(const char *r);
/* Drop a reference (NULL allowed). */
void		 rstr_unref(const char *r);
/* Length of r, without strlen. */
size_t		 rstr_len(const char *r);
/*
 * Make *slot (NULL or an rstr it owns) the string s: kept when equal,
 * otherwise replaced by a new copy.  Returns 0, or -1 when out of memory
 * (then *slot is RSTR_EMPTY).
 */
int		 rstr_set(const char **slot, const char *s);
/* Make *slot (NULL or owned) a reference to the rstr r. */
void		 rstr_assign(const char **slot, const char *r);
/* Strings alive now (for tests and leak checks). */
long		 rstr_live(void);

#endif
