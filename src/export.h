/*
 * export.h - reports from the ring: Markdown for tickets, JSON for tools.
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

#include <stdio.h>

#include <jansson.h>

#include "alerts.h"
#include "analysis.h"
#include "conf.h"
#include "ring.h"

#define EXPORT_FORMAT_VERSION	1

enum export_format { EXPORT_MARKDOWN, EXPORT_JSON };

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
struct report {
	const struct ring	*ring;
	const struct config	*cfg;
	const struct analysis	*an;
	const struct alerts	*alerts;
};

/* "markdown" / "md" / "json" -> format; -1 when unknown. */
int		 export_format_parse(const char *);
const char	*export_format_name(enum export_format);

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

/* Write a report to f.  Returns 0, or -1 with *cause. */
int		 export_write(FILE *f, enum export_format, const struct report *,
		    char **cause);

/*
 * Write a report to path atomically: a temporary file in the same
 * directory, fsync, rename; a symlink at path is not followed (it is
 * replaced).  mode is the file mode (0600 for reports).  On failure any
 * earlier file at path is left intact.  Returns 0 or -1 with *cause.
 */
int		 export_to_path(const char *path, enum export_format,
		    const struct report *, int mode, char **cause);

#endif
