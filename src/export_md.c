/*
 * export_md.c - the Markdown report: something to paste into a ticket.
 *
 * A title with the host and the time window, the host facts, a "Key
 * figures" table (average, maximum and last value of each figure over the
 * window, per disk, interface and filesystem too) and the busiest processes
 * of the last sample.  It states figures only: it does not diagnose.
 *
 * Every piece of text that came from the machine (names, command lines) is
 * written as a code span, so Markdown syntax in it (*, _, <, backslashes)
 * shows as it is; a '|' is escaped as "\|" so that no cell can split a
 * table row (GitHub and CommonMark table extensions unescape it inside code
 * spans too), and the fence is longer than any run of backticks inside.
 * Sanitized text has no newlines, so a cell can never end a row early.
 */
#include <config.h>

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "export.h"
#include "sanitize.h"
#include "util.h"

#define MD_TOP_PROCS	15
#define MD_CMD_COLS	120	/* command line shown per process, columns */

enum md_unit { MD_PCT, MD_BYTES, MD_RATE, MD_NUM, MD_PERSEC, MD_MS };

/* A value of one sample: a field at off, in the entity called name. */
typedef double (*md_get)(const struct sample *, const char *name, size_t off);

/* Average, maximum and last value of a figure over the window. */
struct md_acc {
	double	 sum, max, last;
	int	 n;
};

static void
md_iso(char *buf, size_t bufsz, double t)
{
	struct tm	 tm;
	time_t		 tt;

	if (!isfinite(t) || t < 0) {
		snprintf(buf, bufsz, "n/a");
		return;
	}
	tt = (time_t)t;
	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(buf, bufsz, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, bufsz, "n/a");
}

/*
 * Write s as a code span that is safe in a table cell; at most maxcols
 * columns of it (0: all), then an ellipsis.  Empty text writes nothing.
 */
static void
md_code(FILE *f, const char *s, int maxcols)
{
	size_t	 len = strlen(s), i;
	int	 run = 0, longest = 0, pad, k;
	bool	 cut = false;

	if (maxcols > 0 && text_width(s) > maxcols) {
		len = text_fit(s, maxcols - 1, NULL);
		cut = true;
	}
	if (len == 0) {
		if (cut)
			fputs("…", f);
		return;
	}
	for (i = 0; i < len; i++) {
		run = s[i] == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	pad = s[0] == '`' || s[0] == ' ' || s[len - 1] == '`' ||
	    s[len - 1] == ' ';
	for (k = 0; k <= longest; k++)
		fputc('`', f);
	if (pad)
		fputc(' ', f);
	for (i = 0; i < len; i++) {
		if (s[i] == '|')
			fputc('\\', f);
		fputc(s[i], f);
	}
	if (pad)
		fputc(' ', f);
	for (k = 0; k <= longest; k++)
		fputc('`', f);
	if (cut)
		fputs("…", f);
}

static const char *
md_value(char *buf, size_t bufsz, double v, enum md_unit unit)
{
	if (!isfinite(v)) {
		snprintf(buf, bufsz, "n/a");
		return buf;
	}
	switch (unit) {
	case MD_PCT:
		return fmt_pct(buf, bufsz, v);
	case MD_BYTES:
		return fmt_bytes(buf, bufsz, v);
	case MD_RATE:
		return fmt_rate(buf, bufsz, v);
	case MD_NUM:
		snprintf(buf, bufsz, "%.2f", v);
		break;
	case MD_PERSEC:
		snprintf(buf, bufsz, "%.1f/s", v);
		break;
	case MD_MS:
		snprintf(buf, bufsz, "%.1f ms", v);
		break;
	}
	return buf;
}

static double
get_field(const struct sample *s, const char *name, size_t off)
{
	(void)name;
	return *(const double *)(const void *)((const char *)s + off);
}

static double
get_core_max(const struct sample *s, const char *name, size_t off)
{
	double	 m = FIG_NA;
	int	 i;

	(void)name;
	(void)off;
	for (i = 0; i < s->ncpu; i++) {
		if (FIG_OK(s->per_cpu[i].busy) &&
		    (!FIG_OK(m) || s->per_cpu[i].busy > m))
			m = s->per_cpu[i].busy;
	}
	return m;
}

#define ENTITY_FIELD(p, off) \
	(*(const double *)(const void *)((const char *)(p) + (off)))

static double
get_disk(const struct sample *s, const char *name, size_t off)
{
	int	 i;

	for (i = 0; i < s->ndisk; i++)
		if (strcmp(s->disks[i].name, name) == 0)
			return ENTITY_FIELD(&s->disks[i], off);
	return FIG_NA;
}

static double
get_net(const struct sample *s, const char *name, size_t off)
{
	int	 i;

	for (i = 0; i < s->nnet; i++)
		if (strcmp(s->nets[i].name, name) == 0)
			return ENTITY_FIELD(&s->nets[i], off);
	return FIG_NA;
}

/* rx + tx of a pair of fields (off is the rx one, tx follows it). */
static double
get_net_pair(const struct sample *s, const char *name, size_t off)
{
	double	 rx = get_net(s, name, off);
	double	 tx = get_net(s, name, off + sizeof(double));

	if (!FIG_OK(rx) && !FIG_OK(tx))
		return FIG_NA;
	return (FIG_OK(rx) ? rx : 0) + (FIG_OK(tx) ? tx : 0);
}

static double
get_fs(const struct sample *s, const char *name, size_t off)
{
	int	 i;

	for (i = 0; i < s->nfs; i++)
		if (strcmp(s->fs[i].mount, name) == 0)
			return ENTITY_FIELD(&s->fs[i], off);
	return FIG_NA;
}

static struct md_acc
md_window(const struct ring *r, md_get get, const char *name, size_t off)
{
	struct md_acc	 a = { 0, FIG_NA, FIG_NA, 0 };
	double		 v;
	int		 age;

	for (age = ring_len(r) - 1; age >= 0; age--) {
		v = get(ring_get(r, age), name, off);
		if (age == 0)
			a.last = v;
		if (!isfinite(v))
			continue;
		a.sum += v;
		a.n++;
		if (!FIG_OK(a.max) || v > a.max)
			a.max = v;
	}
	return a;
}

/* One row of the key figures table: label, optional `name`, suffix. */
static void
md_row(FILE *f, const struct ring *r, const char *label, const char *name,
    const char *suffix, enum md_unit unit, md_get get, size_t off)
{
	struct md_acc	 a = md_window(r, get, name, off);
	char		 b1[32], b2[32], b3[32];

	fprintf(f, "| %s", label);
	if (name != NULL) {
		fputc(' ', f);
		md_code(f, name, 40);
	}
	fprintf(f, "%s | %s | %s | %s |\n", suffix,
	    md_value(b1, sizeof b1, a.n > 0 ? a.sum / a.n : FIG_NA, unit),
	    md_value(b2, sizeof b2, a.max, unit),
	    md_value(b3, sizeof b3, a.last, unit));
}

#define SF(field)	offsetof(struct sample, field)

static void
md_rows_system(FILE *f, const struct ring *r)
{
	static const struct {
		const char	*label;
		enum md_unit	 unit;
		size_t		 off;
	} rows[] = {
		{ "CPU busy %",			MD_PCT,	   SF(cpu.busy) },
		{ "CPU user %",			MD_PCT,	   SF(cpu.user) },
		{ "CPU system %",		MD_PCT,	   SF(cpu.system) },
		{ "CPU iowait %",		MD_PCT,	   SF(cpu.iowait) },
		{ "CPU steal %",		MD_PCT,	   SF(cpu.steal) },
		{ "Load average 1 min",		MD_NUM,	   SF(load[0]) },
		{ "Load average 5 min",		MD_NUM,	   SF(load[1]) },
		{ "Load average 15 min",	MD_NUM,	   SF(load[2]) },
		{ "Runnable tasks",		MD_NUM,	   SF(procs_running) },
		{ "Blocked tasks (D state)",	MD_NUM,	   SF(procs_blocked) },
		{ "Context switches",		MD_PERSEC, SF(ctxsw_ps) },
		{ "Memory used %",		MD_PCT,	   SF(mem.used_pct) },
		{ "Memory used",		MD_BYTES,  SF(mem.used_bytes) },
		{ "Memory available",		MD_BYTES,  SF(mem.available_bytes) },
		{ "Swap used",			MD_BYTES,  SF(mem.swap_used_bytes) },
		{ "Swap in (pages)",		MD_PERSEC, SF(mem.swapin_ps) },
		{ "Swap out (pages)",		MD_PERSEC, SF(mem.swapout_ps) },
		{ "Major page faults",		MD_PERSEC, SF(mem.majflt_ps) },
		{ "PSI cpu some avg10 %",	MD_PCT,	   SF(psi[PSI_CPU].some_avg10) },
		{ "PSI memory some avg10 %",	MD_PCT,	   SF(psi[PSI_MEMORY].some_avg10) },
		{ "PSI memory full avg10 %",	MD_PCT,	   SF(psi[PSI_MEMORY].full_avg10) },
		{ "PSI io some avg10 %",	MD_PCT,	   SF(psi[PSI_IO].some_avg10) },
		{ "PSI io full avg10 %",	MD_PCT,	   SF(psi[PSI_IO].full_avg10) },
	};
	size_t	 i;

	for (i = 0; i < 5; i++)
		md_row(f, r, rows[i].label, NULL, "", rows[i].unit, get_field,
		    rows[i].off);
	md_row(f, r, "CPU busy, busiest core %", NULL, "", MD_PCT,
	    get_core_max, 0);
	for (; i < sizeof rows / sizeof rows[0]; i++)
		md_row(f, r, rows[i].label, NULL, "", rows[i].unit, get_field,
		    rows[i].off);
}

/*
 * Names of the disks (kind 0), interfaces (1) or filesystems (2) seen in
 * the window, oldest first, without repeats: a new array of pointers into
 * the ring (valid under its lock) in *out, the count in *n.  0 or -1.
 */
static int
md_names(const struct ring *r, int kind, const char ***out, int *n)
{
	const struct sample	*s;
	const char		**v = NULL, **nv, *name;
	int			 cap = 0, age, i, j, count;

	*n = 0;
	*out = NULL;
	for (age = ring_len(r) - 1; age >= 0; age--) {
		s = ring_get(r, age);
		count = kind == 0 ? s->ndisk : kind == 1 ? s->nnet : s->nfs;
		for (i = 0; i < count; i++) {
			name = kind == 0 ? s->disks[i].name : kind == 1 ?
			    s->nets[i].name : s->fs[i].mount;
			for (j = 0; j < *n && strcmp(v[j], name) != 0; j++)
				;
			if (j < *n)
				continue;
			if (*n == cap) {
				cap = cap > 0 ? cap * 2 : 16;
				nv = realloc(v, (size_t)cap * sizeof *v);
				if (nv == NULL) {
					free(v);
					*n = 0;
					errno = ENOMEM;
					return -1;
				}
				v = nv;
			}
			v[(*n)++] = name;
		}
	}
	*out = v;
	return 0;
}

static int
md_rows_devices(FILE *f, const struct ring *r)
{
	const char	**names;
	int		  n, i;

	if (md_names(r, 0, &names, &n) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		md_row(f, r, "Disk", names[i], " read", MD_RATE, get_disk,
		    offsetof(struct disk_figs, read_bps));
		md_row(f, r, "Disk", names[i], " write", MD_RATE, get_disk,
		    offsetof(struct disk_figs, write_bps));
		md_row(f, r, "Disk", names[i], " utilization %", MD_PCT,
		    get_disk, offsetof(struct disk_figs, util_pct));
		md_row(f, r, "Disk", names[i], " await", MD_MS, get_disk,
		    offsetof(struct disk_figs, await_ms));
	}
	free(names);

	if (md_names(r, 1, &names, &n) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		md_row(f, r, "Net", names[i], " receive", MD_RATE, get_net,
		    offsetof(struct net_figs, rx_bps));
		md_row(f, r, "Net", names[i], " transmit", MD_RATE, get_net,
		    offsetof(struct net_figs, tx_bps));
		md_row(f, r, "Net", names[i], " drops (rx+tx)", MD_PERSEC,
		    get_net_pair, offsetof(struct net_figs, rx_drops_ps));
		md_row(f, r, "Net", names[i], " errors (rx+tx)", MD_PERSEC,
		    get_net_pair, offsetof(struct net_figs, rx_errors_ps));
	}
	free(names);

	if (md_names(r, 2, &names, &n) != 0)
		return -1;
	for (i = 0; i < n; i++)
		md_row(f, r, "Filesystem", names[i], " used %", MD_PCT,
		    get_fs, offsetof(struct fs_figs, used_pct));
	free(names);
	return 0;
}

static void
md_host(FILE *f, const struct ring *r, const struct config *cfg)
{
	const struct host	*h = ring_host(r);
	const struct sample	*first = ring_get(r, ring_len(r) - 1);
	const struct sample	*last = ring_get(r, 0);
	char			 b1[64], b2[64];

	fputs("## Host\n\n| Fact | Value |\n|---|---|\n| Host name | ", f);
	md_code(f, h->hostname, 0);
	fputs(" |\n| Kernel | ", f);
	md_code(f, h->kernel, 0);
	fputs(" |\n| Operating system | ", f);
	md_code(f, h->os, 0);
	fputs(" |\n| Architecture | ", f);
	md_code(f, h->arch, 0);
	if (h->cpus > 0)
		fprintf(f, " |\n| CPUs | %d", h->cpus);
	else
		fputs(" |\n| CPUs | n/a", f);
	fprintf(f, " |\n| Memory | %s",
	    fmt_bytes(b1, sizeof b1, h->mem_total_bytes));
	md_iso(b1, sizeof b1, h->boot_time);
	fprintf(f, " |\n| Booted | %s |\n", b1);
	md_iso(b1, sizeof b1, first != NULL ? first->t : FIG_NA);
	md_iso(b2, sizeof b2, last != NULL ? last->t : FIG_NA);
	fprintf(f, "| Window | %d samples, %s to %s", ring_len(r), b1, b2);
	if (first != NULL && last != NULL && isfinite(last->t - first->t))
		fprintf(f, " (%.1f s)", last->t - first->t);
	if (cfg != NULL && isfinite(cfg->interval_s))
		fprintf(f, ", every %g s", cfg->interval_s);
	fputs(" |\n| Generator | perftop " PACKAGE_VERSION " |\n\n", f);
}

static int
md_figures(FILE *f, const struct ring *r)
{
	double	 oom = 0, oom_total = FIG_NA;
	bool	 oom_ok = false;
	int	 age;

	fputs("## Key figures\n\n"
	    "Average, maximum and last value over the window; rates are per "
	    "second; n/a: not measured.\n\n"
	    "| Figure | Average | Maximum | Last |\n"
	    "|---|--:|--:|--:|\n", f);
	md_rows_system(f, r);
	if (md_rows_devices(f, r) != 0)
		return -1;
	for (age = ring_len(r) - 1; age >= 0; age--) {
		const struct sample *s = ring_get(r, age);
		if (FIG_OK(s->mem.oom_kills)) {
			oom += s->mem.oom_kills;
			oom_ok = true;
		}
		if (FIG_OK(s->mem.oom_kills_total))
			oom_total = s->mem.oom_kills_total;
	}
	if (oom_ok)
		fprintf(f, "\nOOM kills in the window: %.0f", oom);
	else
		fputs("\nOOM kills in the window: n/a", f);
	if (FIG_OK(oom_total))
		fprintf(f, " (since boot: %.0f)", oom_total);
	fputs(".\n\n", f);
	return 0;
}

/* The busiest processes of the last sample, from a sorted copy. */
static int
md_procs(FILE *f, const struct ring *r)
{
	const struct proctab	*full = ring_full(r);
	struct proctab		 t = { 0 };
	const struct proc	*p;
	const char		*cmd;
	char			 b[4][32];
	int			 i;

	fputs("## Top processes\n\n", f);
	if (ring_len(r) == 0 || full->n == 0) {
		fputs("No process data.\n", f);
		return 0;
	}
	for (i = 0; i < full->n; i++) {
		if (proctab_add(&t, &full->v[i], "", 1) == NULL) {
			proctab_done(&t);
			errno = ENOMEM;
			return -1;
		}
		/* Keep the row's place in full for its command line. */
		t.v[t.n - 1].cmdline_off = (uint32_t)i;
	}
	proctab_sort(&t, SORT_CPU, false);
	fprintf(f, "By CPU in the last sample (%d of %d tasks); CPU %% is of "
	    "one core.\n\n"
	    "| PID | User | CPU %% | RSS | Read/s | Write/s | Command |\n"
	    "|--:|---|--:|--:|--:|--:|---|\n",
	    t.n < MD_TOP_PROCS ? t.n : MD_TOP_PROCS, full->total > 0 ?
	    full->total : full->n);
	for (i = 0; i < t.n && i < MD_TOP_PROCS; i++) {
		p = &t.v[i];
		cmd = proc_cmdline(full, &full->v[p->cmdline_off]);
		fprintf(f, "| %d | ", p->pid);
		md_code(f, p->user, 32);
		fprintf(f, " | %s | %s | %s | %s | ",
		    md_value(b[0], sizeof b[0], p->cpu_pct, MD_PCT),
		    md_value(b[1], sizeof b[1], p->rss_bytes, MD_BYTES),
		    md_value(b[2], sizeof b[2], p->read_bps, MD_RATE),
		    md_value(b[3], sizeof b[3], p->write_bps, MD_RATE));
		md_code(f, p->comm, 32);
		if (*cmd != '\0') {
			fputc(' ', f);
			md_code(f, cmd, MD_CMD_COLS);
		}
		fputs(" |\n", f);
	}
	proctab_done(&t);
	return 0;
}

int
export_markdown(FILE *f, const struct ring *r, const struct config *cfg)
{
	const struct sample	*first = ring_get(r, ring_len(r) - 1);
	const struct sample	*last = ring_get(r, 0);
	char			 b1[64], b2[64];

	md_iso(b1, sizeof b1, first != NULL ? first->t : FIG_NA);
	md_iso(b2, sizeof b2, last != NULL ? last->t : FIG_NA);
	fputs("# perftop report for ", f);
	md_code(f, ring_host(r)->hostname, 0);
	fprintf(f, ", %s to %s\n\n", b1, b2);
	fputs("Health analysis: not yet (perftop " PACKAGE_VERSION
	    " reports figures only).\n\n", f);
	md_host(f, r, cfg);
	if (md_figures(f, r) != 0 || md_procs(f, r) != 0)
		return -1;
	return ferror(f) ? -1 : 0;
}
