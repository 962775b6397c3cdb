/*
 * export_text.c - the plain text report: for a terminal or a mail.
 *
 * The sections export.c builds (health line and deductions, findings,
 * advice, USE scorecard, trends, alerts, host, key figures, top processes),
 * each a title underlined with '=' and then aligned columns or wrapped
 * prose.  There is no escape code and no markup at all: what the machine
 * named (processes, disks, mounts) was sanitized at ingest, so it is
 * printable text already, and columns are measured with text_width() so
 * that wide characters keep them aligned.  Long cells are cut with an
 * ellipsis; a table's long text column goes last, where it is never
 * padded.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "export.h"
#include "sanitize.h"

#define TX_WRAP		76	/* list items are wrapped to this width */
#define TX_CELL_MAX	48	/* widest cell but the last column's */
#define TX_LAST_MAX	100	/* the last column's */

/* Write s in at most maxcols columns, cut with "…". */
static void
tx_put(FILE *f, const char *s, int maxcols)
{
	size_t	 n;

	if (text_width(s) <= maxcols) {
		fputs(s, f);
		return;
	}
	n = text_fit(s, maxcols - 1, NULL);
	fwrite(s, 1, n, f);
	fputs("\xe2\x80\xa6", f);
}

static void
tx_pad(FILE *f, int n)
{
	for (; n > 0; n--)
		fputc(' ', f);
}

/*
 * s wrapped to TX_WRAP columns: the first line starts with lead, the others
 * with as many spaces as lead is wide.  Words wider than the line stand
 * alone on theirs.  s is cut into words in place and put back.
 */
static void
tx_wrap(FILE *f, const char *lead, char *s)
{
	int	 indent = text_width(lead), col = indent, w;
	char	*end, save;

	fputs(lead, f);
	while (*(s += strspn(s, " ")) != '\0') {
		end = s + strcspn(s, " ");
		save = *end;
		*end = '\0';
		w = text_width(s);
		if (col > indent && col + 1 + w > TX_WRAP) {
			fputc('\n', f);
			tx_pad(f, indent);
			col = indent;
		} else if (col > indent) {
			fputc(' ', f);
			col++;
		}
		fputs(s, f);
		col += w;
		*end = save;
		s = end;
	}
	fputc('\n', f);
}

static void
tx_title(FILE *f, const char *title)
{
	int	 i, w = text_width(title);

	fprintf(f, "%s\n", title);
	for (i = 0; i < w; i++)
		fputc('=', f);
	fputs("\n\n", f);
}

static void
tx_piece(FILE *f, const struct rep_piece *p, const char *t)
{
	if (p->kind == RP_DETAIL)
		fputs(": ", f);
	fputs(p->kind == RP_BREAK ? "\n" : t, f);
}

/*
 * The text of b's lines (list items with their label), one after the other
 * and each NUL-terminated, in a new buffer; NULL with errno.
 */
static char *
tx_flat(const struct rep_sec *s, const struct rep_block *b)
{
	const struct rep_line	*l;
	char			*buf = NULL;
	size_t			 len = 0;
	FILE			*m;
	int			 i, bad;

	if ((m = open_memstream(&buf, &len)) == NULL)
		return NULL;
	for (i = 0; i < b->nline; i++) {
		l = &s->line[b->line + i];
		if (b->kind == RB_LIST)
			fprintf(m, "%s: ",
			    severity_name((enum severity)l->sev));
		export_pieces(m, &rep_text, s, l);
		fputc('\0', m);
	}
	bad = ferror(m);
	if (fclose(m) != 0 || bad) {
		free(buf);
		errno = ENOMEM;
		return NULL;
	}
	return buf;
}

static void
tx_section(struct rep_out *o, const struct rep_sec *s)
{
	export_gap(o, false);
	tx_title(o->f, s->title);
}

/* The lines of a paragraph, not wrapped. */
static int
tx_para(struct rep_out *o, const struct rep_sec *s, const struct rep_block *b)
{
	int	 i;

	export_gap(o, true);
	for (i = 0; i < b->nline; i++) {
		export_pieces(o->f, o->w, s, &s->line[b->line + i]);
		fputc('\n', o->f);
	}
	return 0;
}

/* " 1. warning: ...", wrapped. */
static int
tx_list(struct rep_out *o, const struct rep_sec *s, const struct rep_block *b)
{
	char	*buf, *item, lead[16];
	int	 i;

	if ((buf = tx_flat(s, b)) == NULL)
		return -1;
	export_gap(o, true);
	for (i = 0, item = buf; i < b->nline; i++) {
		snprintf(lead, sizeof lead, "%2d. ", i + 1);
		tx_wrap(o->f, lead, item);
		item += strlen(item) + 1;
	}
	free(buf);
	return 0;
}

/*
 * A row in the display order of the columns, indented by two spaces, two
 * spaces between columns.  Padding is held back until something follows
 * it, so no line ends in spaces.
 */
static void
tx_row(FILE *f, const struct rep_block *b, const char *const *cell,
    const int *order, const int *width)
{
	const char	*t;
	int		 d, w, pend = 2;
	bool		 right;

	for (d = 0; d < b->ncols; d++) {
		t = cell[order[d]];
		right = b->align[order[d]] == 'r';
		if (d > 0)
			pend += 2;
		w = text_width(t);
		if (w > width[d])
			w = width[d];
		if (right)
			pend += width[d] - w;
		if (*t != '\0') {
			tx_pad(f, pend);
			pend = 0;
			tx_put(f, t, width[d]);
		}
		if (!right)
			pend += width[d] - w;
	}
	fputc('\n', f);
}

/* Widen the columns (in display order) to a row's cells. */
static void
tx_measure(const struct rep_block *b, const char *const *cell,
    const int *order, int *width)
{
	int	 d, w, max;

	for (d = 0; d < b->ncols; d++) {
		max = d == b->ncols - 1 ? TX_LAST_MAX : TX_CELL_MAX;
		w = text_width(cell[order[d]]);
		if (w > max)
			w = max;
		if (w > width[d])
			width[d] = w;
	}
}

/* Aligned columns, measured first; a table of facts has no headings. */
static int
tx_table(struct rep_out *o, const struct rep_sec *s, const struct rep_block *b)
{
	const char	*cell[REP_COLS_MAX], *p;
	int		 order[REP_COLS_MAX], width[REP_COLS_MAX] = { 0 };
	int		 nc = b->ncols, r, c, d, pass;
	char		*buf;

	if ((buf = tx_flat(s, b)) == NULL)
		return -1;
	for (c = d = 0; c < nc; c++)
		if (b->align[c] != 'w')
			order[d++] = c;
	for (c = 0; c < nc; c++)
		if (b->align[c] == 'w')
			order[d++] = c;
	export_gap(o, false);
	/* The cells follow each other, row by row, each NUL-terminated. */
	for (pass = 0; pass < 2; pass++)
		for (r = 0, p = buf; r < b->nline / nc; r++) {
			for (c = 0; c < nc; c++, p += strlen(p) + 1)
				cell[c] = p;
			if (r == 0 && b->facts)
				continue;
			if (pass == 0)
				tx_measure(b, cell, order, width);
			else
				tx_row(o->f, b, cell, order, width);
		}
	fputc('\n', o->f);
	free(buf);
	return 0;
}

static void
tx_head(struct rep_out *o, const struct report *rp, const char *host,
    const char *from, const char *to)
{
	char	 title[400];

	snprintf(title, sizeof title, "perftop report for %s", host);
	tx_title(o->f, title);
	fprintf(o->f, "%s to %s\n", from, to);
	o->gap = true;
}

/* Paragraphs and lists owe a blank line (none ends the report); tables end
 * with one. */
const struct rep_writer rep_text = {
	EXPORT_TEXT, tx_head, tx_section, tx_piece, tx_para, tx_list, tx_table,
	NULL, NULL, NULL
};
