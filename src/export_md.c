/*
 * export_md.c - the Markdown report: something to paste into a ticket.
 *
 * A title with the host and the time window, then the sections export.c
 * builds (health, findings, advice, USE scorecard, trends, alerts, host,
 * key figures, top processes), each a "##" heading and then paragraphs, a
 * numbered list or a pipe table.  Percentages carry their sign in the
 * label ("CPU busy %"), and the key figures end with the OOM kills.
 *
 * Every piece of text that came from the machine (names, command lines) is
 * written as a code span, so Markdown syntax in it (*, _, <, backslashes)
 * shows as it is; a '|' is escaped as "\|" so that no cell can split a
 * table row (GitHub and CommonMark table extensions unescape it inside code
 * spans too), and the fence is longer than any run of backticks inside.
 * Prose made by the analysis (summaries, advice, cell texts) may quote
 * process names too, so it is written with every Markdown-active character
 * backslash-escaped (md_text).  Sanitized text has no newlines, so a cell
 * can never end a row early.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "analysis.h"
#include "export.h"
#include "sanitize.h"

/*
 * Write s as a code span that is safe in a table cell; at most maxcols
 * columns of it (0: all), then an ellipsis.  Empty text writes nothing.
 */
static void
md_code(FILE *f, const char *s, int maxcols)
{
	size_t	 len = strlen(s), i;
	int	 run = 0, longest = 0, pad, k;
	bool	 cut = false;

	if (maxcols > 0 && text_width(s) > maxcols) {
		len = text_fit(s, maxcols - 1, NULL);
		cut = true;
	}
	if (len == 0) {
		if (cut)
			fputs("…", f);
		return;
	}
	for (i = 0; i < len; i++) {
		run = s[i] == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	pad = s[0] == '`' || s[0] == ' ' || s[len - 1] == '`' ||
	    s[len - 1] == ' ';
	for (k = 0; k <= longest; k++)
		fputc('`', f);
	if (pad)
		fputc(' ', f);
	for (i = 0; i < len; i++) {
		if (s[i] == '|')
			fputc('\\', f);
		fputc(s[i], f);
	}
	if (pad)
		fputc(' ', f);
	for (k = 0; k <= longest; k++)
		fputc('`', f);
	if (cut)
		fputs("…", f);
}

/*
 * Write prose escaped for Markdown: a backslash before every character
 * that could start emphasis, a code span, a link, HTML, an entity or a
 * heading, or split a table cell (CommonMark lets any ASCII punctuation be
 * escaped, and GitHub tables honour "\|").
 */
static void
md_text(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		if (strchr("\\`*_[]<>|~&#", *s) != NULL)
			fputc('\\', f);
		fputc(*s, f);
	}
}

static void
md_piece(FILE *f, const struct rep_piece *p, const char *t)
{
	switch (p->kind) {
	case RP_TEXT:
		md_text(f, t);
		break;
	case RP_DETAIL:
		fputc(' ', f);
		/* FALLTHROUGH */
	case RP_CODE:
	case RP_NAME:
		md_code(f, t, p->arg);
		break;
	case RP_STRONG:
		fprintf(f, "**%s**", t);
		break;
	default:	/* RP_LIT, RP_SEV, RP_BREAK */
		fputs(t, f);
	}
}

static void
md_section(struct rep_out *o, const struct rep_sec *s)
{
	export_gap(o, true);
	fprintf(o->f, "## %s\n", s->title);
}

/* Each line a paragraph of its own; a headline in bold. */
static int
md_para(struct rep_out *o, const struct rep_sec *s, const struct rep_block *b)
{
	int	 i;

	for (i = 0; i < b->nline; i++) {
		export_gap(o, true);
		if (i == 0 && b->headline)
			fputs("**", o->f);
		export_pieces(o->f, o->w, s, &s->line[b->line + i]);
		if (i == 0 && b->headline)
			fputs("**", o->f);
		fputc('\n', o->f);
	}
	return 0;
}

static int
md_list(struct rep_out *o, const struct rep_sec *s, const struct rep_block *b)
{
	const struct rep_line	*l;
	int			 i;

	export_gap(o, true);
	for (i = 0; i < b->nline; i++) {
		l = &s->line[b->line + i];
		fprintf(o->f, "%d. **%s**: ", i + 1,
		    severity_name((enum severity)l->sev));
		export_pieces(o->f, o->w, s, l);
		fputc('\n', o->f);
	}
	return 0;
}

/* A pipe table; an empty cell is "| |". */
static int
md_table(struct rep_out *o, const struct rep_sec *s, const struct rep_block *b)
{
	const struct rep_line	*l = &s->line[b->line];
	int			 i, c;

	export_gap(o, true);
	for (i = 0; i < b->nline; i += b->ncols) {
		fputc('|', o->f);
		for (c = 0; c < b->ncols; c++, l++) {
			fputc(' ', o->f);
			if (l->npiece > 0) {
				export_pieces(o->f, o->w, s, l);
				fputc(' ', o->f);
			}
			fputc('|', o->f);
		}
		fputc('\n', o->f);
		for (c = 0; i == 0 && c < b->ncols; c++)
			fputs(b->align[c] == 'r' ? "|--:" : "|---", o->f);
		if (i == 0)
			fputs("|\n", o->f);
	}
	return 0;
}

static void
md_head(struct rep_out *o, const struct report *rp, const char *host,
    const char *from, const char *to)
{
	fputs("# perftop report for ", o->f);
	md_code(o->f, host, 0);
	fprintf(o->f, ", %s to %s\n", from, to);
	o->gap = true;
}

/* Blocks are apart by a blank line; none ends the report. */
const struct rep_writer rep_markdown = {
	EXPORT_MARKDOWN, md_head, md_section, md_piece, md_para, md_list,
	md_table, NULL, NULL, NULL
};
