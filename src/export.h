/*
 * export.h - reports from the ring: Markdown for tickets, JSON for tools,
 * plain text for a terminal or mail, CSV for spreadsheets, a self-contained
 * HTML page with charts, and the Prometheus text format (doc/openmetrics.md)
 * for node_exporter's textfile collector.
 *
 * A report is a bundle: the ring (figures, processes), the config (the
 * interval), and the diagnosis of the window, which is an analysis (health,
 * findings, USE scorecard, trends, advice) and the alert engine (active
 * alerts and their log).  --batch and the dashboard's snapshot key both
 * write reports through this API.
 *
 * JSON follows the conventions in doc/json.md (epoch seconds, bytes per
 * second, percentages 0-100, null for what could not be measured) and is
 * built with jansson.  Callers hold the ring lock across an export (the
 * alert engine is read under the same lock, see alerts.h).
 */
#ifndef PERFTOP_EXPORT_H
#define PERFTOP_EXPORT_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "alerts.h"
#include "analysis.h"
#include "conf.h"
#include "ring.h"

#define EXPORT_FORMAT_VERSION	1

enum export_format {
	EXPORT_MARKDOWN,
	EXPORT_JSON,
	EXPORT_TEXT,
	EXPORT_CSV,
	EXPORT_HTML,
	EXPORT_OPENMETRICS
};

/*
 * What a report is made of; every pointer is borrowed.
 *   ring	the samples; must not be NULL.
 *   cfg	may be NULL: the interval is then null / not stated.
 *   an		the analysis of the window (analysis_run() on the same ring,
 *		normally the whole of it), or NULL: health is then UNKNOWN,
 *		with no findings, USE rows, trends or advice.
 *   alerts	the alert engine fed with the ring's samples, or NULL: no
 *		alerts.
 */
struct baseline;

struct report {
	const struct ring	*ring;
	const struct config	*cfg;
	const struct analysis	*an;
	const struct alerts	*alerts;
	/*
	 * The moment shown: samples newer than `age` samples before the
	 * newest are left out (0: up to the newest).  A frozen dashboard
	 * exports the moment it shows; an older moment has no full process
	 * table, its sample's top list stands in.
	 */
	int			 age;
	const struct baseline	*base;	/* may be NULL */
	bool			 redact; /* arguments and host name hidden */
	bool			 snapshot; /* JSON: add what replay needs */
	bool			 frozen; /* snapshot view.frozen: the
					    dashboard was frozen */
};

/*
 * "markdown" / "md", "json", "text", "csv", "html", "openmetrics" / "om"
 * -> format; -1 when unknown.  export_format_name() gives the long name.
 */
int		 export_format_parse(const char *);
const char	*export_format_name(enum export_format);
/*
 * The mode a report file gets: 0644 for OpenMetrics (node_exporter reads
 * it as another user; it holds no command line), 0600 for the others
 * (they hold command lines).
 */
int		 export_default_mode(enum export_format);

/*
 * The health status of a report: an's status, HEALTH_UNKNOWN when an is
 * NULL.  Its value is the --batch exit status.
 */
enum health_status export_status(const struct report *);

/* The batch JSON document (oldest sample first); NULL with errno ENOMEM. */
json_t		*export_json(const struct report *);

/*
 * The formats alone, streamed to f (export_write() wraps them and names the
 * error).  The JSON stream holds the same document as export_json() but
 * builds one sample at a time, so its memory does not grow with the number
 * of samples.  Return 0, or -1 with errno set.
 */
int		 export_json_write(FILE *f, const struct report *);
int		 export_markdown(FILE *f, const struct report *);
int		 export_text(FILE *f, const struct report *);
int		 export_csv(FILE *f, const struct report *);
int		 export_html(FILE *f, const struct report *);
int		 export_openmetrics(FILE *f, const struct report *);

/*
 * For the format writers: the window a report shows and its text as the
 * report shows it (the caller holds the ring lock).
 *   export_len()	samples up to the moment (ring_len() - age; age is
 *			clamped to the ring, so a non-empty ring gives >= 1).
 *   export_sample()	the sample k before the moment: 0 is the moment
 *			itself, export_len() - 1 the oldest; NULL outside.
 *   export_procs()	the process table of the moment: the ring's full
 *			table at age 0, else the moment's top list.
 *   export_hostname()	the host name, or its stable hash when redacting.
 *   export_cmdline()	p's command line (p a row of t), its arguments
 *			replaced by an ellipsis when redacting: a pointer
 *			into t, or buf (bufsz >= 64).
 *   export_names()	the names of the disks, interfaces or filesystems
 *			seen in the window, oldest first, each once: a new
 *			array (free it) of pointers into the ring in *out,
 *			the count in *n; 0, or -1 with errno.
 */
enum export_dev { EXPORT_SAMPLE, EXPORT_DISKS, EXPORT_NETS, EXPORT_FS,
    EXPORT_CORE_MAX };
int		 export_len(const struct report *);
const struct sample *export_sample(const struct report *, int k);
const struct proctab *export_procs(const struct report *);
void		 export_hostname(const struct report *, char *buf,
		    size_t bufsz);
const char	*export_cmdline(const struct report *, const struct proctab *t,
		    const struct proc *p, char *buf, size_t bufsz);
int		 export_names(const struct report *, enum export_dev,
		    const char ***out, int *n);
/* Rows of t in CPU order (busiest first, not measured last, ties by pid):
 * a new array of t->n indexes (free it), or NULL with errno. */
int		*export_proc_order(const struct proctab *t);
/*
 * The key-figure tables of the text and HTML reports:
 *   export_fig()	the double at offset off of the sample
 *			(EXPORT_SAMPLE), of its disk, interface or
 *			filesystem called name, or the busiest core's busy %
 *			(EXPORT_CORE_MAX); NAN when absent.
 *   export_value()	v in unit: "42.0 %", "1.5G", "3.0M/s", "0.25",
 *			"12.0/s", "4.5 ms", or "n/a".
 */
enum export_unit { EU_PCT, EU_BYTES, EU_RATE, EU_NUM, EU_PERSEC, EU_MS };
double		 export_fig(const struct sample *, enum export_dev,
		    const char *name, size_t off);
const char	*export_value(char *buf, size_t bufsz, double v,
		    enum export_unit);

/* Write a report to f.  Returns 0, or -1 with *cause. */
int		 export_write(FILE *f, enum export_format, const struct report *,
		    char **cause);

/*
 * Write a report to path atomically: a temporary file in the same
 * directory, fsync, rename; a symlink at path is not followed (it is
 * replaced).  mode is the file mode (export_default_mode()).  On failure any
 * earlier file at path is left intact.  Returns 0 or -1 with *cause.
 */
int		 export_to_path(const char *path, enum export_format,
		    const struct report *, int mode, char **cause);

#endif
