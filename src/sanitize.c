/*
 * sanitize.c - the one gate for untrusted text (see sanitize.h).
 *
 * A small UTF-8 decoder that rejects overlong forms, surrogates and code
 * points past U+10FFFF byte by byte, so one bad byte costs one escape and
 * never blanks the rest of the string.
 */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "sanitize.h"

/*
 * Decode one UTF-8 character at s (len > 0).  Returns its length and sets
 * *cp, or returns 0 when s does not start a valid, shortest-form character.
 */
static size_t
utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	uint32_t	 c;
	size_t		 n, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		n = 2;
		c = s[0] & 0x1F;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		n = 3;
		c = s[0] & 0x0F;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		n = 4;
		c = s[0] & 0x07;
	} else
		return 0;
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF)
		return 0;
	*cp = c;
	return n;
}

/* Characters that are valid but must not reach a terminal or a report raw. */
static int
needs_escape(uint32_t c)
{
	return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) ||
	    (c >= 0x200B && c <= 0x200F) || (c >= 0x2028 && c <= 0x202E) ||
	    (c >= 0x2060 && c <= 0x2069) || c == 0xFEFF;
}

/* Output cursor: counts the full length, writes what fits, whole pieces only. */
struct out {
	char	*dst;
	size_t	 size, len, full;
	int	 stopped;
};

static void
put(struct out *o, const char *piece, size_t n)
{
	if (!o->stopped && o->size > 0 && o->len + n < o->size) {
		memcpy(o->dst + o->len, piece, n);
		o->len += n;
	} else
		o->stopped = 1;
	o->full += n;
}

size_t
text_sanitize(char *dst, size_t dstsz, const char *src, size_t len,
    bool ascii)
{
	const unsigned char	*s = (const unsigned char *)src;
	struct out		 o = { dst, dstsz, 0, 0, 0 };
	char			 esc[16];
	uint32_t		 cp;
	size_t			 i = 0, n;

	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		if (n == 0) {
			snprintf(esc, sizeof esc, "\\x%02x", s[i]);
			put(&o, esc, 4);
			i++;
			continue;
		}
		if (cp == '\n')
			put(&o, "\\n", 2);
		else if (cp == '\t')
			put(&o, "\\t", 2);
		else if (cp < 0x20 || cp == 0x7F) {
			snprintf(esc, sizeof esc, "\\x%02x", (unsigned)cp);
			put(&o, esc, 4);
		} else if (needs_escape(cp) || (ascii && cp >= 0x80)) {
			if (cp > 0xFFFF) {
				snprintf(esc, sizeof esc, "\\U%08x",
				    (unsigned)cp);
				put(&o, esc, 10);
			} else {
				snprintf(esc, sizeof esc, "\\u%04x",
				    (unsigned)cp);
				put(&o, esc, 6);
			}
		} else
			put(&o, (const char *)s + i, n);
		i += n;
	}
	if (dstsz > 0)
		dst[o.len] = '\0';
	return o.full;
}

size_t
text_sanitize_str(char *dst, size_t dstsz, const char *src)
{
	return text_sanitize(dst, dstsz, src, strlen(src), false);
}

bool
text_is_clean(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 len = strlen(s), i = 0, n;
	uint32_t		 cp;

	while (i < len) {
		if ((n = utf8_decode(p + i, len - i, &cp)) == 0 ||
		    needs_escape(cp))
			return false;
		i += n;
	}
	return true;
}

static int
char_width(uint32_t cp)
{
	int	 w = wcwidth((wchar_t)cp);

	return w < 0 ? 1 : w;
}

size_t
text_fit(const char *s, int cols, int *used_cols)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 len = strlen(s), i = 0, n;
	uint32_t		 cp;
	int			 used = 0, w;

	while (i < len) {
		if ((n = utf8_decode(p + i, len - i, &cp)) == 0) {
			n = 1;
			w = 1;
		} else
			w = char_width(cp);
		if (used + w > cols)
			break;
		used += w;
		i += n;
	}
	if (used_cols != NULL)
		*used_cols = used;
	return i;
}

int
text_width(const char *s)
{
	int	 used;

	text_fit(s, 1 << 30, &used);
	return used;
}
