/*
 * export.h - reports from the ring: Markdown for tickets, JSON for tools.
 *
 * JSON follows the conventions in doc/json.md (epoch seconds, bytes per
 * second, percentages 0-100, null for what could not be measured) and is
 * built with jansson.  Callers hold the ring lock across an export.
 */
#ifndef PERFTOP_EXPORT_H
#define PERFTOP_EXPORT_H

#include <stdio.h>

#include <jansson.h>

#include "conf.h"
#include "ring.h"

#define EXPORT_FORMAT_VERSION	1

enum export_format { EXPORT_MARKDOWN, EXPORT_JSON };

/* "markdown" / "md" / "json" -> format; -1 when unknown. */
int		 export_format_parse(const char *);
const char	*export_format_name(enum export_format);

/* The batch JSON document for the whole ring (oldest sample first). */
json_t		*export_json(const struct ring *, const struct config *);

/*
 * The formats alone, streamed to f (export_write() wraps them and names the
 * error).  The JSON stream holds the same document as export_json() but
 * builds one sample at a time, so its memory does not grow with the number
 * of samples.  Return 0, or -1 with errno set.
 */
int		 export_json_write(FILE *f, const struct ring *,
		    const struct config *);
int		 export_markdown(FILE *f, const struct ring *,
		    const struct config *);

/* Write a report to f.  Returns 0, or -1 with *cause. */
int		 export_write(FILE *f, enum export_format, const struct ring *,
		    const struct config *, char **cause);

/*
 * Write a report to path atomically: a temporary file in the same
 * directory, fsync, rename; a symlink at path is not followed (it is
 * replaced).  mode is the file mode (0600 for reports).  On failure any
 * earlier file at path is left intact.  Returns 0 or -1 with *cause.
 */
int		 export_to_path(const char *path, enum export_format,
		    const struct ring *, const struct config *, int mode,
		    char **cause);

#endif
