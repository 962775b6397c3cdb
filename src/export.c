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
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
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
		rc = export_markdown(f, rp);
		break;
	case EXPORT_JSON:
		rc = export_json_write(f, rp);
		break;
	case EXPORT_TEXT:
		rc = export_text(f, rp);
		break;
	case EXPORT_CSV:
		rc = export_csv(f, rp);
		break;
	case EXPORT_HTML:
		rc = export_html(f, rp);
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
	double	 m = FIG_NA;
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

const char *
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
