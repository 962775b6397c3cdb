/*
 * conf.h - settings, from embedded defaults or one libconfig file.
 *
 * The file is the first found of --config FILE,
 * $XDG_CONFIG_HOME/perftop/perftop.conf (~/.config/perftop/perftop.conf when
 * XDG_CONFIG_HOME is unset or not absolute) and SYSCONFDIR/perftop.conf.
 * Files are never merged and never read from the current directory.  Every
 * setting has a default, so no file is needed.  data/perftop.conf documents
 * every setting.  A config_t is not thread-safe: the file is parsed in main
 * and the rest of the program sees only this plain struct.
 */
#ifndef PERFTOP_CONFIG_H
#define PERFTOP_CONFIG_H

#include <limits.h>
#include <stdbool.h>

#include "analysis.h"
#include "sample.h"

#define CONFIG_INTERVAL_MIN	0.1
#define CONFIG_INTERVAL_MAX	3600.0
#define CONFIG_HISTORY_MIN	10
#define CONFIG_HISTORY_MAX	86400

enum color_mode { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

struct config {
	double		interval_s;	/* interval: 1.0, 0.1 .. 3600 */
	int		history;	/* history: samples kept, 600 */
	bool		ascii_only;	/* ascii_only: never draw UTF-8 blocks */
	enum color_mode	color;		/* color: "auto" | "always" | "never" */
	enum proc_sort	sort;		/* sort: "cpu" | "mem" | "pid" | "io" | "name" */
	int		overview_procs;	/* overview_procs: rows of top processes, 5 */
	double		window_s;	/* window: seconds the dashboard's
					   diagnosis looks back, 10 */
	struct thresholds th;		/* thresholds = { NAME = { info; warn;
					   crit; }; ... } (analysis.h) */
	char		hook[PATH_MAX];	/* alert_hook: program run on every
					   alert change, "" = none */
	double		hook_timeout_s;	/* alert_hook_timeout: 10 s */
	bool		hook_refused;	/* the file naming the hook is not
					   safe: hook not run (warned) */
	bool		redact;		/* redact: hide command-line arguments
					   and the host name in every export,
					   false */
	char		export_dir[PATH_MAX]; /* export_dir: where the
					   dashboard's e writes, "." */
	char		path[PATH_MAX];	/* file read, "" when defaults only */
};

void	 conf_defaults(struct config *);

/*
 * Find the file to read (see above).  explicit may be NULL.  Writes the path
 * to buf and returns 1 when a file is to be read, 0 when none exists (use the
 * defaults), -1 with *cause when explicit does not exist or is unreadable.
 */
int	 conf_find(const char *explicit, char *buf, size_t bufsz, char **cause);

/*
 * Read path into cfg (which holds the defaults on entry).  Returns 0, or -1
 * with *cause = "FILE:LINE: reason" (caller frees) on a syntax error, a wrong
 * type or an out-of-range value.  Unknown settings are not errors: each adds
 * a "FILE:LINE: warning: ..." line to *warnings (caller frees; NULL when
 * there are none).
 */
int	 conf_read(struct config *cfg, const char *path, char **warnings,
	    char **cause);

/* conf_find + conf_read: what main calls. */
int	 conf_load(struct config *cfg, const char *explicit, char **warnings,
	    char **cause);

#endif
