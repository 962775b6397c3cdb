/*
 * util.h - small helpers shared by every module: error strings, number
 * formatting for screen and reports, checked string-to-number parsing.
 */
#ifndef PERFTOP_UTIL_H
#define PERFTOP_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* printf into a new string; aborts on allocation failure (start-up only
 * paths and error causes). */
char	*xprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	*xcalloc(size_t n, size_t size);
char	*xstrdup(const char *);

/* Set *cause (if cause != NULL) to a new formatted string. */
void	 set_cause(char **cause, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/*
 * Human-readable figures into buf (bufsz >= 16), "n/a" for NAN:
 * fmt_bytes: 1023B 1.0K 12.3M 1.5G 2.0T (binary units)
 * fmt_rate:  the same with "/s"
 * fmt_pct:   "42.0" (one decimal)
 */
const char *fmt_bytes(char *buf, size_t bufsz, double bytes);
const char *fmt_rate(char *buf, size_t bufsz, double bytes_per_s);
const char *fmt_pct(char *buf, size_t bufsz, double pct);
/* fmt_num:   a figure in a short form: "1234", "95.2", "0.25", "n/a" */
const char *fmt_num(char *buf, size_t bufsz, double v);

/* Strict parsing: whole string, finite, decimal (no hex, inf, nan), no
 * trailing junk. */
bool	 parse_double(const char *s, double *out);
bool	 parse_long(const char *s, long *out);

/*
 * Write to every page of p..p+n, so that a bounded buffer that fills slowly
 * (a log) is resident from the start and the RSS stays flat afterwards.
 */
void	 mem_touch(void *p, size_t n);

/*
 * Grow *arr (of elem-sized entries, capacity *cap) to hold n: the first
 * size is n exactly (most arrays never change size), then it doubles.
 * With zero, the new entries are zeroed; without, they are left untouched
 * (so not resident until used).  0, or -1 when out of memory.
 */
int	 array_grow(void **arr, int *cap, int n, size_t elem, bool zero);

/* FNV-1a of a C string: for small hash tables and change detection. */
uint32_t str_hash(const char *s);

/* Copy src into dst of size dstsz, always NUL-terminated (truncating). */
void	 strlcpy0(char *dst, const char *src, size_t dstsz);

#endif
