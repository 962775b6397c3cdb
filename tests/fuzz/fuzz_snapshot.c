/*
 * fuzz_snapshot.c - libFuzzer target for the snapshot loader
 * (snapshot_load, src/snapshot.h).
 *
 * The input is written to a private .json file (fuzz.h) and loaded.
 * Invariants: 0 or -1, never a hang, a crash or an allocation sized by a
 * count from the file (ASan's -rss_limit_mb and -malloc_limit_mb catch
 * those); on -1 a one-line cause starting with the file name; on 0 a ring
 * of 1..capacity samples, a sane interval and version, and every string
 * (host facts, process names, users, command lines, device names) is
 * clean text (text_is_clean), NUL-terminated in its field.
 */
#include <config.h>

#include <math.h>

#include "fuzz.h"
#include "ring.h"
#include "sanitize.h"
#include "snapshot.h"

static void
cleanup(void)
{
	fuzz_file_cleanup(".json");
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	atexit(cleanup);
	return 0;
}

#define CLEAN_FIELD(f) do {						\
	FUZZ_ASSERT(strnlen((f), sizeof (f)) < sizeof (f));		\
	FUZZ_ASSERT(text_is_clean(f));					\
} while (0)

/* A shared name (src/rstr.h): there, and clean. */
#define CLEAN_NAME(f) do {						\
	FUZZ_ASSERT((f) != NULL);					\
	FUZZ_ASSERT(text_is_clean(f));					\
} while (0)

static void
check_table(const struct proctab *t)
{
	const struct proc	*p;
	const char		*cmd;
	int			 i;

	if (t == NULL)
		return;
	FUZZ_ASSERT(t->n >= 0 && t->n <= t->cap);
	for (i = 0; i < t->n; i++) {
		p = &t->v[i];
		CLEAN_NAME(p->user);
		CLEAN_NAME(p->comm);
		CLEAN_NAME(p->cmdline);
		cmd = proc_cmdline(t, p);
		FUZZ_ASSERT(text_is_clean(cmd));
		FUZZ_ASSERT(isnan(p->cpu_pct) || p->cpu_pct >= 0);
	}
}

static void
check_sample(const struct sample *s)
{
	int	 i;

	FUZZ_ASSERT(s->ndisk >= 0 && s->nnet >= 0 && s->nfs >= 0 &&
	    s->ncpu >= 0);
	for (i = 0; i < s->ndisk; i++)
		CLEAN_NAME(s->disks[i].name);
	for (i = 0; i < s->nnet; i++)
		CLEAN_NAME(s->nets[i].name);
	for (i = 0; i < s->nfs; i++) {
		CLEAN_NAME(s->fs[i].mount);
		CLEAN_NAME(s->fs[i].device);
		CLEAN_NAME(s->fs[i].fstype);
	}
	check_table(&s->top);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct snapshot		 snap;
	const struct host	*h;
	const char		*path;
	char			*cause = NULL;
	int			 r, i, n;

	path = fuzz_file(data, size, ".json");
	memset(&snap, 0, sizeof snap);
	r = snapshot_load(path, &snap, &cause);
	FUZZ_ASSERT(r == 0 || r == -1);
	if (r != 0) {
		FUZZ_ASSERT(cause != NULL);
		FUZZ_ASSERT(strncmp(cause, path, strlen(path)) == 0);
		FUZZ_ASSERT(strchr(cause, '\n') == NULL);
		free(cause);
		return 0;
	}
	FUZZ_ASSERT(snap.ring != NULL);
	n = ring_len(snap.ring);
	FUZZ_ASSERT(n >= 1 && n <= ring_capacity(snap.ring));
	FUZZ_ASSERT(snap.format_version >= 1);
	FUZZ_ASSERT(isfinite(snap.interval_s) && snap.interval_s > 0);
	h = ring_host(snap.ring);
	CLEAN_FIELD(h->hostname);
	CLEAN_FIELD(h->kernel);
	CLEAN_FIELD(h->os);
	CLEAN_FIELD(h->arch);
	CLEAN_FIELD(snap.host.hostname);
	CLEAN_FIELD(snap.host.os);
	for (i = 0; i < n; i++)
		check_sample(ring_get(snap.ring, i));
	check_table(ring_full(snap.ring));
	snapshot_free(&snap);
	return 0;
}
