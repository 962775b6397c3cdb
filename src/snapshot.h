/*
 * snapshot.h - a view of the machine in one file, and back.
 *
 * A snapshot is the batch JSON document (doc/json.md) plus what replay
 * needs: the config in force (never the hook command), the top processes of
 * every sample, the full process table of the moment shown, the baseline,
 * and the moment itself.  So `perftop --batch --format json` output can be
 * replayed too.  Documented in doc/snapshot.md with its version rules.
 *
 * Loading checks everything it reads (types, counts, sizes, text through
 * the sanitizer) and refuses a damaged file or a newer format_version with
 * a clear cause; it never trusts a count from the file for an allocation.
 */
#ifndef PERFTOP_SNAPSHOT_H
#define PERFTOP_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>

#include "baseline.h"
#include "conf.h"
#include "export.h"
#include "ring.h"

struct snapshot {
	struct ring	*ring;		/* owned: samples, oldest first in
					   push order; full table of the
					   newest */
	struct host	 host;
	double		 interval_s;
	int		 format_version;
	bool		 has_baseline;
	struct baseline	 baseline;	/* valid when has_baseline */
	/* Added for replay: the config in force, on the defaults (its
	   interval is interval_s; never a hook).  Valid when has_config. */
	bool		 has_config;
	struct config	 cfg;
};

/*
 * The figures of the baseline (before "source"), of each of its stats
 * (after "key") and of each metric's threshold levels, as sample.h's
 * tables: export_json.c writes them, snapshot_load() reads them.
 */
extern const struct fig_field snapshot_baseline_fields[];
extern const struct fig_field snapshot_stat_fields[];
extern const struct fig_field snapshot_level_fields[];

/* Load path.  Returns 0, or -1 with *cause ("FILE: reason"). */
int	 snapshot_load(const char *path, struct snapshot *, char **cause);
void	 snapshot_free(struct snapshot *);
/*
 * Added: snapshot_load, calling fed(snap, arg) after each sample is pushed
 * (oldest first; the ring then holds the samples so far, the full table
 * only with the last).  The host, config and baseline are loaded before the
 * first call, and snap->interval_s is the file's (or its config's) when it
 * states one.  Replay re-runs the live diagnosis this way, sample by
 * sample, so the alert log comes out as it was.
 */
int	 snapshot_load_feed(const char *path, struct snapshot *,
	    void (*fed)(struct snapshot *, void *), void *arg, char **cause);

/*
 * The file names of an export of the view at epoch t, in dir:
 * dir/perftop-HOST-YYYYmmddTHHMMSSZ.json and .md (UTC; HOST reduced to
 * letters, digits, '.', '_', '-'; a stable hash of it when redacting).
 */
void	 snapshot_names(const char *dir, const char *host, double t,
	    bool redact, char *json, char *md, size_t size);

/* The snapshot JSON of the report alone to path (atomic, 0600): the saved
 * baseline.  Returns 0, or -1 with *cause. */
int	 snapshot_write(const char *path, const struct report *, char **cause);

/*
 * Export the report's view: the snapshot JSON and, beside it, the
 * Markdown report; both atomic, mode 0600.  Returns 0, or -1 with *cause;
 * on failure no earlier file is harmed.
 */
int	 snapshot_export(const char *dir, const struct report *, char *json,
	    char *md, size_t size, char **cause);

/*
 * Added: where the dashboard keeps its baseline:
 * $XDG_STATE_HOME/perftop/baseline.json when XDG_STATE_HOME is absolute,
 * else $HOME/.local/state/perftop/baseline.json when HOME is absolute.
 * Returns 0 with the path in buf, or -1 when neither is usable or the path
 * does not fit (never a relative path).
 */
int	 baseline_state_path(char *buf, size_t n);

#endif
