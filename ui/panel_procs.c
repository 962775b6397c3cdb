/*
 * panel_procs.c - panel 2: the full process table.
 *
 * Each frame filters and sorts an array of row numbers of ring_full(); the
 * ring's table itself is never reordered (the collector and other readers
 * share it).  The selection follows a PID once the user has moved it, so it
 * stays on the same process while rows reorder; until then it sits on the
 * first row.  The filter is typed on the status line and matches a
 * substring of the command name, the command line or the user, ignoring
 * ASCII case.  When the terminal is narrow, the least useful columns go
 * first; COMMAND takes what is left and scrolls sideways (( and ), or
 * Left and Right while live: frozen, they move in time).
 *
 * Frozen, the table is of the moment shown: the copy of the full table
 * taken when it was the newest sample, or, for an older moment, that
 * sample's top list (the title says "top processes only").
 */
#include <config.h>

#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "draw.h"
#include "panel.h"
#include "util.h"

#define CMD_MIN		12	/* COMMAND keeps at least this many columns */
#define HSCROLL_STEP	8

struct pcol_def {
	const char	*head;		/* column header */
	const char	*sortname;	/* in the title line */
	int		 width;		/* 0: the rest of the line */
	bool		 right;		/* right-aligned */
	int		 prio;		/* higher stays longer on narrow screens */
	bool		 desc;		/* default sort direction */
};

static const struct pcol_def pcols[PCOL_COUNT] = {
	[PCOL_PID] =	{ "PID",	"PID",		7, true,  9, false },
	[PCOL_USER] =	{ "USER",	"USER",		9, false, 5, false },
	[PCOL_STATE] =	{ "S",		"STATE",	1, false, 3, false },
	[PCOL_CPU] =	{ "CPU%",	"CPU%",		6, true,  8, true },
	[PCOL_RSS] =	{ "RSS",	"RSS",		6, true,  7, true },
	[PCOL_THR] =	{ "THR",	"THREADS",	4, true,  2, true },
	[PCOL_IO] =	{ " READ/s WRITE/s", "I/O",	15, true, 4, true },
	[PCOL_START] =	{ "START",	"START",	5, true,  1, true },
	[PCOL_CMD] =	{ "COMMAND",	"COMMAND",	0, false, 10, false },
};

struct sort_ctx {
	const struct proctab	*t;
	enum pcol		 key;
	bool			 desc;
};

void
procs_view_init(struct procs_view *pv, const struct config *cfg)
{
	memset(pv, 0, sizeof *pv);
	switch (cfg->sort) {
	case SORT_MEM:
		pv->sort = PCOL_RSS;
		break;
	case SORT_PID:
		pv->sort = PCOL_PID;
		break;
	case SORT_IO:
		pv->sort = PCOL_IO;
		break;
	case SORT_NAME:
		pv->sort = PCOL_CMD;
		break;
	default:
		pv->sort = PCOL_CPU;
		break;
	}
}

void
procs_view_done(struct procs_view *pv)
{
	free(pv->pids);
	free(pv->idx);
	pv->pids = pv->idx = NULL;
	pv->pids_cap = pv->idx_cap = pv->npids = 0;
}

static double
proc_io(const struct proc *p)
{
	if (!FIG_OK(p->read_bps) && !FIG_OK(p->write_bps))
		return FIG_NA;
	return (FIG_OK(p->read_bps) ? p->read_bps : 0) +
	    (FIG_OK(p->write_bps) ? p->write_bps : 0);
}

/* Ascending comparison of two figures; *na set when either is NAN. */
static int
cmp_num(double a, double b, int *na)
{
	if (!FIG_OK(a) || !FIG_OK(b)) {
		*na = !FIG_OK(a) - !FIG_OK(b);
		return 0;
	}
	return (a > b) - (a < b);
}

static int
cmp_rows(const void *va, const void *vb, void *arg)
{
	const struct sort_ctx	*c = arg;
	const struct proc	*a = &c->t->v[*(const int *)va];
	const struct proc	*b = &c->t->v[*(const int *)vb];
	int			 r = 0, na = 0;

	switch (c->key) {
	case PCOL_PID:
		break;
	case PCOL_USER:
		r = strcmp(a->user, b->user);
		break;
	case PCOL_STATE:
		r = (a->state > b->state) - (a->state < b->state);
		break;
	case PCOL_CPU:
		r = cmp_num(a->cpu_pct, b->cpu_pct, &na);
		break;
	case PCOL_RSS:
		r = cmp_num(a->rss_bytes, b->rss_bytes, &na);
		break;
	case PCOL_THR:
		r = (a->nlwp > b->nlwp) - (a->nlwp < b->nlwp);
		break;
	case PCOL_IO:
		r = cmp_num(proc_io(a), proc_io(b), &na);
		break;
	case PCOL_START:
		r = cmp_num(a->start_time, b->start_time, &na);
		break;
	case PCOL_CMD:
		r = strcasecmp(a->comm, b->comm);
		break;
	case PCOL_COUNT:
		break;
	}
	if (na != 0)		/* not measured: last either way */
		return na;
	if (c->desc)
		r = -r;
	if (r == 0)
		r = (a->pid > b->pid) - (a->pid < b->pid);
	return r;
}

static bool
proc_match(const struct proctab *t, const struct proc *p, const char *f)
{
	return strcasestr(p->comm, f) != NULL ||
	    strcasestr(proc_cmdline(t, p), f) != NULL ||
	    strcasestr(p->user, f) != NULL;
}

static int
grow(int **arr, int *cap, int n)
{
	int	*p;

	if (n <= *cap)
		return 0;
	if ((p = reallocarray(*arr, (size_t)n, sizeof *p)) == NULL)
		return -1;
	*arr = p;
	*cap = n;
	return 0;
}

/* Filter and sort into pv->idx; remember the PIDs.  Returns the count. */
static int
procs_build(struct procs_view *pv, const struct proctab *t)
{
	struct sort_ctx	 c = { t, pv->sort, pcols[pv->sort].desc };
	int		 i, n = 0;

	if (grow(&pv->idx, &pv->idx_cap, t->n) != 0 ||
	    grow(&pv->pids, &pv->pids_cap, t->n) != 0)
		return 0;
	for (i = 0; i < t->n; i++)
		if (pv->filter[0] == '\0' || proc_match(t, &t->v[i],
		    pv->filter))
			pv->idx[n++] = i;
	c.desc = c.desc != pv->reverse;
	qsort_r(pv->idx, (size_t)n, sizeof *pv->idx, cmp_rows, &c);
	for (i = 0; i < n; i++)
		pv->pids[i] = t->v[pv->idx[i]].pid;
	return pv->npids = n;
}

/* Put the selection on its PID again and keep it in view. */
static void
procs_place(struct procs_view *pv, int n, int page)
{
	bool	 follow = pv->sel_pid != 0;
	int	 i;

	if (follow) {
		for (i = 0; i < n; i++)
			if (pv->pids[i] == pv->sel_pid)
				break;
		if (i < n)
			pv->sel = i;
	}
	if (pv->sel >= n)
		pv->sel = n - 1;
	if (pv->sel < 0)
		pv->sel = 0;
	/* A followed process that is gone hands over to its row's new one. */
	if (follow)
		pv->sel_pid = n > 0 ? pv->pids[pv->sel] : 0;
	if (pv->sel < pv->top)
		pv->top = pv->sel;
	if (pv->sel >= pv->top + page)
		pv->top = pv->sel - page + 1;
	if (pv->top > n - page)
		pv->top = n - page;
	if (pv->top < 0)
		pv->top = 0;
	pv->page = page;
}

/* Which columns fit in cols; COMMAND always stays. */
static void
procs_columns(int cols, bool *show)
{
	int	 i, total, drop;

	for (;;) {
		total = CMD_MIN;
		drop = -1;
		for (i = 0; i < PCOL_CMD; i++) {
			if (!show[i])
				continue;
			total += pcols[i].width + 1;
			if (i != PCOL_PID && (drop < 0 ||
			    pcols[i].prio < pcols[drop].prio))
				drop = i;
		}
		if (total <= cols || drop < 0)
			return;
		show[drop] = false;
	}
}

static void
fmt_start(char *buf, size_t sz, double start, double now)
{
	struct tm	 tm;
	time_t		 t;

	if (!FIG_OK(start)) {
		snprintf(buf, sz, "n/a");
		return;
	}
	t = (time_t)start;
	if (localtime_r(&t, &tm) == NULL)
		snprintf(buf, sz, "?");
	else if (FIG_OK(now) && now - start < 86400)
		strftime(buf, sz, "%H:%M", &tm);
	else
		strftime(buf, sz, "%b%d", &tm);
}

/* One cell of row p (or the header when p is NULL); returns next x. */
static int
procs_cell(struct ui *ui, WINDOW *w, int y, int x, int right_edge,
    enum pcol col, const struct proctab *t, const struct proc *p, double now,
    attr_t a)
{
	const struct pcol_def	*d = &pcols[col];
	char			 buf[NAME_MAX_COMM + 16], b2[16], b3[16];
	const char		*s = buf;
	int			 width = d->width;
	attr_t			 ca = a;

	if (width == 0)
		width = right_edge - x;
	if (p == NULL) {
		s = d->head;
		if (col == ui->procs.sort)
			ca = draw_attr(TH_SORTCOL);
	} else {
		switch (col) {
		case PCOL_PID:
			snprintf(buf, sizeof buf, "%d", p->pid);
			break;
		case PCOL_USER:
			s = p->user;
			break;
		case PCOL_STATE:
			snprintf(buf, sizeof buf, "%c", p->state > ' ' &&
			    p->state < 127 ? p->state : '?');
			break;
		case PCOL_CPU:
			fmt_pct(buf, sizeof buf, p->cpu_pct);
			if (a == A_NORMAL)
				ca = draw_attr(draw_level(
				    &ui->cfg->th.lv[M_CPU_BUSY], false,
				    p->cpu_pct));
			break;
		case PCOL_RSS:
			fmt_bytes(buf, sizeof buf, p->rss_bytes);
			break;
		case PCOL_THR:
			snprintf(buf, sizeof buf, "%d", p->nlwp);
			break;
		case PCOL_IO:
			fmt_bytes(b2, sizeof b2, p->read_bps);
			fmt_bytes(b3, sizeof b3, p->write_bps);
			snprintf(buf, sizeof buf, "%7s %7s", b2, b3);
			break;
		case PCOL_START:
			fmt_start(buf, sizeof buf, p->start_time, now);
			break;
		case PCOL_CMD:
			s = proc_cmdline(t, p);
			if (*s == '\0') {
				snprintf(buf, sizeof buf, "[%s]", p->comm);
				s = buf;
			}
			draw_text(w, y, x, width, s, ui->procs.hscroll,
			    ui->utf8, a);
			return x + width + 1;
		case PCOL_COUNT:
			break;
		}
	}
	if (d->right)
		draw_text_right(w, y, x, width, s, ui->utf8, ca);
	else
		draw_text(w, y, x, width, s, 0, ui->utf8, ca);
	return x + width + 1;
}

static void
procs_title(struct ui *ui, WINDOW *w, const struct rect *r,
    const struct proctab *t, int n, const struct sample *s, bool top_only)
{
	struct procs_view	*pv = &ui->procs;
	char			 buf[320], shown[32] = "", when[64] = "", c[16];

	if (pv->filter[0] != '\0')
		snprintf(shown, sizeof shown, ", %d shown", n);
	if (ui->tl.frozen && s != NULL)
		snprintf(when, sizeof when, " at %s%s", ui_clock(c, sizeof c,
		    s->t), top_only ? " (top processes only)" : "");
	snprintf(buf, sizeof buf, "Processes%s: %d tasks, %d running%s  "
	    "sort %s %s  filter %s%s%s", when, t->total, t->running, shown,
	    pcols[pv->sort].sortname,
	    pv->reverse != pcols[pv->sort].desc ? "desc" : "asc",
	    pv->filter[0] != '\0' ? "\"" : "",
	    pv->filter[0] != '\0' ? pv->filter : "none",
	    pv->filter[0] != '\0' ? "\"" : "");
	draw_text(w, r->y, r->x, r->w, buf, 0, ui->utf8, draw_attr(TH_TITLE));
}

void
procs_jump(struct ui *ui, int pid, double start_time, const char *comm)
{
	struct procs_view	*pv = &ui->procs;

	ui->panel = PANEL_PROCS;
	pv->filter[0] = '\0';
	pv->editing = false;
	pv->jump_pid = pid;
	pv->jump_start = start_time;
	strlcpy0(pv->jump_comm, comm, sizeof pv->jump_comm);
}

/* A jump asked for by g: select the process, or say it has exited. */
static void
procs_jump_place(struct ui *ui, const struct proctab *t, int n)
{
	struct procs_view	*pv = &ui->procs;
	double			 st;
	int			 i;

	for (i = 0; i < n; i++)
		if (pv->pids[i] == pv->jump_pid)
			break;
	/* The same PID with another start time is another process. */
	if (i < n && FIG_OK(pv->jump_start)) {
		st = t->v[pv->idx[i]].start_time;
		if (FIG_OK(st) && fabs(st - pv->jump_start) > 1.0)
			i = n;
	}
	if (i < n) {
		pv->sel = i;
		pv->sel_pid = pv->jump_pid;
	} else
		snprintf(ui->msg, sizeof ui->msg, "pid %d (%s) has exited",
		    pv->jump_pid, pv->jump_comm);
	pv->jump_pid = 0;
}

static void
procs_draw(struct ui *ui, WINDOW *w, const struct rect *r,
    const struct ring *ring)
{
	struct procs_view	*pv = &ui->procs;
	bool			 top_only;
	const struct proctab	*t = ui_table(ui, ring, &top_only);
	const struct sample	*s = ui_sample(ui, ring);
	bool			 show[PCOL_COUNT];
	int			 n, i, c, x, y, page, right = r->x + r->w;
	attr_t			 a;

	n = procs_build(pv, t);
	if (pv->jump_pid != 0)
		procs_jump_place(ui, t, n);
	page = r->h - 2;
	procs_place(pv, n, page > 0 ? page : 1);
	procs_title(ui, w, r, t, n, s, top_only);
	if (page <= 0)
		return;
	for (c = 0; c < PCOL_COUNT; c++)
		show[c] = true;
	procs_columns(r->w, show);
	y = r->y + 1;
	draw_fill(w, y, r->x, r->w, draw_attr(TH_COLHDR));
	for (c = 0, x = r->x; c < PCOL_COUNT; c++)
		if (show[c])
			x = procs_cell(ui, w, y, x, right, c, t, NULL, 0,
			    draw_attr(TH_COLHDR));
	if (n == 0)
		draw_text(w, y + 1, r->x, r->w, pv->filter[0] != '\0' ?
		    "no process matches the filter (Esc clears it)" :
		    "no processes", 0, ui->utf8, draw_attr(TH_DIM));
	for (i = pv->top; i < n && i < pv->top + page; i++) {
		y++;
		a = A_NORMAL;
		if (i == pv->sel) {
			a = draw_attr(TH_SELECT);
			draw_fill(w, y, r->x, r->w, a);
		}
		for (c = 0, x = r->x; c < PCOL_COUNT; c++)
			if (show[c])
				x = procs_cell(ui, w, y, x, right, c, t,
				    &t->v[pv->idx[i]], s != NULL ? s->t :
				    FIG_NA, a);
	}
}

static const char *
procs_hint(struct ui *ui, char *buf, size_t sz)
{
	struct procs_view	*pv = &ui->procs;

	if (pv->editing)
		snprintf(buf, sz, "Filter: %s_   (Enter keep, Esc clear, "
		    "Backspace edit)", pv->filter);
	else
		snprintf(buf, sz, "P M N I C sort  < > column  r reverse  "
		    "/ filter%s  ( ) scroll  ? help  q quit",
		    pv->filter[0] != '\0' ? " (Esc clears)" : "");
	return buf;
}

/*
 * Move the selection by d rows (the user chose it: follow its PID).  Keys
 * typed before the table was first drawn move the index only.
 */
static void
procs_move(struct procs_view *pv, int d)
{
	int	 sel = pv->sel + d;

	if (pv->npids > 0 && sel >= pv->npids)
		sel = pv->npids - 1;
	if (sel < 0)
		sel = 0;
	pv->sel = sel;
	pv->sel_pid = sel < pv->npids ? pv->pids[sel] : 0;
}

static void
filter_backspace(char *f)
{
	size_t	 n = strlen(f);

	/* Remove a whole UTF-8 character: continuation bytes first. */
	while (n > 0 && ((unsigned char)f[n - 1] & 0xC0) == 0x80)
		n--;
	if (n > 0)
		n--;
	f[n] = '\0';
}

static int
procs_key_filter(struct procs_view *pv, int key)
{
	size_t	 n = strlen(pv->filter);

	switch (key) {
	case '\n':
	case '\r':
	case KEY_ENTER:
		pv->editing = false;
		break;
	case 27:	/* Esc */
		pv->filter[0] = '\0';
		pv->editing = false;
		break;
	case KEY_BACKSPACE:
	case 127:
	case 8:
		filter_backspace(pv->filter);
		break;
	default:
		/* Printable ASCII and the bytes of UTF-8 characters. */
		if (key < ' ' || key == 127 || key > 255)
			break;
		if (n + 1 < sizeof pv->filter) {
			pv->filter[n] = (char)key;
			pv->filter[n + 1] = '\0';
		}
		break;
	}
	pv->top = 0;
	if (pv->sel_pid == 0)
		pv->sel = 0;
	return 1;
}

static void
procs_sort_by(struct procs_view *pv, enum pcol col)
{
	pv->sort = col;
	pv->reverse = false;
}

static int
procs_key(struct ui *ui, int key)
{
	struct procs_view	*pv = &ui->procs;

	if (pv->editing)
		return procs_key_filter(pv, key);
	switch (key) {
	case 'P':
		procs_sort_by(pv, PCOL_CPU);
		break;
	case 'M':
		procs_sort_by(pv, PCOL_RSS);
		break;
	case 'N':
		procs_sort_by(pv, PCOL_PID);
		break;
	case 'I':
		procs_sort_by(pv, PCOL_IO);
		break;
	case 'C':
		procs_sort_by(pv, PCOL_CMD);
		break;
	case '<':
		procs_sort_by(pv, pv->sort > 0 ? pv->sort - 1 : PCOL_COUNT - 1);
		break;
	case '>':
		procs_sort_by(pv, (pv->sort + 1) % PCOL_COUNT);
		break;
	case 'r':
		pv->reverse = !pv->reverse;
		break;
	case '/':
		pv->editing = true;
		break;
	case 27:
		if (pv->filter[0] == '\0')
			return 0;
		pv->filter[0] = '\0';
		break;
	case KEY_DOWN:
		procs_move(pv, 1);
		break;
	case KEY_UP:
		procs_move(pv, -1);
		break;
	case KEY_NPAGE:
		procs_move(pv, pv->page);
		break;
	case KEY_PPAGE:
		procs_move(pv, -pv->page);
		break;
	case KEY_HOME:
		/* Back to the top row, and stay there as rows reorder. */
		pv->sel = pv->top = 0;
		pv->sel_pid = 0;
		break;
	case KEY_END:
		procs_move(pv, pv->npids);
		break;
	case KEY_RIGHT:		/* live only: frozen, they move in time */
	case ')':
		pv->hscroll += HSCROLL_STEP;
		break;
	case KEY_LEFT:
	case '(':
		pv->hscroll = pv->hscroll > HSCROLL_STEP ?
		    pv->hscroll - HSCROLL_STEP : 0;
		break;
	default:
		return 0;
	}
	return 1;
}

const struct pt_panel panel_procs = {
	"Processes", procs_hint, procs_draw, procs_key, true
};
