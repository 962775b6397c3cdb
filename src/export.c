/*
 * export.c - report formats by name, the report's status, the window and
 * text every format shows (the moment, redaction), and writing a report to
 * a stream or, atomically, to a file.
 *
 * A file report is written to a new temporary file in the target's own
 * directory (created O_EXCL|O_NOFOLLOW, so nothing that is already there is
 * opened or followed), flushed and fsynced, then renamed over the target
 * and the directory fsynced: a reader sees the old report or the new one,
 * never half of one, and a symlink planted at the target is replaced, not
 * written through.  On any failure the temporary file is removed and the
 * earlier report stays as it was.
 *
 * The Markdown, text and HTML reports share their content: each section
 * (health, findings, advice, USE scorecard, trends, alerts, host, key
 * figures, top processes) is built here once into a struct rep_sec, its
 * title, paragraphs, list or table, every cell's pieces of text marked
 * with what they are (our words, prose that may quote the machine, a name
 * from the machine, a severity), in one arena reused from section to
 * section.  Each format's rep_writer renders that in its own syntax and
 * escaping; the few things the formats show differently are in styles[].
 */
#include <config.h>

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "export.h"
#include "redact.h"
#include "util.h"

#define TMP_TRIES	64

static const struct {
	const char		*name;
	enum export_format	 fmt;
} format_names[] = {
	{ "markdown",		EXPORT_MARKDOWN },
	{ "md",			EXPORT_MARKDOWN },
	{ "json",		EXPORT_JSON },
	{ "text",		EXPORT_TEXT },
	{ "csv",		EXPORT_CSV },
	{ "html",		EXPORT_HTML },
	{ "openmetrics",	EXPORT_OPENMETRICS },
	{ "om",			EXPORT_OPENMETRICS },
};

int
export_format_parse(const char *s)
{
	size_t	 i;

	if (s == NULL)
		return -1;
	for (i = 0; i < sizeof format_names / sizeof format_names[0]; i++)
		if (strcmp(s, format_names[i].name) == 0)
			return (int)format_names[i].fmt;
	return -1;
}

const char *
export_format_name(enum export_format fmt)
{
	size_t	 i;

	/* The first name of each format is its long one. */
	for (i = 0; i < sizeof format_names / sizeof format_names[0]; i++)
		if (format_names[i].fmt == fmt)
			return format_names[i].name;
	return "?";
}

int
export_default_mode(enum export_format fmt)
{
	return fmt == EXPORT_OPENMETRICS ? 0644 : 0600;
}

/* The report's age, clamped to the ring (a non-empty ring keeps one). */
static int
export_age(const struct report *rp)
{
	int	 len = ring_len(rp->ring);

	if (rp->age <= 0 || len == 0)
		return 0;
	return rp->age < len ? rp->age : len - 1;
}

int
export_len(const struct report *rp)
{
	return ring_len(rp->ring) - export_age(rp);
}

const struct sample *
export_sample(const struct report *rp, int k)
{
	if (k < 0 || k >= export_len(rp))
		return NULL;
	return ring_get(rp->ring, export_age(rp) + k);
}

const struct proctab *
export_procs(const struct report *rp)
{
	int	 age = export_age(rp);

	if (age == 0)
		return ring_full(rp->ring);
	return &ring_get(rp->ring, age)->top;
}

void
export_hostname(const struct report *rp, char *buf, size_t bufsz)
{
	const char	*h = ring_host(rp->ring)->hostname;

	if (rp->redact)
		redact_host(buf, bufsz, h);
	else
		strlcpy0(buf, h, bufsz);
}

const char *
export_cmdline(const struct report *rp, const struct proctab *t,
    const struct proc *p, char *buf, size_t bufsz)
{
	const char	*cmd = proc_cmdline(t, p);

	if (!rp->redact)
		return cmd;
	redact_cmdline(buf, bufsz, cmd, true);
	return buf;
}

int
export_names(const struct report *rp, enum export_dev kind, const char ***out,
    int *n)
{
	const struct sample	*s;
	const char		**v = NULL, **nv, *name;
	int			 cap = 0, k, i, j, count;

	*n = 0;
	*out = NULL;
	for (k = export_len(rp) - 1; k >= 0; k--) {
		s = export_sample(rp, k);
		count = kind == EXPORT_DISKS ? s->ndisk :
		    kind == EXPORT_NETS ? s->nnet : s->nfs;
		for (i = 0; i < count; i++) {
			name = kind == EXPORT_DISKS ? s->disks[i].name :
			    kind == EXPORT_NETS ? s->nets[i].name :
			    s->fs[i].mount;
			for (j = 0; j < *n && strcmp(v[j], name) != 0; j++)
				;
			if (j < *n)
				continue;
			if (*n == cap) {
				cap = cap > 0 ? cap * 2 : 16;
				if ((nv = realloc(v, (size_t)cap *
				    sizeof *v)) == NULL) {
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

enum health_status
export_status(const struct report *rp)
{
	if (rp == NULL || rp->an == NULL)
		return HEALTH_UNKNOWN;
	return rp->an->health.status;
}

/* Write the report and flush it; 0, or -1 with errno. */
static int
write_report(FILE *f, enum export_format fmt, const struct report *rp)
{
	int	 rc, saved;

	errno = 0;
	switch (fmt) {
	case EXPORT_MARKDOWN:
		rc = export_doc(f, rp, &rep_markdown);
		break;
	case EXPORT_JSON:
		rc = export_json_write(f, rp);
		break;
	case EXPORT_TEXT:
		rc = export_doc(f, rp, &rep_text);
		break;
	case EXPORT_CSV:
		rc = export_csv(f, rp);
		break;
	case EXPORT_HTML:
		rc = export_doc(f, rp, &rep_html);
		break;
	case EXPORT_OPENMETRICS:
		rc = export_openmetrics(f, rp);
		break;
	default:
		errno = EINVAL;
		return -1;
	}
	saved = errno;
	if (fflush(f) != 0 || ferror(f)) {
		if (errno == 0)
			errno = EIO;
		return -1;
	}
	if (rc != 0) {
		errno = saved != 0 ? saved : EIO;
		return -1;
	}
	return 0;
}

int
export_write(FILE *f, enum export_format fmt, const struct report *rp,
    char **cause)
{
	if (write_report(f, fmt, rp) != 0) {
		set_cause(cause, "cannot write the %s report: %s",
		    export_format_name(fmt), strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Create a new file next to path, named ".BASE.XXXXXX".  Returns the open
 * descriptor and the name in *tmp (caller frees), or -1 with errno.
 */
static int
tmp_create(const char *path, int mode, char **tmp)
{
	static const char	 chars[] = "abcdefghijklmnopqrstuvwxyz"
				    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	const char		*slash = strrchr(path, '/');
	unsigned char		 rnd[6];
	char			*name, *x;
	size_t			 dirlen = slash != NULL ?
				    (size_t)(slash - path) + 1 : 0;
	int			 fd, i, try;

	name = xprintf("%.*s.%s.XXXXXX", (int)dirlen, path, path + dirlen);
	x = name + strlen(name) - 6;
	for (try = 0; try < TMP_TRIES; try++) {
		if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd) {
			/* No entropy: fall back on something unique enough. */
			unsigned long v = (unsigned long)getpid() * 7919u +
			    (unsigned long)try * 104729u +
			    (unsigned long)time(NULL);
			for (i = 0; i < 6; i++, v /= 62)
				rnd[i] = (unsigned char)(v % 62);
		}
		for (i = 0; i < 6; i++)
			x[i] = chars[rnd[i] % (sizeof chars - 1)];
		fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC, (mode_t)mode);
		if (fd >= 0) {
			*tmp = name;
			return fd;
		}
		if (errno != EEXIST)
			break;
	}
	free(name);
	return -1;
}

/* fsync the directory holding path, so the rename itself is durable. */
static int
dir_sync(const char *path)
{
	const char	*slash = strrchr(path, '/');
	char		*dir;
	int		 fd, rc, saved;

	if (slash == NULL)
		dir = xstrdup(".");
	else if (slash == path)
		dir = xstrdup("/");
	else
		dir = xprintf("%.*s", (int)(slash - path), path);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (fd < 0)
		return -1;
	rc = fsync(fd);
	saved = errno;
	close(fd);
	/* Some filesystems cannot sync a directory; that is not a failure. */
	if (rc != 0 && (saved == EINVAL || saved == ENOTSUP))
		rc = 0;
	errno = saved;
	return rc;
}

int
export_to_path(const char *path, enum export_format fmt,
    const struct report *rp, int mode, char **cause)
{
	const char	*base, *what;
	char		*tmp = NULL;
	FILE		*f;
	int		 fd, saved;

	base = strrchr(path, '/');
	base = base != NULL ? base + 1 : path;
	if (*base == '\0' || strcmp(base, ".") == 0 ||
	    strcmp(base, "..") == 0) {
		set_cause(cause, "%s: not a file name", path);
		return -1;
	}
	if ((fd = tmp_create(path, mode, &tmp)) < 0) {
		set_cause(cause, "%s: cannot create a file in its directory: "
		    "%s", path, strerror(errno));
		return -1;
	}
	/* open() applied the umask; the caller asked for this mode exactly. */
	what = "fchmod";
	if (fchmod(fd, (mode_t)mode) != 0) {
		saved = errno;
		close(fd);
		goto fail;
	}
	if ((f = fdopen(fd, "w")) == NULL) {
		saved = errno;
		what = "fdopen";
		close(fd);
		goto fail;
	}
	what = "write";
	if (write_report(f, fmt, rp) != 0) {
		saved = errno;
		fclose(f);
		goto fail;
	}
	what = "fsync";
	if (fsync(fileno(f)) != 0) {
		saved = errno;
		fclose(f);
		goto fail;
	}
	what = "close";
	if (fclose(f) != 0) {
		saved = errno;
		goto fail;
	}
	what = "rename";
	if (rename(tmp, path) != 0) {
		saved = errno;
		goto fail;
	}
	free(tmp);
	if (dir_sync(path) != 0) {
		/* The report is in place; only its durability is in doubt. */
		set_cause(cause, "%s: written, but syncing its directory "
		    "failed: %s", path, strerror(errno));
		return -1;
	}
	return 0;

fail:
	unlink(tmp);
	free(tmp);
	set_cause(cause, "%s: %s: %s", path, what, strerror(saved));
	return -1;
}

#define FIELD(p, off) (*(const double *)(const void *)((const char *)(p) + (off)))

double
export_fig(const struct sample *s, enum export_dev kind, const char *name,
    size_t off)
{
	double	 m = FIG_NA, rx, tx;
	int	 i;

	switch (kind) {
	case EXPORT_SAMPLE:
		return FIELD(s, off);
	case EXPORT_DISKS:
		for (i = 0; i < s->ndisk; i++)
			if (strcmp(s->disks[i].name, name) == 0)
				return FIELD(&s->disks[i], off);
		break;
	case EXPORT_NETS:
		for (i = 0; i < s->nnet; i++)
			if (strcmp(s->nets[i].name, name) == 0)
				return FIELD(&s->nets[i], off);
		break;
	case EXPORT_NET_RXTX:
		/* A half that was not measured counts as none of the sum. */
		rx = export_fig(s, EXPORT_NETS, name, off);
		tx = export_fig(s, EXPORT_NETS, name, off + sizeof(double));
		if (!FIG_OK(rx) && !FIG_OK(tx))
			return FIG_NA;
		return (FIG_OK(rx) ? rx : 0) + (FIG_OK(tx) ? tx : 0);
	case EXPORT_FS:
		for (i = 0; i < s->nfs; i++)
			if (strcmp(s->fs[i].mount, name) == 0)
				return FIELD(&s->fs[i], off);
		break;
	case EXPORT_CORE_MAX:
		for (i = 0; i < s->ncpu; i++)
			if (FIG_OK(s->per_cpu[i].busy) &&
			    (!FIG_OK(m) || s->per_cpu[i].busy > m))
				m = s->per_cpu[i].busy;
		return m;
	}
	return FIG_NA;
}

/*
 * How a figure is written: "42.0 %", "42.0" (a percentage whose sign is in
 * its label), "1.5G", "3.0M/s", "0.25", "12.0/s", "4.5 ms"; "n/a" if absent.
 */
enum export_unit { EU_PCT, EU_PCTNUM, EU_BYTES, EU_RATE, EU_NUM, EU_PERSEC,
    EU_MS };

static const char *
export_value(char *buf, size_t bufsz, double v, enum export_unit unit)
{
	if (!isfinite(v)) {
		snprintf(buf, bufsz, "n/a");
		return buf;
	}
	switch (unit) {
	case EU_PCT:
		snprintf(buf, bufsz, "%.1f %%", v);
		break;
	case EU_PCTNUM:
		snprintf(buf, bufsz, "%.1f", v);
		break;
	case EU_BYTES:
		return fmt_bytes(buf, bufsz, v);
	case EU_RATE:
		return fmt_rate(buf, bufsz, v);
	case EU_NUM:
		snprintf(buf, bufsz, "%.2f", v);
		break;
	case EU_PERSEC:
		snprintf(buf, bufsz, "%.1f/s", v);
		break;
	case EU_MS:
		snprintf(buf, bufsz, "%.1f ms", v);
		break;
	}
	return buf;
}

const char *
export_time(char *buf, size_t bufsz, double t, enum export_clock form)
{
	struct tm	 tm;
	time_t		 tt;

	if (!isfinite(t) || t < 0) {
		snprintf(buf, bufsz, "n/a");
		return buf;
	}
	tt = (time_t)t;
	if (gmtime_r(&tt, &tm) == NULL || strftime(buf, bufsz,
	    form == EXPORT_ISO ? "%Y-%m-%dT%H:%M:%SZ" : form == EXPORT_HMS ?
	    "%H:%M:%S" : "%H:%M:%S UTC", &tm) == 0)
		snprintf(buf, bufsz, "n/a");
	return buf;
}

/* The times of the oldest and the newest sample of the window. */
static void
export_window(const struct report *rp, char *from, char *to, size_t bufsz)
{
	const struct sample	*first = export_sample(rp, export_len(rp) - 1);
	const struct sample	*last = export_sample(rp, 0);

	export_time(from, bufsz, first != NULL ? first->t : FIG_NA,
	    EXPORT_ISO);
	export_time(to, bufsz, last != NULL ? last->t : FIG_NA, EXPORT_ISO);
}

/* Sort keys copied out of the table, so the ring itself is never touched. */
struct proc_key {
	double	 cpu;
	int	 pid;
	int	 idx;
};

static int
proc_key_cmp(const void *va, const void *vb)
{
	const struct proc_key	*a = va, *b = vb;
	bool			 na = !FIG_OK(a->cpu), nb = !FIG_OK(b->cpu);

	if (na != nb)
		return na - nb;			/* not measured: last */
	if (!na && a->cpu != b->cpu)
		return a->cpu < b->cpu ? 1 : -1;	/* busiest first */
	return (a->pid > b->pid) - (a->pid < b->pid);
}

/*
 * Rows of t in CPU order (descending, not measured last, ties by pid): a
 * new array of t->n indexes, or NULL (errno set) when it cannot be had.
 */
int *
export_proc_order(const struct proctab *t)
{
	struct proc_key	*k;
	int		*idx, i;

	if ((k = calloc((size_t)t->n + 1, sizeof *k)) == NULL)
		return NULL;
	if ((idx = calloc((size_t)t->n + 1, sizeof *idx)) == NULL) {
		free(k);
		return NULL;
	}
	for (i = 0; i < t->n; i++) {
		k[i].cpu = t->v[i].cpu_pct;
		k[i].pid = t->v[i].pid;
		k[i].idx = i;
	}
	if (t->n > 1)
		qsort(k, (size_t)t->n, sizeof *k, proc_key_cmp);
	for (i = 0; i < t->n; i++)
		idx[i] = k[i].idx;
	free(k);
	return idx;
}

/* ---- the report model ---------------------------------------------------- */

/* The columns of a name a code span keeps in Markdown (the others keep all;
 * plain text cuts at its column width). */
#define CUT_DEV		40	/* a disk, interface or mount */
#define CUT_PROC	32	/* a process or user name */
#define CUT_CMD		120	/* a command line */

/*
 * v (capacity *cap, n used) with room for one more item of size sz: v, a
 * larger copy, or NULL when memory ran out (s->failed is then set).
 */
static void *
rs_grow(struct rep_sec *s, void *v, int *cap, int n, size_t sz)
{
	void	*nv;
	int	 ncap;

	if (s->failed)
		return NULL;
	if (n < *cap)
		return v;
	ncap = *cap > 0 ? *cap * 2 : 64;
	if ((nv = realloc(v, (size_t)ncap * sz)) == NULL) {
		s->failed = true;
		return NULL;
	}
	*cap = ncap;
	return nv;
}

/* Room for n more bytes of text; false when memory ran out. */
static bool
rs_room(struct rep_sec *s, size_t n)
{
	char	*nt;
	size_t	 size;

	if (s->failed)
		return false;
	if (s->len + n <= s->size)
		return true;
	for (size = s->size > 0 ? s->size : 4096; size < s->len + n; size *= 2)
		;
	if ((nt = realloc(s->text, size)) == NULL) {
		s->failed = true;
		return false;
	}
	s->text = nt;
	s->size = size;
	return true;
}

/*
 * Start a block; align is a table's columns (a string literal).  Returns
 * it, valid until the next block, or NULL when memory ran out.
 */
static struct rep_block *
rs_block(struct rep_sec *s, enum rep_block_kind kind, const char *align)
{
	struct rep_block	*b;

	if ((b = rs_grow(s, s->block, &s->blockcap, s->nblock,
	    sizeof *b)) == NULL)
		return NULL;
	s->block = b;
	b += s->nblock++;
	memset(b, 0, sizeof *b);
	b->kind = kind;
	b->line = s->nline;
	b->align = align;
	b->ncols = align != NULL ? (int)strlen(align) : 1;
	assert(b->ncols <= REP_COLS_MAX);
	return b;
}

/* Start a line of the block: a paragraph, a list item or a cell. */
static void
rs_line(struct rep_sec *s, int sev)
{
	struct rep_line	*l;

	if ((l = rs_grow(s, s->line, &s->linecap, s->nline,
	    sizeof *l)) == NULL)
		return;
	assert(s->nblock > 0);
	s->line = l;
	l += s->nline++;
	l->piece = s->npiece;
	l->npiece = 0;
	l->sev = sev;
	s->block[s->nblock - 1].nline++;
}

/* Add to the line a piece whose text (n bytes with its NUL) was just
 * stored at the end of the arena. */
static void
rs_piece(struct rep_sec *s, enum rep_kind kind, int arg, size_t n)
{
	struct rep_piece	*p;

	if ((p = rs_grow(s, s->piece, &s->piececap, s->npiece,
	    sizeof *p)) == NULL)
		return;
	assert(s->nline > 0);
	s->piece = p;
	p += s->npiece++;
	p->text = s->len;
	p->kind = kind;
	p->arg = arg;
	s->len += n;
	s->line[s->nline - 1].npiece++;
}

/* Add a piece to the line. */
static void
rs_put(struct rep_sec *s, enum rep_kind kind, int arg, const char *t)
{
	size_t	 n = strlen(t) + 1;

	if (!rs_room(s, n))
		return;
	memcpy(s->text + s->len, t, n);
	rs_piece(s, kind, arg, n);
}

static void __attribute__((format(printf, 3, 0)))
rs_vputf(struct rep_sec *s, enum rep_kind kind, const char *fmt, va_list ap)
{
	va_list	 ap2;
	int	 n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0) {
		s->failed = true;
		return;
	}
	if (!rs_room(s, (size_t)n + 1))
		return;
	vsnprintf(s->text + s->len, (size_t)n + 1, fmt, ap);
	rs_piece(s, kind, 0, (size_t)n + 1);
}

static void __attribute__((format(printf, 3, 4)))
rs_putf(struct rep_sec *s, enum rep_kind kind, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	rs_vputf(s, kind, fmt, ap);
	va_end(ap);
}

/* A line (a cell, mostly) of one piece; rs_put() may add more. */
static void
rs_cell(struct rep_sec *s, enum rep_kind kind, int arg, const char *t)
{
	rs_line(s, -1);
	rs_put(s, kind, arg, t);
}

/* A line of the report's own words. */
static void
rs_lit(struct rep_sec *s, const char *t)
{
	rs_cell(s, RP_LIT, 0, t);
}

static void __attribute__((format(printf, 2, 3)))
rs_litf(struct rep_sec *s, const char *fmt, ...)
{
	va_list	 ap;

	rs_line(s, -1);
	va_start(ap, fmt);
	rs_vputf(s, RP_LIT, fmt, ap);
	va_end(ap);
}

/* A row of a table of facts: its name, and its value of one piece. */
static void
rs_fact(struct rep_sec *s, const char *name, enum rep_kind kind,
    const char *value)
{
	rs_lit(s, name);
	rs_cell(s, kind, 0, value);
}

/* A paragraph of the report's words; returns 0, for a builder's return. */
static int
rs_para(struct rep_sec *s, const char *t)
{
	rs_block(s, RB_PARA, NULL);
	rs_lit(s, t);
	return 0;
}

/* A table and its headings, one per column; returned as rs_block(). */
static struct rep_block *
rs_table(struct rep_sec *s, const char *align, const char *const *heads)
{
	struct rep_block	*b = rs_block(s, RB_TABLE, align);
	size_t			 i;

	for (i = 0; i < strlen(align); i++)
		rs_lit(s, heads[i]);
	return s->failed ? NULL : b;
}

/* A cell "cpu" or "disk `sda`". */
static void
rs_resource(struct rep_sec *s, enum resource res, const char *object)
{
	rs_line(s, -1);
	if (object[0] == '\0') {
		rs_put(s, RP_LIT, 0, resource_name(res));
		return;
	}
	rs_putf(s, RP_LIT, "%s ", resource_name(res));
	rs_put(s, RP_CODE, CUT_DEV, object);
}

/* "`comm` (pid N)", or "-" when there is no culprit. */
static void
rs_culprit(struct rep_sec *s, const struct culprit *cu)
{
	if (cu == NULL || cu->pid <= 0) {
		rs_put(s, RP_LIT, 0, "-");
		return;
	}
	rs_put(s, RP_CODE, CUT_PROC, cu->comm);
	rs_putf(s, RP_LIT, " (pid %d)", cu->pid);
}

/* A metric's value with its unit: "95.2 %", "12.0 ms", "3.00 /s". */
static void
rs_metric(struct rep_sec *s, enum metric m, double v)
{
	const struct metric_def	*md = metric_get(m);
	char			 b[32];

	fmt_num(b, sizeof b, v);
	if (isfinite(v) && md != NULL && md->unit[0] != '\0')
		rs_putf(s, RP_TEXT, "%s %s", b, md->unit);
	else
		rs_put(s, RP_TEXT, 0, b);
}

/* ---- the sections -------------------------------------------------------- */

#define FIG_MD		(1u << EXPORT_MARKDOWN)
#define FIG_TEXT	(1u << EXPORT_TEXT)
#define FIG_HTML	(1u << EXPORT_HTML)
#define FIG_ALL		(FIG_MD | FIG_TEXT | FIG_HTML)
#define FIG_MT		(FIG_MD | FIG_TEXT)

/* What the formats show differently, by enum export_format. */
static const struct rep_style {
	const char	*minus;		/* a deduction's sign */
	const char	*r2;		/* the trend fit's heading */
	int		 nprocs;	/* rows of the process table */
	enum export_unit cpu_unit;	/* a process's CPU % */
	bool		 pct_label;	/* "CPU busy %" over a bare figure */
	bool		 oom_line;	/* OOM kills under the key figures */
	unsigned	 figs;		/* the key figures shown: a FIG_ bit */
} styles[] = {
	[EXPORT_MARKDOWN] = { "\xe2\x88\x92", "Fit r\xc2\xb2", 15, EU_PCTNUM,
	    true, true, FIG_MD },
	[EXPORT_TEXT] = { "-", "Fit r2", 15, EU_NUM, false, false, FIG_TEXT },
	[EXPORT_HTML] = { "\xe2\x88\x92", "Fit r\xc2\xb2", 25, EU_NUM,
	    false, false, FIG_HTML },
};

static int
sec_health(struct rep_sec *s, const struct report *rp,
    const struct rep_style *st)
{
	const struct analysis	*an = rp->an;
	enum health_status	 hs = export_status(rp);
	struct rep_block	*b;
	char			 line[1024];
	int			 i;

	s->status = (int)hs;
	if ((b = rs_block(s, RB_PARA, NULL)) != NULL)
		b->headline = true;
	if (an == NULL)
		rs_lit(s, "Health n/a \xe2\x80\x94 not analysed");
	else {
		analysis_health_line(an, line, sizeof line, true, 0);
		rs_cell(s, RP_TEXT, 0, line);
	}
	rs_cell(s, RP_LIT, 0, "Status ");
	rs_put(s, RP_STRONG, 0, health_status_name(hs));
	rs_putf(s, RP_LIT, " (batch exit status %d)", (int)hs);
	if (an == NULL) {
		rs_put(s, RP_LIT, 0, ".");
		return 0;
	}
	if (an->health.score >= 0 && hs != HEALTH_UNKNOWN)
		rs_putf(s, RP_LIT, ", score %d of 100", an->health.score);
	rs_putf(s, RP_LIT, ", judged over %d sample%s", an->nsamples,
	    an->nsamples == 1 ? "" : "s");
	if (an->nsamples > 1 && isfinite(an->t_last - an->t_first))
		rs_putf(s, RP_LIT, " (%.1f s)", an->t_last - an->t_first);
	rs_put(s, RP_LIT, 0, ".");
	if (an->unseen[0] != '\0') {
		rs_lit(s, "Not visible (not measured, so not judged): ");
		rs_put(s, RP_TEXT, 0, an->unseen);
		rs_put(s, RP_LIT, 0, ".");
	}
	if (an->health.ndeductions == 0)
		return rs_para(s, "No deductions.");
	rs_table(s, "rlll", (const char *[]){ "Points", "Reason", "Resource",
	    "Metric" });
	for (i = 0; i < an->nfindings; i++) {
		const struct finding *fd = &an->findings[i];
		const struct metric_def *md = metric_get(fd->metric);
		if (fd->points <= 0)
			continue;
		rs_litf(s, "%s%d", st->minus, fd->points);
		rs_cell(s, RP_TEXT, 0, fd->reason);
		rs_resource(s, fd->res, fd->object);
		rs_cell(s, RP_CODE, 0, md != NULL ? md->name : "");
	}
	rs_line(s, -1);
	rs_putf(s, RP_STRONG, "%s%d", st->minus, an->health.deducted);
	rs_litf(s, "total: score %d", an->health.score);
	rs_line(s, -1);
	rs_line(s, -1);
	return 0;
}

static int
sec_findings(struct rep_sec *s, const struct report *rp,
    const struct rep_style *st)
{
	const struct analysis	*an = rp->an;
	int			 i;

	if (an == NULL || an->nfindings == 0)
		return rs_para(s, an == NULL ? "Not analysed." : "No findings: "
		    "every measured figure is below its info level.");
	rs_para(s, "Worst first.  Share: the culprit's part of all use of the "
	    "resource in the");
	rs_put(s, RP_BREAK, 0, " ");
	rs_put(s, RP_LIT, 0, "window.");
	rs_table(s, "llwrrlrr", (const char *[]){ "Severity", "Resource",
	    "Summary", "Value", "Threshold", "Culprit", "Share", "Points" });
	for (i = 0; i < an->nfindings; i++) {
		const struct finding *fd = &an->findings[i];
		const struct culprit *cu = fd->nculprits > 0 ?
		    &fd->culprits[0] : NULL;
		rs_cell(s, RP_SEV, (int)fd->sev, severity_name(fd->sev));
		rs_resource(s, fd->res, fd->object);
		rs_cell(s, RP_TEXT, 0, fd->summary);
		rs_line(s, -1);
		rs_metric(s, fd->metric, fd->value);
		rs_line(s, -1);
		rs_metric(s, fd->metric, fd->threshold);
		rs_line(s, -1);
		rs_culprit(s, cu);
		if (cu != NULL && cu->pid > 0 && isfinite(cu->share_pct))
			rs_litf(s, "%.1f %%", cu->share_pct);
		else
			rs_lit(s, "-");
		if (fd->points > 0)
			rs_litf(s, "%s%d", st->minus, fd->points);
		else
			rs_lit(s, "0");
	}
	return 0;
}

static int
sec_advice(struct rep_sec *s, const struct report *rp,
    const struct rep_style *st)
{
	const struct analysis	*an = rp->an;
	struct rep_block	*b;
	int			 i;

	b = rs_block(s, RB_LIST, NULL);
	for (i = 0; an != NULL && i < an->nfindings; i++) {
		const struct finding *fd = &an->findings[i];
		const struct culprit *cu = &fd->culprits[0];
		if (fd->advice[0] == '\0')
			continue;
		rs_line(s, (int)fd->sev);
		rs_put(s, RP_TEXT, 0, fd->advice);
		if (fd->advice[strlen(fd->advice) - 1] != '.')
			rs_put(s, RP_LIT, 0, ".");
		if (fd->nculprits == 0 || cu->pid <= 0) {
			rs_put(s, RP_LIT, 0, " Culprit: no single process.");
			continue;
		}
		rs_put(s, RP_LIT, 0, " Culprit: ");
		rs_culprit(s, cu);
		if (isfinite(cu->share_pct))
			rs_putf(s, RP_LIT, ", %.1f %% of the %s use",
			    cu->share_pct, resource_name(fd->res));
		rs_put(s, RP_LIT, 0, ".");
	}
	if (b != NULL && b->nline == 0) {
		b->kind = RB_PARA;
		rs_lit(s, "Nothing to do.");
	}
	return 0;
}

static int
sec_use(struct rep_sec *s, const struct report *rp,
    const struct rep_style *st)
{
	const struct analysis	*an = rp->an;
	int			 i, c;

	if (an == NULL || an->nrows == 0)
		return rs_para(s, "No data.");
	rs_para(s, "Utilization, saturation and errors of each resource; n/a: "
	    "not measured.");
	rs_table(s, "llll", (const char *[]){ "Resource", "Utilization",
	    "Saturation", "Errors" });
	for (i = 0; i < an->nrows; i++) {
		const struct use_row *r = &an->rows[i];
		rs_resource(s, r->res, r->object);
		for (c = 0; c < USE_NCOLS; c++) {
			const struct use_cell *cl = &r->cell[c];
			rs_line(s, (int)cl->sev);
			if (cl->sev == SEV_NA) {
				rs_put(s, RP_LIT, 0, "n/a");
				continue;
			}
			rs_put(s, RP_TEXT, 0, cl->text[0] != '\0' ? cl->text :
			    "-");
			if (cl->sev >= SEV_INFO)
				rs_putf(s, RP_LIT, " (%s)",
				    severity_name(cl->sev));
		}
	}
	return 0;
}

static int
sec_trends(struct rep_sec *s, const struct report *rp,
    const struct rep_style *st)
{
	const struct analysis	*an = rp->an;
	int			 i;

	if (an == NULL || an->ntrends == 0)
		return rs_para(s, "No steady growth in the window.");
	rs_table(s, "lwr", (const char *[]){ "Severity", "Trend", st->r2 });
	for (i = 0; i < an->ntrends; i++) {
		const struct trend *t = &an->trends[i];
		rs_cell(s, RP_SEV, (int)t->sev, severity_name(t->sev));
		rs_cell(s, RP_TEXT, 0, t->text);
		rs_litf(s, "%.2f", t->r2);
	}
	return 0;
}

static int
sec_alerts(struct rep_sec *s, const struct report *rp,
    const struct rep_style *st)
{
	const struct alert	*al;
	char			 b[64];
	int			 i, n;

	n = rp->alerts != NULL ? alerts_count(rp->alerts) : 0;
	if (n == 0) {
		rs_para(s, "No alert was raised");
		if (rp->cfg != NULL)
			rs_putf(s, RP_LIT, " (an alert needs its level held "
			    "for %g s)", rp->cfg->th.alert_duration_s);
		rs_put(s, RP_LIT, 0, ".");
		return 0;
	}
	rs_para(s, "Active first, then the log; times are UTC.");
	rs_table(s, "lwllrrrr", (const char *[]){ "Level", "Alert", "Raised",
	    "Cleared", "Duration", "Min", "Avg", "Max" });
	for (i = 0; i < n; i++) {
		if ((al = alerts_get(rp->alerts, i)) == NULL)
			continue;
		rs_cell(s, RP_SEV, (int)al->level, severity_name(al->level));
		rs_cell(s, RP_TEXT, 0, al->text);
		rs_lit(s, export_time(b, sizeof b, al->raise_t, EXPORT_ISO));
		/* An active alert is never nodata (raising clears it). */
		if (al->active)
			rs_lit(s, "active");
		else
			rs_litf(s, "%s%s", export_time(b, sizeof b,
			    al->clear_t, EXPORT_ISO),
			    al->nodata ? " (no data)" : "");
		if (isfinite(al->duration_s))
			rs_litf(s, al->duration_s < 10 ? "%.1f s" : "%.0f s",
			    al->duration_s);
		else
			rs_lit(s, "n/a");
		rs_line(s, -1);
		rs_metric(s, al->metric, al->vmin);
		rs_line(s, -1);
		rs_metric(s, al->metric, al->vavg);
		rs_line(s, -1);
		rs_metric(s, al->metric, al->vmax);
	}
	return 0;
}

static int
sec_host(struct rep_sec *s, const struct report *rp,
    const struct rep_style *st)
{
	const struct host	*h = ring_host(rp->ring);
	const struct sample	*first = export_sample(rp, export_len(rp) - 1);
	const struct sample	*last = export_sample(rp, 0);
	const struct config	*cfg = rp->cfg;
	struct rep_block	*tb;
	char			 b[256], t1[64], t2[64];

	if ((tb = rs_table(s, "ll", (const char *[]){ "Fact",
	    "Value" })) != NULL)
		tb->facts = true;
	export_hostname(rp, b, sizeof b);
	rs_fact(s, "Host name", RP_CODE, b);
	rs_fact(s, "Kernel", RP_CODE, h->kernel);
	rs_fact(s, "Operating system", RP_CODE, h->os);
	rs_fact(s, "Architecture", RP_CODE, h->arch);
	if (h->cpus > 0)
		snprintf(b, sizeof b, "%d", h->cpus);
	else
		snprintf(b, sizeof b, "n/a");
	rs_fact(s, "CPUs", RP_LIT, b);
	rs_fact(s, "Memory", RP_LIT, fmt_bytes(b, sizeof b,
	    h->mem_total_bytes));
	rs_fact(s, "Booted", RP_LIT, export_time(b, sizeof b, h->boot_time,
	    EXPORT_ISO));
	export_window(rp, t1, t2, sizeof t1);
	rs_lit(s, "Window");
	rs_litf(s, "%d samples, %s to %s", export_len(rp), t1, t2);
	if (first != NULL && last != NULL && isfinite(last->t - first->t))
		rs_putf(s, RP_LIT, " (%.1f s)", last->t - first->t);
	if (cfg != NULL && isfinite(cfg->interval_s))
		rs_putf(s, RP_LIT, ", every %g s", cfg->interval_s);
	rs_fact(s, "Generator", RP_LIT, "perftop " PACKAGE_VERSION);
	return 0;
}

#define SF(field)	offsetof(struct sample, field)
#define DF(field)	offsetof(struct disk_figs, field)
#define NF(field)	offsetof(struct net_figs, field)

/*
 * The key figures.  HTML shows fewer (its charts show more); Markdown sums
 * an interface's rx and tx drops and errors, text shows each.
 */
static const struct figdef {
	const char	*label;		/* a device's: after its name */
	enum export_dev	 kind;
	size_t		 off;
	enum export_unit unit;
	unsigned	 in;		/* FIG_ bits */
} fig_sys[] = {
	{ "CPU busy",			EXPORT_SAMPLE, SF(cpu.busy), EU_PCT,
					FIG_ALL },
	{ "CPU user",			EXPORT_SAMPLE, SF(cpu.user), EU_PCT,
					FIG_ALL },
	{ "CPU system",			EXPORT_SAMPLE, SF(cpu.system), EU_PCT,
					FIG_ALL },
	{ "CPU iowait",			EXPORT_SAMPLE, SF(cpu.iowait), EU_PCT,
					FIG_ALL },
	{ "CPU steal",			EXPORT_SAMPLE, SF(cpu.steal), EU_PCT,
					FIG_ALL },
	{ "CPU busy, busiest core",	EXPORT_CORE_MAX, 0, EU_PCT, FIG_MT },
	{ "Load average 1 min",		EXPORT_SAMPLE, SF(load[0]), EU_NUM,
					FIG_ALL },
	{ "Load average 5 min",		EXPORT_SAMPLE, SF(load[1]), EU_NUM,
					FIG_MT },
	{ "Load average 15 min",	EXPORT_SAMPLE, SF(load[2]), EU_NUM,
					FIG_MT },
	{ "Runnable tasks",		EXPORT_SAMPLE, SF(procs_running),
					EU_NUM, FIG_ALL },
	{ "Blocked tasks (D state)",	EXPORT_SAMPLE, SF(procs_blocked),
					EU_NUM, FIG_ALL },
	{ "Context switches",		EXPORT_SAMPLE, SF(ctxsw_ps), EU_PERSEC,
					FIG_ALL },
	{ "Memory used",		EXPORT_SAMPLE, SF(mem.used_pct), EU_PCT,
					FIG_ALL },
	{ "Memory used",		EXPORT_SAMPLE, SF(mem.used_bytes),
					EU_BYTES, FIG_MT },
	{ "Memory available",		EXPORT_SAMPLE,
					SF(mem.available_bytes), EU_BYTES,
					FIG_ALL },
	{ "Swap used",			EXPORT_SAMPLE,
					SF(mem.swap_used_bytes), EU_BYTES,
					FIG_ALL },
	{ "Swap in (pages)",		EXPORT_SAMPLE, SF(mem.swapin_ps),
					EU_PERSEC, FIG_MT },
	{ "Swap out (pages)",		EXPORT_SAMPLE, SF(mem.swapout_ps),
					EU_PERSEC, FIG_ALL },
	{ "Major page faults",		EXPORT_SAMPLE, SF(mem.majflt_ps),
					EU_PERSEC, FIG_ALL },
	{ "PSI cpu some avg10",		EXPORT_SAMPLE,
					SF(psi[PSI_CPU].some_avg10), EU_PCT,
					FIG_ALL },
	{ "PSI memory some avg10",	EXPORT_SAMPLE,
					SF(psi[PSI_MEMORY].some_avg10), EU_PCT,
					FIG_ALL },
	{ "PSI memory full avg10",	EXPORT_SAMPLE,
					SF(psi[PSI_MEMORY].full_avg10), EU_PCT,
					FIG_MT },
	{ "PSI io some avg10",		EXPORT_SAMPLE,
					SF(psi[PSI_IO].some_avg10), EU_PCT,
					FIG_ALL },
	{ "PSI io full avg10",		EXPORT_SAMPLE,
					SF(psi[PSI_IO].full_avg10), EU_PCT,
					FIG_MT },
}, fig_dev[] = {
	{ "read",		EXPORT_DISKS, DF(read_bps), EU_RATE, FIG_ALL },
	{ "write",		EXPORT_DISKS, DF(write_bps), EU_RATE, FIG_ALL },
	{ "utilization",	EXPORT_DISKS, DF(util_pct), EU_PCT, FIG_ALL },
	{ "await",		EXPORT_DISKS, DF(await_ms), EU_MS, FIG_ALL },
	{ "receive",		EXPORT_NETS, NF(rx_bps), EU_RATE, FIG_ALL },
	{ "transmit",		EXPORT_NETS, NF(tx_bps), EU_RATE, FIG_ALL },
	{ "drops (rx+tx)",	EXPORT_NET_RXTX, NF(rx_drops_ps), EU_PERSEC,
				FIG_MD },
	{ "errors (rx+tx)",	EXPORT_NET_RXTX, NF(rx_errors_ps), EU_PERSEC,
				FIG_MD },
	{ "rx drops",		EXPORT_NETS, NF(rx_drops_ps), EU_PERSEC,
				FIG_TEXT | FIG_HTML },
	{ "tx drops",		EXPORT_NETS, NF(tx_drops_ps), EU_PERSEC,
				FIG_TEXT },
	{ "rx errors",		EXPORT_NETS, NF(rx_errors_ps), EU_PERSEC,
				FIG_TEXT | FIG_HTML },
	{ "tx errors",		EXPORT_NETS, NF(tx_errors_ps), EU_PERSEC,
				FIG_TEXT },
	{ "used",		EXPORT_FS, offsetof(struct fs_figs, used_pct),
				EU_PCT, FIG_ALL },
};

/* The devices (export_names()) a figure of kind k is of. */
#define FIG_DEV(k)	((k) == EXPORT_NET_RXTX ? EXPORT_NETS : (k))

/*
 * A row of the key figures: average, maximum and last value over the
 * window of fd, of the device (dev "Disk", "Net", "Filesystem") called
 * name, or of the system (name NULL).
 */
static void
rs_fig(struct rep_sec *s, const struct report *rp, const struct rep_style *st,
    const struct figdef *fd, const char *dev, const char *name)
{
	double			 v, sum = 0, max = FIG_NA, last = FIG_NA;
	enum export_unit	 unit = fd->unit;
	char			 b[32];
	int			 k, n = 0;

	for (k = export_len(rp) - 1; k >= 0; k--) {
		v = export_fig(export_sample(rp, k), fd->kind, name, fd->off);
		if (k == 0)
			last = v;
		if (!isfinite(v))
			continue;
		sum += v;
		n++;
		if (!FIG_OK(max) || v > max)
			max = v;
	}
	rs_line(s, -1);
	if (name != NULL) {
		rs_putf(s, RP_LIT, "%s ", dev);
		rs_put(s, RP_CODE, CUT_DEV, name);
		rs_putf(s, RP_LIT, " %s", fd->label);
	} else
		rs_put(s, RP_LIT, 0, fd->label);
	if (unit == EU_PCT && st->pct_label) {
		rs_put(s, RP_LIT, 0, " %");
		unit = EU_PCTNUM;
	}
	rs_lit(s, export_value(b, sizeof b, n > 0 ? sum / n : FIG_NA, unit));
	rs_lit(s, export_value(b, sizeof b, max, unit));
	rs_lit(s, export_value(b, sizeof b, last, unit));
}

/* The OOM kills of the window and since boot, from the counters. */
static void
rs_oom(struct rep_sec *s, const struct report *rp)
{
	double	 oom = 0, total = FIG_NA;
	bool	 ok = false;
	int	 k;

	for (k = export_len(rp) - 1; k >= 0; k--) {
		const struct sample *sm = export_sample(rp, k);
		if (FIG_OK(sm->mem.oom_kills)) {
			oom += sm->mem.oom_kills;
			ok = true;
		}
		if (FIG_OK(sm->mem.oom_kills_total))
			total = sm->mem.oom_kills_total;
	}
	rs_block(s, RB_PARA, NULL);
	if (ok)
		rs_litf(s, "OOM kills in the window: %.0f", oom);
	else
		rs_lit(s, "OOM kills in the window: n/a");
	if (FIG_OK(total))
		rs_putf(s, RP_LIT, " (since boot: %.0f)", total);
	rs_put(s, RP_LIT, 0, ".");
}

static int
sec_figures(struct rep_sec *s, const struct report *rp,
    const struct rep_style *st)
{
	static const struct {
		enum export_dev	 kind;
		const char	*name;
	} devs[] = {
		{ EXPORT_DISKS, "Disk" }, { EXPORT_NETS, "Net" },
		{ EXPORT_FS, "Filesystem" }
	};
	const char	**names;
	size_t		  i, j;
	int		  k, n;

	rs_para(s, "Average, maximum and last value over the window; rates are "
	    "per second;");
	rs_put(s, RP_BREAK, 0, " ");
	rs_put(s, RP_LIT, 0, "n/a: not measured.");
	rs_table(s, "lrrr", (const char *[]){ "Figure", "Average", "Maximum",
	    "Last" });
	for (i = 0; i < sizeof fig_sys / sizeof fig_sys[0]; i++)
		if (fig_sys[i].in & st->figs)
			rs_fig(s, rp, st, &fig_sys[i], NULL, NULL);
	for (i = 0; i < sizeof devs / sizeof devs[0]; i++) {
		if (export_names(rp, devs[i].kind, &names, &n) != 0)
			return -1;
		for (k = 0; k < n; k++)
			for (j = 0; j < sizeof fig_dev / sizeof fig_dev[0]; j++)
				if ((fig_dev[j].in & st->figs) &&
				    FIG_DEV(fig_dev[j].kind) == devs[i].kind)
					rs_fig(s, rp, st, &fig_dev[j],
					    devs[i].name, names[k]);
		free(names);
	}
	if (st->oom_line)
		rs_oom(s, rp);
	return 0;
}

/* The busiest processes of the moment, from a sorted copy. */
static int
sec_procs(struct rep_sec *s, const struct report *rp,
    const struct rep_style *st)
{
	const struct proctab	*pt = export_procs(rp);
	const char		*cl;
	char			 b[32], cb[CMDLINE_MAX];
	int			*idx, i, n;

	if (export_len(rp) == 0 || pt->n == 0)
		return rs_para(s, "No process data.");
	if ((idx = export_proc_order(pt)) == NULL)
		return -1;
	n = pt->n < st->nprocs ? pt->n : st->nprocs;
	rs_block(s, RB_PARA, NULL);
	rs_litf(s, "By CPU in the last sample (%d of %d tasks); CPU %% is of "
	    "one core.", n, pt->total > 0 ? pt->total : pt->n);
	rs_table(s, "rlrrrrl", (const char *[]){ "PID", "User", "CPU %", "RSS",
	    "Read/s", "Write/s", "Command" });
	for (i = 0; i < n; i++) {
		const struct proc *p = &pt->v[idx[i]];
		rs_litf(s, "%d", p->pid);
		rs_cell(s, RP_NAME, CUT_PROC, p->user);
		rs_lit(s, export_value(b, sizeof b, p->cpu_pct, st->cpu_unit));
		rs_lit(s, export_value(b, sizeof b, p->rss_bytes, EU_BYTES));
		rs_lit(s, export_value(b, sizeof b, p->read_bps, EU_RATE));
		rs_lit(s, export_value(b, sizeof b, p->write_bps, EU_RATE));
		rs_cell(s, RP_CODE, CUT_PROC, p->comm);
		cl = export_cmdline(rp, pt, p, cb, sizeof cb);
		if (*cl != '\0')
			rs_put(s, RP_DETAIL, CUT_CMD, cl);
	}
	free(idx);
	return 0;
}

/* The sections in the order of the reports, and their titles. */
static const struct {
	const char	*title;
	int		 (*build)(struct rep_sec *, const struct report *,
			    const struct rep_style *);
} sections[] = {
	[REP_HEALTH] =	 { "Health", sec_health },
	[REP_FINDINGS] = { "Findings", sec_findings },
	[REP_ADVICE] =	 { "Advice", sec_advice },
	[REP_USE] =	 { "USE scorecard", sec_use },
	[REP_TRENDS] =	 { "Trends", sec_trends },
	[REP_ALERTS] =	 { "Alerts", sec_alerts },
	[REP_HOST] =	 { "Host", sec_host },
	[REP_FIGURES] =	 { "Key figures", sec_figures },
	[REP_PROCS] =	 { "Top processes", sec_procs },
};

/* Render a built section through o->w. */
static int
rep_render(struct rep_out *o, const struct rep_sec *s)
{
	const struct rep_writer	*w = o->w;
	const struct rep_block	*b;
	int			 i, rc;

	w->section(o, s);
	for (i = 0; i < s->nblock; i++) {
		b = &s->block[i];
		rc = b->kind == RB_PARA ? w->para(o, s, b) :
		    b->kind == RB_LIST ? w->list(o, s, b) : w->table(o, s, b);
		if (rc != 0)
			return -1;
	}
	if (w->end != NULL)
		w->end(o, s);
	return 0;
}

int
export_doc(FILE *f, const struct report *rp, const struct rep_writer *w)
{
	struct rep_out	 o = { f, w, false };
	struct rep_sec	 s;
	char		 host[256], from[64], to[64];
	int		 id, rc = 0;

	export_hostname(rp, host, sizeof host);
	export_window(rp, from, to, sizeof from);
	w->head(&o, rp, host, from, to);
	memset(&s, 0, sizeof s);
	for (id = REP_HEALTH; id <= REP_PROCS && rc == 0; id++) {
		s.title = sections[id].title;
		s.status = -1;
		s.len = 0;
		s.npiece = s.nline = s.nblock = 0;
		if (sections[id].build(&s, rp, &styles[w->fmt]) != 0)
			rc = -1;
		else if (s.failed) {
			errno = ENOMEM;
			rc = -1;
		} else if (rep_render(&o, &s) != 0)
			rc = -1;
		else if (w->after != NULL)
			rc = w->after(&o, rp, (enum rep_id)id);
	}
	free(s.text);
	free(s.piece);
	free(s.line);
	free(s.block);
	if (rc == 0 && w->tail != NULL)
		w->tail(&o);
	return rc != 0 || ferror(f) ? -1 : 0;
}

void
export_gap(struct rep_out *o, bool owe)
{
	if (o->gap)
		fputc('\n', o->f);
	o->gap = owe;
}

void
export_pieces(FILE *f, const struct rep_writer *w, const struct rep_sec *s,
    const struct rep_line *l)
{
	const struct rep_piece	*p;
	int			 i;

	for (i = 0; i < l->npiece; i++) {
		p = &s->piece[l->piece + i];
		w->piece(f, p, s->text + p->text);
	}
}
