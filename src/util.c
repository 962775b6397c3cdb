/*
 * util.c - error strings, number formatting and strict parsing.
 */
#include <config.h>

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static char *vxprintf(const char *, va_list) __attribute__((format(printf, 1, 0)));

static char *
vxprintf(const char *fmt, va_list ap)
{
	char	*s;

	if (vasprintf(&s, fmt, ap) < 0) {
		fputs("perftop: out of memory\n", stderr);
		abort();
	}
	return s;
}

char *
xprintf(const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	s = vxprintf(fmt, ap);
	va_end(ap);
	return s;
}

void *
xcalloc(size_t n, size_t size)
{
	void	*p = calloc(n == 0 ? 1 : n, size == 0 ? 1 : size);

	if (p == NULL) {
		fputs("perftop: out of memory\n", stderr);
		abort();
	}
	return p;
}

char *
xstrdup(const char *s)
{
	char	*p = strdup(s);

	if (p == NULL) {
		fputs("perftop: out of memory\n", stderr);
		abort();
	}
	return p;
}

void
set_cause(char **cause, const char *fmt, ...)
{
	va_list	 ap;

	if (cause == NULL)
		return;
	va_start(ap, fmt);
	*cause = vxprintf(fmt, ap);
	va_end(ap);
}

static const char *
fmt_scaled(char *buf, size_t bufsz, double v, const char *suffix)
{
	static const char units[] = "BKMGTPE";
	int	 u = 0;

	if (!isfinite(v)) {
		snprintf(buf, bufsz, "n/a");
		return buf;
	}
	if (v < 0)
		v = 0;
	while (v >= 1023.95 && units[u + 1] != '\0') {
		v /= 1024.0;
		u++;
	}
	if (u == 0)
		snprintf(buf, bufsz, "%.0f%c%s", v, units[u], suffix);
	else if (v < 99.95)
		snprintf(buf, bufsz, "%.1f%c%s", v, units[u], suffix);
	else
		snprintf(buf, bufsz, "%.0f%c%s", v, units[u], suffix);
	return buf;
}

const char *
fmt_bytes(char *buf, size_t bufsz, double bytes)
{
	return fmt_scaled(buf, bufsz, bytes, "");
}

const char *
fmt_rate(char *buf, size_t bufsz, double bytes_per_s)
{
	return fmt_scaled(buf, bufsz, bytes_per_s, "/s");
}

const char *
fmt_pct(char *buf, size_t bufsz, double pct)
{
	if (!isfinite(pct))
		snprintf(buf, bufsz, "n/a");
	else
		snprintf(buf, bufsz, "%.1f", pct);
	return buf;
}

const char *
fmt_num(char *buf, size_t bufsz, double v)
{
	if (!isfinite(v))
		snprintf(buf, bufsz, "n/a");
	else if (fabs(v) >= 100)
		snprintf(buf, bufsz, "%.0f", v);
	else if (fabs(v) >= 10)
		snprintf(buf, bufsz, "%.1f", v);
	else
		snprintf(buf, bufsz, "%.2f", v);
	return buf;
}

bool
parse_double(const char *s, double *out)
{
	char	*end;
	double	 v;

	if (s == NULL || *s == '\0')
		return false;
	/* Decimal only: strtod would also take "0x10", "inf" and "nan". */
	if (s[strspn(s, "0123456789+-.eE")] != '\0')
		return false;
	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || *end != '\0' || end == s || !isfinite(v))
		return false;
	*out = v;
	return true;
}

bool
parse_long(const char *s, long *out)
{
	char	*end;
	long	 v;

	if (s == NULL || *s == '\0')
		return false;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || end == s)
		return false;
	*out = v;
	return true;
}

void
mem_touch(void *p, size_t n)
{
	volatile char	*c = p;
	size_t		 i;

	for (i = 0; i < n; i += 4096)
		c[i] = 0;
	if (n > 0)
		c[n - 1] = 0;
}

void
strlcpy0(char *dst, const char *src, size_t dstsz)
{
	size_t	 n;

	if (dstsz == 0)
		return;
	n = strnlen(src, dstsz - 1);
	memcpy(dst, src, n);
	dst[n] = '\0';
}

int
array_grow(void **arr, int *cap, int n, size_t elem, bool zero)
{
	void	*p;
	int	 ncap;

	if (n <= *cap)
		return 0;
	ncap = *cap > 0 ? *cap : n;
	while (ncap < n)
		ncap = ncap <= INT_MAX / 2 ? ncap * 2 : n;
	if ((size_t)ncap > SIZE_MAX / elem ||
	    (p = realloc(*arr, (size_t)ncap * elem)) == NULL)
		return -1;
	if (zero)
		memset((char *)p + (size_t)*cap * elem, 0,
		    (size_t)(ncap - *cap) * elem);
	*arr = p;
	*cap = ncap;
	return 0;
}

uint32_t
str_hash(const char *s)
{
	uint32_t	 h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}
