/*
 * redact.c - hide command-line arguments and host names in exports.
 */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "redact.h"
#include "util.h"

void
redact_cmdline(char *dst, size_t dstsz, const char *cmdline, bool utf8)
{
	size_t	 prog = strcspn(cmdline, " ");
	char	 buf[512];

	if (dstsz == 0)
		return;
	if (prog >= sizeof buf)
		prog = sizeof buf - 1;
	memcpy(buf, cmdline, prog);
	buf[prog] = '\0';
	if (cmdline[strcspn(cmdline, " ")] == '\0')
		strlcpy0(dst, buf, dstsz);
	else
		snprintf(dst, dstsz, "%s %s", buf, utf8 ? "\xe2\x80\xa6" :
		    "...");
}

void
redact_host(char *dst, size_t dstsz, const char *host)
{
	uint64_t	 h = 0xcbf29ce484222325ULL;	/* FNV-1a 64 */
	const unsigned char *p;

	for (p = (const unsigned char *)host; *p != '\0'; p++) {
		h ^= *p;
		h *= 0x100000001b3ULL;
	}
	snprintf(dst, dstsz, "host-%08x", (unsigned)(h ^ (h >> 32)));
}
