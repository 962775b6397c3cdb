/*
 * conf.c - settings: embedded defaults, finding the one file to read, and
 * reading and validating it with libconfig.
 *
 * The file is read into memory here (at most CONF_FILE_MAX bytes, regular
 * files only) and handed to config_read_string(), then every member of the
 * root group is checked against a table of known settings.  A wrong type or
 * an out-of-range value is an error naming the file, the line, the setting
 * and what is allowed; an unknown name is only a warning, with a hint when it
 * is close to a known one.  libconfig's @include would open any file, even
 * from a string and relative to the current directory, and 1.5 has no hook
 * to stop it, so an @include line is refused before parsing.
 *
 * The `thresholds` group holds one group per metric of analysis.h, named by
 * its config name (cpu_busy_pct = { info = 65; warn = 72; crit = 90; };),
 * where any level may be left out (it keeps its default) or set to "off",
 * plus the plain alert and trend settings; the result must then pass
 * thresholds_check(), whose complaint is reported at the line of the metric
 * it names.  Unknown names inside groups are warnings too.
 *
 * alert_hook names a program that perftop runs on every alert event.  Since
 * whoever can write this file can make perftop run anything, the hook is
 * refused (a warning, and cfg->hook_refused) when the file is writable by
 * group or others or owned by someone other than the user running perftop
 * or root.  That is judged with fstat() on the descriptor the text was read
 * from, so the file checked is the file read.
 *
 * Our functions are conf_*, not config_*: libconfig owns that prefix (it
 * exports a config_read() of its own).
 */
#include <config.h>

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <libconfig.h>

#include "conf.h"
#include "sanitize.h"
#include "util.h"

#define CONF_FILE_MAX		(1024 * 1024)	/* bytes */
#define CONF_VERSION		1
#define CONF_OVERVIEW_MAX	50
#define CONF_NAME		"perftop.conf"
#define CONF_WINDOW_MIN		1.0
#define CONF_WINDOW_MAX		3600.0
#define CONF_HOOK_TIMEOUT_MIN	0.1
#define CONF_HOOK_TIMEOUT_MAX	3600.0

/* Why a value is wrong: "must be ... (got ...)". */
#define WHY_MAX			256

/* What the checks of one file share. */
struct conf_ctx {
	const char		*path;		/* for messages */
	const struct stat	*sb;		/* of the fd read */
	char			**warnings;
	char			**cause;
};

struct conf_key {
	const char	*name;
	/* Store the value into cfg, or fill why and return -1. */
	int		 (*set)(struct config *, const config_setting_t *,
			    char *why, size_t whysz);
	/* A group: checks its members and reports errors itself. */
	int		 (*group)(struct config *, const config_setting_t *,
			    struct conf_ctx *);
};

void
conf_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->interval_s = 1.0;
	cfg->history = 600;
	cfg->ascii_only = false;
	cfg->color = COLOR_AUTO;
	cfg->sort = SORT_CPU;
	cfg->overview_procs = 5;
	cfg->window_s = 10.0;
	thresholds_defaults(&cfg->th);
	cfg->hook[0] = '\0';
	cfg->hook_timeout_s = 10.0;
	cfg->hook_refused = false;
	cfg->redact = false;
	strlcpy0(cfg->export_dir, ".", sizeof cfg->export_dir);
	cfg->path[0] = '\0';
}

/* ---- finding the file ---------------------------------------------------- */

/*
 * Put dir + rest into buf and say whether a file is there.  Returns 1 when
 * it exists (or cannot be checked for a reason other than absence: reading
 * it will then report that reason rather than silently skipping the file),
 * 0 when it does not exist, -1 when the name does not fit in buf.
 */
static int
find_try(const char *dir, const char *rest, char *buf, size_t bufsz,
    char **cause)
{
	struct stat	 sb;
	int		 n;

	n = snprintf(buf, bufsz, "%s%s", dir, rest);
	if (n < 0 || (size_t)n >= bufsz) {
		set_cause(cause, "%s%s: file name too long", dir, rest);
		return -1;
	}
	if (stat(buf, &sb) == 0)
		return 1;
	if (errno == ENOENT || errno == ENOTDIR)
		return 0;
	return 1;
}

int
conf_find(const char *explicit, char *buf, size_t bufsz, char **cause)
{
	const char	*xdg, *home;
	int		 r;

	if (explicit != NULL) {
		if (*explicit == '\0') {
			set_cause(cause, "--config: empty file name");
			return -1;
		}
		if (access(explicit, R_OK) != 0) {
			set_cause(cause, "%s: %s", explicit, strerror(errno));
			return -1;
		}
		if (strlen(explicit) >= bufsz) {
			set_cause(cause, "%s: file name too long", explicit);
			return -1;
		}
		strlcpy0(buf, explicit, bufsz);
		return 1;
	}

	/*
	 * A relative XDG_CONFIG_HOME or HOME would make the result depend on
	 * the current directory: the XDG spec says to ignore it.
	 */
	xdg = getenv("XDG_CONFIG_HOME");
	home = getenv("HOME");
	if (xdg != NULL && *xdg == '/')
		r = find_try(xdg, "/perftop/" CONF_NAME, buf, bufsz, cause);
	else if (home != NULL && *home == '/')
		r = find_try(home, "/.config/perftop/" CONF_NAME, buf, bufsz,
		    cause);
	else
		r = 0;
	if (r != 0)
		return r;

	if ((r = find_try(SYSCONFDIR, "/" CONF_NAME, buf, bufsz, cause)) != 0)
		return r;
	if (bufsz > 0)
		buf[0] = '\0';
	return 0;
}

/* ---- reading the file ---------------------------------------------------- */

/*
 * Read a whole regular file of at most CONF_FILE_MAX bytes into a new
 * buffer, ending in a newline and a NUL; *sbout is fstat() of the
 * descriptor it was read from.
 */
static int
file_slurp(const char *path, char **out, size_t *outlen, struct stat *sbout,
    char **cause)
{
	struct stat	 sb;
	char		*buf;
	size_t		 len = 0;
	ssize_t		 n;
	int		 fd;

	/* O_NONBLOCK: a FIFO must not hang the open; checked below. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd == -1) {
		set_cause(cause, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &sb) == -1) {
		set_cause(cause, "%s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(sb.st_mode)) {
		set_cause(cause, "%s: not a regular file", path);
		close(fd);
		return -1;
	}
	if (sb.st_size > CONF_FILE_MAX) {
		set_cause(cause, "%s: too large (%lld bytes; a configuration "
		    "file may hold at most 1 MiB)", path,
		    (long long)sb.st_size);
		close(fd);
		return -1;
	}

	/* The file may grow after fstat: read one byte past the cap. */
	buf = xcalloc(1, CONF_FILE_MAX + 2);
	for (;;) {
		n = read(fd, buf + len, CONF_FILE_MAX + 1 - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			set_cause(cause, "%s: %s", path, strerror(errno));
			free(buf);
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > CONF_FILE_MAX) {
			set_cause(cause, "%s: too large (a configuration file "
			    "may hold at most 1 MiB)", path);
			free(buf);
			close(fd);
			return -1;
		}
	}
	close(fd);
	*sbout = sb;
	/* libconfig 1.5 fails on a comment that ends the file unterminated. */
	if (len > 0 && buf[len - 1] != '\n')
		buf[len++] = '\n';
	buf[len] = '\0';
	*out = buf;
	*outlen = len;
	return 0;
}

static int
line_of(const char *buf, size_t off)
{
	int	 line = 1;
	size_t	 i;

	for (i = 0; i < off; i++) {
		if (buf[i] == '\n')
			line++;
	}
	return line;
}

/*
 * Line of the first @include directive, or 0.  Follows libconfig's lexer
 * far enough to skip strings and comments: a directive is "@include" at the
 * start of a line, after blanks only.
 */
static int
find_include(const char *buf, size_t len)
{
	enum { S_CODE, S_STRING, S_LINE_COMMENT, S_BLOCK_COMMENT } st = S_CODE;
	bool	 bol = true;
	int	 line = 1;
	size_t	 i;
	char	 c;

	for (i = 0; i < len; i++) {
		c = buf[i];
		if (c == '\n')
			line++;
		switch (st) {
		case S_CODE:
			if (c == '\n') {
				bol = true;
				break;
			}
			if (bol && (c == ' ' || c == '\t'))
				break;
			if (bol && strncmp(buf + i, "@include", 8) == 0)
				return line;
			bol = false;
			if (c == '"')
				st = S_STRING;
			else if (c == '#')
				st = S_LINE_COMMENT;
			else if (c == '/' && buf[i + 1] == '/')
				st = S_LINE_COMMENT;
			else if (c == '/' && buf[i + 1] == '*') {
				st = S_BLOCK_COMMENT;
				i++;
			}
			break;
		case S_STRING:
			if (c == '\\' && i + 1 < len) {
				if (buf[++i] == '\n')
					line++;
			} else if (c == '"')
				st = S_CODE;
			break;
		case S_LINE_COMMENT:
			if (c == '\n') {
				st = S_CODE;
				bol = true;
			}
			break;
		case S_BLOCK_COMMENT:
			if (c == '*' && buf[i + 1] == '/') {
				st = S_CODE;
				i++;
			}
			break;
		}
	}
	return 0;
}

/* ---- validating settings ------------------------------------------------- */

/* What a setting holds, for error messages: 0, 2.5, "blue", a group. */
static const char *
setting_describe(const config_setting_t *s, char *buf, size_t bufsz)
{
	char	 clean[64];

	switch (config_setting_type(s)) {
	case CONFIG_TYPE_INT:
		snprintf(buf, bufsz, "%d", config_setting_get_int(s));
		break;
	case CONFIG_TYPE_INT64:
		snprintf(buf, bufsz, "%lldL", config_setting_get_int64(s));
		break;
	case CONFIG_TYPE_FLOAT:
		snprintf(buf, bufsz, "%g", config_setting_get_float(s));
		break;
	case CONFIG_TYPE_BOOL:
		snprintf(buf, bufsz, "%s",
		    config_setting_get_bool(s) ? "true" : "false");
		break;
	case CONFIG_TYPE_STRING:
		text_sanitize_str(clean, sizeof clean,
		    config_setting_get_string(s));
		snprintf(buf, bufsz, "\"%s\"", clean);
		break;
	case CONFIG_TYPE_GROUP:
		snprintf(buf, bufsz, "a group");
		break;
	case CONFIG_TYPE_ARRAY:
		snprintf(buf, bufsz, "an array");
		break;
	case CONFIG_TYPE_LIST:
		snprintf(buf, bufsz, "a list");
		break;
	default:
		snprintf(buf, bufsz, "an unknown type");
		break;
	}
	return buf;
}

/* Fill why with "<must> (got <value>)" and fail. */
static int
setting_reject(const config_setting_t *s, char *why, size_t whysz,
    const char *must)
{
	char	 got[96];

	snprintf(why, whysz, "%s (got %s)", must,
	    setting_describe(s, got, sizeof got));
	return -1;
}

/* Integer and floating-point settings alike (libconfig won't convert). */
static bool
setting_number(const config_setting_t *s, double *out)
{
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_INT:
		*out = config_setting_get_int(s);
		return true;
	case CONFIG_TYPE_INT64:
		*out = (double)config_setting_get_int64(s);
		return true;
	case CONFIG_TYPE_FLOAT:
		*out = config_setting_get_float(s);
		return isfinite(*out);
	default:
		return false;
	}
}

static bool
setting_integer(const config_setting_t *s, long long *out)
{
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_INT:
		*out = config_setting_get_int(s);
		return true;
	case CONFIG_TYPE_INT64:
		*out = config_setting_get_int64(s);
		return true;
	default:
		return false;
	}
}

/* Index of the string value among names[0..n), or -1. */
static int
setting_choice(const config_setting_t *s, const char *const *names, int n)
{
	const char	*v;
	int		 i;

	if (config_setting_type(s) != CONFIG_TYPE_STRING)
		return -1;
	v = config_setting_get_string(s);
	for (i = 0; i < n; i++) {
		if (strcmp(v, names[i]) == 0)
			return i;
	}
	return -1;
}

static int
set_version(struct config *cfg, const config_setting_t *s, char *why,
    size_t whysz)
{
	long long	 v;

	(void)cfg;
	if (!setting_integer(s, &v) || v != CONF_VERSION)
		return setting_reject(s, why, whysz, "must be 1, the only "
		    "version of this file format");
	return 0;
}

static int
set_interval(struct config *cfg, const config_setting_t *s, char *why,
    size_t whysz)
{
	double	 v;
	char	 must[96];

	if (!setting_number(s, &v) || v < CONFIG_INTERVAL_MIN ||
	    v > CONFIG_INTERVAL_MAX) {
		snprintf(must, sizeof must, "must be a number of seconds "
		    "from %g to %g", CONFIG_INTERVAL_MIN, CONFIG_INTERVAL_MAX);
		return setting_reject(s, why, whysz, must);
	}
	cfg->interval_s = v;
	return 0;
}

static int
set_history(struct config *cfg, const config_setting_t *s, char *why,
    size_t whysz)
{
	long long	 v;
	char		 must[96];

	if (!setting_integer(s, &v) || v < CONFIG_HISTORY_MIN ||
	    v > CONFIG_HISTORY_MAX) {
		snprintf(must, sizeof must, "must be a whole number of "
		    "samples from %d to %d", CONFIG_HISTORY_MIN,
		    CONFIG_HISTORY_MAX);
		return setting_reject(s, why, whysz, must);
	}
	cfg->history = (int)v;
	return 0;
}

static int
set_ascii_only(struct config *cfg, const config_setting_t *s, char *why,
    size_t whysz)
{
	if (config_setting_type(s) != CONFIG_TYPE_BOOL)
		return setting_reject(s, why, whysz, "must be true or false");
	cfg->ascii_only = config_setting_get_bool(s) != 0;
	return 0;
}

static int
set_color(struct config *cfg, const config_setting_t *s, char *why,
    size_t whysz)
{
	/* In enum color_mode order. */
	static const char *const names[] = { "auto", "always", "never" };
	int	 i;

	if ((i = setting_choice(s, names, 3)) < 0)
		return setting_reject(s, why, whysz,
		    "must be \"auto\", \"always\" or \"never\"");
	cfg->color = (enum color_mode)i;
	return 0;
}

static int
set_sort(struct config *cfg, const config_setting_t *s, char *why,
    size_t whysz)
{
	const char	*names[SORT_NKEYS];
	int		 i;

	for (i = 0; i < SORT_NKEYS; i++)
		names[i] = proc_sort_name((enum proc_sort)i);
	if ((i = setting_choice(s, names, SORT_NKEYS)) < 0)
		return setting_reject(s, why, whysz, "must be \"cpu\", "
		    "\"mem\", \"pid\", \"io\" or \"name\"");
	cfg->sort = (enum proc_sort)i;
	return 0;
}

static int
set_overview_procs(struct config *cfg, const config_setting_t *s, char *why,
    size_t whysz)
{
	long long	 v;
	char		 must[96];

	if (!setting_integer(s, &v) || v < 0 || v > CONF_OVERVIEW_MAX) {
		snprintf(must, sizeof must, "must be a whole number of rows "
		    "from 0 to %d", CONF_OVERVIEW_MAX);
		return setting_reject(s, why, whysz, must);
	}
	cfg->overview_procs = (int)v;
	return 0;
}

static int
set_window(struct config *cfg, const config_setting_t *s, char *why,
    size_t whysz)
{
	double	 v;
	char	 must[96];

	if (!setting_number(s, &v) || v < CONF_WINDOW_MIN ||
	    v > CONF_WINDOW_MAX) {
		snprintf(must, sizeof must, "must be a number of seconds "
		    "from %g to %g", CONF_WINDOW_MIN, CONF_WINDOW_MAX);
		return setting_reject(s, why, whysz, must);
	}
	cfg->window_s = v;
	return 0;
}

static int
set_alert_hook(struct config *cfg, const config_setting_t *s, char *why,
    size_t whysz)
{
	const char	*v;

	if (config_setting_type(s) != CONFIG_TYPE_STRING)
		return setting_reject(s, why, whysz, "must be the absolute "
		    "path of a program, or \"\" for none");
	v = config_setting_get_string(s);
	if (*v != '\0' && *v != '/')
		return setting_reject(s, why, whysz, "must be the absolute "
		    "path of a program, or \"\" for none");
	if (strlen(v) >= sizeof cfg->hook)
		return setting_reject(s, why, whysz, "must be a path shorter "
		    "than PATH_MAX");
	strlcpy0(cfg->hook, v, sizeof cfg->hook);
	return 0;
}

static int
set_alert_hook_timeout(struct config *cfg, const config_setting_t *s,
    char *why, size_t whysz)
{
	double	 v;
	char	 must[96];

	if (!setting_number(s, &v) || v < CONF_HOOK_TIMEOUT_MIN ||
	    v > CONF_HOOK_TIMEOUT_MAX) {
		snprintf(must, sizeof must, "must be a number of seconds "
		    "from %g to %g", CONF_HOOK_TIMEOUT_MIN,
		    CONF_HOOK_TIMEOUT_MAX);
		return setting_reject(s, why, whysz, must);
	}
	cfg->hook_timeout_s = v;
	return 0;
}

static int
set_redact(struct config *cfg, const config_setting_t *s, char *why,
    size_t whysz)
{
	if (config_setting_type(s) != CONFIG_TYPE_BOOL)
		return setting_reject(s, why, whysz, "must be true or false");
	cfg->redact = config_setting_get_bool(s) != 0;
	return 0;
}

/*
 * A directory for exports: an existing directory (relative paths are taken
 * from the working directory, as "." is), checked again on every export.
 */
static int
set_export_dir(struct config *cfg, const config_setting_t *s, char *why,
    size_t whysz)
{
	const char	*v;
	struct stat	 sb;

	if (config_setting_type(s) != CONFIG_TYPE_STRING ||
	    *(v = config_setting_get_string(s)) == '\0')
		return setting_reject(s, why, whysz, "must be the path of a "
		    "directory (\".\" is the working directory)");
	if (strlen(v) >= sizeof cfg->export_dir)
		return setting_reject(s, why, whysz, "must be a path shorter "
		    "than PATH_MAX");
	if (stat(v, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return setting_reject(s, why, whysz, "must be an existing "
		    "directory");
	strlcpy0(cfg->export_dir, v, sizeof cfg->export_dir);
	return 0;
}

static int	conf_thresholds(struct config *, const config_setting_t *,
		    struct conf_ctx *);

static const struct conf_key conf_keys[] = {
	{ "version",		set_version, NULL },
	{ "interval",		set_interval, NULL },
	{ "history",		set_history, NULL },
	{ "ascii_only",		set_ascii_only, NULL },
	{ "color",		set_color, NULL },
	{ "sort",		set_sort, NULL },
	{ "overview_procs",	set_overview_procs, NULL },
	{ "window",		set_window, NULL },
	{ "thresholds",		NULL, conf_thresholds },
	{ "alert_hook",		set_alert_hook, NULL },
	{ "alert_hook_timeout",	set_alert_hook_timeout, NULL },
	{ "redact",		set_redact, NULL },
	{ "export_dir",		set_export_dir, NULL },
};
#define CONF_NKEYS	(sizeof conf_keys / sizeof conf_keys[0])

/* The plain settings of the thresholds group: numbers within a range. */
struct th_key {
	const char	*name;
	size_t		 off;		/* into struct thresholds */
	bool		 integer;	/* an int member, else a double */
	double		 min, max;
	const char	*what;		/* "a number of seconds" */
};
static const struct th_key th_keys[] = {
	{ "alert_duration_s", offsetof(struct thresholds, alert_duration_s),
	  false, 0, 86400, "a number of seconds" },
	{ "hysteresis_pct", offsetof(struct thresholds, hysteresis_pct),
	  false, 0, 50, "a number of percentage points" },
	{ "hysteresis_rel", offsetof(struct thresholds, hysteresis_rel),
	  false, 0, 0.99, "a fraction" },
	{ "trend_min_points", offsetof(struct thresholds, trend_min_points),
	  true, 3, CONFIG_HISTORY_MAX, "a whole number of samples" },
	{ "trend_min_r2", offsetof(struct thresholds, trend_min_r2),
	  false, 0, 1, "a number" },
};
#define TH_NKEYS	(sizeof th_keys / sizeof th_keys[0])

static const char *const level_names[] = { "info", "warn", "crit" };
#define LEVEL_NNAMES	3

/* Edit distance with transpositions (optimal string alignment), no case. */
static size_t
name_distance(const char *a, const char *b)
{
	size_t	 la = strlen(a), lb = strlen(b), i, j, d[33][33], v;
	char	 ca, cb;

	if (la > 32 || lb > 32)
		return SIZE_MAX;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			ca = a[i - 1] | 0x20;	/* ASCII names: lower */
			cb = b[j - 1] | 0x20;
			v = d[i - 1][j - 1] + (ca != cb);
			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && ca == (b[j - 2] | 0x20) &&
			    (a[i - 2] | 0x20) == cb && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[la][lb];
}

/*
 * The one of names[0..n) closest to an unknown name, or NULL if none is
 * close: one edit for short names, two for longer ones, or the unknown name
 * starting with a known one of 4 letters or more ("warning" for "warn").
 */
static const char *
name_suggest(const char *name, const char *const *names, size_t n)
{
	const char	*best = NULL;
	size_t		 i, d, bestd = SIZE_MAX, limit, len;

	for (i = 0; i < n; i++) {
		len = strlen(names[i]);
		d = name_distance(name, names[i]);
		limit = len >= 6 ? 2 : 1;
		if (d <= limit && d < bestd) {
			best = names[i];
			bestd = d;
		}
	}
	if (best != NULL)
		return best;
	for (i = 0; i < n; i++) {
		len = strlen(names[i]);
		if (len >= 4 && strncasecmp(name, names[i], len) == 0)
			return names[i];
	}
	return NULL;
}

/* Append a line to *warnings (NULL: discard). */
static void
warn_add(char **warnings, const char *line)
{
	char	*s;

	if (warnings == NULL)
		return;
	if (*warnings == NULL) {
		*warnings = xstrdup(line);
		return;
	}
	s = xprintf("%s%s", *warnings, line);
	free(*warnings);
	*warnings = s;
}

/*
 * Warn about setting s, unknown in the group whose members are prefixed
 * with prefix ("" at the top, "thresholds." inside); hint is the suggested
 * full name or NULL.
 */
static void
warn_unknown(struct conf_ctx *ctx, const config_setting_t *s,
    const char *prefix, const char *hint)
{
	const char	*name = config_setting_name(s);
	char		*line;

	if (hint != NULL)
		line = xprintf("%s:%u: warning: unknown setting '%s%s' "
		    "(ignored); did you mean '%s'?\n", ctx->path,
		    config_setting_source_line(s), prefix, name, hint);
	else
		line = xprintf("%s:%u: warning: unknown setting '%s%s' "
		    "(ignored)\n", ctx->path, config_setting_source_line(s),
		    prefix, name);
	warn_add(ctx->warnings, line);
	free(line);
}

/* An unknown name in a group: warn, with the closest of names as hint. */
static void
warn_unknown_among(struct conf_ctx *ctx, const config_setting_t *s,
    const char *prefix, const char *const *names, size_t n)
{
	const char	*hint;
	char		 full[128];

	hint = name_suggest(config_setting_name(s), names, n);
	if (hint != NULL) {
		snprintf(full, sizeof full, "%s%s", prefix, hint);
		warn_unknown(ctx, s, prefix, full);
	} else
		warn_unknown(ctx, s, prefix, NULL);
}

/* Fail with "FILE:LINE: setting 'NAME': why". */
static int
conf_reject(struct conf_ctx *ctx, const config_setting_t *s,
    const char *name, const char *why)
{
	set_cause(ctx->cause, "%s:%u: setting '%s': %s", ctx->path,
	    config_setting_source_line(s), name, why);
	return -1;
}

/* Metric m by its config name (not its report name), or M_NONE. */
static enum metric
metric_by_conf(const char *name)
{
	enum metric	 m = metric_find(name);

	if (m == M_NONE || strcmp(metric_get(m)->conf, name) != 0)
		return M_NONE;
	return m;
}

/* One level of metric d: a number in range, or "off" (NAN). */
static int
level_value(const struct metric_def *d, const config_setting_t *s,
    double *out, char *why, size_t whysz)
{
	char	 must[128];
	double	 v;
	bool	 pct = strcmp(d->unit, "%") == 0;

	if (config_setting_type(s) == CONFIG_TYPE_STRING &&
	    strcmp(config_setting_get_string(s), "off") == 0) {
		*out = FIG_NA;
		return 0;
	}
	if (!setting_number(s, &v) || v < 0 || (pct && v > 100)) {
		if (pct)
			snprintf(must, sizeof must, "must be a percentage from "
			    "0 to 100, or \"off\"");
		else
			snprintf(must, sizeof must, "must be a number (%s), 0 "
			    "or more, or \"off\"", d->unit);
		return setting_reject(s, why, whysz, must);
	}
	*out = v;
	return 0;
}

/* thresholds.NAME = { info = ..; warn = ..; crit = ..; } or "off". */
static int
conf_level(struct config *cfg, enum metric m, const config_setting_t *g,
    struct conf_ctx *ctx)
{
	const struct metric_def	*d = metric_get(m);
	struct level		*lv = &cfg->th.lv[m];
	const config_setting_t	*s;
	double			*slot[LEVEL_NNAMES];
	const char		*name;
	char			 why[WHY_MAX], full[128], prefix[160];
	int			 i, n, k;

	snprintf(full, sizeof full, "thresholds.%s", d->conf);
	if (config_setting_type(g) == CONFIG_TYPE_STRING &&
	    strcmp(config_setting_get_string(g), "off") == 0) {
		lv->info = lv->warn = lv->crit = FIG_NA;
		return 0;
	}
	if (config_setting_type(g) != CONFIG_TYPE_GROUP) {
		setting_reject(g, why, sizeof why, "must be a group { info = "
		    "N; warn = N; crit = N; } (any of them), or \"off\"");
		return conf_reject(ctx, g, full, why);
	}
	slot[0] = &lv->info;
	slot[1] = &lv->warn;
	slot[2] = &lv->crit;
	snprintf(prefix, sizeof prefix, "%s.", full);
	n = config_setting_length(g);
	for (i = 0; i < n; i++) {
		s = config_setting_get_elem(g, (unsigned int)i);
		name = config_setting_name(s);
		for (k = 0; k < LEVEL_NNAMES; k++) {
			if (strcmp(name, level_names[k]) == 0)
				break;
		}
		if (k == LEVEL_NNAMES) {
			warn_unknown_among(ctx, s, prefix, level_names,
			    LEVEL_NNAMES);
			continue;
		}
		if (level_value(d, s, slot[k], why, sizeof why) != 0) {
			snprintf(full, sizeof full, "thresholds.%s.%s",
			    d->conf, name);
			return conf_reject(ctx, s, full, why);
		}
	}
	return 0;
}

/* A plain setting of the thresholds group. */
static int
conf_th_key(struct config *cfg, const struct th_key *k,
    const config_setting_t *s, struct conf_ctx *ctx)
{
	char		 why[WHY_MAX], must[128], full[96];
	char		*p = (char *)&cfg->th + k->off;
	double		 v = 0;
	long long	 iv = 0;
	bool		 ok;

	if (k->integer) {
		ok = setting_integer(s, &iv) && iv >= k->min && iv <= k->max;
		v = (double)iv;
	} else
		ok = setting_number(s, &v) && v >= k->min && v <= k->max;
	if (!ok) {
		snprintf(must, sizeof must, "must be %s from %g to %g",
		    k->what, k->min, k->max);
		setting_reject(s, why, sizeof why, must);
		snprintf(full, sizeof full, "thresholds.%s", k->name);
		return conf_reject(ctx, s, full, why);
	}
	if (k->integer)
		*(int *)(void *)p = (int)iv;
	else
		*(double *)(void *)p = v;
	return 0;
}

/* Names known inside the thresholds group, for hints. */
static size_t
th_names(const char **names)
{
	size_t	 n = 0, i;

	for (i = 0; i < M_NMETRICS; i++)
		names[n++] = metric_get((enum metric)i)->conf;
	for (i = 0; i < TH_NKEYS; i++)
		names[n++] = th_keys[i].name;
	return n;
}

static int
conf_thresholds(struct config *cfg, const config_setting_t *g,
    struct conf_ctx *ctx)
{
	const config_setting_t	*s;
	const char		*name, *names[M_NMETRICS + TH_NKEYS];
	char			 why[WHY_MAX];
	enum metric		 m;
	size_t			 k;
	int			 i, n;

	if (config_setting_type(g) != CONFIG_TYPE_GROUP) {
		setting_reject(g, why, sizeof why, "must be a group: "
		    "thresholds = { NAME = { info = N; warn = N; crit = N; }; "
		    "... }");
		return conf_reject(ctx, g, "thresholds", why);
	}
	n = config_setting_length(g);
	for (i = 0; i < n; i++) {
		s = config_setting_get_elem(g, (unsigned int)i);
		name = config_setting_name(s);
		if ((m = metric_by_conf(name)) != M_NONE) {
			if (conf_level(cfg, m, s, ctx) != 0)
				return -1;
			continue;
		}
		for (k = 0; k < TH_NKEYS; k++) {
			if (strcmp(name, th_keys[k].name) == 0)
				break;
		}
		if (k == TH_NKEYS) {
			warn_unknown_among(ctx, s, "thresholds.", names,
			    th_names(names));
			continue;
		}
		if (conf_th_key(cfg, &th_keys[k], s, ctx) != 0)
			return -1;
	}
	return 0;
}

/*
 * Run thresholds_check() on the result and report its complaint at the
 * line of the metric group it names (else of the thresholds group), with
 * the levels in force, since those left out keep defaults the user did not
 * write.
 */
static int
conf_thresholds_check(const struct config *cfg, const config_t *c,
    struct conf_ctx *ctx)
{
	const config_setting_t	*g, *s;
	const struct level	*lv;
	char			*why = NULL, name[64], lvls[160], v[3][32];
	const char		*p;
	enum metric		 m = M_NONE;
	unsigned int		 line = 0;
	size_t			 len;

	if (thresholds_check(&cfg->th, &why) == 0)
		return 0;
	g = config_lookup(c, "thresholds");
	if (g != NULL)
		line = config_setting_source_line(g);
	lvls[0] = '\0';
	if (strncmp(why, "thresholds.", 11) == 0 &&
	    (p = strchr(why + 11, ':')) != NULL &&
	    (len = (size_t)(p - (why + 11))) < sizeof name) {
		memcpy(name, why + 11, len);
		name[len] = '\0';
		m = metric_by_conf(name);
		if (g != NULL && (s = config_setting_get_member(g, name)) !=
		    NULL)
			line = config_setting_source_line(s);
	}
	if (m != M_NONE) {
		lv = &cfg->th.lv[m];
		snprintf(v[0], sizeof v[0], FIG_OK(lv->info) ? "%g" : "off",
		    lv->info);
		snprintf(v[1], sizeof v[1], FIG_OK(lv->warn) ? "%g" : "off",
		    lv->warn);
		snprintf(v[2], sizeof v[2], FIG_OK(lv->crit) ? "%g" : "off",
		    lv->crit);
		snprintf(lvls, sizeof lvls, " (now info %s, warn %s, crit %s; "
		    "a level left out keeps its default)", v[0], v[1], v[2]);
	}
	set_cause(ctx->cause, "%s:%u: %s%s", ctx->path, line, why, lvls);
	free(why);
	return -1;
}

/*
 * Refuse the hook when the file naming it could have been written by
 * someone who may not run programs as us: writable by group or others, or
 * owned by neither us nor root.
 */
static void
conf_hook_check(struct config *cfg, const config_t *c, struct conf_ctx *ctx)
{
	const config_setting_t	*s;
	const struct stat	*sb = ctx->sb;
	uid_t			 me = geteuid();
	unsigned int		 line = 0;
	char			*w;

	if (cfg->hook[0] == '\0')
		return;
	if ((s = config_lookup(c, "alert_hook")) != NULL)
		line = config_setting_source_line(s);
	if (sb->st_mode & (S_IWGRP | S_IWOTH)) {
		w = xprintf("%s:%u: warning: alert_hook ignored: %s is "
		    "writable by group/others (chmod go-w it to use the "
		    "hook)\n", ctx->path, line, ctx->path);
	} else if (sb->st_uid != me && sb->st_uid != 0) {
		w = xprintf("%s:%u: warning: alert_hook ignored: %s is owned "
		    "by uid %lu, not by uid %lu (you) or root\n", ctx->path,
		    line, ctx->path, (unsigned long)sb->st_uid,
		    (unsigned long)me);
	} else
		return;
	cfg->hook_refused = true;
	warn_add(ctx->warnings, w);
	free(w);
}

/* Check every setting of the root group and store the known ones. */
static int
conf_apply(struct config *cfg, const config_t *c, struct conf_ctx *ctx)
{
	const config_setting_t	*root, *s;
	const char		*name, *names[CONF_NKEYS];
	char			 why[WHY_MAX], hint[96];
	size_t			 k;
	int			 i, n;

	for (k = 0; k < CONF_NKEYS; k++)
		names[k] = conf_keys[k].name;
	root = config_root_setting(c);
	n = config_setting_length(root);
	for (i = 0; i < n; i++) {
		s = config_setting_get_elem(root, (unsigned int)i);
		name = config_setting_name(s);
		for (k = 0; k < CONF_NKEYS; k++) {
			if (strcmp(name, conf_keys[k].name) == 0)
				break;
		}
		if (k == CONF_NKEYS) {
			/* A threshold outside its group. */
			if (metric_by_conf(name) != M_NONE) {
				snprintf(hint, sizeof hint, "thresholds.%s",
				    name);
				warn_unknown(ctx, s, "", hint);
			} else
				warn_unknown_among(ctx, s, "", names,
				    CONF_NKEYS);
			continue;
		}
		if (conf_keys[k].group != NULL) {
			if (conf_keys[k].group(cfg, s, ctx) != 0)
				return -1;
			continue;
		}
		if (conf_keys[k].set(cfg, s, why, sizeof why) != 0)
			return conf_reject(ctx, s, name, why);
	}
	if (conf_thresholds_check(cfg, c, ctx) != 0)
		return -1;
	conf_hook_check(cfg, c, ctx);
	return 0;
}

int
conf_read(struct config *cfg, const char *path, char **warnings,
    char **cause)
{
	struct config	 tmp;
	struct conf_ctx	 ctx;
	struct stat	 sb;
	config_t	 c;
	char		*buf, *nul;
	const char	*text, *file;
	size_t		 len;
	int		 line, rc;

	if (warnings != NULL)
		*warnings = NULL;
	if (strlen(path) >= sizeof cfg->path) {
		set_cause(cause, "%s: file name too long", path);
		return -1;
	}
	if (file_slurp(path, &buf, &len, &sb, cause) != 0)
		return -1;

	if ((nul = memchr(buf, '\0', len)) != NULL) {
		set_cause(cause, "%s:%d: a NUL byte: not a text file", path,
		    line_of(buf, (size_t)(nul - buf)));
		free(buf);
		return -1;
	}
	text = buf;
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
		text += 3;	/* a UTF-8 byte order mark from some editors */
		len -= 3;
	}
	if ((line = find_include(text, len)) != 0) {
		set_cause(cause, "%s:%d: @include is not supported: put every "
		    "setting in this one file", path, line);
		free(buf);
		return -1;
	}

	config_init(&c);
	if (!config_read_string(&c, text)) {
		file = config_error_file(&c);
		set_cause(cause, "%s:%d: %s", file != NULL ? file : path,
		    config_error_line(&c), config_error_text(&c));
		config_destroy(&c);
		free(buf);
		return -1;
	}
	free(buf);

	/* Only a file that is valid as a whole changes cfg. */
	tmp = *cfg;
	ctx.path = path;
	ctx.sb = &sb;
	ctx.warnings = warnings;
	ctx.cause = cause;
	rc = conf_apply(&tmp, &c, &ctx);
	config_destroy(&c);
	if (rc != 0)
		return -1;
	strlcpy0(tmp.path, path, sizeof tmp.path);
	*cfg = tmp;
	return 0;
}

int
conf_load(struct config *cfg, const char *explicit, char **warnings,
    char **cause)
{
	char	 path[PATH_MAX];
	int	 r;

	if (warnings != NULL)
		*warnings = NULL;
	if ((r = conf_find(explicit, path, sizeof path, cause)) <= 0)
		return r;
	return conf_read(cfg, path, warnings, cause);
}
