/*
 * util.c - error strings, number and text formatting, strict parsing.
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

/* v with prec decimals, or "n/a" when na. */
static const char *
fmt_fixed(char *buf, size_t bufsz, double v, bool na, int prec)
{
	if (na)
		snprintf(buf, bufsz, "n/a");
	else
		snprintf(buf, bufsz, "%.*f", prec, v);
	return buf;
}

const char *
fmt_pct(char *buf, size_t bufsz, double pct)
{
	return fmt_fixed(buf, bufsz, pct, !isfinite(pct), 1);
}

const char *
fmt_num(char *buf, size_t bufsz, double v)
{
	return fmt_fixed(buf, bufsz, v, !isfinite(v),
	    fabs(v) >= 100 ? 0 : fabs(v) >= 10 ? 1 : 2);
}

const char *
fmt_round(char *buf, size_t bufsz, double v)
{
	/* Only NAN is "n/a": an infinity prints as one. */
	return fmt_fixed(buf, bufsz, v, isnan(v),
	    fabs(v) >= 10 || v == floor(v) ? 0 : fabs(v) >= 1 ? 1 : 2);
}

void
utf8_trim(char *buf, size_t len)
{
	size_t		 i = len, need;
	unsigned char	 lead;

	while (i > 0 && ((unsigned char)buf[i - 1] & 0xC0) == 0x80)
		i--;
	if (i == 0)
		return;
	lead = (unsigned char)buf[i - 1];
	if (lead < 0xC0)
		return;			/* ASCII: complete */
	need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
	if (len - (i - 1) < need)
		buf[i - 1] = '\0';
}

/* Append to buf; a cut is judged on the whole of it. */
void
txt_vcat(char *buf, size_t bufsz, const char *fmt, va_list ap)
{
	size_t	 len = strlen(buf);
	int	 n;

	if (len + 1 >= bufsz)
		return;
	n = vsnprintf(buf + len, bufsz - len, fmt, ap);
	if (n > 0 && (size_t)n >= bufsz - len)
		utf8_trim(buf, bufsz - 1);
}

void
txt_set(char *buf, size_t bufsz, const char *fmt, ...)
{
	va_list	 ap;

	if (bufsz == 0)
		return;
	buf[0] = '\0';
	va_start(ap, fmt);
	txt_vcat(buf, bufsz, fmt, ap);
	va_end(ap);
}

void
txt_cat(char *buf, size_t bufsz, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	txt_vcat(buf, bufsz, fmt, ap);
	va_end(ap);
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

void *
array_push(void **arr, int *cap, int *n, size_t elem)
{
	char	*p;

	if (array_grow(arr, cap, *n + 1, elem, false) != 0)
		return NULL;
	p = (char *)*arr + (size_t)*n * elem;
	(*n)++;
	memset(p, 0, elem);
	return p;
}

uint32_t
str_hash(const char *s)
{
	uint32_t	 h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}
