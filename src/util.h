/*
 * util.h - small helpers shared by every module: error strings, number
 * formatting for screen and reports, fixed text fields, checked
 * string-to-number parsing.
 */
#ifndef PERFTOP_UTIL_H
#define PERFTOP_UTIL_H

#include <stdarg.h>
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
/*
 * fmt_round: a figure for a sentence, as precise as its size needs: whole
 * numbers and 10 or more without decimals, then one, below 1 two: "97",
 * "9.5", "0.33"; "n/a" for NAN only (findings and alert texts).
 */
const char *fmt_round(char *buf, size_t bufsz, double v);

/*
 * snprintf into a fixed text field: cuts what does not fit (on purpose)
 * but never leaves half a UTF-8 character at the end; always terminated.
 * txt_cat appends to the text already in buf (nothing once it is full);
 * txt_vcat is txt_cat with a va_list.
 */
void	 txt_set(char *buf, size_t bufsz, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	 txt_cat(char *buf, size_t bufsz, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	 txt_vcat(char *buf, size_t bufsz, const char *fmt, va_list ap)
	    __attribute__((format(printf, 3, 0)));
/* buf was cut to len bytes: drop a UTF-8 character left incomplete. */
void	 utf8_trim(char *buf, size_t len);

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
/*
 * One more entry at the end of *arr, which holds *n (incremented): grown
 * as array_grow() does, the entry zeroed.  The entry, or NULL when out of
 * memory (nothing changed).
 */
void	*array_push(void **arr, int *cap, int *n, size_t elem);

/* FNV-1a of a C string: for small hash tables and change detection. */
uint32_t str_hash(const char *s);

/* Copy src into dst of size dstsz, always NUL-terminated (truncating). */
void	 strlcpy0(char *dst, const char *src, size_t dstsz);

#endif
