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
 * of samples.  Return 0, or -1 with errno set.  Markdown, text and HTML are
 * written by export_doc() through their rep_writer, below.
 */
int		 export_json_write(FILE *f, const struct report *);
int		 export_csv(FILE *f, const struct report *);
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
    EXPORT_CORE_MAX, EXPORT_NET_RXTX };
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
 * export_fig(): the double at offset off of the sample (EXPORT_SAMPLE), of
 * its disk, interface or filesystem called name, rx plus tx of the
 * interface (EXPORT_NET_RXTX: off is the rx field, tx follows it), or the
 * busiest core's busy % (EXPORT_CORE_MAX); NAN when absent.
 * export_time(): t in UTC, "2024-06-10T06:13:20Z" (EXPORT_ISO), "06:13:20"
 * or "06:13:20 UTC"; "n/a" when not known.  Returns buf.
 */
double		 export_fig(const struct sample *, enum export_dev,
		    const char *name, size_t off);
enum export_clock { EXPORT_ISO, EXPORT_HMS, EXPORT_HMS_UTC };
const char	*export_time(char *buf, size_t bufsz, double t,
		    enum export_clock);

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

/*
 * The report model of the Markdown, text and HTML reports.  export.c builds
 * each section (health, findings, advice, USE scorecard, ...) once, as data:
 * a title and blocks (paragraphs, a list, a table) of lines made of pieces.
 * A format renders those blocks in its own syntax through a struct
 * rep_writer.
 *
 * A piece's kind says what its text is, so that each format can escape or
 * mark it up: RP_LIT is the report's own words, never the machine's.
 */
enum rep_kind {
	RP_LIT,		/* the report's words and figures: written as is */
	RP_TEXT,	/* prose that may quote the machine: escaped */
	RP_CODE,	/* a name from the machine: a code span */
	RP_NAME,	/* the same shown plain (still fenced in Markdown) */
	RP_DETAIL,	/* a command line after its process name */
	RP_SEV,		/* a severity word (arg), coloured in HTML */
	RP_STRONG,	/* the report's words, in bold */
	RP_BREAK	/* a space where plain text breaks the line */
};

struct rep_piece {
	size_t		 text;	/* offset of its text in the section's arena */
	enum rep_kind	 kind;
	int		 arg;	/* RP_SEV: the severity; RP_CODE, RP_NAME,
				   RP_DETAIL: columns Markdown keeps (0 all) */
};

/* A paragraph, a list item or a table cell. */
struct rep_line {
	int		 piece, npiece;
	int		 sev;	/* a list item's label, a cell's HTML class
				   (SEV_NA: muted); -1 none */
};

enum rep_block_kind { RB_PARA, RB_LIST, RB_TABLE };

#define REP_COLS_MAX	8

struct rep_block {
	enum rep_block_kind kind;
	int		 line, nline;	/* a table: the headings, then the
					   rows, ncols lines each */
	const char	*align;		/* a table: one column each, 'l', 'r' or
					   'w' (long text, left; plain text
					   moves it last, unpadded) */
	int		 ncols;
	bool		 headline;	/* RB_PARA: the first line stands out */
	bool		 facts;		/* RB_TABLE: a name and its value a row;
					   the headings are Markdown's alone */
};

/* One section; its arrays are reused from section to section. */
struct rep_sec {
	const char		*title;
	int			 status; /* enum health_status or -1 */
	char			*text;	 /* the arena: NUL-terminated texts */
	size_t			 len, size;
	struct rep_piece	*piece;
	int			 npiece, piececap;
	struct rep_line		*line;
	int			 nline, linecap;
	struct rep_block	*block;
	int			 nblock, blockcap;
	bool			 failed; /* out of memory */
};

struct rep_writer;

/* Where a writer renders to; gap: a blank line is owed. */
struct rep_out {
	FILE			*f;
	const struct rep_writer	*w;
	bool			 gap;
};

/* The sections, in the order of the reports. */
enum rep_id { REP_HEALTH, REP_FINDINGS, REP_ADVICE, REP_USE, REP_TRENDS,
    REP_ALERTS, REP_HOST, REP_FIGURES, REP_PROCS };

/*
 * A format's renderer.  head() opens the report (host and window as the
 * report shows them), section() and end() frame a section, piece() writes a
 * piece of a line (its text is t), after() may add to a section, tail()
 * closes the report; end, after and tail may be NULL.  para(), list(),
 * table() and after() return 0, or -1 with errno.  fmt picks what the
 * sections show (export.c's styles).
 */
struct rep_writer {
	enum export_format fmt;
	void	(*head)(struct rep_out *, const struct report *,
		    const char *host, const char *from, const char *to);
	void	(*section)(struct rep_out *, const struct rep_sec *);
	void	(*piece)(FILE *, const struct rep_piece *, const char *t);
	int	(*para)(struct rep_out *, const struct rep_sec *,
		    const struct rep_block *);
	int	(*list)(struct rep_out *, const struct rep_sec *,
		    const struct rep_block *);
	int	(*table)(struct rep_out *, const struct rep_sec *,
		    const struct rep_block *);
	void	(*end)(struct rep_out *, const struct rep_sec *);
	int	(*after)(struct rep_out *, const struct report *, enum rep_id);
	void	(*tail)(struct rep_out *);
};

/*
 * export_doc() writes a whole report through w: head, every section, tail.
 * Returns 0, or -1 with errno.  export_pieces() writes line l of s to f
 * through w->piece().  export_gap(), before a block, writes the blank line
 * the one before owes (o->gap), and owe says whether this one owes one.
 */
extern const struct rep_writer	rep_markdown, rep_text, rep_html;

int		 export_doc(FILE *f, const struct report *,
		    const struct rep_writer *w);
void		 export_pieces(FILE *f, const struct rep_writer *,
		    const struct rep_sec *, const struct rep_line *);
void		 export_gap(struct rep_out *, bool owe);

#endif
