/*
 * fuzz.h - helpers shared by the libFuzzer targets in tests/fuzz/.
 *
 * The invariants are checked with an independent UTF-8 validator (not the
 * sanitizer's own decoder, which is what is under test) and a violated one
 * calls abort(), which libFuzzer reports as a crash with the input saved.
 * Targets that need a file (the config and snapshot loaders) write the
 * input to a private file in /dev/shm, rewritten for every input.
 */
#ifndef PERFTOP_FUZZ_H
#define PERFTOP_FUZZ_H

#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int	LLVMFuzzerInitialize(int *, char ***);

#define FUZZ_ASSERT(e) do {						\
	if (!(e)) {							\
		fprintf(stderr, "%s:%d: invariant failed: %s\n",	\
		    __FILE__, __LINE__, #e);				\
		abort();						\
	}								\
} while (0)

/*
 * Decode one UTF-8 character (RFC 3629: shortest form, no surrogates,
 * <= U+10FFFF).  Returns its length, 0 when invalid.
 */
static inline size_t
fuzz_utf8(const unsigned char *s, size_t len, uint32_t *cp)
{
	size_t		 n, i;
	uint32_t	 c, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xE0) == 0xC0) {
		n = 2; c = s[0] & 0x1F; min = 0x80;
	} else if ((s[0] & 0xF0) == 0xE0) {
		n = 3; c = s[0] & 0x0F; min = 0x800;
	} else if ((s[0] & 0xF8) == 0xF0) {
		n = 4; c = s[0] & 0x07; min = 0x10000;
	} else
		return 0;
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return n;
}

/*
 * True when s[0..len) is valid UTF-8 holding no C0 control, DEL, C1
 * control, and none of the invisible direction or zero-width characters
 * that sanitize.h promises to escape.
 */
static inline bool
fuzz_text_safe(const char *s, size_t len, bool ascii)
{
	const unsigned char	*p = (const unsigned char *)s;
	uint32_t		 c;
	size_t			 i = 0, n;

	while (i < len) {
		if ((n = fuzz_utf8(p + i, len - i, &c)) == 0)
			return false;
		if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F))
			return false;
		if ((c >= 0x200B && c <= 0x200F) ||
		    (c >= 0x202A && c <= 0x202E) ||
		    (c >= 0x2060 && c <= 0x2069) || c == 0xFEFF)
			return false;
		if (ascii && c >= 0x80)
			return false;
		i += n;
	}
	return true;
}

/* A NUL-terminated copy of the input (caller frees). */
static inline char *
fuzz_strdup(const uint8_t *data, size_t size)
{
	char	*s = malloc(size + 1);

	if (s == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/*
 * Write the input to a private file in /dev/shm (or TMPDIR when /dev/shm
 * is missing) whose name ends in suffix; the same file for every input.
 */
static inline const char *
fuzz_file(const uint8_t *data, size_t size, const char *suffix)
{
	static char	 path[256];
	const char	*dir;
	size_t		 off = 0;
	ssize_t		 n;
	int		 fd;

	if (path[0] == '\0') {
		dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" :
		    (getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
		snprintf(path, sizeof path, "%s/perftop-fuzz-%ld%s", dir,
		    (long)getpid(), suffix);
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd == -1) {
		perror(path);
		abort();
	}
	while (off < size) {
		if ((n = write(fd, data + off, size - off)) <= 0) {
			perror(path);
			abort();
		}
		off += (size_t)n;
	}
	close(fd);
	return path;
}

/* Remove the file at exit (registered by the targets' initializers). */
static inline void
fuzz_file_cleanup(const char *suffix)
{
	char		 path[256];
	const char	*dir;

	dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" :
	    (getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	snprintf(path, sizeof path, "%s/perftop-fuzz-%ld%s", dir,
	    (long)getpid(), suffix);
	unlink(path);
}

#endif
