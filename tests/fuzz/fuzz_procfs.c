/*
 * fuzz_procfs.c - libFuzzer target for every text parser of src/procfs.h:
 * psi_parse, netdev_next, cmdline_join, osrelease_pretty, statm_resident,
 * schedstat_runtime, fs_type_wanted and disk_name_hidden.  Each input is
 * handed to all of them (they are cheap, and a corpus of real /proc files
 * serves each).
 *
 * Invariants: PSI averages are NAN or 0..100 and totals NAN or >= 0, all
 * "some" figures known when psi_parse returns 0; netdev_next always
 * advances and returns names that are short, NUL-terminated, non-empty and
 * free of ':', '|' and blanks; cmdline_join never grows the text and
 * leaves no inner NUL nor trailing blank; osrelease_pretty never writes
 * past outsz; statm gives a finite, non-negative size; a runtime is
 * never 0 and leaves its output alone when refused.
 */
#include <config.h>

#include <math.h>

#include "fuzz.h"
#include "procfs.h"

static void
check_psi_avg(double v)
{
	FUZZ_ASSERT(isnan(v) || (v >= 0 && v <= 100));
}

static void
check_psi_total(double v)
{
	FUZZ_ASSERT(isnan(v) || (v >= 0 && isfinite(v)));
}

static void
fuzz_psi(const char *text)
{
	struct psi_figs	 f;
	int		 r;

	r = psi_parse(text, &f);
	FUZZ_ASSERT(r == 0 || r == -1);
	check_psi_avg(f.some_avg10);
	check_psi_avg(f.some_avg60);
	check_psi_avg(f.some_avg300);
	check_psi_total(f.some_total_us);
	check_psi_avg(f.full_avg10);
	check_psi_avg(f.full_avg60);
	check_psi_avg(f.full_avg300);
	check_psi_total(f.full_total_us);
	if (r == 0)
		FUZZ_ASSERT(!isnan(f.some_avg10) && !isnan(f.some_avg60) &&
		    !isnan(f.some_avg300) && !isnan(f.some_total_us));
	else
		FUZZ_ASSERT(isnan(f.some_avg10) && isnan(f.some_total_us));
}

static void
fuzz_netdev(const char *text, size_t len)
{
	struct netdev_row	 row;
	const char		*pos = text, *prev;
	size_t			 nlen, rows = 0;

	for (;;) {
		prev = pos;
		memset(row.name, 'Z', sizeof row.name);
		if (!netdev_next(&pos, &row)) {
			FUZZ_ASSERT(pos >= prev && pos <= text + len);
			break;
		}
		FUZZ_ASSERT(pos > prev && pos <= text + len);
		nlen = strnlen(row.name, sizeof row.name);
		FUZZ_ASSERT(nlen > 0 && nlen < sizeof row.name);
		FUZZ_ASSERT(strpbrk(row.name, ":| \t\n") == NULL);
		FUZZ_ASSERT(++rows <= len);
	}
}

static void
fuzz_cmdline(const uint8_t *data, size_t size)
{
	char	*buf;
	size_t	 n, i;

	buf = malloc(size + 1);
	if (buf == NULL)
		abort();
	memcpy(buf, data, size);
	buf[size] = 'Z';
	n = cmdline_join(buf, size);
	FUZZ_ASSERT(n <= size && buf[n] == '\0');
	for (i = 0; i < n; i++)
		FUZZ_ASSERT(buf[i] != '\0');
	FUZZ_ASSERT(n == 0 || buf[n - 1] != ' ');
	free(buf);
}

static void
fuzz_osrelease(const char *text, size_t size)
{
	char	 out[80];
	size_t	 outsz = size % sizeof out;

	memset(out, 'Z', sizeof out);
	if (osrelease_pretty(text, out, outsz)) {
		FUZZ_ASSERT(outsz > 0);
		FUZZ_ASSERT(strnlen(out, outsz) < outsz);
	}
	if (outsz < sizeof out)
		FUZZ_ASSERT(out[outsz] == 'Z');
	if (osrelease_pretty(text, out, sizeof out))
		FUZZ_ASSERT(strnlen(out, sizeof out) < sizeof out);
}

static void
fuzz_statm(const char *text)
{
	double	 b = -1;

	if (statm_resident(text, 4096, &b))
		FUZZ_ASSERT(isfinite(b) && b >= 0);
	if (statm_resident(text, 65536, &b))
		FUZZ_ASSERT(isfinite(b) && b >= 0);
}

static void
fuzz_schedstat(const char *text)
{
	uint64_t	 ns = 0;

	if (schedstat_runtime(text, &ns))
		FUZZ_ASSERT(ns > 0 && text[0] >= '0' && text[0] <= '9');
	else
		FUZZ_ASSERT(ns == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*text;
	size_t	 len;

	text = fuzz_strdup(data, size);
	len = strlen(text);		/* the parsers see text up to a NUL */

	fuzz_psi(text);
	fuzz_netdev(text, len);
	fuzz_cmdline(data, size);
	fuzz_osrelease(text, size);
	fuzz_statm(text);
	fuzz_schedstat(text);
	(void)fs_type_wanted(text);
	(void)disk_name_hidden(text);

	free(text);
	return 0;
}
