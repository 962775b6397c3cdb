/*
 * fuzz_sanitize.c - libFuzzer target for the text gate (src/sanitize.h).
 *
 * The first input byte picks the mode (bit 0: ascii) and a small buffer
 * size for the cut test; the rest is the untrusted text.  Invariants:
 * - the output is valid UTF-8 with no C0/C1 control, DEL or direction
 *   character, and pure ASCII in ascii mode;
 * - the return value is the full length (snprintf-like), the output never
 *   longer than the buffer, always NUL-terminated;
 * - a cut output is a prefix of the full one, cut between whole escapes;
 * - sanitizing is idempotent, and text_is_clean() agrees with it;
 * - text_fit() stays within its columns and at a character boundary.
 */
#include <config.h>

#include <locale.h>

#include "fuzz.h"
#include "sanitize.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* wcwidth() in text_fit() answers per locale, as in perftop. */
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		setlocale(LC_CTYPE, "");
	return 0;
}

/* True when out[0..cut) ends between two pieces of the full output full. */
static bool
cut_at_piece(const char *full, size_t cut)
{
	const char	*bs;
	size_t		 i;

	if (cut == 0 || full[cut] == '\0')
		return true;
	/* Not inside a UTF-8 character. */
	if (((unsigned char)full[cut] & 0xC0) == 0x80)
		return false;
	/*
	 * Not inside an escape: the last backslash before the cut that
	 * starts \xHH, \uHHHH or \UHHHHHHHH must end before it.  Raw
	 * backslashes pass through unescaped, so only a backslash followed
	 * by the escape's exact shape counts.
	 */
	for (i = cut; i > 0 && cut - i < 10; i--) {
		bs = full + i - 1;
		if (*bs != '\\')
			continue;
		if (bs[1] == 'x' && i - 1 + 4 > cut)
			return false;
		if (bs[1] == 'n' || bs[1] == 't')
			continue;
		if (bs[1] == 'u' && i - 1 + 6 > cut)
			return false;
		if (bs[1] == 'U' && i - 1 + 10 > cut)
			return false;
	}
	return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*src;
	char		*full, *again, *cut, *str;
	size_t		 len, n, flen, bufsz, clen, smallsz, fit;
	bool		 ascii;
	int		 used, cols;

	if (size < 1)
		return 0;
	ascii = (data[0] & 1) != 0;
	smallsz = (size_t)(data[0] >> 1);	/* 0 .. 127 */
	src = (const char *)data + 1;
	len = size - 1;

	/* Worst case: one byte becomes "\xHH". */
	bufsz = 4 * len + 1;
	full = malloc(bufsz);
	again = malloc(bufsz);
	if (full == NULL || again == NULL)
		abort();

	n = text_sanitize(full, bufsz, src, len, ascii);
	flen = strlen(full);
	FUZZ_ASSERT(n == flen);
	FUZZ_ASSERT(flen < bufsz);
	FUZZ_ASSERT(fuzz_text_safe(full, flen, ascii));
	FUZZ_ASSERT(text_is_clean(full));
	FUZZ_ASSERT(len == 0 || flen > 0);	/* never blank */

	/* Idempotent. */
	n = text_sanitize(again, bufsz, full, flen, ascii);
	FUZZ_ASSERT(n == flen && strcmp(again, full) == 0);

	/* A cut output: a prefix, whole pieces, NUL-terminated. */
	cut = malloc(smallsz + 1);
	if (cut == NULL)
		abort();
	memset(cut, 'Z', smallsz + 1);
	n = text_sanitize(cut, smallsz, src, len, ascii);
	FUZZ_ASSERT(n == flen);
	if (smallsz > 0) {
		clen = strnlen(cut, smallsz);
		FUZZ_ASSERT(clen < smallsz);
		FUZZ_ASSERT(strncmp(cut, full, clen) == 0);
		/* (A raw backslash in the input looks like an escape.) */
		if (memchr(src, '\\', len) == NULL)
			FUZZ_ASSERT(cut_at_piece(full, clen));
		FUZZ_ASSERT(fuzz_text_safe(cut, clen, ascii));
		if (flen < smallsz)
			FUZZ_ASSERT(clen == flen);
	}
	FUZZ_ASSERT(cut[smallsz] == 'Z');	/* nothing past the buffer */
	free(cut);

	/* text_is_clean() says exactly whether sanitizing changes a string. */
	str = fuzz_strdup((const uint8_t *)src, len);
	if (strlen(str) == len) {
		text_sanitize_str(again, bufsz, str);
		FUZZ_ASSERT(text_is_clean(str) == (strcmp(again, str) == 0));
	}
	free(str);

	/* Fitting into columns. */
	cols = (int)(smallsz % 64);
	fit = text_fit(full, cols, &used);
	FUZZ_ASSERT(fit <= flen && used >= 0 && used <= cols);
	FUZZ_ASSERT(fit == flen || ((unsigned char)full[fit] & 0xC0) != 0x80);
	FUZZ_ASSERT(text_width(full) >= used);

	free(full);
	free(again);
	return 0;
}
