/*
 * test_conf.c - the settings module: defaults, reading and validating a file
 * (types, ranges, unknown names, syntax errors, binary data, size and
 * @include guards), the thresholds group and the alert hook settings with
 * the permission rule, the search order of conf_find() and the shipped
 * data/perftop.conf.  Every test works in its own mkdtemp() directory, and
 * Check forks each test, so setenv() and chdir() do not leak.
 */
#include <config.h>

#include <sys/stat.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"

static char	 tmpdir[64];	/* "/tmp/perftop-conf-XXXXXX" */

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb; (void)flag; (void)ftw;
	return remove(path);
}

static void
setup(void)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/perftop-conf-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	umask(022);	/* files 0644: a hook in them is accepted */
}

static void
teardown(void)
{
	nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Path of name under the test directory (a static buffer, one at a time). */
static const char *
tpath(const char *name)
{
	static char	 buf[2][PATH_MAX];
	static int	 n;

	n = !n;
	snprintf(buf[n], sizeof buf[n], "%s/%s", tmpdir, name);
	return buf[n];
}

/* Create directories for name's parents, then write len bytes to it. */
static const char *
write_file(const char *name, const char *data, size_t len)
{
	char		 dir[PATH_MAX], *p;
	const char	*path = tpath(name);
	FILE		*f;

	snprintf(dir, sizeof dir, "%s", path);
	for (p = dir + strlen(tmpdir) + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		ck_assert(mkdir(dir, 0700) == 0 || errno == EEXIST);
		*p = '/';
	}
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
	return path;
}

static const char *
write_str(const char *name, const char *data)
{
	return write_file(name, data, strlen(data));
}

/* Read text as a config file on top of the defaults. */
static int
read_text(const char *text, struct config *cfg, char **warnings, char **cause)
{
	const char	*path = write_str("t.conf", text);

	conf_defaults(cfg);
	*warnings = *cause = NULL;
	return conf_read(cfg, path, warnings, cause);
}

/* Expect text to be refused with exactly "<path>:" + want. */
static void
expect_error(const char *text, const char *want)
{
	struct config	 cfg;
	char		*warnings, *cause, *full;

	ck_assert_int_eq(read_text(text, &cfg, &warnings, &cause), -1);
	ck_assert_ptr_nonnull(cause);
	ck_assert_int_ne(asprintf(&full, "%s:%s", tpath("t.conf"), want), -1);
	ck_assert_str_eq(cause, full);
	free(full);
	free(cause);
	free(warnings);
}

/* Expect text to be refused with a cause starting "<path>:" + prefix. */
static void
expect_error_prefix(const char *text, const char *prefix)
{
	struct config	 cfg;
	char		*warnings, *cause, *full;

	ck_assert_int_eq(read_text(text, &cfg, &warnings, &cause), -1);
	ck_assert_ptr_nonnull(cause);
	ck_assert_int_ne(asprintf(&full, "%s:%s", tpath("t.conf"), prefix),
	    -1);
	ck_assert_msg(strncmp(cause, full, strlen(full)) == 0,
	    "cause '%s' does not start with '%s'", cause, full);
	free(full);
	free(cause);
	free(warnings);
}

/* Equal, or both NAN (a disabled level). */
static bool
same_level(double a, double b)
{
	return (isnan(a) && isnan(b)) || a == b;
}

/* th equals the defaults, except metric `except` (M_NONE: none). */
static void
expect_thresholds(const struct thresholds *th, enum metric except)
{
	struct thresholds	 def;
	int			 m;

	thresholds_defaults(&def);
	for (m = 0; m < M_NMETRICS; m++) {
		if (m == (int)except)
			continue;
		ck_assert_msg(same_level(th->lv[m].info, def.lv[m].info) &&
		    same_level(th->lv[m].warn, def.lv[m].warn) &&
		    same_level(th->lv[m].crit, def.lv[m].crit),
		    "%s: %g/%g/%g, default %g/%g/%g",
		    metric_get((enum metric)m)->conf, th->lv[m].info,
		    th->lv[m].warn, th->lv[m].crit, def.lv[m].info,
		    def.lv[m].warn, def.lv[m].crit);
	}
	ck_assert_double_eq(th->alert_duration_s, def.alert_duration_s);
	ck_assert_double_eq(th->hysteresis_pct, def.hysteresis_pct);
	ck_assert_double_eq(th->hysteresis_rel, def.hysteresis_rel);
	ck_assert_int_eq(th->trend_min_points, def.trend_min_points);
	ck_assert_double_eq(th->trend_min_r2, def.trend_min_r2);
}

static void
expect_defaults(const struct config *cfg)
{
	ck_assert_double_eq(cfg->interval_s, 1.0);
	ck_assert_int_eq(cfg->history, 600);
	ck_assert(!cfg->ascii_only);
	ck_assert_int_eq(cfg->color, COLOR_AUTO);
	ck_assert_int_eq(cfg->sort, SORT_CPU);
	ck_assert_int_eq(cfg->overview_procs, 5);
	ck_assert_double_eq(cfg->window_s, 10.0);
	expect_thresholds(&cfg->th, M_NONE);
	ck_assert_str_eq(cfg->hook, "");
	ck_assert_double_eq(cfg->hook_timeout_s, 10.0);
	ck_assert(!cfg->hook_refused);
	ck_assert(!cfg->redact);
	ck_assert_str_eq(cfg->export_dir, ".");
}

/* The levels of metric m. */
static void
expect_level(const struct config *cfg, enum metric m, double info,
    double warn, double crit)
{
	const struct level	*l = &cfg->th.lv[m];

	ck_assert_msg(same_level(l->info, info) && same_level(l->warn, warn) &&
	    same_level(l->crit, crit), "%s: %g/%g/%g, want %g/%g/%g",
	    metric_get(m)->conf, l->info, l->warn, l->crit, info, warn, crit);
}

START_TEST(test_defaults)
{
	struct config	 cfg;

	memset(&cfg, 0xa5, sizeof cfg);
	conf_defaults(&cfg);
	expect_defaults(&cfg);
	ck_assert_str_eq(cfg.path, "");
}
END_TEST

START_TEST(test_full_file)
{
	struct config	 cfg;
	char		*warnings, *cause;

	ck_assert_int_eq(read_text(
	    "# every setting, none at its default\n"
	    "version = 1;\n"
	    "interval = 2.5;\n"
	    "history = 3600;\n"
	    "ascii_only = true;\n"
	    "color = \"never\";\n"
	    "sort = \"mem\";\n"
	    "overview_procs = 12;\n"
	    "window = 30;\n"
	    "thresholds = {\n"
	    "  cpu_busy_pct = { info = 50; warn = 80.5; crit = 95; };\n"
	    "  alert_duration_s = 10;\n"
	    "  hysteresis_pct = 2.5;\n"
	    "  hysteresis_rel = 0.2;\n"
	    "  trend_min_points = 8;\n"
	    "  trend_min_r2 = 0.9;\n"
	    "};\n"
	    "alert_hook = \"/usr/local/bin/page-me\";\n"
	    "alert_hook_timeout = 2.5;\n", &cfg, &warnings, &cause), 0);
	ck_assert_ptr_null(warnings);
	ck_assert_ptr_null(cause);
	ck_assert_double_eq(cfg.interval_s, 2.5);
	ck_assert_int_eq(cfg.history, 3600);
	ck_assert(cfg.ascii_only);
	ck_assert_int_eq(cfg.color, COLOR_NEVER);
	ck_assert_int_eq(cfg.sort, SORT_MEM);
	ck_assert_int_eq(cfg.overview_procs, 12);
	ck_assert_double_eq(cfg.window_s, 30);
	expect_level(&cfg, M_CPU_BUSY, 50, 80.5, 95);
	ck_assert_double_eq(cfg.th.alert_duration_s, 10);
	ck_assert_double_eq(cfg.th.hysteresis_pct, 2.5);
	ck_assert_double_eq(cfg.th.hysteresis_rel, 0.2);
	ck_assert_int_eq(cfg.th.trend_min_points, 8);
	ck_assert_double_eq(cfg.th.trend_min_r2, 0.9);
	ck_assert_str_eq(cfg.hook, "/usr/local/bin/page-me");
	ck_assert_double_eq(cfg.hook_timeout_s, 2.5);
	ck_assert(!cfg.hook_refused);
	ck_assert_str_eq(cfg.path, tpath("t.conf"));
}
END_TEST

/* redact and export_dir: types, and the directory must exist. */
START_TEST(test_export_settings)
{
	struct config	 cfg;
	char		*warnings, *cause, *text;

	ck_assert_int_eq(read_text("redact = true;\nexport_dir = \"/tmp\";\n",
	    &cfg, &warnings, &cause), 0);
	ck_assert_ptr_null(warnings);
	ck_assert(cfg.redact);
	ck_assert_str_eq(cfg.export_dir, "/tmp");
	ck_assert_int_ne(asprintf(&text, "export_dir = \"%s\";", tmpdir), -1);
	ck_assert_int_eq(read_text(text, &cfg, &warnings, &cause), 0);
	ck_assert_str_eq(cfg.export_dir, tmpdir);
	free(text);

	expect_error("redact = 1;",
	    "1: setting 'redact': must be true or false (got 1)");
	expect_error("redact = \"yes\";",
	    "1: setting 'redact': must be true or false (got \"yes\")");
	expect_error("export_dir = \"\";", "1: setting 'export_dir': must be "
	    "the path of a directory (\".\" is the working directory) "
	    "(got \"\")");
	expect_error("export_dir = 3;", "1: setting 'export_dir': must be "
	    "the path of a directory (\".\" is the working directory) "
	    "(got 3)");
	expect_error("export_dir = \"/nonexistent/perftop\";",
	    "1: setting 'export_dir': must be an existing directory "
	    "(got \"/nonexistent/perftop\")");
	/* A file is not a directory. */
	write_str("plain", "x");
	ck_assert_int_ne(asprintf(&text, "export_dir = \"%s\";",
	    tpath("plain")), -1);
	ck_assert_int_eq(read_text(text, &cfg, &warnings, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "must be an existing directory"));
	free(cause);
	free(text);
}
END_TEST

START_TEST(test_choices)
{
	static const struct { const char *text; int color, sort; } t[] = {
		{ "color = \"auto\"; sort = \"cpu\";", COLOR_AUTO, SORT_CPU },
		{ "color = \"always\"; sort = \"pid\";", COLOR_ALWAYS, SORT_PID },
		{ "color = \"never\"; sort = \"io\";", COLOR_NEVER, SORT_IO },
		{ "sort = \"name\";", COLOR_AUTO, SORT_NAME },
	};
	struct config	 cfg;
	char		*warnings, *cause;
	size_t		 i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		ck_assert_int_eq(read_text(t[i].text, &cfg, &warnings,
		    &cause), 0);
		ck_assert_int_eq(cfg.color, t[i].color);
		ck_assert_int_eq(cfg.sort, t[i].sort);
	}
}
END_TEST

/* libconfig won't read 80 as a float: both forms must work. */
START_TEST(test_interval_int_and_float)
{
	static const struct { const char *text; double want; } t[] = {
		{ "interval = 80;", 80.0 },
		{ "interval = 80.0;", 80.0 },
		{ "interval = 80L;", 80.0 },
		{ "interval = 0.1;", 0.1 },
		{ "interval = 3600;", 3600.0 },
		{ "interval = 3.6e3;", 3600.0 },
	};
	struct config	 cfg;
	char		*warnings, *cause;
	size_t		 i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		ck_assert_int_eq(read_text(t[i].text, &cfg, &warnings,
		    &cause), 0);
		ck_assert_double_eq(cfg.interval_s, t[i].want);
	}
}
END_TEST

START_TEST(test_syntax_error)
{
	expect_error("interval = 1;\nhistory = = 3;\n", "2: syntax error");
	/* An unterminated string: libconfig reports the line it gave up. */
	expect_error("color = \"auto;\n", "2: syntax error");
	expect_error_prefix("interval = inf;\n", "1: ");
	expect_error_prefix("\n\ninterval = nan;\n", "3: ");
}
END_TEST

START_TEST(test_wrong_type)
{
	expect_error("interval = \"fast\";",
	    "1: setting 'interval': must be a number of seconds from 0.1 "
	    "to 3600 (got \"fast\")");
	expect_error("\ninterval = { s = 1; };",
	    "2: setting 'interval': must be a number of seconds from 0.1 "
	    "to 3600 (got a group)");
	expect_error("history = 60.5;",
	    "1: setting 'history': must be a whole number of samples from "
	    "10 to 86400 (got 60.5)");
	expect_error("ascii_only = 1;",
	    "1: setting 'ascii_only': must be true or false (got 1)");
	expect_error("ascii_only = \"yes\";",
	    "1: setting 'ascii_only': must be true or false (got \"yes\")");
	expect_error("color = true;",
	    "1: setting 'color': must be \"auto\", \"always\" or \"never\" "
	    "(got true)");
	expect_error("color = \"blue\";",
	    "1: setting 'color': must be \"auto\", \"always\" or \"never\" "
	    "(got \"blue\")");
	expect_error("sort = [ \"cpu\" ];",
	    "1: setting 'sort': must be \"cpu\", \"mem\", \"pid\", \"io\" or "
	    "\"name\" (got an array)");
	expect_error("sort = \"CPU\";",
	    "1: setting 'sort': must be \"cpu\", \"mem\", \"pid\", \"io\" or "
	    "\"name\" (got \"CPU\")");
	expect_error("overview_procs = ( 1 );",
	    "1: setting 'overview_procs': must be a whole number of rows "
	    "from 0 to 50 (got a list)");
	expect_error("version = 1.0;",
	    "1: setting 'version': must be 1, the only version of this "
	    "file format (got 1)");
	expect_error("version = 2;",
	    "1: setting 'version': must be 1, the only version of this "
	    "file format (got 2)");
	/* Control characters in the echoed value are escaped. */
	expect_error("color = \"\\x1b[2J\";",
	    "1: setting 'color': must be \"auto\", \"always\" or \"never\" "
	    "(got \"\\x1b[2J\")");
}
END_TEST

START_TEST(test_out_of_range)
{
	expect_error("interval = 0;",
	    "1: setting 'interval': must be a number of seconds from 0.1 "
	    "to 3600 (got 0)");
	expect_error("interval = 1e9;",
	    "1: setting 'interval': must be a number of seconds from 0.1 "
	    "to 3600 (got 1e+09)");
	expect_error("interval = -1;",
	    "1: setting 'interval': must be a number of seconds from 0.1 "
	    "to 3600 (got -1)");
	expect_error("interval = 0.09;",
	    "1: setting 'interval': must be a number of seconds from 0.1 "
	    "to 3600 (got 0.09)");
	expect_error("interval = 3600.5;",
	    "1: setting 'interval': must be a number of seconds from 0.1 "
	    "to 3600 (got 3600.5)");
	expect_error("history = 9;",
	    "1: setting 'history': must be a whole number of samples from "
	    "10 to 86400 (got 9)");
	expect_error("history = 86401;",
	    "1: setting 'history': must be a whole number of samples from "
	    "10 to 86400 (got 86401)");
	expect_error("history = 5000000000L;",
	    "1: setting 'history': must be a whole number of samples from "
	    "10 to 86400 (got 5000000000L)");
	expect_error("overview_procs = -1;",
	    "1: setting 'overview_procs': must be a whole number of rows "
	    "from 0 to 50 (got -1)");
	expect_error("overview_procs = 51;",
	    "1: setting 'overview_procs': must be a whole number of rows "
	    "from 0 to 50 (got 51)");
}
END_TEST

START_TEST(test_boundaries)
{
	struct config	 cfg;
	char		*warnings, *cause;

	ck_assert_int_eq(read_text("history = 10; overview_procs = 0;", &cfg,
	    &warnings, &cause), 0);
	ck_assert_int_eq(cfg.history, 10);
	ck_assert_int_eq(cfg.overview_procs, 0);
	ck_assert_int_eq(read_text("history = 86400; overview_procs = 50;",
	    &cfg, &warnings, &cause), 0);
	ck_assert_int_eq(cfg.history, 86400);
	ck_assert_int_eq(cfg.overview_procs, 50);
}
END_TEST

/* libconfig has no inf/nan literals, but 1e999 overflows to inf. */
START_TEST(test_infinite)
{
	expect_error("interval = 1e999;",
	    "1: setting 'interval': must be a number of seconds from 0.1 "
	    "to 3600 (got inf)");
	expect_error("interval = -1e999;",
	    "1: setting 'interval': must be a number of seconds from 0.1 "
	    "to 3600 (got -inf)");
}
END_TEST

START_TEST(test_unknown_setting)
{
	struct config	 cfg;
	char		*warnings, *cause, *want;
	const char	*p;

	ck_assert_int_eq(read_text(
	    "intervall = 2;\n"
	    "\n"
	    "frobnicate = 1;\n"
	    "colour = \"never\";\n"
	    "history = 100;\n"
	    "thresholds = { cpu = 90; };\n"
	    "Sort = \"pid\";\n", &cfg, &warnings, &cause), 0);
	ck_assert_ptr_null(cause);
	ck_assert_ptr_nonnull(warnings);
	p = tpath("t.conf");
	ck_assert_int_ne(asprintf(&want,
	    "%s:1: warning: unknown setting 'intervall' (ignored); did you "
	    "mean 'interval'?\n"
	    "%s:3: warning: unknown setting 'frobnicate' (ignored)\n"
	    "%s:4: warning: unknown setting 'colour' (ignored); did you "
	    "mean 'color'?\n"
	    "%s:6: warning: unknown setting 'thresholds.cpu' (ignored)\n"
	    "%s:7: warning: unknown setting 'Sort' (ignored); did you "
	    "mean 'sort'?\n", p, p, p, p, p), -1);
	ck_assert_str_eq(warnings, want);
	/* Ignored means ignored; the known setting still applies. */
	ck_assert_double_eq(cfg.interval_s, 1.0);
	ck_assert_int_eq(cfg.color, COLOR_AUTO);
	ck_assert_int_eq(cfg.sort, SORT_CPU);
	ck_assert_int_eq(cfg.history, 100);
	free(want);
	free(warnings);
}
END_TEST

START_TEST(test_typo_hints)
{
	struct config	 cfg;
	char		*warnings, *cause;

	/* A transposition is one edit. */
	ck_assert_int_eq(read_text("intreval = 2;", &cfg, &warnings, &cause),
	    0);
	ck_assert_ptr_nonnull(strstr(warnings, "did you mean 'interval'?"));
	free(warnings);
	ck_assert_int_eq(read_text("overview_proc = 2;", &cfg, &warnings,
	    &cause), 0);
	ck_assert_ptr_nonnull(strstr(warnings,
	    "did you mean 'overview_procs'?"));
	free(warnings);
	ck_assert_int_eq(read_text("sortt = 2;", &cfg, &warnings, &cause),
	    0);
	ck_assert_ptr_nonnull(strstr(warnings, "did you mean 'sort'?"));
	free(warnings);
	/* Too far from anything: no hint (short names allow one edit). */
	ck_assert_int_eq(read_text("srt_order = 2;\nso = 1;\nhist = 1;\n",
	    &cfg, &warnings, &cause), 0);
	ck_assert_ptr_nonnull(strstr(warnings, ":3: warning: unknown setting "
	    "'hist' (ignored)\n"));
	ck_assert_ptr_null(strstr(warnings, "did you mean"));
	free(warnings);
}
END_TEST

START_TEST(test_duplicate)
{
	expect_error("interval = 1;\ninterval = 2;\n",
	    "2: duplicate setting name");
}
END_TEST

START_TEST(test_empty)
{
	struct config	 cfg;
	char		*warnings, *cause;

	ck_assert_int_eq(read_text("", &cfg, &warnings, &cause), 0);
	ck_assert_ptr_null(warnings);
	expect_defaults(&cfg);
	ck_assert_str_eq(cfg.path, tpath("t.conf"));
	ck_assert_int_eq(read_text("# nothing\n/* at */ // all\n\n", &cfg,
	    &warnings, &cause), 0);
	ck_assert_ptr_null(warnings);
	expect_defaults(&cfg);
	/* A comment may end the file without a newline (libconfig 1.5 fails). */
	ck_assert_int_eq(read_text("history = 21; # no newline", &cfg,
	    &warnings, &cause), 0);
	ck_assert_int_eq(cfg.history, 21);
	ck_assert_int_eq(read_text("history = 22;\n// none", &cfg, &warnings,
	    &cause), 0);
	ck_assert_int_eq(cfg.history, 22);
	/* A byte order mark is skipped. */
	ck_assert_int_eq(read_text("\xef\xbb\xbfhistory = 20;\n", &cfg,
	    &warnings, &cause), 0);
	ck_assert_int_eq(cfg.history, 20);
}
END_TEST

START_TEST(test_binary)
{
	static const char	 nul[] = "interval = 1;\n\x7f" "ELF\x02\x01\x01";
	static const char	 junk[] = "\n\xff\xfe\x01\x80garbage\x9b;\n";
	struct config		 cfg;
	char			*warnings, *cause, *want;
	const char		*path;

	/* With a NUL byte (sizeof includes the terminating one). */
	path = write_file("bin.conf", nul, sizeof nul);
	conf_defaults(&cfg);
	ck_assert_int_eq(conf_read(&cfg, path, &warnings, &cause), -1);
	ck_assert_int_ne(asprintf(&want, "%s:2: a NUL byte: not a text file",
	    path), -1);
	ck_assert_str_eq(cause, want);
	free(want);
	free(cause);
	/* Without one: libconfig's own error. */
	expect_error_prefix(junk, "2: ");
}
END_TEST

/* The file is not changed on error, even by settings before the bad one. */
START_TEST(test_error_keeps_cfg)
{
	struct config	 cfg;
	char		*warnings, *cause;

	ck_assert_int_eq(read_text("interval = 5;\nhistory = 1;\n", &cfg,
	    &warnings, &cause), -1);
	expect_defaults(&cfg);
	ck_assert_str_eq(cfg.path, "");
	free(cause);
}
END_TEST

START_TEST(test_too_large)
{
	struct config	 cfg;
	char		*warnings, *cause, *buf, *want;
	const char	*path;
	size_t		 max = 1024 * 1024;

	buf = malloc(max + 1);
	ck_assert_ptr_nonnull(buf);
	memset(buf, ' ', max + 1);
	memcpy(buf, "history = 77;\n#", 15);

	path = write_file("max.conf", buf, max);
	conf_defaults(&cfg);
	ck_assert_int_eq(conf_read(&cfg, path, &warnings, &cause), 0);
	ck_assert_int_eq(cfg.history, 77);

	path = write_file("big.conf", buf, max + 1);
	conf_defaults(&cfg);
	ck_assert_int_eq(conf_read(&cfg, path, &warnings, &cause), -1);
	ck_assert_int_ne(asprintf(&want, "%s: too large (1048577 bytes; a "
	    "configuration file may hold at most 1 MiB)", path), -1);
	ck_assert_str_eq(cause, want);
	ck_assert_int_eq(cfg.history, 600);
	free(want);
	free(cause);
	free(buf);
}
END_TEST

START_TEST(test_include_refused)
{
	struct config	 cfg;
	char		*warnings, *cause, *text;

	write_str("other.conf", "history = 99;\n");
	ck_assert_int_ne(asprintf(&text, "interval = 2;\n  @include \"%s\"\n",
	    tpath("other.conf")), -1);
	expect_error(text, "2: @include is not supported: put every setting "
	    "in this one file");
	free(text);

	/* Relative to the current directory, like libconfig would do. */
	ck_assert_int_eq(chdir(tmpdir), 0);
	expect_error("\n\n@include \"other.conf\"\n", "3: @include is not "
	    "supported: put every setting in this one file");

	/* Inside comments and strings it is text, not a directive. */
	ck_assert_int_eq(read_text(
	    "# @include \"other.conf\"\n"
	    "// @include \"other.conf\"\n"
	    "/*\n@include \"other.conf\"\n*/\n"
	    "color = \"never\n@include \\\"other.conf\\\"\n\";\n",
	    &cfg, &warnings, &cause), -1);
	/* ...and the multi-line string is then rejected as a colour. */
	ck_assert_ptr_nonnull(strstr(cause, ":6: setting 'color'"));
	ck_assert_int_eq(cfg.history, 600);
	free(cause);
	ck_assert_int_eq(read_text("/* @include \"other.conf\" */\n"
	    "history = 20; # @include \"other.conf\"\n",
	    &cfg, &warnings, &cause), 0);
	ck_assert_int_eq(cfg.history, 20);
}
END_TEST

START_TEST(test_not_regular)
{
	struct config	 cfg;
	char		*warnings, *cause, *want;
	const char	*path;

	path = tpath("fifo");
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	conf_defaults(&cfg);
	ck_assert_int_eq(conf_read(&cfg, path, &warnings, &cause), -1);
	ck_assert_int_ne(asprintf(&want, "%s: not a regular file", path), -1);
	ck_assert_str_eq(cause, want);
	free(want);
	free(cause);

	conf_defaults(&cfg);
	ck_assert_int_eq(conf_read(&cfg, tmpdir, &warnings, &cause), -1);
	ck_assert_int_ne(asprintf(&want, "%s: not a regular file", tmpdir),
	    -1);
	ck_assert_str_eq(cause, want);
	free(want);
	free(cause);
}
END_TEST

/* ---- window, thresholds, alert hook ------------------------------------ */

START_TEST(test_window)
{
	struct config	 cfg;
	char		*warnings, *cause;

	ck_assert_int_eq(read_text("window = 1;", &cfg, &warnings, &cause),
	    0);
	ck_assert_double_eq(cfg.window_s, 1);
	ck_assert_int_eq(read_text("window = 3600.0;", &cfg, &warnings,
	    &cause), 0);
	ck_assert_double_eq(cfg.window_s, 3600);
	ck_assert_int_eq(read_text("window = 2.5;", &cfg, &warnings, &cause),
	    0);
	ck_assert_double_eq(cfg.window_s, 2.5);
	expect_error("window = 0.5;", "1: setting 'window': must be a number "
	    "of seconds from 1 to 3600 (got 0.5)");
	expect_error("\nwindow = 3601;", "2: setting 'window': must be a "
	    "number of seconds from 1 to 3600 (got 3601)");
	expect_error("window = \"10s\";", "1: setting 'window': must be a "
	    "number of seconds from 1 to 3600 (got \"10s\")");
	expect_error("window = 1e999;", "1: setting 'window': must be a "
	    "number of seconds from 1 to 3600 (got inf)");
}
END_TEST

/* Any subset of levels; ints and floats; "off"; the rest keep defaults. */
START_TEST(test_thresholds_partial)
{
	struct config	 cfg;
	char		*warnings, *cause;

	ck_assert_int_eq(read_text(
	    "thresholds = {\n"
	    "  cpu_busy_pct = { crit = 95; };\n"
	    "  mem_used_pct = { warn = 80.0; crit = 97L; };\n"
	    "  runq_per_core = { info = 0.5; };\n"
	    "  disk_await_ms = { info = \"off\"; };\n"
	    "  net_drops_ps = \"off\";\n"
	    "  fs_full_hours = { info = 48; warn = 12.5; crit = 0; };\n"
	    "  psi_io_some10 = { };\n"
	    "};\n", &cfg, &warnings, &cause), 0);
	ck_assert_ptr_null(warnings);
	expect_level(&cfg, M_CPU_BUSY, 65, 72, 95);
	expect_level(&cfg, M_MEM_USED, NAN, 80, 97);
	expect_level(&cfg, M_CPU_RUNQ, 0.5, 1.0, 2.0);
	expect_level(&cfg, M_DISK_AWAIT, NAN, 20, 50);
	expect_level(&cfg, M_NET_DROPS, NAN, NAN, NAN);
	expect_level(&cfg, M_FS_FULL, 48, 12.5, 0);
	expect_level(&cfg, M_IO_PSI, NAN, 10, 30);
	/* The untouched ones and the plain settings are the defaults. */
	expect_level(&cfg, M_CPU_STEAL, NAN, 10, 25);
	expect_level(&cfg, M_SWAPOUT, NAN, 8, 10);
	expect_level(&cfg, M_MEM_EXHAUST, 120, 30, 5);
	ck_assert_double_eq(cfg.th.alert_duration_s, 6);
	ck_assert_int_eq(cfg.th.trend_min_points, 5);

	/* Bounds: 0 and 100 for percentages, anything >= 0 otherwise. */
	ck_assert_int_eq(read_text(
	    "thresholds = { fs_used_pct = { info = 0; warn = 99.5; "
	    "crit = 100; };\n  majflt_ps = { crit = 1e9; }; };\n",
	    &cfg, &warnings, &cause), 0);
	expect_level(&cfg, M_FS_USED, 0, 99.5, 100);
	expect_level(&cfg, M_MAJFLT, NAN, 100, 1e9);
	/* An empty group changes nothing. */
	ck_assert_int_eq(read_text("thresholds = { };", &cfg, &warnings,
	    &cause), 0);
	expect_defaults(&cfg);
}
END_TEST

START_TEST(test_thresholds_types)
{
	expect_error("\n\nthresholds = 90;", "3: setting 'thresholds': must "
	    "be a group: thresholds = { NAME = { info = N; warn = N; crit = "
	    "N; }; ... } (got 90)");
	expect_error("thresholds = {\n  cpu_busy_pct = 90;\n};",
	    "2: setting 'thresholds.cpu_busy_pct': must be a group { info = "
	    "N; warn = N; crit = N; } (any of them), or \"off\" (got 90)");
	expect_error("thresholds = { cpu_busy_pct = \"on\"; };",
	    "1: setting 'thresholds.cpu_busy_pct': must be a group { info = "
	    "N; warn = N; crit = N; } (any of them), or \"off\" (got \"on\")");
	expect_error("thresholds = {\n cpu_busy_pct = {\n  info = 60;\n"
	    "  warn = \"70\";\n };\n};",
	    "4: setting 'thresholds.cpu_busy_pct.warn': must be a percentage "
	    "from 0 to 100, or \"off\" (got \"70\")");
	expect_error("thresholds = { disk_await_ms = { crit = true; }; };",
	    "1: setting 'thresholds.disk_await_ms.crit': must be a number "
	    "(ms), 0 or more, or \"off\" (got true)");
	expect_error("thresholds = { swapout_ps = { warn = [ 1 ]; }; };",
	    "1: setting 'thresholds.swapout_ps.warn': must be a number "
	    "(pages/s), 0 or more, or \"off\" (got an array)");
	expect_error("thresholds = { fs_used_pct = { crit = \"OFF\"; }; };",
	    "1: setting 'thresholds.fs_used_pct.crit': must be a percentage "
	    "from 0 to 100, or \"off\" (got \"OFF\")");
}
END_TEST

START_TEST(test_thresholds_ranges)
{
	expect_error("thresholds = { cpu_busy_pct = { crit = 100.5; }; };",
	    "1: setting 'thresholds.cpu_busy_pct.crit': must be a percentage "
	    "from 0 to 100, or \"off\" (got 100.5)");
	expect_error("thresholds = { cpu_busy_pct = { info = -1; }; };",
	    "1: setting 'thresholds.cpu_busy_pct.info': must be a percentage "
	    "from 0 to 100, or \"off\" (got -1)");
	expect_error("thresholds = { runq_per_core = { warn = -0.5; }; };",
	    "1: setting 'thresholds.runq_per_core.warn': must be a number "
	    "(/core), 0 or more, or \"off\" (got -0.5)");
	/* inf cannot be written, but it can be reached. */
	expect_error("thresholds = { majflt_ps = { crit = 1e999; }; };",
	    "1: setting 'thresholds.majflt_ps.crit': must be a number "
	    "(/s), 0 or more, or \"off\" (got inf)");
	expect_error_prefix("thresholds = { majflt_ps = { crit = nan; }; };",
	    "1: ");
	/* The plain settings. */
	expect_error("thresholds = { alert_duration_s = -1; };",
	    "1: setting 'thresholds.alert_duration_s': must be a number of "
	    "seconds from 0 to 86400 (got -1)");
	expect_error("thresholds = { alert_duration_s = \"6s\"; };",
	    "1: setting 'thresholds.alert_duration_s': must be a number of "
	    "seconds from 0 to 86400 (got \"6s\")");
	expect_error("thresholds = { hysteresis_pct = 51; };",
	    "1: setting 'thresholds.hysteresis_pct': must be a number of "
	    "percentage points from 0 to 50 (got 51)");
	expect_error("thresholds = { hysteresis_rel = 1; };",
	    "1: setting 'thresholds.hysteresis_rel': must be a fraction from "
	    "0 to 0.99 (got 1)");
	expect_error("thresholds = { trend_min_points = 2; };",
	    "1: setting 'thresholds.trend_min_points': must be a whole "
	    "number of samples from 3 to 86400 (got 2)");
	expect_error("thresholds = { trend_min_points = 5.0; };",
	    "1: setting 'thresholds.trend_min_points': must be a whole "
	    "number of samples from 3 to 86400 (got 5)");
	expect_error("thresholds = { trend_min_r2 = 1.01; };",
	    "1: setting 'thresholds.trend_min_r2': must be a number from 0 "
	    "to 1 (got 1.01)");
}
END_TEST

START_TEST(test_thresholds_plain_bounds)
{
	struct config	 cfg;
	char		*warnings, *cause;

	ck_assert_int_eq(read_text("thresholds = { alert_duration_s = 0; "
	    "hysteresis_pct = 0; hysteresis_rel = 0; trend_min_points = 3; "
	    "trend_min_r2 = 0; };", &cfg, &warnings, &cause), 0);
	ck_assert_double_eq(cfg.th.alert_duration_s, 0);
	ck_assert_double_eq(cfg.th.hysteresis_pct, 0);
	ck_assert_double_eq(cfg.th.hysteresis_rel, 0);
	ck_assert_int_eq(cfg.th.trend_min_points, 3);
	ck_assert_double_eq(cfg.th.trend_min_r2, 0);
	ck_assert_int_eq(read_text("thresholds = { alert_duration_s = 86400; "
	    "hysteresis_pct = 50; hysteresis_rel = 0.99; "
	    "trend_min_points = 86400; trend_min_r2 = 1; };", &cfg,
	    &warnings, &cause), 0);
	ck_assert_double_eq(cfg.th.alert_duration_s, 86400);
	ck_assert_double_eq(cfg.th.hysteresis_pct, 50);
	ck_assert_double_eq(cfg.th.hysteresis_rel, 0.99);
	ck_assert_int_eq(cfg.th.trend_min_points, 86400);
	ck_assert_double_eq(cfg.th.trend_min_r2, 1);
}
END_TEST

/* Levels out of order: at the metric's line, with the levels in force. */
START_TEST(test_thresholds_order)
{
	struct config	 cfg;
	char		*warnings, *cause;

	/* warn above the default crit. */
	expect_error("window = 5;\nthresholds = {\n  alert_duration_s = 3;\n"
	    "  cpu_busy_pct = { warn = 95; };\n};\n",
	    "4: thresholds.cpu_busy_pct: info, warn and crit must increase "
	    "(now info 65, warn 95, crit 90; a level left out keeps its "
	    "default)");
	expect_error("thresholds = { mem_used_pct = { info = 80; warn = 70; "
	    "crit = 90; }; };",
	    "1: thresholds.mem_used_pct: info, warn and crit must increase "
	    "(now info 80, warn 70, crit 90; a level left out keeps its "
	    "default)");
	/* Lower is worse: levels must decrease. */
	expect_error("thresholds = {\n\n  fs_full_hours = { warn = 200; };\n};",
	    "3: thresholds.fs_full_hours: info, warn and crit must decrease "
	    "(lower is worse) (now info 168, warn 200, crit 1; a level left "
	    "out keeps its default)");
	/* A disabled level is skipped: 95 then off then 90 is fine... */
	ck_assert_int_eq(read_text("thresholds = { cpu_busy_pct = { info = "
	    "\"off\"; warn = 95; crit = \"off\"; }; };", &cfg, &warnings,
	    &cause), 0);
	expect_level(&cfg, M_CPU_BUSY, NAN, 95, NAN);
	/* ...and equal levels are allowed (oom_kills is 1/1 already). */
	ck_assert_int_eq(read_text("thresholds = { disk_busy_pct = { warn = "
	    "70; crit = 70; }; };", &cfg, &warnings, &cause), 0);
	expect_level(&cfg, M_DISK_BUSY, NAN, 70, 70);
	/* An error leaves cfg as it was. */
	ck_assert_int_eq(read_text("history = 20;\nthresholds = { "
	    "cpu_busy_pct = { info = 99; }; };", &cfg, &warnings, &cause),
	    -1);
	expect_defaults(&cfg);
	free(cause);
}
END_TEST

START_TEST(test_thresholds_unknown)
{
	struct config	 cfg;
	char		*warnings, *cause, *want;
	const char	*p;

	ck_assert_int_eq(read_text(
	    "thresholds = {\n"
	    "  cpu_bsy_pct = { crit = 1; };\n"
	    "  cpu = { warn = 1; };\n"
	    "  runq_per_core = {\n"
	    "    warning = 3;\n"
	    "    crit = 3;\n"
	    "    critical = 4;\n"
	    "    wran = 1;\n"
	    "  };\n"
	    "  alert_duration = 3;\n"
	    "};\n"
	    "disk_busy_pct = { crit = 80; };\n"
	    "alert_hok = \"/bin/true\";\n", &cfg, &warnings, &cause), 0);
	ck_assert_ptr_null(cause);
	p = tpath("t.conf");
	ck_assert_int_ne(asprintf(&want,
	    "%s:2: warning: unknown setting 'thresholds.cpu_bsy_pct' "
	    "(ignored); did you mean 'thresholds.cpu_busy_pct'?\n"
	    "%s:3: warning: unknown setting 'thresholds.cpu' (ignored)\n"
	    "%s:5: warning: unknown setting 'thresholds.runq_per_core.warning'"
	    " (ignored); did you mean 'thresholds.runq_per_core.warn'?\n"
	    "%s:7: warning: unknown setting 'thresholds.runq_per_core."
	    "critical' (ignored); did you mean 'thresholds.runq_per_core."
	    "crit'?\n"
	    "%s:8: warning: unknown setting 'thresholds.runq_per_core.wran' "
	    "(ignored); did you mean 'thresholds.runq_per_core.warn'?\n"
	    "%s:10: warning: unknown setting 'thresholds.alert_duration' "
	    "(ignored); did you mean 'thresholds.alert_duration_s'?\n"
	    "%s:12: warning: unknown setting 'disk_busy_pct' (ignored); did "
	    "you mean 'thresholds.disk_busy_pct'?\n"
	    "%s:13: warning: unknown setting 'alert_hok' (ignored); did you "
	    "mean 'alert_hook'?\n", p, p, p, p, p, p, p, p), -1);
	ck_assert_str_eq(warnings, want);
	free(want);
	free(warnings);
	/* The known one in the same group still applies; ignored ones not. */
	expect_level(&cfg, M_CPU_RUNQ, NAN, 1.0, 3);
	expect_thresholds(&cfg.th, M_CPU_RUNQ);
	ck_assert_str_eq(cfg.hook, "");
}
END_TEST

START_TEST(test_hook_settings)
{
	struct config	 cfg;
	char		*warnings, *cause, *text;

	ck_assert_int_eq(read_text("alert_hook = \"\";\n"
	    "alert_hook_timeout = 0.1;\n", &cfg, &warnings, &cause), 0);
	ck_assert_str_eq(cfg.hook, "");
	ck_assert_double_eq(cfg.hook_timeout_s, 0.1);
	ck_assert_ptr_null(warnings);
	ck_assert_int_eq(read_text("alert_hook_timeout = 3600;", &cfg,
	    &warnings, &cause), 0);
	ck_assert_double_eq(cfg.hook_timeout_s, 3600);

	expect_error("alert_hook = \"notify.sh\";", "1: setting 'alert_hook': "
	    "must be the absolute path of a program, or \"\" for none (got "
	    "\"notify.sh\")");
	expect_error("alert_hook = \"./notify.sh\";", "1: setting "
	    "'alert_hook': must be the absolute path of a program, or \"\" "
	    "for none (got \"./notify.sh\")");
	expect_error("\nalert_hook = [ \"/bin/true\" ];", "2: setting "
	    "'alert_hook': must be the absolute path of a program, or \"\" "
	    "for none (got an array)");
	expect_error("alert_hook = true;", "1: setting 'alert_hook': must be "
	    "the absolute path of a program, or \"\" for none (got true)");
	expect_error("alert_hook_timeout = 0.05;", "1: setting "
	    "'alert_hook_timeout': must be a number of seconds from 0.1 to "
	    "3600 (got 0.05)");
	expect_error("alert_hook_timeout = 3601;", "1: setting "
	    "'alert_hook_timeout': must be a number of seconds from 0.1 to "
	    "3600 (got 3601)");
	expect_error("alert_hook_timeout = \"10\";", "1: setting "
	    "'alert_hook_timeout': must be a number of seconds from 0.1 to "
	    "3600 (got \"10\")");

	/* A path as long as PATH_MAX does not fit. */
	text = malloc(PATH_MAX + 64);
	ck_assert_ptr_nonnull(text);
	snprintf(text, PATH_MAX + 64, "alert_hook = \"/%0*d\";",
	    PATH_MAX - 1, 0);
	expect_error_prefix(text, "1: setting 'alert_hook': must be a path "
	    "shorter than PATH_MAX (got \"/0000000000");
	free(text);
}
END_TEST

/* Read text from a file with the given mode (and owner, if uid >= 0). */
static int
read_mode(const char *text, mode_t mode, long uid, struct config *cfg,
    char **warnings, char **cause)
{
	const char	*path = write_str("t.conf", text);
	int		 fd;

	ck_assert_int_ge(fd = open(path, O_RDONLY), 0);
	ck_assert_int_eq(fchmod(fd, mode), 0);
	if (uid >= 0)
		ck_assert_int_eq(fchown(fd, (uid_t)uid, (gid_t)uid), 0);
	close(fd);
	conf_defaults(cfg);
	*warnings = *cause = NULL;
	return conf_read(cfg, path, warnings, cause);
}

/* The hook is used from a file only its owner (us or root) can write. */
START_TEST(test_hook_permissions)
{
	static const char	 text[] = "interval = 2;\n\n"
	    "alert_hook = \"/usr/local/bin/page-me\";\n";
	static const mode_t	 ok[] = { 0600, 0644, 0400, 0755 };
	static const mode_t	 bad[] = { 0664, 0620, 0606, 0666, 0660 };
	struct config		 cfg;
	char			*warnings, *cause, *want;
	const char		*p = tpath("t.conf");
	size_t			 i;

	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		ck_assert_int_eq(read_mode(text, ok[i], -1, &cfg, &warnings,
		    &cause), 0);
		ck_assert_msg(warnings == NULL, "%04o: %s", ok[i], warnings);
		ck_assert(!cfg.hook_refused);
		ck_assert_str_eq(cfg.hook, "/usr/local/bin/page-me");
	}
	ck_assert_int_ne(asprintf(&want, "%s:3: warning: alert_hook ignored: "
	    "%s is writable by group/others (chmod go-w it to use the "
	    "hook)\n", p, p), -1);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ck_assert_int_eq(read_mode(text, bad[i], -1, &cfg, &warnings,
		    &cause), 0);
		ck_assert_msg(warnings != NULL, "%04o: no warning", bad[i]);
		ck_assert_str_eq(warnings, want);
		free(warnings);
		/* Refused, but the rest of the file applies. */
		ck_assert(cfg.hook_refused);
		ck_assert_double_eq(cfg.interval_s, 2);
	}
	free(want);

	/* A group-writable file without a hook: nothing to refuse. */
	ck_assert_int_eq(read_mode("interval = 2;\nalert_hook = \"\";\n",
	    0666, -1, &cfg, &warnings, &cause), 0);
	ck_assert_ptr_null(warnings);
	ck_assert(!cfg.hook_refused);
}
END_TEST

START_TEST(test_hook_owner)
{
	static const char	 text[] = "alert_hook = \"/bin/true\";\n";
	struct config		 cfg;
	char			*warnings, *cause, *want;
	const char		*p = tpath("t.conf");

	if (geteuid() != 0) {
		/* Only root can give a file away (fchown). */
		fprintf(stderr, "test_hook_owner: not root: ownership cases "
		    "not run\n");
		return;
	}
	ck_assert_int_eq(read_mode(text, 0644, 65534, &cfg, &warnings,
	    &cause), 0);
	ck_assert(cfg.hook_refused);
	ck_assert_int_ne(asprintf(&want, "%s:1: warning: alert_hook ignored: "
	    "%s is owned by uid 65534, not by uid 0 (you) or root\n", p, p),
	    -1);
	ck_assert_str_eq(warnings, want);
	free(want);
	free(warnings);
	/* Owned by root (us): fine; writable by others: not. */
	ck_assert_int_eq(read_mode(text, 0644, 0, &cfg, &warnings, &cause),
	    0);
	ck_assert_ptr_null(warnings);
	ck_assert(!cfg.hook_refused);
	ck_assert_int_eq(read_mode(text, 0646, 0, &cfg, &warnings, &cause),
	    0);
	ck_assert(cfg.hook_refused);
	free(warnings);

	/* Not root: a root-owned file is fine, another user's is not. */
	ck_assert_int_eq(read_mode(text, 0644, 0, &cfg, &warnings, &cause),
	    0);
	ck_assert_int_eq(chmod(tmpdir, 0755), 0);
	ck_assert_int_eq(seteuid(65534), 0);
	conf_defaults(&cfg);
	ck_assert_int_eq(conf_read(&cfg, p, &warnings, &cause), 0);
	ck_assert_ptr_null(warnings);
	ck_assert(!cfg.hook_refused);
	ck_assert_int_eq(seteuid(0), 0);
	ck_assert_int_eq(read_mode(text, 0644, 1, &cfg, &warnings, &cause),
	    0);
	ck_assert(cfg.hook_refused);	/* for root too */
	free(warnings);
	ck_assert_int_eq(seteuid(65534), 0);
	conf_defaults(&cfg);
	ck_assert_int_eq(conf_read(&cfg, p, &warnings, &cause), 0);
	ck_assert_int_ne(asprintf(&want, "%s:1: warning: alert_hook ignored: "
	    "%s is owned by uid 1, not by uid 65534 (you) or root\n", p, p),
	    -1);
	ck_assert_str_eq(warnings, want);
	ck_assert(cfg.hook_refused);
	free(want);
	free(warnings);
	/* The same file, now ours. */
	ck_assert_int_eq(seteuid(0), 0);
	ck_assert_int_eq(read_mode(text, 0644, 65534, &cfg, &warnings,
	    &cause), 0);
	ck_assert(cfg.hook_refused);
	free(warnings);
	ck_assert_int_eq(seteuid(65534), 0);
	conf_defaults(&cfg);
	ck_assert_int_eq(conf_read(&cfg, p, &warnings, &cause), 0);
	ck_assert_ptr_null(warnings);
	ck_assert(!cfg.hook_refused);
	ck_assert_int_eq(seteuid(0), 0);
}
END_TEST

/* ---- conf_find / conf_load ------------------------------------------- */

/* What conf_find must return with neither XDG nor HOME usable. */
static int
sysconf_result(char *buf, size_t bufsz)
{
	snprintf(buf, bufsz, "%s/perftop.conf", SYSCONFDIR);
	return access(buf, F_OK) == 0 ? 1 : 0;
}

/* Run conf_find without --config and check its answer. */
static void
expect_found(int want_rc, const char *want_path)
{
	char	 buf[PATH_MAX], *cause = NULL;
	int	 rc;

	memset(buf, 'x', sizeof buf);
	rc = conf_find(NULL, buf, sizeof buf, &cause);
	ck_assert_ptr_null(cause);
	ck_assert_int_eq(rc, want_rc);
	if (want_rc == 1)
		ck_assert_str_eq(buf, want_path);
}

static void
expect_sysconf_only(void)
{
	char	 sys[PATH_MAX];
	int	 rc;

	rc = sysconf_result(sys, sizeof sys);
	expect_found(rc, sys);
}

START_TEST(test_find_explicit)
{
	char		 buf[PATH_MAX], *cause = NULL, *want;
	const char	*path;

	path = write_str("mine.conf", "history = 20;\n");
	ck_assert_int_eq(conf_find(path, buf, sizeof buf, &cause), 1);
	ck_assert_str_eq(buf, path);

	path = tpath("missing.conf");
	ck_assert_int_eq(conf_find(path, buf, sizeof buf, &cause), -1);
	ck_assert_int_ne(asprintf(&want, "%s: %s", path, strerror(ENOENT)),
	    -1);
	ck_assert_str_eq(cause, want);
	free(want);
	free(cause);
}
END_TEST

START_TEST(test_find_xdg)
{
	char		 xdg[128], home[128], want[PATH_MAX];

	snprintf(xdg, sizeof xdg, "%s/xdg", tmpdir);
	snprintf(home, sizeof home, "%s/home", tmpdir);
	write_str("xdg/perftop/perftop.conf", "history = 30;\n");
	write_str("home/.config/perftop/perftop.conf", "history = 40;\n");
	ck_assert_int_eq(setenv("XDG_CONFIG_HOME", xdg, 1), 0);
	ck_assert_int_eq(setenv("HOME", home, 1), 0);
	snprintf(want, sizeof want, "%s/perftop/perftop.conf", xdg);
	expect_found(1, want);

	/* XDG_CONFIG_HOME replaces ~/.config: HOME is not tried then. */
	ck_assert_int_eq(remove(want), 0);
	expect_sysconf_only();
}
END_TEST

START_TEST(test_find_home)
{
	char		 home[128], want[PATH_MAX];

	snprintf(home, sizeof home, "%s/home", tmpdir);
	write_str("home/.config/perftop/perftop.conf", "history = 40;\n");
	snprintf(want, sizeof want, "%s/.config/perftop/perftop.conf", home);
	ck_assert_int_eq(setenv("HOME", home, 1), 0);

	ck_assert_int_eq(unsetenv("XDG_CONFIG_HOME"), 0);
	expect_found(1, want);
	ck_assert_int_eq(setenv("XDG_CONFIG_HOME", "", 1), 0);
	expect_found(1, want);
	/* A relative XDG_CONFIG_HOME is ignored (XDG base directory spec). */
	ck_assert_int_eq(chdir(tmpdir), 0);
	write_str("xdg/perftop/perftop.conf", "history = 30;\n");
	ck_assert_int_eq(setenv("XDG_CONFIG_HOME", "xdg", 1), 0);
	expect_found(1, want);

	/* No file under HOME: on to the system file. */
	ck_assert_int_eq(remove(want), 0);
	expect_sysconf_only();
}
END_TEST

START_TEST(test_find_no_home)
{
	ck_assert_int_eq(unsetenv("XDG_CONFIG_HOME"), 0);
	ck_assert_int_eq(unsetenv("HOME"), 0);
	expect_sysconf_only();
}
END_TEST

/* Never the current directory, whatever HOME and XDG_CONFIG_HOME say. */
START_TEST(test_find_never_cwd)
{
	static const char *const env[][2] = {
		{ NULL, NULL }, { "", "" }, { ".", "." }, { "xdg", "home" },
		{ "./", "./" },
	};
	size_t	 i;

	write_str("perftop.conf", "history = 11;\n");
	write_str("perftop/perftop.conf", "history = 12;\n");
	write_str(".config/perftop/perftop.conf", "history = 13;\n");
	write_str("xdg/perftop/perftop.conf", "history = 14;\n");
	write_str("home/.config/perftop/perftop.conf", "history = 15;\n");
	ck_assert_int_eq(chdir(tmpdir), 0);
	for (i = 0; i < sizeof env / sizeof env[0]; i++) {
		if (env[i][0] == NULL) {
			unsetenv("XDG_CONFIG_HOME");
			unsetenv("HOME");
		} else {
			setenv("XDG_CONFIG_HOME", env[i][0], 1);
			setenv("HOME", env[i][1], 1);
		}
		expect_sysconf_only();
	}
}
END_TEST

START_TEST(test_load)
{
	struct config	 cfg;
	char		 xdg[128], *warnings, *cause = NULL, *want;
	const char	*path;

	/* The explicit file wins over XDG_CONFIG_HOME. */
	snprintf(xdg, sizeof xdg, "%s/xdg", tmpdir);
	write_str("xdg/perftop/perftop.conf", "history = 30;\nsrot = 1;\n");
	ck_assert_int_eq(setenv("XDG_CONFIG_HOME", xdg, 1), 0);
	path = write_str("mine.conf", "history = 20;\n");
	conf_defaults(&cfg);
	ck_assert_int_eq(conf_load(&cfg, path, &warnings, &cause), 0);
	ck_assert_int_eq(cfg.history, 20);
	ck_assert_ptr_null(warnings);
	ck_assert_str_eq(cfg.path, path);

	/* Without --config: the XDG file, with its warning. */
	conf_defaults(&cfg);
	ck_assert_int_eq(conf_load(&cfg, NULL, &warnings, &cause), 0);
	ck_assert_int_eq(cfg.history, 30);
	ck_assert_str_eq(cfg.path, tpath("xdg/perftop/perftop.conf"));
	ck_assert_int_ne(asprintf(&want, "%s:2: warning: unknown setting "
	    "'srot' (ignored); did you mean 'sort'?\n", cfg.path), -1);
	ck_assert_str_eq(warnings, want);
	free(want);
	free(warnings);

	/* A missing explicit file is an error naming it. */
	path = tpath("nope.conf");
	conf_defaults(&cfg);
	ck_assert_int_eq(conf_load(&cfg, path, &warnings, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, path));
	ck_assert_ptr_nonnull(strstr(cause, strerror(ENOENT)));
	free(cause);
	expect_defaults(&cfg);

	/* A broken file found by the search is an error too, not skipped. */
	write_str("xdg/perftop/perftop.conf", "history = 3;\n");
	conf_defaults(&cfg);
	ck_assert_int_eq(conf_load(&cfg, NULL, &warnings, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, ":1: setting 'history'"));
	free(cause);
}
END_TEST

/* ---- data/perftop.conf --------------------------------------------------- */

static const char *
shipped_conf(void)
{
	static char	 buf[PATH_MAX];
	const char	*srcdir = getenv("SRCDIR"), *suffix = "tests/test_conf.c";
	size_t		 n;

	if (srcdir != NULL && *srcdir != '\0')
		snprintf(buf, sizeof buf, "%s/data/perftop.conf", srcdir);
	else {
		/* __FILE__ is "<srcdir>/tests/test_conf.c" or relative. */
		n = strlen(__FILE__) - strlen(suffix);
		ck_assert_str_eq(&__FILE__[n], suffix);
		snprintf(buf, sizeof buf, "%.*sdata/perftop.conf", (int)n,
		    __FILE__);
	}
	return buf;
}

START_TEST(test_shipped_file_is_defaults)
{
	struct config	 cfg;
	char		*warnings = NULL, *cause = NULL;
	const char	*path = shipped_conf();

	conf_defaults(&cfg);
	ck_assert_msg(conf_read(&cfg, path, &warnings, &cause) == 0,
	    "%s", cause);
	ck_assert_ptr_null(warnings);
	expect_defaults(&cfg);
}
END_TEST

/*
 * If line is a commented-out setting, return where its name starts (after
 * the '#' and any tabs) and set *depth to the number of tabs, else NULL.
 * A setting is "#name = ...", "#<tabs>name = ..." inside a group, or the
 * "#};" closing a group; prose comments start "# ", so never match.
 */
static const char *
commented_setting(const char *line, int *depth)
{
	const char	*p = line + 1;

	if (line[0] != '#')
		return NULL;
	*depth = 0;
	while (*p == '\t') {
		p++;
		(*depth)++;
	}
	if (strncmp(p, "};", 2) == 0)
		return p;
	if (*p < 'a' || *p > 'z')
		return NULL;
	p += strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789_");
	if (strncmp(p, " = ", 3) != 0)
		return NULL;
	return line + 1 + *depth;
}

/* Count name in names[0..n) when the setting at p is called name. */
static void
count_name(const char *p, const char *const *names, int *seen, size_t n)
{
	size_t	 i, len;

	for (i = 0; i < n; i++) {
		len = strlen(names[i]);
		if (strncmp(p, names[i], len) == 0 && p[len] == ' ')
			seen[i]++;
	}
}

/*
 * The commented-out settings ("#name = value;", with "#<tab>name = ...;"
 * and "#};" inside groups) document every setting at its default:
 * uncommented, they must parse, name every known setting once (each
 * threshold and plain setting of the thresholds group too) and still give
 * the defaults.
 */
START_TEST(test_shipped_file_documents_defaults)
{
	static const char *const names[] = { "interval", "history",
	    "ascii_only", "color", "sort", "overview_procs", "window",
	    "thresholds", "alert_hook", "alert_hook_timeout", "redact",
	    "export_dir" };
	static const char *const plain[] = { "alert_duration_s",
	    "hysteresis_pct", "hysteresis_rel", "trend_min_points",
	    "trend_min_r2" };
	const char	*metrics[M_NMETRICS];
	int		 seen[sizeof names / sizeof names[0]] = { 0 };
	int		 seen_plain[sizeof plain / sizeof plain[0]] = { 0 };
	int		 seen_metric[M_NMETRICS] = { 0 };
	struct config	 cfg;
	char		 line[1024], *warnings = NULL, *cause = NULL;
	const char	*path = shipped_conf(), *out, *p;
	FILE		*in, *f;
	size_t		 i;
	int		 depth, nlines = 0;

	for (i = 0; i < M_NMETRICS; i++)
		metrics[i] = metric_get((enum metric)i)->conf;
	ck_assert_ptr_nonnull(in = fopen(path, "r"));
	out = tpath("uncommented.conf");
	ck_assert_ptr_nonnull(f = fopen(out, "w"));
	while (fgets(line, sizeof line, in) != NULL) {
		if ((p = commented_setting(line, &depth)) == NULL) {
			fputs(line, f);
			continue;
		}
		nlines++;
		if (depth == 0)
			count_name(p, names, seen, sizeof names /
			    sizeof names[0]);
		else {
			count_name(p, plain, seen_plain, sizeof plain /
			    sizeof plain[0]);
			count_name(p, metrics, seen_metric, M_NMETRICS);
		}
		fputs(line + 1, f);
	}
	fclose(in);
	ck_assert_int_eq(fclose(f), 0);
	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		ck_assert_msg(seen[i] == 1, "%s: '#%s = ...' appears %d times",
		    path, names[i], seen[i]);
	for (i = 0; i < sizeof plain / sizeof plain[0]; i++)
		ck_assert_msg(seen_plain[i] == 1, "%s: thresholds.%s appears "
		    "%d times", path, plain[i], seen_plain[i]);
	for (i = 0; i < M_NMETRICS; i++)
		ck_assert_msg(seen_metric[i] == 1, "%s: thresholds.%s appears "
		    "%d times", path, metrics[i], seen_metric[i]);
	/* Every setting line was counted: none is unknown or misplaced. */
	ck_assert_int_eq(nlines, (int)(sizeof names / sizeof names[0]) +
	    (int)(sizeof plain / sizeof plain[0]) + M_NMETRICS + 1);

	conf_defaults(&cfg);
	ck_assert_msg(conf_read(&cfg, out, &warnings, &cause) == 0, "%s",
	    cause);
	ck_assert_msg(warnings == NULL, "%s", warnings);
	expect_defaults(&cfg);
}
END_TEST

static Suite *
conf_suite(void)
{
	Suite	*s = suite_create("conf");
	TCase	*tc;

	tc = tcase_create("read");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_full_file);
	tcase_add_test(tc, test_choices);
	tcase_add_test(tc, test_export_settings);
	tcase_add_test(tc, test_interval_int_and_float);
	tcase_add_test(tc, test_syntax_error);
	tcase_add_test(tc, test_wrong_type);
	tcase_add_test(tc, test_out_of_range);
	tcase_add_test(tc, test_boundaries);
	tcase_add_test(tc, test_infinite);
	tcase_add_test(tc, test_unknown_setting);
	tcase_add_test(tc, test_typo_hints);
	tcase_add_test(tc, test_duplicate);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_binary);
	tcase_add_test(tc, test_error_keeps_cfg);
	tcase_add_test(tc, test_too_large);
	tcase_add_test(tc, test_include_refused);
	tcase_add_test(tc, test_not_regular);
	suite_add_tcase(s, tc);

	tc = tcase_create("diagnosis");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_window);
	tcase_add_test(tc, test_thresholds_partial);
	tcase_add_test(tc, test_thresholds_types);
	tcase_add_test(tc, test_thresholds_ranges);
	tcase_add_test(tc, test_thresholds_plain_bounds);
	tcase_add_test(tc, test_thresholds_order);
	tcase_add_test(tc, test_thresholds_unknown);
	tcase_add_test(tc, test_hook_settings);
	tcase_add_test(tc, test_hook_permissions);
	tcase_add_test(tc, test_hook_owner);
	suite_add_tcase(s, tc);

	tc = tcase_create("find");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_find_explicit);
	tcase_add_test(tc, test_find_xdg);
	tcase_add_test(tc, test_find_home);
	tcase_add_test(tc, test_find_no_home);
	tcase_add_test(tc, test_find_never_cwd);
	tcase_add_test(tc, test_load);
	suite_add_tcase(s, tc);

	tc = tcase_create("shipped");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_shipped_file_is_defaults);
	tcase_add_test(tc, test_shipped_file_documents_defaults);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(conf_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
