/*
 * export.c - report formats by name, the report's status, and writing a
 * report to a stream or, atomically, to a file.
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
#include "util.h"

#define TMP_TRIES	64

int
export_format_parse(const char *s)
{
	if (s == NULL)
		return -1;
	if (strcmp(s, "markdown") == 0 || strcmp(s, "md") == 0)
		return EXPORT_MARKDOWN;
	if (strcmp(s, "json") == 0)
		return EXPORT_JSON;
	return -1;
}

const char *
export_format_name(enum export_format fmt)
{
	switch (fmt) {
	case EXPORT_MARKDOWN:
		return "markdown";
	case EXPORT_JSON:
		return "json";
	}
	return "?";
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
