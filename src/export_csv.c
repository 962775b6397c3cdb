/*
 * export_csv.c - one row per sample, for spreadsheets and scripts.
 *
 * RFC 4180 with LF line ends (every spreadsheet and CSV library reads
 * them; doc/perftop.1 says so): a header row of column names, then one row
 * per sample of the window, oldest first.  The columns are the machine-wide
 * figures in a fixed order, then, for every disk, interface and filesystem
 * seen anywhere in the window, its own group of columns
 * (disk_<name>_read_bps, net_<name>_rx_bps, fs_<mount>_used_pct, ...).
 * Names go into column names reduced to letters, digits and '_' (every
 * other byte becomes '_'), with "_2", "_3" appended when two reduce to
 * the same.  A figure that was not measured, or a device absent from a
 * sample, is an empty cell.  Numbers use '.' as the decimal point
 * (perftop runs with LC_NUMERIC=C) and no thousands separator; whole
 * numbers keep every digit.  A text field is quoted when it holds a comma,
 * a quote, CR or LF, with quotes doubled; the only text written is the
 * UTC time and the header, so in practice nothing needs quoting, but the
 * rule is applied to every field.
 */
#include <config.h>

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "export.h"
#include "util.h"

#define EXACT_INT_MAX	9007199254740992.0	/* 2^53 */

#define SF(field)	offsetof(struct sample, field)
#define FIELD(p, off) (*(const double *)(const void *)((const char *)(p) + (off)))

static const struct {
	const char	*name;
	size_t		 off;
} csv_sys[] = {
	{ "dt_s",		SF(dt) },
	{ "cpu_busy_pct",	SF(cpu.busy) },
	{ "cpu_user_pct",	SF(cpu.user) },
	{ "cpu_system_pct",	SF(cpu.system) },
	{ "cpu_iowait_pct",	SF(cpu.iowait) },
	{ "cpu_steal_pct",	SF(cpu.steal) },
	{ "cpu_idle_pct",	SF(cpu.idle) },
	{ "load1",		SF(load[0]) },
	{ "load5",		SF(load[1]) },
	{ "load15",		SF(load[2]) },
	{ "procs_running",	SF(procs_running) },
	{ "procs_blocked",	SF(procs_blocked) },
	{ "ctxsw_ps",		SF(ctxsw_ps) },
	{ "intr_ps",		SF(intr_ps) },
	{ "forks_ps",		SF(forks_ps) },
	{ "mem_total_bytes",	SF(mem.total_bytes) },
	{ "mem_used_bytes",	SF(mem.used_bytes) },
	{ "mem_used_pct",	SF(mem.used_pct) },
	{ "mem_available_bytes", SF(mem.available_bytes) },
	{ "mem_cached_bytes",	SF(mem.cached_bytes) },
	{ "mem_free_bytes",	SF(mem.free_bytes) },
	{ "swap_total_bytes",	SF(mem.swap_total_bytes) },
	{ "swap_used_bytes",	SF(mem.swap_used_bytes) },
	{ "swapin_ps",		SF(mem.swapin_ps) },
	{ "swapout_ps",		SF(mem.swapout_ps) },
	{ "majflt_ps",		SF(mem.majflt_ps) },
	{ "oom_kills",		SF(mem.oom_kills) },
#define PSI_COLS(r, n) \
	{ "psi_" n "_some_avg10",  SF(psi[r].some_avg10) }, \
	{ "psi_" n "_some_avg60",  SF(psi[r].some_avg60) }, \
	{ "psi_" n "_some_avg300", SF(psi[r].some_avg300) }, \
	{ "psi_" n "_full_avg10",  SF(psi[r].full_avg10) }, \
	{ "psi_" n "_full_avg60",  SF(psi[r].full_avg60) }, \
	{ "psi_" n "_full_avg300", SF(psi[r].full_avg300) }
	PSI_COLS(PSI_CPU, "cpu"),
	PSI_COLS(PSI_MEMORY, "memory"),
	PSI_COLS(PSI_IO, "io"),
#undef PSI_COLS
};

#define DF(field)	offsetof(struct disk_figs, field)
#define NF(field)	offsetof(struct net_figs, field)
#define FF(field)	offsetof(struct fs_figs, field)

static const struct {
	const char	*suffix;
	size_t		 off;
} csv_disk[] = {
	{ "read_bps", DF(read_bps) }, { "write_bps", DF(write_bps) },
	{ "read_iops", DF(read_iops) }, { "write_iops", DF(write_iops) },
	{ "util_pct", DF(util_pct) }, { "await_ms", DF(await_ms) },
	{ "queue_depth", DF(queue) },
}, csv_net[] = {
	{ "rx_bps", NF(rx_bps) }, { "tx_bps", NF(tx_bps) },
	{ "rx_pps", NF(rx_pps) }, { "tx_pps", NF(tx_pps) },
	{ "rx_errors_ps", NF(rx_errors_ps) },
	{ "tx_errors_ps", NF(tx_errors_ps) },
	{ "rx_drops_ps", NF(rx_drops_ps) }, { "tx_drops_ps", NF(tx_drops_ps) },
}, csv_fs[] = {
	{ "used_bytes", FF(used_bytes) }, { "used_pct", FF(used_pct) },
};

/* The devices of one kind seen in the window, with their column names. */
struct csv_devs {
	int		  n, cap;
	const char	**name;		/* into the ring */
	char		**col;		/* reduced, unique */
};

static void
csv_devs_done(struct csv_devs *d)
{
	int	 i;

	for (i = 0; i < d->n; i++)
		free(d->col[i]);
	free(d->name);
	free(d->col);
}

/* Letters, digits and '_' of name; "_N" appended while it is taken. */
static char *
csv_colname(const struct csv_devs *d, const char *name)
{
	size_t	 len = strlen(name), i;
	char	*c, *try;
	int	 k, j;

	if ((c = malloc(len + 2)) == NULL)
		return NULL;
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)name[i];
		c[i] = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') ? (char)ch : '_';
	}
	c[len] = '\0';
	if (len == 0)
		strcpy(c, "_");
	for (k = 1;; k++) {
		if (k == 1)
			try = strdup(c);
		else if (asprintf(&try, "%s_%d", c, k) < 0)
			try = NULL;
		if (try == NULL) {
			free(c);
			return NULL;
		}
		for (j = 0; j < d->n && strcmp(d->col[j], try) != 0; j++)
			;
		if (j == d->n)
			break;
		free(try);
	}
	free(c);
	return try;
}

static int
csv_devs_add(struct csv_devs *d, const char *name)
{
	const char	**nn;
	char		**nc;
	int		  i;

	for (i = 0; i < d->n; i++)
		if (strcmp(d->name[i], name) == 0)
			return 0;
	if (d->n == d->cap) {
		d->cap = d->cap > 0 ? d->cap * 2 : 8;
		if ((nn = realloc(d->name, (size_t)d->cap * sizeof *nn)) ==
		    NULL)
			return -1;
		d->name = nn;
		if ((nc = realloc(d->col, (size_t)d->cap * sizeof *nc)) ==
		    NULL)
			return -1;
		d->col = nc;
	}
	if ((d->col[d->n] = csv_colname(d, name)) == NULL)
		return -1;
	d->name[d->n++] = name;
	return 0;
}

/* Disks (kind 0), interfaces (1) and filesystems (2) of the window. */
static int
csv_devs_scan(const struct report *rp, struct csv_devs d[3])
{
	const struct sample	*s;
	int			 k, i;

	memset(d, 0, 3 * sizeof *d);
	for (k = export_len(rp) - 1; k >= 0; k--) {
		s = export_sample(rp, k);
		for (i = 0; i < s->ndisk; i++)
			if (csv_devs_add(&d[0], s->disks[i].name) != 0)
				return -1;
		for (i = 0; i < s->nnet; i++)
			if (csv_devs_add(&d[1], s->nets[i].name) != 0)
				return -1;
		for (i = 0; i < s->nfs; i++)
			if (csv_devs_add(&d[2], s->fs[i].mount) != 0)
				return -1;
	}
	return 0;
}

/* A text field, quoted when it must be (RFC 4180). */
static void
csv_text(FILE *f, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

/* A number: empty when not measured; 6 decimals at most, no noise. */
static void
csv_num(FILE *f, double x)
{
	if (!isfinite(x))
		return;
	if (fabs(x) < EXACT_INT_MAX / 1e6)
		x = round(x * 1e6) / 1e6;
	if (x == floor(x) && fabs(x) <= EXACT_INT_MAX)
		fprintf(f, "%.0f", x);
	else
		fprintf(f, "%.15g", x);
}

static void
csv_header(FILE *f, const struct csv_devs d[3])
{
	char	 b[512];
	size_t	 i;
	int	 j;

	fputs("t,time_utc", f);
	for (i = 0; i < sizeof csv_sys / sizeof csv_sys[0]; i++) {
		fputc(',', f);
		csv_text(f, csv_sys[i].name);
	}
	fputs(",nprocs_total", f);
	for (j = 0; j < d[0].n; j++)
		for (i = 0; i < sizeof csv_disk / sizeof csv_disk[0]; i++) {
			snprintf(b, sizeof b, "disk_%s_%s", d[0].col[j],
			    csv_disk[i].suffix);
			fputc(',', f);
			csv_text(f, b);
		}
	for (j = 0; j < d[1].n; j++)
		for (i = 0; i < sizeof csv_net / sizeof csv_net[0]; i++) {
			snprintf(b, sizeof b, "net_%s_%s", d[1].col[j],
			    csv_net[i].suffix);
			fputc(',', f);
			csv_text(f, b);
		}
	for (j = 0; j < d[2].n; j++)
		for (i = 0; i < sizeof csv_fs / sizeof csv_fs[0]; i++) {
			snprintf(b, sizeof b, "fs_%s_%s", d[2].col[j],
			    csv_fs[i].suffix);
			fputc(',', f);
			csv_text(f, b);
		}
	fputc('\n', f);
}

static void
csv_sample(FILE *f, const struct sample *s, const struct csv_devs d[3])
{
	struct tm	 tm;
	time_t		 tt;
	char		 b[64];
	size_t		 i;
	int		 j, x;

	csv_num(f, s->t);
	fputc(',', f);
	if (isfinite(s->t) && s->t >= 0) {
		tt = (time_t)s->t;
		if (gmtime_r(&tt, &tm) != NULL &&
		    strftime(b, sizeof b, "%Y-%m-%dT%H:%M:%SZ", &tm) > 0)
			csv_text(f, b);
	}
	for (i = 0; i < sizeof csv_sys / sizeof csv_sys[0]; i++) {
		fputc(',', f);
		csv_num(f, FIELD(s, csv_sys[i].off));
	}
	fputc(',', f);
	if (s->top.total > 0)
		fprintf(f, "%d", s->top.total);
	for (j = 0; j < d[0].n; j++) {
		for (x = 0; x < s->ndisk; x++)
			if (strcmp(s->disks[x].name, d[0].name[j]) == 0)
				break;
		for (i = 0; i < sizeof csv_disk / sizeof csv_disk[0]; i++) {
			fputc(',', f);
			if (x < s->ndisk)
				csv_num(f, FIELD(&s->disks[x],
				    csv_disk[i].off));
		}
	}
	for (j = 0; j < d[1].n; j++) {
		for (x = 0; x < s->nnet; x++)
			if (strcmp(s->nets[x].name, d[1].name[j]) == 0)
				break;
		for (i = 0; i < sizeof csv_net / sizeof csv_net[0]; i++) {
			fputc(',', f);
			if (x < s->nnet)
				csv_num(f, FIELD(&s->nets[x], csv_net[i].off));
		}
	}
	for (j = 0; j < d[2].n; j++) {
		for (x = 0; x < s->nfs; x++)
			if (strcmp(s->fs[x].mount, d[2].name[j]) == 0)
				break;
		for (i = 0; i < sizeof csv_fs / sizeof csv_fs[0]; i++) {
			fputc(',', f);
			if (x < s->nfs)
				csv_num(f, FIELD(&s->fs[x], csv_fs[i].off));
		}
	}
	fputc('\n', f);
}

int
export_csv(FILE *f, const struct report *rp)
{
	struct csv_devs	 d[3];
	int		 k, i, rc = 0;

	if (csv_devs_scan(rp, d) != 0) {
		errno = ENOMEM;
		rc = -1;
	} else {
		csv_header(f, d);
		for (k = export_len(rp) - 1; k >= 0; k--)
			csv_sample(f, export_sample(rp, k), d);
	}
	for (i = 0; i < 3; i++)
		csv_devs_done(&d[i]);
	if (rc == 0 && ferror(f))
		rc = -1;
	return rc;
}
