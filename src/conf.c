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
 * Our functions are conf_*, not config_*: libconfig owns that prefix (it
 * exports a config_read() of its own).
 */
#include <config.h>

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libconfig.h>

#include "conf.h"
#include "sanitize.h"
#include "util.h"

#define CONF_FILE_MAX		(1024 * 1024)	/* bytes */
#define CONF_VERSION		1
#define CONF_OVERVIEW_MAX	50
#define CONF_NAME		"perftop.conf"

/* Why a value is wrong: "must be ... (got ...)". */
#define WHY_MAX			256

struct conf_key {
	const char	*name;
	/* Store the value into cfg, or fill why and return -1. */
	int		 (*set)(struct config *, const config_setting_t *,
			    char *why, size_t whysz);
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
 * buffer, ending in a newline and a NUL.
 */
static int
file_slurp(const char *path, char **out, size_t *outlen, char **cause)
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

static const struct conf_key conf_keys[] = {
	{ "version",		set_version },
	{ "interval",		set_interval },
	{ "history",		set_history },
	{ "ascii_only",		set_ascii_only },
	{ "color",		set_color },
	{ "sort",		set_sort },
	{ "overview_procs",	set_overview_procs },
};
#define CONF_NKEYS	(sizeof conf_keys / sizeof conf_keys[0])

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

/* The known name closest to an unknown one, or NULL if none is close. */
static const char *
name_suggest(const char *name)
{
	const char	*best = NULL;
	size_t		 i, d, bestd = SIZE_MAX, limit;

	for (i = 0; i < CONF_NKEYS; i++) {
		d = name_distance(name, conf_keys[i].name);
		limit = strlen(conf_keys[i].name) >= 6 ? 2 : 1;
		if (d <= limit && d < bestd) {
			best = conf_keys[i].name;
			bestd = d;
		}
	}
	return best;
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

static void
warn_unknown(const char *path, const config_setting_t *s, char **warnings)
{
	const char	*name = config_setting_name(s), *hint;
	char		*line;

	hint = name_suggest(name);
	if (hint != NULL)
		line = xprintf("%s:%u: warning: unknown setting '%s' "
		    "(ignored); did you mean '%s'?\n", path,
		    config_setting_source_line(s), name, hint);
	else
		line = xprintf("%s:%u: warning: unknown setting '%s' "
		    "(ignored)\n", path, config_setting_source_line(s), name);
	warn_add(warnings, line);
	free(line);
}

/* Check every setting of the root group and store the known ones. */
static int
conf_apply(struct config *cfg, const config_t *c, const char *path,
    char **warnings, char **cause)
{
	const config_setting_t	*root, *s;
	const char		*name;
	char			 why[WHY_MAX];
	size_t			 k;
	int			 i, n;

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
			warn_unknown(path, s, warnings);
			continue;
		}
		if (conf_keys[k].set(cfg, s, why, sizeof why) != 0) {
			set_cause(cause, "%s:%u: setting '%s': %s", path,
			    config_setting_source_line(s), name, why);
			return -1;
		}
	}
	return 0;
}

int
conf_read(struct config *cfg, const char *path, char **warnings,
    char **cause)
{
	struct config	 tmp;
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
	if (file_slurp(path, &buf, &len, cause) != 0)
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
	rc = conf_apply(&tmp, &c, path, warnings, cause);
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
