/*
 * panel_overview.c - panel 1: the whole machine at a glance.
 *
 * One row per series: a label, the newest value and a sparkline of as many
 * of the newest samples as fit, newest on the right.  Percentages are drawn
 * on a fixed 0-100 scale, rates against the largest value in view, load
 * per CPU against max(1, largest).  A figure that was not measured is a gap
 * in the sparkline and "n/a" as a value, never 0.  Below the series, the
 * busiest processes of the newest full table.
 *
 * The first line is the health line: the score, its top reasons and the
 * active alerts, coloured by status and led by the word WARNING or
 * CRITICAL.  Values are coloured against the configured thresholds
 * (thresholds in perftop.conf) as they are now; a row whose figure the
 * diagnosis judges warning or critical over its window (the USE cell of
 * that metric) has its label marked with "!" in that severity's colour,
 * bold or reverse video, so it shows on a monochrome terminal too.
 *
 * Frozen, everything is of the moment shown: the values are its values,
 * the sparklines end at it and the top processes are its own.  With a
 * baseline set, each value is followed by its difference from the
 * baseline's mean of the same figure: "CPU 72.0% (+38)".
 */
#include <config.h>

#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "diag.h"
#include "draw.h"
#include "panel.h"
#include "util.h"

#define LABEL_W		12
#define VALUE_W		24
#define SPARK_MIN	8

enum scale { SCALE_PCT, SCALE_MAX, SCALE_LOAD };
/* How a difference from the baseline reads: (+38) (+1.2M) (+0.50). */
enum dfmt { DFMT_PCT, DFMT_BYTES, DFMT_NUM };

struct series {
	const char	*label;
	double		 (*get)(const struct sample *);
	void		 (*value)(const struct sample *, char *, size_t);
	enum scale	 scale;
	enum metric	 level;		/* thresholds for get(); M_NONE: none */
	enum metric	 mark;		/* the USE cell that marks the row */
	/* The figure value() shows first, and the baseline's mean of it
	 * (NAN when the baseline does not have it); NULL: no difference. */
	double		 (*first)(const struct sample *);
	double		 (*base)(const struct baseline *,
			     const struct sample *);
	enum dfmt	 dfmt;
};

static double
get_cpu(const struct sample *s)
{
	return s->cpu.busy;
}

static double
get_mem(const struct sample *s)
{
	return s->mem.used_pct;
}

static double
get_swap(const struct sample *s)
{
	if (!(s->mem.swap_total_bytes > 0) || !FIG_OK(s->mem.swap_used_bytes))
		return FIG_NA;
	return s->mem.swap_used_bytes * 100.0 / s->mem.swap_total_bytes;
}

/* Sum of finite values; NAN when none is finite. */
static void
sum_add(double *sum, double v)
{
	if (!FIG_OK(v))
		return;
	*sum = FIG_OK(*sum) ? *sum + v : v;
}

static double
get_disk_read(const struct sample *s)
{
	double	 sum = FIG_NA;
	int	 i;

	for (i = 0; i < s->ndisk; i++)
		sum_add(&sum, s->disks[i].read_bps);
	return sum;
}

static double
get_disk_write(const struct sample *s)
{
	double	 sum = FIG_NA;
	int	 i;

	for (i = 0; i < s->ndisk; i++)
		sum_add(&sum, s->disks[i].write_bps);
	return sum;
}

static double
get_disk(const struct sample *s)
{
	double	 sum = FIG_NA;

	sum_add(&sum, get_disk_read(s));
	sum_add(&sum, get_disk_write(s));
	return sum;
}

/* The busiest disk, or -1. */
static int
busiest_disk(const struct sample *s)
{
	int	 i, best = -1;

	for (i = 0; i < s->ndisk; i++) {
		if (!FIG_OK(s->disks[i].util_pct))
			continue;
		if (best < 0 || s->disks[i].util_pct > s->disks[best].util_pct)
			best = i;
	}
	return best;
}

static double
get_util(const struct sample *s)
{
	int	 i = busiest_disk(s);

	return i < 0 ? FIG_NA : s->disks[i].util_pct;
}

/* Network totals leave out the loopback: it is not traffic on a wire. */
static double
get_net(const struct sample *s, bool tx)
{
	double	 sum = FIG_NA;
	int	 i;

	for (i = 0; i < s->nnet; i++) {
		if (strcmp(s->nets[i].name, "lo") == 0)
			continue;
		sum_add(&sum, tx ? s->nets[i].tx_bps : s->nets[i].rx_bps);
	}
	return sum;
}

static double
get_rx(const struct sample *s)
{
	return get_net(s, false);
}

static double
get_tx(const struct sample *s)
{
	return get_net(s, true);
}

static double
get_load(const struct sample *s)
{
	if (s->ncpu < 1 || !FIG_OK(s->load[0]))
		return FIG_NA;
	return s->load[0] / s->ncpu;
}

static double
get_psi_cpu(const struct sample *s)
{
	return s->psi[PSI_CPU].some_avg10;
}

static double
get_psi_mem(const struct sample *s)
{
	return s->psi[PSI_MEMORY].some_avg10;
}

static double
get_psi_io(const struct sample *s)
{
	return s->psi[PSI_IO].some_avg10;
}

static void
val_cpu(const struct sample *s, char *buf, size_t sz)
{
	if (!FIG_OK(s->cpu.busy))
		snprintf(buf, sz, "n/a");
	else
		snprintf(buf, sz, "%.1f%% u%.0f s%.0f w%.0f", s->cpu.busy,
		    FIG_OK(s->cpu.user) ? s->cpu.user : 0,
		    FIG_OK(s->cpu.system) ? s->cpu.system : 0,
		    FIG_OK(s->cpu.iowait) ? s->cpu.iowait : 0);
}

static void
val_mem(const struct sample *s, char *buf, size_t sz)
{
	char	 a[16], b[16];

	if (!FIG_OK(s->mem.used_pct))
		snprintf(buf, sz, "n/a");
	else
		snprintf(buf, sz, "%.1f%% %s/%s", s->mem.used_pct,
		    fmt_bytes(a, sizeof a, s->mem.used_bytes),
		    fmt_bytes(b, sizeof b, s->mem.total_bytes));
}

static void
val_swap(const struct sample *s, char *buf, size_t sz)
{
	char	 a[16], b[16];

	if (s->mem.swap_total_bytes == 0)
		snprintf(buf, sz, "none");
	else if (!FIG_OK(s->mem.swap_total_bytes))
		snprintf(buf, sz, "n/a");
	else
		snprintf(buf, sz, "%s/%s",
		    fmt_bytes(a, sizeof a, s->mem.swap_used_bytes),
		    fmt_bytes(b, sizeof b, s->mem.swap_total_bytes));
}

static void
val_disk(const struct sample *s, char *buf, size_t sz)
{
	char	 a[16], r[16], w[16];

	if (!FIG_OK(get_disk(s)))
		snprintf(buf, sz, "n/a");
	else
		snprintf(buf, sz, "%s r%s w%s",
		    fmt_rate(a, sizeof a, get_disk(s)),
		    fmt_bytes(r, sizeof r, get_disk_read(s)),
		    fmt_bytes(w, sizeof w, get_disk_write(s)));
}

static void
val_util(const struct sample *s, char *buf, size_t sz)
{
	int	 i = busiest_disk(s);

	if (i < 0)
		snprintf(buf, sz, "n/a");
	else
		snprintf(buf, sz, "%.1f%% %s", s->disks[i].util_pct,
		    s->disks[i].name);
}

static void
val_rx(const struct sample *s, char *buf, size_t sz)
{
	fmt_rate(buf, sz, get_rx(s));
}

static void
val_tx(const struct sample *s, char *buf, size_t sz)
{
	fmt_rate(buf, sz, get_tx(s));
}

static void
val_load(const struct sample *s, char *buf, size_t sz)
{
	if (!FIG_OK(get_load(s)))
		snprintf(buf, sz, "n/a");
	else
		snprintf(buf, sz, "%.2f = %.2f/cpu", s->load[0], get_load(s));
}

static void
val_pct(double v, char *buf, size_t sz)
{
	if (!FIG_OK(v))
		snprintf(buf, sz, "n/a");
	else
		snprintf(buf, sz, "%.1f%%", v);
}

static void
val_psi_cpu(const struct sample *s, char *buf, size_t sz)
{
	val_pct(get_psi_cpu(s), buf, sz);
}

static void
val_psi_mem(const struct sample *s, char *buf, size_t sz)
{
	val_pct(get_psi_mem(s), buf, sz);
}

static void
val_psi_io(const struct sample *s, char *buf, size_t sz)
{
	val_pct(get_psi_io(s), buf, sz);
}

/* ---- the baseline's means (keys as in baseline.h) ---------------------- */

static double
base_mean(const struct baseline *b, const char *key)
{
	const struct base_stat	*st = baseline_find(b, key);

	return st != NULL && st->n > 0 ? st->mean : FIG_NA;
}

/* Add the mean of "KIND.NAME.FIG" ("disk", "sda", "read_bps") to sum. */
static void
base_sum(double *sum, const struct baseline *b, const char *kind,
    const char *name, const char *fig)
{
	char	 key[BASELINE_KEY_MAX];

	snprintf(key, sizeof key, "%s.%s.%s", kind, name, fig);
	sum_add(sum, base_mean(b, key));
}

static double
base_cpu(const struct baseline *b, const struct sample *s)
{
	(void)s;
	return base_mean(b, "cpu.busy_pct");
}

static double
base_mem(const struct baseline *b, const struct sample *s)
{
	(void)s;
	return base_mean(b, "mem.used_pct");
}

static double
base_load(const struct baseline *b, const struct sample *s)
{
	(void)s;
	return base_mean(b, "load.1");
}

static double
base_disk(const struct baseline *b, const struct sample *s)
{
	double	 sum = FIG_NA;
	int	 i;

	for (i = 0; i < s->ndisk; i++) {
		base_sum(&sum, b, "disk", s->disks[i].name, "read_bps");
		base_sum(&sum, b, "disk", s->disks[i].name, "write_bps");
	}
	return sum;
}

static double
base_util(const struct baseline *b, const struct sample *s)
{
	double	 sum = FIG_NA;
	int	 i = busiest_disk(s);

	if (i >= 0)
		base_sum(&sum, b, "disk", s->disks[i].name, "util_pct");
	return sum;
}

static double
base_net(const struct baseline *b, const struct sample *s, bool tx)
{
	double	 sum = FIG_NA;
	int	 i;

	for (i = 0; i < s->nnet; i++)
		if (strcmp(s->nets[i].name, "lo") != 0)
			base_sum(&sum, b, "net", s->nets[i].name, tx ?
			    "tx_bps" : "rx_bps");
	return sum;
}

static double
base_rx(const struct baseline *b, const struct sample *s)
{
	return base_net(b, s, false);
}

static double
base_tx(const struct baseline *b, const struct sample *s)
{
	return base_net(b, s, true);
}

static double
base_psi_cpu(const struct baseline *b, const struct sample *s)
{
	(void)s;
	return base_mean(b, "psi.cpu.some_avg10");
}

static double
base_psi_mem(const struct baseline *b, const struct sample *s)
{
	(void)s;
	return base_mean(b, "psi.memory.some_avg10");
}

static double
base_psi_io(const struct baseline *b, const struct sample *s)
{
	(void)s;
	return base_mean(b, "psi.io.some_avg10");
}

static double
base_swap(const struct baseline *b, const struct sample *s)
{
	(void)s;
	return base_mean(b, "mem.swap_used_bytes");
}

static double
first_swap(const struct sample *s)
{
	if (!(s->mem.swap_total_bytes > 0))
		return FIG_NA;		/* "none" */
	return s->mem.swap_used_bytes;
}

static double
first_load(const struct sample *s)
{
	return s->load[0];
}

/* Load per CPU is judged with the run queue's per-core levels. */
static const struct series series[] = {
	{ "CPU busy",	get_cpu,     val_cpu,     SCALE_PCT,
	    M_CPU_BUSY, M_CPU_BUSY, get_cpu, base_cpu, DFMT_PCT },
	{ "Memory",	get_mem,     val_mem,     SCALE_PCT,
	    M_MEM_USED, M_MEM_USED, get_mem, base_mem, DFMT_PCT },
	{ "Swap used",	get_swap,    val_swap,    SCALE_PCT,
	    M_NONE, M_SWAPOUT, first_swap, base_swap, DFMT_BYTES },
	{ "Disk r+w",	get_disk,    val_disk,    SCALE_MAX,
	    M_NONE, M_DISK_AWAIT, get_disk, base_disk, DFMT_BYTES },
	{ "Disk util",	get_util,    val_util,    SCALE_PCT,
	    M_DISK_BUSY, M_DISK_BUSY, get_util, base_util, DFMT_PCT },
	{ "Net rx",	get_rx,      val_rx,      SCALE_MAX,
	    M_NONE, M_NET_UTIL, get_rx, base_rx, DFMT_BYTES },
	{ "Net tx",	get_tx,      val_tx,      SCALE_MAX,
	    M_NONE, M_NET_UTIL, get_tx, base_tx, DFMT_BYTES },
	{ "Load 1m",	get_load,    val_load,    SCALE_LOAD,
	    M_CPU_RUNQ, M_CPU_RUNQ, first_load, base_load, DFMT_NUM },
	{ "PSI cpu",	get_psi_cpu, val_psi_cpu, SCALE_PCT,
	    M_CPU_PSI, M_CPU_PSI, get_psi_cpu, base_psi_cpu, DFMT_PCT },
	{ "PSI memory",	get_psi_mem, val_psi_mem, SCALE_PCT,
	    M_MEM_PSI, M_MEM_PSI, get_psi_mem, base_psi_mem, DFMT_PCT },
	{ "PSI io",	get_psi_io,  val_psi_io,  SCALE_PCT,
	    M_IO_PSI, M_IO_PSI, get_psi_io, base_psi_io, DFMT_PCT },
};

/*
 * The value text with the difference from the baseline after its first
 * figure: "72.0% (+38) u60 s10 w2".  Left alone when either is n/a.
 */
static void
overview_delta(struct ui *ui, const struct series *se,
    const struct sample *s, char *buf, size_t sz)
{
	const struct baseline	*b = ui_baseline(ui);
	double			 cur, mean, d;
	char			 ds[32], num[16], rest[128];
	const char		*sign;
	size_t			 n;

	if (b == NULL || se->first == NULL || se->base == NULL)
		return;
	cur = se->first(s);
	mean = se->base(b, s);
	if (!FIG_OK(cur) || !FIG_OK(mean))
		return;
	d = cur - mean;
	sign = d < 0 ? ui_minus(ui) : "+";
	switch (se->dfmt) {
	case DFMT_PCT:
		snprintf(ds, sizeof ds, "(%s%.0f)", sign, fabs(d));
		break;
	case DFMT_BYTES:
		snprintf(ds, sizeof ds, "(%s%s)", sign,
		    fmt_bytes(num, sizeof num, fabs(d)));
		break;
	default:
		snprintf(ds, sizeof ds, "(%s%.2f)", sign, fabs(d));
		break;
	}
	n = strcspn(buf, " ");
	strlcpy0(rest, buf + n, sizeof rest);
	buf[n] = '\0';
	snprintf(buf + n, sz - n, " %s%s", ds, rest);
}
#define NSERIES	((int)(sizeof series / sizeof series[0]))

/* The worst severity the diagnosis gives the USE cells of metric m. */
static enum severity
overview_mark(const struct ui *ui, enum metric m)
{
	const struct analysis	*an;
	enum severity		 worst = SEV_NA;
	int			 i, c;

	if ((an = ui_analysis(ui)) == NULL || m == M_NONE)
		return SEV_NA;
	for (i = 0; i < an->nrows; i++)
		for (c = 0; c < USE_NCOLS; c++)
			if (an->rows[i].cell[c].metric == m &&
			    an->rows[i].cell[c].sev > worst)
				worst = an->rows[i].cell[c].sev;
	return worst;
}

static void
overview_series(struct ui *ui, WINDOW *w, int y, int x0, int vw, int sw,
    const struct series *se, const struct ring *ring)
{
	const struct sample	*s = ui_sample(ui, ring);
	const struct metric_def	*md = metric_get(se->level);
	double			*v, hi, cur = se->get(s);
	char			 buf[160];
	int			 i, n, age = ui_age(ui);
	enum theme_role		 sev = TH_NORMAL;
	enum severity		 mark = overview_mark(ui, se->mark);

	if (mark >= SEV_WARNING) {
		draw_text(w, y, x0, LABEL_W - 2, se->label, 0, ui->utf8,
		    draw_attr(draw_sev(mark)));
		draw_text(w, y, x0 + LABEL_W - 2, 1, "!", 0, ui->utf8,
		    draw_attr(draw_sev(mark)));
	} else
		draw_text(w, y, x0, LABEL_W - 2, se->label, 0, ui->utf8,
		    draw_attr(TH_TITLE));
	se->value(s, buf, sizeof buf);
	overview_delta(ui, se, s, buf, sizeof buf);
	if (!FIG_OK(cur))
		sev = TH_DIM;
	else if (md != NULL)
		sev = draw_level(&ui->cfg->th.lv[se->level], md->lower_worse,
		    cur);
	draw_text(w, y, x0 + LABEL_W, vw - 1, buf, 0, ui->utf8, draw_attr(sev));
	if (sw <= 0 || (v = ui_scratch(ui, sw)) == NULL)
		return;
	/* The newest column is the moment shown. */
	n = ring_len(ring) - age < sw ? ring_len(ring) - age : sw;
	for (i = 0; i < n; i++)		/* oldest first */
		v[i] = se->get(ring_get(ring, age + n - 1 - i));
	switch (se->scale) {
	case SCALE_PCT:
		hi = 100;
		break;
	case SCALE_LOAD:
		hi = fmax(1.0, draw_max(v, n));
		break;
	default:
		hi = draw_max(v, n);
		break;
	}
	draw_spark(w, y, x0 + LABEL_W + vw, sw, v, n, hi, ui->utf8,
	    draw_attr(TH_SPARK));
}

/* Each core's busy share as one cell, then the busiest core. */
static void
overview_cores(struct ui *ui, WINDOW *w, int y, int x0, int cols,
    const struct sample *s)
{
	char	 buf[64];
	int	 i, x = x0 + LABEL_W, best = -1;

	cols += x0;
	draw_text(w, y, x0, LABEL_W - 1, "CPU cores", 0, ui->utf8,
	    draw_attr(TH_TITLE));
	for (i = 0; i < s->ncpu && x < cols; i++, x++) {
		draw_spark_cell(w, y, x, s->per_cpu[i].busy, 100, ui->utf8,
		    draw_attr(TH_SPARK));
		if (FIG_OK(s->per_cpu[i].busy) && (best < 0 ||
		    s->per_cpu[i].busy > s->per_cpu[best].busy))
			best = i;
	}
	if (s->ncpu == 0)
		snprintf(buf, sizeof buf, "n/a");
	else if (best < 0)
		snprintf(buf, sizeof buf, " %d cores", s->ncpu);
	else
		snprintf(buf, sizeof buf, " %d cores, max %.0f%% cpu%d",
		    s->ncpu, s->per_cpu[best].busy, best);
	draw_text(w, y, x, cols - x, buf, 0, ui->utf8,
	    draw_attr(best < 0 ? TH_DIM : TH_NORMAL));
}

/* CPU descending, not yet measured last; then memory. */
static int
top_better(const struct proc *a, const struct proc *b)
{
	if (FIG_OK(a->cpu_pct) != FIG_OK(b->cpu_pct))
		return FIG_OK(a->cpu_pct);
	if (FIG_OK(a->cpu_pct) && a->cpu_pct != b->cpu_pct)
		return a->cpu_pct > b->cpu_pct;
	if (FIG_OK(a->rss_bytes) && FIG_OK(b->rss_bytes) &&
	    a->rss_bytes != b->rss_bytes)
		return a->rss_bytes > b->rss_bytes;
	return a->pid < b->pid;
}

static void
overview_procs(struct ui *ui, WINDOW *w, int y, int x0, int rows, int cols,
    const struct ring *ring)
{
	const struct proctab	*t = ui_table(ui, ring, NULL);
	const struct proc	*p;
	int			 best[64], nb = 0, k, i, j, x;
	char			 buf[NAME_MAX_COMM + 16], cpu[16], rss[16];
	const char		*cmd;

	k = ui->cfg->overview_procs;
	if (k > rows - 1)
		k = rows - 1;
	if (k > (int)(sizeof best / sizeof best[0]))
		k = (int)(sizeof best / sizeof best[0]);
	if (k <= 0)
		return;
	for (i = 0; i < t->n; i++) {	/* insertion into a short list */
		if (nb == k && !top_better(&t->v[i], &t->v[best[nb - 1]]))
			continue;
		j = nb < k ? nb++ : k - 1;
		while (j > 0 && top_better(&t->v[i], &t->v[best[j - 1]])) {
			best[j] = best[j - 1];
			j--;
		}
		best[j] = i;
	}
	snprintf(buf, sizeof buf, "%7s %-9s %6s %7s %s", "PID", "USER",
	    "CPU%", "RSS", "COMMAND");
	draw_fill(w, y, x0, cols, draw_attr(TH_COLHDR));
	draw_text(w, y, x0, cols, buf, 0, ui->utf8, draw_attr(TH_COLHDR));
	for (i = 0; i < nb; i++) {
		p = &t->v[best[i]];
		y++;
		snprintf(buf, sizeof buf, "%7d", p->pid);
		draw_text(w, y, x0, 7, buf, 0, ui->utf8, A_NORMAL);
		draw_text(w, y, x0 + 8, 9, p->user, 0, ui->utf8, A_NORMAL);
		draw_text_right(w, y, x0 + 18, 6, fmt_pct(cpu, sizeof cpu,
		    p->cpu_pct), ui->utf8, draw_attr(draw_level(
		    &ui->cfg->th.lv[M_CPU_BUSY], false, p->cpu_pct)));
		draw_text_right(w, y, x0 + 25, 7, fmt_bytes(rss, sizeof rss,
		    p->rss_bytes), ui->utf8, A_NORMAL);
		x = 33;
		cmd = proc_cmdline(t, p);
		if (*cmd == '\0') {
			snprintf(buf, sizeof buf, "[%s]", p->comm);
			cmd = buf;
		}
		draw_text(w, y, x0 + x, cols - x, cmd, 0, ui->utf8, A_NORMAL);
	}
}

static void
overview_draw(struct ui *ui, WINDOW *w, const struct rect *r,
    const struct ring *ring)
{
	const struct sample	*s = ui_sample(ui, ring);
	int			 rows, vw, sw, i, y = r->y, nseries;
	bool			 top_only;
	char			 title[64], t[16];

	if (s == NULL)
		return;
	health_line_draw(ui, w, y++, r->x, r->w);
	vw = r->w - LABEL_W - SPARK_MIN;
	if (vw > VALUE_W)
		vw = VALUE_W;
	sw = r->w - LABEL_W - vw;
	nseries = NSERIES + 1;		/* and the cores row */
	rows = r->h - 1 < nseries ? r->h - 1 : nseries;
	for (i = 0; i < rows; i++, y++) {
		if (i == 1)
			overview_cores(ui, w, y, r->x, r->w, s);
		else
			overview_series(ui, w, y, r->x, vw, sw,
			    &series[i > 1 ? i - 1 : 0], ring);
	}
	/* A blank line, then the top processes if two rows of them fit. */
	rows = r->y + r->h - y;
	if (rows >= 4) {
		ui_table(ui, ring, &top_only);
		if (ui->tl.frozen)
			snprintf(title, sizeof title, "Top processes by CPU "
			    "at %s%s", ui_clock(t, sizeof t, s->t), top_only ?
			    " (top processes only)" : "");
		else
			snprintf(title, sizeof title, "Top processes by CPU");
		draw_text(w, y + 1, r->x, r->w, title, 0, ui->utf8,
		    draw_attr(TH_TITLE));
		overview_procs(ui, w, y + 2, r->x, rows - 2, r->w, ring);
	}
}

static const char *
overview_hint(struct ui *ui, char *buf, size_t sz)
{
	if (ui->tl.frozen)
		snprintf(buf, sz, "1-6/Tab panels  ? help  q quit");
	else
		snprintf(buf, sz, "space freeze  b baseline  e export  "
		    "? help  q quit");
	return buf;
}

static int
overview_key(struct ui *ui, int key)
{
	(void)ui;
	(void)key;
	return 0;
}

const struct pt_panel panel_overview = {
	"Overview", overview_hint, overview_draw, overview_key, true
};
