/*
 * redact.h - what --redact (and `redact = true;`) hides in every export:
 * command-line arguments become "…" (the program stays) and the host name
 * becomes a stable hash, so tickets can leave the company.
 */
#ifndef PERFTOP_REDACT_H
#define PERFTOP_REDACT_H

#include <stdbool.h>
#include <stddef.h>

/* "java -Xmx4g -jar app.jar --password=x" -> "java …" ("..." if !utf8). */
void	 redact_cmdline(char *dst, size_t dstsz, const char *cmdline,
	    bool utf8);
/* "db1.example.com" -> "host-5f2c9a1e": the same name, the same hash. */
void	 redact_host(char *dst, size_t dstsz, const char *host);

#endif
