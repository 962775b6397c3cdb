/*
 * snapshot.c - write a view of the machine to one JSON file, and read one
 * back into a ring for replay (doc/snapshot.md is the format).
 *
 * Writing is export_json() with report.snapshot set, through export.c's
 * atomic writer (temporary file, fsync, rename, mode 0600).  The saved
 * baseline keeps only the samples of the captured window, so a baseline
 * computed again from the file is the one that was captured.
 *
 * Loading trusts nothing in the file: it refuses anything but a regular
 * file of at most SNAPSHOT_FILE_MAX bytes before jansson sees it, rejects
 * duplicate keys, and checks the type (and, where a figure cannot be
 * negative, the sign) of every field it reads, naming the field in the
 * error ("FILE: samples[3].cpu.busy_pct: expected a number").  Every
 * allocation is sized by an array that is really in the file, and the
 * counts have ceilings far above any real machine.  Text goes through the
 * sanitizer into the fixed fields of the data model, exactly as the live
 * source does, so what is replayed is as safe as what was collected.  A
 * missing figure reads as null (not measured); `t` of each sample and
 * `format_version` are required.  Keys the reader does not know are
 * ignored: a later perftop may add some without a new format version.
 */
#include <config.h>

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "redact.h"
#include "sanitize.h"
#include "snapshot.h"
#include "util.h"

#define SNAPSHOT_FILE_MAX	(256UL * 1024 * 1024)	/* bytes */
#define SNAP_SAMPLES_MAX	CONFIG_HISTORY_MAX	/* a ring's most */
#define SNAP_CPUS_MAX		8192	/* the kernel's NR_CPUS ceiling */
#define SNAP_DEVS_MAX		4096	/* disks, interfaces, mounts */
#define SNAP_TOP_MAX		4096	/* rows of one sample's top list */
#define SNAP_PROCS_MAX		262144	/* rows of the full table */
#define SNAP_AT_MAX		128	/* "samples[12].disks[3]" */

/* One load: the file name for messages and the first error. */
#define LD_NAMES	256	/* recent names shared between samples */

struct ld {
	const char	*path;
	char		*cause;		/* first error, "FILE: where: what" */
	char		 text[CMDLINE_MAX];	/* scratch for text */
	const char	*names[LD_NAMES];	/* rstrs, by hash */
};

static int
ld_fail(struct ld *l, const char *at, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Record "FILE: at.key: what" (the first error wins).  Returns -1. */
static int
ld_fail(struct ld *l, const char *at, const char *key, const char *fmt, ...)
{
	va_list	 ap;
	char	 what[256];

	if (l->cause != NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	if (key == NULL)
		key = "";
	l->cause = xprintf("%s: %s%s%s: %s", l->path, at,
	    *at != '\0' && *key != '\0' && *key != '[' ? "." : "", key, what);
	return -1;
}

/* at + "." + key (or at + "[i]") into buf. */
static const char *
ld_at(char *buf, size_t bufsz, const char *at, const char *key, int i)
{
	int	 n;

	if (i >= 0)
		n = snprintf(buf, bufsz, "%s%s%s[%d]", at, *at != '\0' &&
		    *key != '\0' ? "." : "", key, i);
	else
		n = snprintf(buf, bufsz, "%s%s%s", at, *at != '\0' ? "." : "",
		    key);
	if (n < 0 || (size_t)n >= bufsz)
		buf[bufsz - 1] = '\0';	/* cut: a long key from the file */
	return buf;
}

/* ---- typed getters ------------------------------------------------------ */

/*
 * A figure: a number, or null / missing for "not measured" (NAN) unless
 * FIG_REQUIRED.  Finite only; with FIG_NONNEG never negative (sample.h).
 */
static int
get_fig(struct ld *l, const json_t *o, const char *at, const char *key,
    double *out, int flags)
{
	const json_t	*v = json_object_get(o, key);
	double		 x;

	*out = FIG_NA;
	if ((v == NULL || json_is_null(v)) && !(flags & FIG_REQUIRED))
		return 0;
	if (!json_is_number(v))
		return ld_fail(l, at, key, "expected a number");
	x = json_number_value(v);
	if (!isfinite(x))
		return ld_fail(l, at, key, "not a finite number");
	if ((flags & FIG_NONNEG) && x < 0)
		return ld_fail(l, at, key, "must not be negative (got %g)", x);
	*out = x;
	return 0;
}

/* A whole number from min to max; dflt when null or missing. */
static int
get_int(struct ld *l, const json_t *o, const char *at, const char *key,
    int *out, long long min, long long max, int dflt)
{
	const json_t	*v = json_object_get(o, key);
	double		 x;

	*out = dflt;
	if (v == NULL || json_is_null(v))
		return 0;
	if (json_is_integer(v)) {
		if (json_integer_value(v) < min || json_integer_value(v) > max)
			return ld_fail(l, at, key, "must be from %lld to %lld",
			    min, max);
		*out = (int)json_integer_value(v);
		return 0;
	}
	if (!json_is_real(v))
		return ld_fail(l, at, key, "expected a whole number");
	x = json_real_value(v);
	if (!isfinite(x) || x != floor(x))
		return ld_fail(l, at, key, "expected a whole number");
	if (x < (double)min || x > (double)max)
		return ld_fail(l, at, key, "must be from %lld to %lld", min,
		    max);
	*out = (int)x;
	return 0;
}

static int
get_bool(struct ld *l, const json_t *o, const char *at, const char *key,
    bool *out)
{
	const json_t	*v = json_object_get(o, key);

	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_boolean(v))
		return ld_fail(l, at, key, "expected true or false");
	*out = json_is_true(v);
	return 0;
}

/*
 * Text into dst (size dstsz) through the sanitizer, cut at a character
 * boundary; "" when null or missing.  A string may hold NUL bytes
 * (\u0000): they are escaped like any control character.
 */
static int
get_text(struct ld *l, const json_t *o, const char *at, const char *key,
    char *dst, size_t dstsz)
{
	const json_t	*v = json_object_get(o, key);

	dst[0] = '\0';
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return ld_fail(l, at, key, "expected a string");
	text_sanitize(dst, dstsz, json_string_value(v), json_string_length(v),
	    false);
	return 0;
}

/*
 * get_text() into a shared string *slot (NULL or owned).  The same name in
 * many samples is loaded once: recent names are kept by hash.
 */
static int
get_name(struct ld *l, const json_t *o, const char *at, const char *key,
    const char **slot, size_t max)
{
	const char	**c;
	const char	 *r;

	if (max > sizeof l->text)
		max = sizeof l->text;
	if (get_text(l, o, at, key, l->text, max) != 0)
		return -1;
	c = &l->names[str_hash(l->text) % LD_NAMES];
	if (*c == NULL || strcmp(*c, l->text) != 0) {
		if ((r = rstr_dup(l->text)) == NULL)
			return ld_fail(l, at, key, "out of memory");
		rstr_unref(*c);
		*c = r;
	}
	rstr_assign(slot, *c);
	return 0;
}

/* An object member that must be an object (or null / missing: NULL). */
static int
get_obj(struct ld *l, const json_t *o, const char *at, const char *key,
    const json_t **out)
{
	const json_t	*v = json_object_get(o, key);

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_object(v))
		return ld_fail(l, at, key, "expected an object");
	*out = v;
	return 0;
}

/* An array member of at most max entries (null / missing: NULL). */
static int
get_arr(struct ld *l, const json_t *o, const char *at, const char *key,
    const json_t **out, size_t max)
{
	const json_t	*v = json_object_get(o, key);

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_array(v))
		return ld_fail(l, at, key, "expected an array");
	if (json_array_size(v) > max)
		return ld_fail(l, at, key, "more than %zu entries", max);
	*out = v;
	return 0;
}

/*
 * The figures of one object into the struct at base, by a table of
 * sample.h (FIG_COUNT: a whole number from 0, default 0).
 */
static int
get_figs(struct ld *l, const json_t *o, const char *at, void *base,
    const struct fig_field *f)
{
	char	*p;

	for (; f->name != NULL; f++) {
		p = (char *)base + f->off;
		if (f->flags & FIG_COUNT) {
			if (get_int(l, o, at, f->name, (int *)(void *)p, 0,
			    INT_MAX, 0) != 0)
				return -1;
		} else if (get_fig(l, o, at, f->name, (double *)(void *)p,
		    f->flags) != 0)
			return -1;
	}
	return 0;
}

/* An object member (null or missing: nothing) by a table, as get_figs(). */
static int
get_obj_figs(struct ld *l, const json_t *o, const char *at, const char *key,
    void *base, const struct fig_field *f)
{
	const json_t	*v;
	char		 a[SNAP_AT_MAX];

	if (get_obj(l, o, at, key, &v) != 0)
		return -1;
	if (v == NULL)
		return 0;
	return get_figs(l, v, ld_at(a, sizeof a, at, key, -1), base, f);
}

/* ---- samples ------------------------------------------------------------ */

/* Each member of arr must be an object. */
static const json_t *
arr_obj(struct ld *l, const json_t *arr, const char *at, const char *key,
    size_t i)
{
	const json_t	*v = json_array_get(arr, i);
	char		 buf[SNAP_AT_MAX];

	if (!json_is_object(v)) {
		ld_fail(l, ld_at(buf, sizeof buf, at, key, (int)i), NULL,
		    "expected an object");
		return NULL;
	}
	return v;
}

/* One process row into t (cmdline cut to cmdmax bytes). */
static int
load_proc(struct ld *l, const json_t *o, const char *at, struct proctab *t,
    size_t cmdmax)
{
	struct proc	 p;
	const json_t	*st;
	const char	*sv;
	char		 user[NAME_MAX_USER], comm[NAME_MAX_COMM];

	memset(&p, 0, sizeof p);
	p.user = user;
	p.comm = comm;
	if (get_int(l, o, at, "pid", &p.pid, 0, INT_MAX, -1) != 0)
		return -1;
	if (p.pid < 0)
		return ld_fail(l, at, "pid", "expected a whole number");
	if (get_int(l, o, at, "ppid", &p.ppid, 0, INT_MAX, 0) != 0 ||
	    get_text(l, o, at, "user", user, sizeof user) != 0 ||
	    get_text(l, o, at, "command", comm, sizeof comm) != 0 ||
	    get_figs(l, o, at, &p, proc_fields) != 0)
		return -1;
	/* One printable ASCII letter, or null. */
	st = json_object_get(o, "state");
	if (st != NULL && !json_is_null(st)) {
		if (!json_is_string(st) || json_string_length(st) != 1 ||
		    (sv = json_string_value(st))[0] <= ' ' ||
		    (unsigned char)sv[0] >= 0x7f)
			return ld_fail(l, at, "state", "expected one letter");
		p.state = sv[0];
	}
	if (cmdmax > sizeof l->text)
		cmdmax = sizeof l->text;
	if (get_text(l, o, at, "cmdline", l->text, cmdmax) != 0)
		return -1;
	if (proctab_add(t, &p, l->text, cmdmax) == NULL)
		return ld_fail(l, at, NULL, "out of memory");
	return 0;
}

static int
load_procs(struct ld *l, const json_t *arr, const char *at, struct proctab *t,
    size_t cmdmax)
{
	const json_t	*o;
	char		 buf[SNAP_AT_MAX];
	size_t		 i;

	for (i = 0; arr != NULL && i < json_array_size(arr); i++) {
		if ((o = arr_obj(l, arr, at, "", i)) == NULL)
			return -1;
		if (load_proc(l, o, ld_at(buf, sizeof buf, at, "", (int)i), t,
		    cmdmax) != 0)
			return -1;
	}
	return 0;
}

static int
load_cpu(struct ld *l, const json_t *so, const char *at, struct sample *s)
{
	const json_t	*c, *pc, *pd, *o;
	char		 a[SNAP_AT_MAX], b[SNAP_AT_MAX];
	size_t		 i, n;

	if (get_obj(l, so, at, "cpu", &c) != 0)
		return -1;
	if (c == NULL)
		return 0;
	ld_at(a, sizeof a, at, "cpu", -1);
	if (get_figs(l, c, a, &s->cpu, cpu_figs_fields) != 0 ||
	    get_arr(l, c, a, "per_cpu", &pc, SNAP_CPUS_MAX) != 0 ||
	    get_arr(l, c, a, "per_cpu_detail", &pd, SNAP_CPUS_MAX) != 0)
		return -1;
	/* The detail when there is one, else the busy shares alone. */
	n = pd != NULL ? json_array_size(pd) : pc != NULL ?
	    json_array_size(pc) : 0;
	if (sample_reserve_cpus(s, (int)n) != 0)
		return ld_fail(l, a, NULL, "out of memory");
	for (i = 0; i < n; i++) {
		cpu_figs_na(&s->per_cpu[i]);
		if (pd != NULL) {
			if ((o = arr_obj(l, pd, a, "per_cpu_detail", i)) ==
			    NULL || get_figs(l, o, ld_at(b, sizeof b, a,
			    "per_cpu_detail", (int)i), &s->per_cpu[i],
			    cpu_figs_fields) != 0)
				return -1;
			continue;
		}
		o = json_array_get(pc, i);
		if (json_is_null(o))
			continue;
		if (!json_is_number(o) || !isfinite(json_number_value(o)) ||
		    json_number_value(o) < 0)
			return ld_fail(l, ld_at(b, sizeof b, a, "per_cpu",
			    (int)i), NULL, "expected a number, not negative");
		s->per_cpu[i].busy = json_number_value(o);
	}
	s->ncpu = (int)n;
	return 0;
}

static int
load_load(struct ld *l, const json_t *so, const char *at, struct sample *s)
{
	const json_t	*a, *v;
	char		 b[SNAP_AT_MAX];
	size_t		 i;

	if (get_arr(l, so, at, "load", &a, 3) != 0)
		return -1;
	for (i = 0; a != NULL && i < json_array_size(a); i++) {
		v = json_array_get(a, i);
		if (json_is_null(v))
			continue;
		if (!json_is_number(v) || !isfinite(json_number_value(v)) ||
		    json_number_value(v) < 0)
			return ld_fail(l, ld_at(b, sizeof b, at, "load",
			    (int)i), NULL, "expected a number, not negative");
		s->load[i] = json_number_value(v);
	}
	return 0;
}

static int
load_psi(struct ld *l, const json_t *so, const char *at, struct sample *s)
{
	const json_t	*p;
	char		 a[SNAP_AT_MAX];
	int		 i;

	if (get_obj(l, so, at, "psi", &p) != 0)
		return -1;
	if (p == NULL)
		return 0;
	ld_at(a, sizeof a, at, "psi", -1);
	for (i = 0; i < PSI_NRES; i++)
		if (get_obj_figs(l, p, a, psi_res_names[i], &s->psi[i],
		    psi_figs_fields) != 0)
			return -1;
	return 0;
}

/*
 * Entry i of the disks, interfaces or mounts from object o.  It is counted
 * in s before it is read: the names it gets are then s's to drop.
 */
static int
load_disk(struct ld *l, const json_t *o, const char *at, struct sample *s,
    int i)
{
	struct disk_figs *d = &s->disks[i];

	memset(d, 0, sizeof *d);
	s->ndisk = i + 1;
	if (get_name(l, o, at, "name", &d->name, NAME_MAX_DEV) != 0 ||
	    get_figs(l, o, at, d, disk_figs_fields) != 0)
		return -1;
	return 0;
}

static int
load_net(struct ld *l, const json_t *o, const char *at, struct sample *s,
    int i)
{
	struct net_figs	*nf = &s->nets[i];
	const json_t	*up;

	memset(nf, 0, sizeof *nf);
	s->nnet = i + 1;
	if (get_name(l, o, at, "name", &nf->name, NAME_MAX_DEV) != 0 ||
	    get_figs(l, o, at, nf, net_figs_fields) != 0)
		return -1;
	up = json_object_get(o, "up");
	if (up == NULL || json_is_null(up))
		nf->up = -1;
	else if (json_is_boolean(up))
		nf->up = json_is_true(up) ? 1 : 0;
	else
		return ld_fail(l, at, "up", "expected true, false or null");
	return 0;
}

static int
load_mount(struct ld *l, const json_t *o, const char *at, struct sample *s,
    int i)
{
	struct fs_figs	*f = &s->fs[i];

	memset(f, 0, sizeof *f);
	s->nfs = i + 1;
	if (get_name(l, o, at, "mount", &f->mount, NAME_MAX_MOUNT) != 0 ||
	    get_name(l, o, at, "device", &f->device, NAME_MAX_FSDEV) != 0 ||
	    get_name(l, o, at, "fstype", &f->fstype, NAME_MAX_FSTYPE) != 0 ||
	    get_figs(l, o, at, f, fs_figs_fields) != 0)
		return -1;
	return 0;
}

/* The array member key of sample object so: room for all, then each. */
static int
load_devs(struct ld *l, const json_t *so, const char *at, const char *key,
    struct sample *s, int (*reserve)(struct sample *, int),
    int (*one)(struct ld *, const json_t *, const char *, struct sample *,
    int))
{
	const json_t	*arr, *o;
	char		 a[SNAP_AT_MAX];
	size_t		 i, n;

	if (get_arr(l, so, at, key, &arr, SNAP_DEVS_MAX) != 0)
		return -1;
	n = arr != NULL ? json_array_size(arr) : 0;
	if (reserve(s, (int)n) != 0)
		return ld_fail(l, at, key, "out of memory");
	for (i = 0; i < n; i++) {
		if ((o = arr_obj(l, arr, at, key, i)) == NULL ||
		    one(l, o, ld_at(a, sizeof a, at, key, (int)i), s,
		    (int)i) != 0)
			return -1;
	}
	return 0;
}

/* One member of samples[] into s (reset by the caller). */
static int
load_sample(struct ld *l, const json_t *so, int idx, struct sample *s)
{
	const json_t	*top;
	char		 at[SNAP_AT_MAX], a[SNAP_AT_MAX];

	snprintf(at, sizeof at, "samples[%d]", idx);
	if (!json_is_object(so))
		return ld_fail(l, at, NULL, "expected an object");
	if (get_figs(l, so, at, s, sample_time_fields) != 0 ||
	    get_figs(l, so, at, s, sample_sched_fields) != 0 ||
	    load_cpu(l, so, at, s) != 0 || load_load(l, so, at, s) != 0 ||
	    get_obj_figs(l, so, at, "mem", &s->mem, mem_figs_fields) != 0)
		return -1;
	if (load_psi(l, so, at, s) != 0 ||
	    load_devs(l, so, at, "disks", s, sample_reserve_disks,
	    load_disk) != 0 ||
	    load_devs(l, so, at, "net", s, sample_reserve_nets,
	    load_net) != 0 ||
	    load_devs(l, so, at, "fs", s, sample_reserve_fs, load_mount) != 0 ||
	    get_obj_figs(l, so, at, "self", s, sample_self_fields) != 0)
		return -1;
	if (get_arr(l, so, at, "top", &top, SNAP_TOP_MAX) != 0 ||
	    load_procs(l, top, ld_at(a, sizeof a, at, "top", -1), &s->top,
	    CMDLINE_TOP_MAX) != 0 ||
	    get_obj_figs(l, so, at, "nprocs", &s->top, proctab_count_fields) !=
	    0)
		return -1;
	s->seq = (uint64_t)idx + 1;
	return 0;
}

/* ---- head --------------------------------------------------------------- */

#define FIELD(type, name, member, flags) \
	{ name, offsetof(struct type, member), flags }

const struct fig_field snapshot_baseline_fields[] = {
	FIELD(baseline, "t_first", t_first, FIG_NONNEG),
	FIELD(baseline, "t_last", t_last, FIG_NONNEG),
	FIELD(baseline, "nsamples", nsamples, FIG_COUNT),
	FIELD(baseline, "interval_s", interval_s, FIG_NONNEG),
	{ NULL, 0, 0 }
};

/* Means, percentiles and autocorrelations may be negative; spreads not. */
const struct fig_field snapshot_stat_fields[] = {
	FIELD(base_stat, "n", n, FIG_COUNT),
	FIELD(base_stat, "mean", mean, FIG_ANY),
	FIELD(base_stat, "sd", sd, FIG_NONNEG),
	FIELD(base_stat, "p50", p50, FIG_ANY),
	FIELD(base_stat, "p95", p95, FIG_ANY),
	FIELD(base_stat, "min", min, FIG_ANY),
	FIELD(base_stat, "max", max, FIG_ANY),
	FIELD(base_stat, "nblocks", nblocks, FIG_COUNT),
	FIELD(base_stat, "bmean", bmean, FIG_ANY),
	FIELD(base_stat, "bsd", bsd, FIG_NONNEG),
	FIELD(base_stat, "bac1", bac1, FIG_ANY),
	{ NULL, 0, 0 }
};

const struct fig_field snapshot_level_fields[] = {
	FIELD(level, "info", info, FIG_NONNEG),
	FIELD(level, "warn", warn, FIG_NONNEG),
	FIELD(level, "crit", crit, FIG_NONNEG),
	{ NULL, 0, 0 }
};

static int
load_host(struct ld *l, const json_t *root, struct host *h)
{
	const json_t	*o;

	memset(h, 0, sizeof *h);
	h->boot_time = h->mem_total_bytes = FIG_NA;
	if (get_obj(l, root, "", "host", &o) != 0)
		return -1;
	if (o == NULL)
		return ld_fail(l, "", "host", "missing");
	if (get_text(l, o, "host", "hostname", h->hostname,
	    sizeof h->hostname) != 0 ||
	    get_text(l, o, "host", "kernel", h->kernel, sizeof h->kernel) != 0 ||
	    get_text(l, o, "host", "os", h->os, sizeof h->os) != 0 ||
	    get_text(l, o, "host", "arch", h->arch, sizeof h->arch) != 0 ||
	    get_int(l, o, "host", "cpus", &h->cpus, 1, SNAP_CPUS_MAX, 0) != 0 ||
	    get_figs(l, o, "host", h, host_fields) != 0)
		return -1;
	return 0;
}

/* A string member that must be one of names[]; *out keeps its value when
 * the member is missing. */
static int
get_choice(struct ld *l, const json_t *o, const char *at, const char *key,
    const char *const *names, int n, int *out)
{
	const json_t	*v = json_object_get(o, key);
	int		 i;

	if (v == NULL || json_is_null(v))
		return 0;
	if (json_is_string(v))
		for (i = 0; i < n; i++)
			if (strcmp(json_string_value(v), names[i]) == 0) {
				*out = i;
				return 0;
			}
	return ld_fail(l, at, key, "expected one of \"%s\" ... \"%s\"",
	    names[0], names[n - 1]);
}

/* A number within [min, max]; keeps *out when null or missing. */
static int
get_range(struct ld *l, const json_t *o, const char *at, const char *key,
    double *out, double min, double max)
{
	double	 v;

	if (get_fig(l, o, at, key, &v, FIG_ANY) != 0)
		return -1;
	if (!FIG_OK(v))
		return 0;
	if (v < min || v > max)
		return ld_fail(l, at, key, "must be from %g to %g", min, max);
	*out = v;
	return 0;
}

/* The thresholds of the config object: each metric's levels (null =
 * off), then the plain settings; the whole must pass thresholds_check(). */
static int
load_thresholds(struct ld *l, const json_t *co, struct thresholds *th)
{
	const json_t	*t;
	char		*why = NULL;
	int		 m;

	if (get_obj(l, co, "config", "thresholds", &t) != 0)
		return -1;
	if (t == NULL)
		return 0;
	for (m = 0; m < M_NMETRICS; m++)
		if (get_obj_figs(l, t, "config.thresholds",
		    metric_get((enum metric)m)->conf, &th->lv[m],
		    snapshot_level_fields) != 0)
			return -1;
	if (get_range(l, t, "config.thresholds", "alert_duration_s",
	    &th->alert_duration_s, 0, 86400) != 0 ||
	    get_range(l, t, "config.thresholds", "hysteresis_pct",
	    &th->hysteresis_pct, 0, 50) != 0 ||
	    get_range(l, t, "config.thresholds", "hysteresis_rel",
	    &th->hysteresis_rel, 0, 0.99) != 0 ||
	    get_int(l, t, "config.thresholds", "trend_min_points",
	    &th->trend_min_points, 3, CONFIG_HISTORY_MAX,
	    th->trend_min_points) != 0 ||
	    get_range(l, t, "config.thresholds", "trend_min_r2",
	    &th->trend_min_r2, 0, 1) != 0)
		return -1;
	if (thresholds_check(th, &why) != 0) {
		ld_fail(l, "config", NULL, "%s", why);
		free(why);
		return -1;
	}
	return 0;
}

/* The config in force when the snapshot was taken, on the defaults. */
static int
load_config(struct ld *l, const json_t *root, struct snapshot *snap)
{
	static const char *const colors[] = { "auto", "always", "never" };
	const char	*sorts[SORT_NKEYS];
	struct config	*cfg = &snap->cfg;
	const json_t	*co;
	int		 i, v;

	conf_defaults(cfg);
	if (get_obj(l, root, "", "config", &co) != 0)
		return -1;
	if (co == NULL)
		return 0;
	for (i = 0; i < SORT_NKEYS; i++)
		sorts[i] = proc_sort_name((enum proc_sort)i);
	if (get_range(l, co, "config", "interval_s", &cfg->interval_s,
	    CONFIG_INTERVAL_MIN, CONFIG_INTERVAL_MAX) != 0 ||
	    get_int(l, co, "config", "history", &cfg->history,
	    CONFIG_HISTORY_MIN, CONFIG_HISTORY_MAX, cfg->history) != 0 ||
	    get_range(l, co, "config", "window_s", &cfg->window_s, 1,
	    3600) != 0 ||
	    get_bool(l, co, "config", "ascii_only", &cfg->ascii_only) != 0 ||
	    get_int(l, co, "config", "overview_procs", &cfg->overview_procs,
	    0, 50, cfg->overview_procs) != 0 ||
	    get_bool(l, co, "config", "redact", &cfg->redact) != 0)
		return -1;
	v = (int)cfg->color;
	if (get_choice(l, co, "config", "color", colors, 3, &v) != 0)
		return -1;
	cfg->color = (enum color_mode)v;
	v = (int)cfg->sort;
	if (get_choice(l, co, "config", "sort", sorts, SORT_NKEYS, &v) != 0)
		return -1;
	cfg->sort = (enum proc_sort)v;
	if (load_thresholds(l, co, &cfg->th) != 0)
		return -1;
	snap->has_config = true;
	return 0;
}

static int
load_baseline(struct ld *l, const json_t *root, struct snapshot *snap)
{
	struct baseline	*b = &snap->baseline;
	const json_t	*bo, *arr, *o;
	char		 at[SNAP_AT_MAX];
	size_t		 i;

	if (get_obj(l, root, "", "baseline", &bo) != 0)
		return -1;
	if (bo == NULL)
		return 0;
	memset(b, 0, sizeof *b);
	if (get_figs(l, bo, "baseline", b, snapshot_baseline_fields) != 0 ||
	    get_text(l, bo, "baseline", "source", b->source,
	    sizeof b->source) != 0)
		return -1;
	if (get_arr(l, bo, "baseline", "stats", &arr, BASELINE_STATS_MAX) != 0)
		return -1;
	for (i = 0; arr != NULL && i < json_array_size(arr); i++) {
		struct base_stat *st = &b->stats[b->nstats];
		if ((o = arr_obj(l, arr, "baseline", "stats", i)) == NULL)
			return -1;
		ld_at(at, sizeof at, "baseline", "stats", (int)i);
		if (get_text(l, o, at, "key", st->key, sizeof st->key) != 0 ||
		    get_figs(l, o, at, st, snapshot_stat_fields) != 0)
			return -1;
		if (st->key[0] == '\0')
			return ld_fail(l, at, "key", "expected a name");
		b->nstats++;
	}
	if (get_arr(l, bo, "baseline", "procs", &arr, BASELINE_PROCS_MAX) != 0)
		return -1;
	for (i = 0; arr != NULL && i < json_array_size(arr); i++) {
		struct base_proc *bp = &b->procs[b->nprocs];
		if ((o = arr_obj(l, arr, "baseline", "procs", i)) == NULL)
			return -1;
		ld_at(at, sizeof at, "baseline", "procs", (int)i);
		if (get_int(l, o, at, "pid", &bp->pid, 0, INT_MAX, 0) != 0 ||
		    get_fig(l, o, at, "start_time", &bp->start_time,
		    FIG_NONNEG) != 0 || get_text(l, o, at, "command",
		    bp->comm, sizeof bp->comm) != 0 || get_fig(l, o, at,
		    "cpu_pct", &bp->cpu_pct, FIG_NONNEG) != 0 ||
		    get_fig(l, o, at, "rss_bytes", &bp->rss_bytes,
		    FIG_NONNEG) != 0)
			return -1;
		b->nprocs++;
	}
	snap->has_baseline = true;
	return 0;
}

/* format_version: present, whole, known. */
static int
load_version(struct ld *l, const json_t *root, int *out)
{
	const json_t	*v;
	json_int_t	 n;

	if (!json_is_object(root) ||
	    (v = json_object_get(root, "format_version")) == NULL) {
		l->cause = xprintf("%s: not a perftop snapshot (no "
		    "format_version)", l->path);
		return -1;
	}
	if (!json_is_integer(v))
		return ld_fail(l, "", "format_version", "expected a whole "
		    "number");
	n = json_integer_value(v);
	if (n < 1)
		return ld_fail(l, "", "format_version", "%lld is not a "
		    "format version", (long long)n);
	if (n > EXPORT_FORMAT_VERSION) {
		l->cause = xprintf("%s: snapshot format version %lld is newer "
		    "than this perftop understands (%d); upgrade perftop",
		    l->path, (long long)n, EXPORT_FORMAT_VERSION);
		return -1;
	}
	*out = (int)n;
	return 0;
}

/* Parse the file, refusing what is not a regular file of sane size. */
static json_t *
load_json(struct ld *l)
{
	json_error_t	 err;
	json_t		*root;
	struct stat	 sb;
	char		*buf;
	size_t		 size, len;
	ssize_t		 n = 0;
	int		 fd, fl, saved;

	/* O_NONBLOCK: a FIFO must not hang the open. */
	if ((fd = open(l->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0) {
		l->cause = xprintf("%s: %s", l->path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		l->cause = xprintf("%s: not a regular file", l->path);
		close(fd);
		return NULL;
	}
	if ((unsigned long long)sb.st_size > SNAPSHOT_FILE_MAX) {
		l->cause = xprintf("%s: too large for a snapshot (%lld bytes, "
		    "at most %lu)", l->path, (long long)sb.st_size,
		    SNAPSHOT_FILE_MAX);
		close(fd);
		return NULL;
	}
	if (sb.st_size == 0) {
		l->cause = xprintf("%s: empty file, not a perftop snapshot",
		    l->path);
		close(fd);
		return NULL;
	}
	if ((fl = fcntl(fd, F_GETFL)) != -1)
		fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	/* Read it whole, at most the size fstat saw (a file that grows under
	 * us is cut there and fails to parse), then parse from memory:
	 * json_loadfd() reads one byte per system call. */
	size = (size_t)sb.st_size;
	if ((buf = malloc(size)) == NULL) {
		l->cause = xprintf("%s: out of memory", l->path);
		close(fd);
		return NULL;
	}
	for (len = 0; len < size; len += (size_t)n) {
		n = read(fd, buf + len, size - len);
		if (n < 0 && errno == EINTR) {
			n = 0;
			continue;
		}
		if (n <= 0)
			break;
	}
	saved = errno;
	close(fd);
	if (n < 0) {
		l->cause = xprintf("%s: %s", l->path, strerror(saved));
		free(buf);
		return NULL;
	}
	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL,
	    &err);
	free(buf);
	if (root == NULL) {
		l->cause = xprintf("%s: truncated or invalid JSON at line %d: "
		    "%s", l->path, err.line, err.text);
		return NULL;
	}
	return root;
}

/* A sensible interval when the file states none: the median gap. */
static double
guess_interval(struct ring *r)
{
	int	 i, n = ring_len(r);
	double	 best = FIG_NA;

	for (i = 0; i < n; i++) {
		const struct sample *s = ring_get(r, i);
		if (FIG_OK(s->dt) && s->dt >= CONFIG_INTERVAL_MIN &&
		    s->dt <= CONFIG_INTERVAL_MAX) {
			best = s->dt;
			break;
		}
	}
	return FIG_OK(best) ? best : 1.0;
}

int
snapshot_load(const char *path, struct snapshot *snap, char **cause)
{
	return snapshot_load_feed(path, snap, NULL, NULL, cause);
}

int
snapshot_load_feed(const char *path, struct snapshot *snap,
    void (*fed)(struct snapshot *, void *), void *arg, char **cause)
{
	struct ld	*l;
	json_t		*root;
	const json_t	*samples, *procs;
	struct sample	 s;
	struct proctab	 full;
	double		 mono = 0, prev_t = FIG_NA;
	size_t		 i, n;
	int		 rc = -1;

	memset(snap, 0, sizeof *snap);
	l = xcalloc(1, sizeof *l);
	l->path = path;
	memset(&s, 0, sizeof s);
	memset(&full, 0, sizeof full);
	if ((root = load_json(l)) == NULL)
		goto out;
	if (load_version(l, root, &snap->format_version) != 0 ||
	    load_host(l, root, &snap->host) != 0 ||
	    load_config(l, root, snap) != 0 ||
	    load_baseline(l, root, snap) != 0)
		goto out;
	if (get_fig(l, root, "", "interval_s", &snap->interval_s,
	    FIG_NONNEG) != 0)
		goto out;
	if (FIG_OK(snap->interval_s) && (snap->interval_s <
	    CONFIG_INTERVAL_MIN || snap->interval_s > CONFIG_INTERVAL_MAX)) {
		ld_fail(l, "", "interval_s", "must be from %g to %g",
		    CONFIG_INTERVAL_MIN, CONFIG_INTERVAL_MAX);
		goto out;
	}
	if (get_arr(l, root, "", "samples", &samples, SNAP_SAMPLES_MAX) != 0 ||
	    get_arr(l, root, "", "processes", &procs, SNAP_PROCS_MAX) != 0)
		goto out;
	if (samples == NULL || (n = json_array_size(samples)) == 0) {
		ld_fail(l, "", "samples", "no sample in the file");
		goto out;
	}
	/* The full table first: it is pushed with the newest sample. */
	if (load_procs(l, procs, "processes", &full, CMDLINE_MAX) != 0)
		goto out;

	/* The interval before any sample is fed: the file's, the config's,
	 * or the first sample's gap. */
	if (!FIG_OK(snap->interval_s) && snap->has_config)
		snap->interval_s = snap->cfg.interval_s;
	snap->ring = ring_create((int)n, &snap->host);
	for (i = 0; i < n; i++) {
		sample_reset(&s);
		if (load_sample(l, json_array_get(samples, i), (int)i, &s) != 0)
			goto out;
		/*
		 * A monotonic clock from the intervals the samples cover, so
		 * rates derived between samples (PSI shares) see the gaps the
		 * live run saw; counted from 0 to keep every digit.
		 */
		if (FIG_OK(s.dt) && s.dt > 0 && i > 0)
			mono += s.dt;
		else if (FIG_OK(prev_t) && s.t > prev_t)
			mono += s.t - prev_t;
		s.mono = mono;
		prev_t = s.t;
		if (i == n - 1) {
			/* The table's counts are the sample's. */
			full.total = s.top.total;
			full.running = s.top.running;
			full.threads = s.top.threads;
		}
		ring_push(snap->ring, &s, i == n - 1 ? &full : NULL);
		if (fed != NULL)
			fed(snap, arg);
	}
	if (!FIG_OK(snap->interval_s))
		snap->interval_s = guess_interval(snap->ring);
	rc = 0;

out:
	sample_done(&s);
	proctab_done(&full);
	json_decref(root);
	if (rc != 0) {
		ring_free(snap->ring);
		snap->ring = NULL;
		if (l->cause == NULL)
			l->cause = xprintf("%s: cannot be loaded", path);
		if (cause != NULL)
			*cause = l->cause;
		else
			free(l->cause);
	} else
		free(l->cause);
	for (i = 0; i < LD_NAMES; i++)
		rstr_unref(l->names[i]);
	free(l);
	return rc;
}

void
snapshot_free(struct snapshot *snap)
{
	if (snap == NULL)
		return;
	ring_free(snap->ring);
	memset(snap, 0, sizeof *snap);
}

/* ---- writing ------------------------------------------------------------ */

void
snapshot_names(const char *dir, const char *host, double t, bool redact,
    char *json, char *md, size_t size)
{
	char		 h[256], name[64], when[32], sep[2] = "/";
	const char	*src = host != NULL ? host : "";
	size_t		 i, k = 0, dlen;
	struct tm	 tm;
	time_t		 tt;

	if (redact) {
		redact_host(h, sizeof h, src);
		src = h;
	}
	for (i = 0; src[i] != '\0' && k < sizeof name - 1; i++) {
		char c = src[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-')
			name[k++] = c;
	}
	name[k] = '\0';
	if (k == 0)
		strlcpy0(name, "unknown", sizeof name);
	tt = FIG_OK(t) && t >= 0 && t < 253402300800.0 ? (time_t)t :
	    time(NULL);
	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(when, sizeof when, "%Y%m%dT%H%M%SZ", &tm) == 0)
		strlcpy0(when, "00000000T000000Z", sizeof when);
	if (dir == NULL || *dir == '\0' || strcmp(dir, ".") == 0) {
		dir = "";
		sep[0] = '\0';
	} else {
		dlen = strlen(dir);
		if (dir[dlen - 1] == '/')
			sep[0] = '\0';
	}
	snprintf(json, size, "%s%sperftop-%s-%s.json", dir, sep, name, when);
	snprintf(md, size, "%s%sperftop-%s-%s.md", dir, sep, name, when);
}

/*
 * A ring holding only the samples of the report's window that lie within
 * the baseline's [t_first, t_last], the moment's process table as its full
 * table; NULL when no sample is in it (or memory ran out).
 */
static struct ring *
window_ring(const struct report *rp, const struct baseline *b)
{
	const struct sample	*s;
	struct ring		*r;
	struct sample		 tmp;
	struct proctab		 full;
	int			 k, first = -1, last = -1, n = export_len(rp);

	for (k = 0; k < n; k++) {
		s = export_sample(rp, k);
		if (s->t >= b->t_first && s->t <= b->t_last) {
			if (last < 0)
				last = k;
			first = k;
		}
	}
	if (last < 0)
		return NULL;
	r = ring_create(first - last + 1, ring_host(rp->ring));
	memset(&tmp, 0, sizeof tmp);
	memset(&full, 0, sizeof full);
	for (k = first; k >= last; k--) {
		sample_reset(&tmp);
		if (sample_copy(&tmp, export_sample(rp, k)) != 0)
			goto fail;
		if (k == last && proctab_copy(&full, last == 0 ?
		    export_procs(rp) : &export_sample(rp, k)->top) != 0)
			goto fail;
		ring_push(r, &tmp, k == last ? &full : NULL);
	}
	sample_done(&tmp);
	proctab_done(&full);
	return r;

fail:
	sample_done(&tmp);
	proctab_done(&full);
	ring_free(r);
	return NULL;
}

int
snapshot_write(const char *path, const struct report *rp, char **cause)
{
	struct report	 sr = *rp;
	struct ring	*win = NULL;
	int		 rc;

	sr.snapshot = true;
	sr.redact = rp->redact || (rp->cfg != NULL && rp->cfg->redact);
	/* The saved baseline is a snapshot of the captured window. */
	if (rp->base != NULL && ring_len(rp->ring) > 0 &&
	    (win = window_ring(rp, rp->base)) != NULL) {
		sr.ring = win;
		sr.age = 0;
	}
	rc = export_to_path(path, EXPORT_JSON, &sr, 0600, cause);
	ring_free(win);
	return rc;
}

int
snapshot_export(const char *dir, const struct report *rp, char *json,
    char *md, size_t size, char **cause)
{
	struct report		 sr = *rp;
	const struct sample	*now;
	struct stat		 sb;
	char			 host[256];

	if (dir == NULL || *dir == '\0')
		dir = ".";
	if (stat(dir, &sb) != 0) {
		set_cause(cause, "%s: %s", dir, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(sb.st_mode)) {
		set_cause(cause, "%s: not a directory", dir);
		return -1;
	}
	if (ring_len(rp->ring) == 0 || (now = export_sample(rp, 0)) == NULL) {
		set_cause(cause, "nothing to export yet");
		return -1;
	}
	sr.snapshot = true;
	sr.redact = rp->redact || (rp->cfg != NULL && rp->cfg->redact);
	strlcpy0(host, ring_host(rp->ring)->hostname, sizeof host);
	snapshot_names(dir, host, now->t, sr.redact, json, md, size);
	if (export_to_path(json, EXPORT_JSON, &sr, 0600, cause) != 0)
		return -1;
	sr.snapshot = false;
	return export_to_path(md, EXPORT_MARKDOWN, &sr, 0600, cause);
}

int
baseline_state_path(char *buf, size_t n)
{
	const char	*x = getenv("XDG_STATE_HOME"), *home;
	int		 len;

	if (x != NULL && x[0] == '/')
		len = snprintf(buf, n, "%s/perftop/baseline.json", x);
	else if ((home = getenv("HOME")) != NULL && home[0] == '/')
		len = snprintf(buf, n, "%s/.local/state/perftop/baseline.json",
		    home);
	else
		return -1;
	return len >= 0 && (size_t)len < n ? 0 : -1;
}
