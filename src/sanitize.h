/*
 * sanitize.h - the one gate for untrusted text.
 *
 * Process names, command lines, user names, interface, disk and mount names
 * come from other users and the kernel.  text_sanitize() turns any byte
 * string into valid UTF-8 that holds no control characters: C0 controls,
 * DEL and bytes of invalid UTF-8 become "\xHH", C1 controls and invisible
 * direction or zero-width characters (U+200B-U+200F, U+202A-U+202E,
 * U+2060-U+2069, U+FEFF) become "\uHHHH", and tab/newline become "\t"/"\n".
 * The output is pure printable text, so the function is idempotent:
 * sanitize(sanitize(x)) == sanitize(x), and export -> replay -> export is
 * stable.  Backslashes are left as they are for that reason.
 *
 * Sources sanitize at ingest, so the ring only ever holds safe text; the
 * replay loader does the same for text read from files.
 */
#ifndef PERFTOP_SANITIZE_H
#define PERFTOP_SANITIZE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Sanitize len bytes of src into dst (size dstsz, always NUL-terminated when
 * dstsz > 0).  The output is cut at a character boundary (never inside an
 * escape) when it does not fit.  ascii: also escape every non-ASCII
 * character as \uHHHH (for terminals in a non-UTF-8 locale).
 * Returns the length the full output would have had (like snprintf).
 */
size_t	 text_sanitize(char *dst, size_t dstsz, const char *src, size_t len,
	    bool ascii);

/* Same for a NUL-terminated string. */
size_t	 text_sanitize_str(char *dst, size_t dstsz, const char *src);

/* True when s (NUL-terminated) would come out of text_sanitize unchanged. */
bool	 text_is_clean(const char *s);

/*
 * Display width in terminal columns of sanitized UTF-8 text (wcwidth of each
 * character; 1 for anything unknown).  text_fit() returns how many bytes of
 * s fit in cols columns, at a character boundary.
 */
int	 text_width(const char *s);
size_t	 text_fit(const char *s, int cols, int *used_cols);

#endif
