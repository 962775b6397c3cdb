/*
 * baseline.c - what is normal for this machine, and whether now differs
 * (see baseline.h; doc/snapshot.md has the statistics).
 *
 * A series is one figure of the sample, named by a key: machine-wide
 * ("cpu.busy_pct", "load.1", "psi.io.some_avg10") or per object
 * ("disk.sda.util_pct", "net.eth0.rx_bps", "fs./var.used_pct"; the object
 * is everything between the first and the last dot).  Capture reduces each
 * series over a window to mean, sd, p50, p95 (linear interpolation between
 * order statistics), min, max and the block means: the valid values in
 * order, cut into whole blocks of BASELINE_BLOCK, each block averaged.
 *
 * Significance.  Samples a second apart are autocorrelated, and so, less,
 * are block means.  The diff compares block means with Welch's t-test on
 * an effective number of blocks n_eff = n (1 - r) / (1 + r), where r is
 * the larger of the two windows' lag-1 autocorrelations of their block
 * means (clamped to 0..0.99): the variance inflation of an AR(1) series.
 * A slow random walk has r near 1, so n_eff collapses and its drift is
 * not called significant; white noise has r near 0 and keeps its blocks.
 * The p-value is two-sided, from Student's t distribution with Welch-
 * Satterthwaite degrees of freedom: p = I_{df/(df+t^2)}(df/2, 1/2), the
 * regularized incomplete beta function evaluated with the continued
 * fraction of Numerical Recipes (betacf, modified Lentz).  A change is
 * significant when p < 0.01 and it is at least one baseline sd (a series
 * that was constant in the baseline: any change at all).
 */
#include <config.h>

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "util.h"

#define P_SIGNIFICANT	0.01
#define EFFECT_MIN	1.0
#define AC_MAX		0.99
#define START_SLACK	0.5	/* seconds: the same process start time */

/* ---- series ------------------------------------------------------------- */

struct mseries {
	const char	*key;
	size_t		 off;		/* of a double in struct sample */
};

static const struct mseries machine[] = {
	{ "cpu.busy_pct", offsetof(struct sample, cpu.busy) },
	{ "cpu.user_pct", offsetof(struct sample, cpu.user) },
	{ "cpu.system_pct", offsetof(struct sample, cpu.system) },
	{ "cpu.iowait_pct", offsetof(struct sample, cpu.iowait) },
	{ "cpu.steal_pct", offsetof(struct sample, cpu.steal) },
	{ "cpu.ctxsw_ps", offsetof(struct sample, ctxsw_ps) },
	{ "cpu.intr_ps", offsetof(struct sample, intr_ps) },
	{ "load.1", offsetof(struct sample, load[0]) },
	{ "load.5", offsetof(struct sample, load[1]) },
	{ "load.15", offsetof(struct sample, load[2]) },
	{ "procs.running", offsetof(struct sample, procs_running) },
	{ "procs.blocked", offsetof(struct sample, procs_blocked) },
	{ "procs.forks_ps", offsetof(struct sample, forks_ps) },
	{ "mem.used_pct", offsetof(struct sample, mem.used_pct) },
	{ "mem.used_bytes", offsetof(struct sample, mem.used_bytes) },
	{ "mem.swap_used_bytes", offsetof(struct sample, mem.swap_used_bytes) },
	{ "mem.swapin_ps", offsetof(struct sample, mem.swapin_ps) },
	{ "mem.swapout_ps", offsetof(struct sample, mem.swapout_ps) },
	{ "mem.majflt_ps", offsetof(struct sample, mem.majflt_ps) },
	{ "psi.cpu.some_avg10", offsetof(struct sample,
	    psi[PSI_CPU].some_avg10) },
	{ "psi.memory.some_avg10", offsetof(struct sample,
	    psi[PSI_MEMORY].some_avg10) },
	{ "psi.memory.full_avg10", offsetof(struct sample,
	    psi[PSI_MEMORY].full_avg10) },
	{ "psi.io.some_avg10", offsetof(struct sample,
	    psi[PSI_IO].some_avg10) },
	{ "psi.io.full_avg10", offsetof(struct sample,
	    psi[PSI_IO].full_avg10) },
};

struct oseries {
	const char	*field;
	size_t		 off;		/* of a double in the object */
};

static const struct oseries disk_fields[] = {
	{ "util_pct", offsetof(struct disk_figs, util_pct) },
	{ "await_ms", offsetof(struct disk_figs, await_ms) },
	{ "queue_depth", offsetof(struct disk_figs, queue) },
	{ "read_bps", offsetof(struct disk_figs, read_bps) },
	{ "write_bps", offsetof(struct disk_figs, write_bps) },
	{ "read_iops", offsetof(struct disk_figs, read_iops) },
	{ "write_iops", offsetof(struct disk_figs, write_iops) },
};

static const struct oseries net_fields[] = {
	{ "rx_bps", offsetof(struct net_figs, rx_bps) },
	{ "tx_bps", offsetof(struct net_figs, tx_bps) },
	{ "rx_pps", offsetof(struct net_figs, rx_pps) },
	{ "tx_pps", offsetof(struct net_figs, tx_pps) },
	{ "rx_drops_ps", offsetof(struct net_figs, rx_drops_ps) },
	{ "tx_drops_ps", offsetof(struct net_figs, tx_drops_ps) },
	{ "rx_errors_ps", offsetof(struct net_figs, rx_errors_ps) },
	{ "tx_errors_ps", offsetof(struct net_figs, tx_errors_ps) },
};

static const struct oseries fs_fields[] = {
	{ "used_pct", offsetof(struct fs_figs, used_pct) },
	{ "used_bytes", offsetof(struct fs_figs, used_bytes) },
};

#define NELEM(a)	(sizeof (a) / sizeof (a)[0])

static double
field_at(const void *base, size_t off)
{
	double	 v;

	memcpy(&v, (const char *)base + off, sizeof v);
	return v;
}

static double
field_find(const void *obj, const struct oseries *f, size_t n,
    const char *field)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strcmp(f[i].field, field) == 0)
			return field_at(obj, f[i].off);
	return FIG_NA;
}

double
baseline_sample_value(const struct sample *s, const char *key)
{
	const char	*dot, *last;
	char		 obj[NAME_MAX_MOUNT];
	size_t		 i, len;
	int		 j;

	if (s == NULL || key == NULL)
		return FIG_NA;
	for (i = 0; i < NELEM(machine); i++)
		if (strcmp(machine[i].key, key) == 0)
			return field_at(s, machine[i].off);
	if ((dot = strchr(key, '.')) == NULL ||
	    (last = strrchr(key, '.')) == dot)
		return FIG_NA;
	len = (size_t)(last - dot - 1);
	if (len == 0 || len >= sizeof obj)
		return FIG_NA;
	memcpy(obj, dot + 1, len);
	obj[len] = '\0';
	last++;
	if (strncmp(key, "disk.", 5) == 0) {
		for (j = 0; j < s->ndisk; j++)
			if (strcmp(s->disks[j].name, obj) == 0)
				return field_find(&s->disks[j], disk_fields,
				    NELEM(disk_fields), last);
	} else if (strncmp(key, "net.", 4) == 0) {
		for (j = 0; j < s->nnet; j++)
			if (strcmp(s->nets[j].name, obj) == 0)
				return field_find(&s->nets[j], net_fields,
				    NELEM(net_fields), last);
	} else if (strncmp(key, "fs.", 3) == 0) {
		for (j = 0; j < s->nfs; j++)
			if (strcmp(s->fs[j].mount, obj) == 0)
				return field_find(&s->fs[j], fs_fields,
				    NELEM(fs_fields), last);
	}
	return FIG_NA;
}

/* Add a key unless it is there already or the list is full. */
static int
key_add(char keys[][BASELINE_KEY_MAX], int n, int max, const char *pfx,
    const char *obj, const char *field)
{
	char	 k[BASELINE_KEY_MAX];
	int	 i, len;

	if (obj != NULL) {
		len = snprintf(k, sizeof k, "%s.%s.%s", pfx, obj, field);
		if (len < 0 || (size_t)len >= sizeof k)
			return n;	/* a name too long to key: skipped */
	} else
		strlcpy0(k, pfx, sizeof k);
	for (i = 0; i < n; i++)
		if (strcmp(keys[i], k) == 0)
			return n;
	if (n >= max)
		return n;
	memcpy(keys[n], k, sizeof k);
	return n + 1;
}

/* Add s's keys to keys[0..n) (max in all); returns the new count. */
static int
keys_merge(const struct sample *s, char keys[][BASELINE_KEY_MAX], int n,
    int max)
{
	size_t	 i;
	int	 j;

	for (i = 0; i < NELEM(machine); i++)
		n = key_add(keys, n, max, machine[i].key, NULL, NULL);
	for (j = 0; j < s->ndisk; j++)
		for (i = 0; i < NELEM(disk_fields); i++)
			n = key_add(keys, n, max, "disk", s->disks[j].name,
			    disk_fields[i].field);
	for (j = 0; j < s->nnet; j++)
		for (i = 0; i < NELEM(net_fields); i++)
			n = key_add(keys, n, max, "net", s->nets[j].name,
			    net_fields[i].field);
	for (j = 0; j < s->nfs; j++)
		for (i = 0; i < NELEM(fs_fields); i++)
			n = key_add(keys, n, max, "fs", s->fs[j].mount,
			    fs_fields[i].field);
	return n;
}

int
baseline_sample_keys(const struct sample *s, char keys[][BASELINE_KEY_MAX],
    int max)
{
	if (s == NULL || max <= 0)
		return 0;
	return keys_merge(s, keys, 0, max);
}

/* ---- statistics --------------------------------------------------------- */

static int
cmp_double(const void *va, const void *vb)
{
	double	 a = *(const double *)va, b = *(const double *)vb;

	return (a > b) - (a < b);
}

static double
quantile(const double *sorted, int n, double q)
{
	double	 pos = q * (n - 1);
	int	 lo = (int)floor(pos);

	if (lo >= n - 1)
		return sorted[n - 1];
	return sorted[lo] + (pos - lo) * (sorted[lo + 1] - sorted[lo]);
}

/* Sample sd (n - 1) of x[0..n); 0 for one value. */
static double
sd_of(const double *x, int n, double mean)
{
	double	 ss = 0;
	int	 i;

	if (n < 2)
		return 0;
	for (i = 0; i < n; i++)
		ss += (x[i] - mean) * (x[i] - mean);
	return sqrt(ss / (n - 1));
}

/* Lag-1 autocorrelation of x[0..n) about its mean; NAN under 3 values. */
static double
ac1_of(const double *x, int n, double mean)
{
	double	 num = 0, den = 0;
	int	 i;

	if (n < 3)
		return FIG_NA;
	for (i = 0; i < n; i++) {
		den += (x[i] - mean) * (x[i] - mean);
		if (i > 0)
			num += (x[i] - mean) * (x[i - 1] - mean);
	}
	return den > 0 ? num / den : 0;
}

/*
 * Statistics of the valid values of v[0..n) (in time order) into st; v is
 * reused as scratch.  Returns the number of valid values.
 */
static int
stats_of(double *v, int n, struct base_stat *st)
{
	double	 sum = 0, *bms = NULL;
	int	 i, k = 0, b, nb;

	for (i = 0; i < n; i++)
		if (FIG_OK(v[i]))
			v[k++] = v[i];
	st->n = k;
	st->mean = st->sd = st->p50 = st->p95 = st->min = st->max = FIG_NA;
	st->bmean = st->bsd = st->bac1 = FIG_NA;
	st->nblocks = 0;
	if (k == 0)
		return 0;
	/* Block means, in time order, before v is sorted. */
	nb = k / BASELINE_BLOCK;
	if (nb > 0 && (bms = calloc((size_t)nb, sizeof *bms)) == NULL)
		nb = 0;		/* no memory: no blocks, so no test */
	for (b = 0; b < nb; b++) {
		double s = 0;
		for (i = 0; i < BASELINE_BLOCK; i++)
			s += v[b * BASELINE_BLOCK + i];
		bms[b] = s / BASELINE_BLOCK;
	}
	st->nblocks = nb;
	if (nb > 0) {
		for (sum = 0, b = 0; b < nb; b++)
			sum += bms[b];
		st->bmean = sum / nb;
		st->bsd = sd_of(bms, nb, st->bmean);
		st->bac1 = ac1_of(bms, nb, st->bmean);
	}
	free(bms);
	for (sum = 0, i = 0; i < k; i++)
		sum += v[i];
	st->mean = sum / k;
	st->sd = sd_of(v, k, st->mean);
	qsort(v, (size_t)k, sizeof *v, cmp_double);
	st->min = v[0];
	st->max = v[k - 1];
	st->p50 = quantile(v, k, 0.5);
	st->p95 = quantile(v, k, 0.95);
	return k;
}

/* The window: first (oldest) and count, in ages; 0 when empty. */
static int
window_of(const struct ring *r, int age, int window, int *oldest)
{
	int	 len = ring_len(r) - age;

	if (age < 0 || len <= 0)
		return 0;
	if (window <= 0 || window > len)
		window = len;
	*oldest = age + window - 1;
	return window;
}

/* Values of key over the window, oldest first, into v[0..n). */
static void
series_of(const struct ring *r, int oldest, int n, const char *key,
    double *v)
{
	int	 i;

	for (i = 0; i < n; i++)
		v[i] = baseline_sample_value(ring_get(r, oldest - i), key);
}

/* ---- processes ---------------------------------------------------------- */

struct pacc {
	int	 pid;
	double	 start;
	char	 comm[NAME_MAX_COMM];
	double	 cpu_sum, rss_sum;
	int	 cpu_n, rss_n;
};

static bool
same_start(double a, double b)
{
	if (!FIG_OK(a) || !FIG_OK(b))
		return !FIG_OK(a) && !FIG_OK(b);
	return fabs(a - b) < START_SLACK;
}

static int
cmp_pacc_id(const void *va, const void *vb)
{
	const struct pacc	*a = va, *b = vb;
	double			 sa = FIG_OK(a->start) ? a->start : -1;
	double			 sb = FIG_OK(b->start) ? b->start : -1;

	if (a->pid != b->pid)
		return a->pid < b->pid ? -1 : 1;
	return (sa > sb) - (sa < sb);
}

static int
cmp_pacc_cpu(const void *va, const void *vb)
{
	const struct pacc	*a = va, *b = vb;

	if (a->cpu_sum != b->cpu_sum)
		return a->cpu_sum > b->cpu_sum ? -1 : 1;
	return cmp_pacc_id(va, vb);
}

/*
 * The processes of the window's top lists, one entry per pid + start time
 * with the sums of their figures, busiest (most CPU over the window)
 * first.  Returns a new array (count in *np), or NULL.
 */
static struct pacc *
procs_gather(const struct ring *r, int oldest, int n, int *np)
{
	const struct proctab	*t;
	const struct proc	*p;
	struct pacc		*a, *e;
	size_t			 total = 0;
	int			 i, j, k = 0, g;

	*np = 0;
	for (i = 0; i < n; i++)
		total += (size_t)ring_get(r, oldest - i)->top.n;
	if (total == 0 || (a = calloc(total, sizeof *a)) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		t = &ring_get(r, oldest - i)->top;
		for (j = 0; j < t->n; j++) {
			p = &t->v[j];
			e = &a[k++];
			e->pid = p->pid;
			e->start = p->start_time;
			strlcpy0(e->comm, p->comm, sizeof e->comm);
			if (FIG_OK(p->cpu_pct)) {
				e->cpu_sum = p->cpu_pct;
				e->cpu_n = 1;
			}
			if (FIG_OK(p->rss_bytes)) {
				e->rss_sum = p->rss_bytes;
				e->rss_n = 1;
			}
		}
	}
	qsort(a, (size_t)k, sizeof *a, cmp_pacc_id);
	/* Merge runs of the same process (the comm of its newest row). */
	for (i = 0, g = 0; i < k; g++) {
		a[g] = a[i];
		for (j = i + 1; j < k && a[j].pid == a[g].pid &&
		    same_start(a[j].start, a[g].start); j++) {
			a[g].cpu_sum += a[j].cpu_sum;
			a[g].cpu_n += a[j].cpu_n;
			a[g].rss_sum += a[j].rss_sum;
			a[g].rss_n += a[j].rss_n;
		}
		i = j;
	}
	qsort(a, (size_t)g, sizeof *a, cmp_pacc_cpu);
	*np = g;
	return a;
}

static void
base_proc_of(struct base_proc *bp, const struct pacc *e)
{
	bp->pid = e->pid;
	bp->start_time = e->start;
	strlcpy0(bp->comm, e->comm, sizeof bp->comm);
	bp->cpu_pct = e->cpu_n > 0 ? e->cpu_sum / e->cpu_n : FIG_NA;
	bp->rss_bytes = e->rss_n > 0 ? e->rss_sum / e->rss_n : FIG_NA;
}

/* ---- capture ------------------------------------------------------------ */

int
baseline_capture(struct baseline *b, const struct ring *r, int age,
    int window)
{
	char		(*keys)[BASELINE_KEY_MAX];
	struct pacc	*pa;
	double		*v;
	int		 oldest, n, nkeys = 0, i, np;

	if ((n = window_of(r, age, window, &oldest)) == 0)
		return -1;
	keys = calloc(BASELINE_STATS_MAX, sizeof *keys);
	v = calloc((size_t)n, sizeof *v);
	if (keys == NULL || v == NULL) {
		free(keys);
		free(v);
		return -1;
	}
	memset(b, 0, sizeof *b);
	b->t_first = ring_get(r, oldest)->t;
	b->t_last = ring_get(r, age)->t;
	b->nsamples = n;
	/* The monotonic clock where the samples have it: the wall clock may
	 * have been stepped inside the window. */
	if (FIG_OK(ring_get(r, oldest)->mono) &&
	    FIG_OK(ring_get(r, age)->mono))
		b->interval_s = ring_get(r, age)->mono -
		    ring_get(r, oldest)->mono;
	else
		b->interval_s = b->t_last - b->t_first;
	b->interval_s = n > 1 && b->interval_s > 0 ?
	    b->interval_s / (n - 1) : FIG_NA;
	strlcpy0(b->source, "captured", sizeof b->source);
	for (i = 0; i < n; i++)
		nkeys = keys_merge(ring_get(r, oldest - i), keys, nkeys,
		    BASELINE_STATS_MAX);
	for (i = 0; i < nkeys; i++) {
		struct base_stat *st = &b->stats[b->nstats];
		series_of(r, oldest, n, keys[i], v);
		if (stats_of(v, n, st) == 0)
			continue;	/* never measured: nothing to compare */
		strlcpy0(st->key, keys[i], sizeof st->key);
		b->nstats++;
	}
	if ((pa = procs_gather(r, oldest, n, &np)) != NULL) {
		for (i = 0; i < np && i < BASELINE_PROCS_MAX; i++)
			base_proc_of(&b->procs[i], &pa[i]);
		b->nprocs = i;
		free(pa);
	}
	free(keys);
	free(v);
	return 0;
}

const struct base_stat *
baseline_find(const struct baseline *b, const char *key)
{
	int	 i;

	if (b == NULL || key == NULL)
		return NULL;
	for (i = 0; i < b->nstats; i++)
		if (strcmp(b->stats[i].key, key) == 0)
			return &b->stats[i];
	return NULL;
}

/* ---- the t distribution ------------------------------------------------- */

/* Continued fraction of the incomplete beta function (modified Lentz). */
static double
betacf(double a, double b, double x)
{
	const double	 tiny = 1e-300, eps = 3e-16;
	double		 qab = a + b, qap = a + 1, qam = a - 1;
	double		 c = 1, d = 1 - qab * x / qap, h, aa, del;
	int		 m, m2;

	if (fabs(d) < tiny)
		d = tiny;
	d = 1 / d;
	h = d;
	for (m = 1; m <= 300; m++) {
		m2 = 2 * m;
		aa = m * (b - m) * x / ((qam + m2) * (a + m2));
		d = 1 + aa * d;
		if (fabs(d) < tiny)
			d = tiny;
		c = 1 + aa / c;
		if (fabs(c) < tiny)
			c = tiny;
		d = 1 / d;
		h *= d * c;
		aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
		d = 1 + aa * d;
		if (fabs(d) < tiny)
			d = tiny;
		c = 1 + aa / c;
		if (fabs(c) < tiny)
			c = tiny;
		d = 1 / d;
		del = d * c;
		h *= del;
		if (fabs(del - 1) < eps)
			break;
	}
	return h;
}

/* The regularized incomplete beta function I_x(a, b). */
static double
betai(double a, double b, double x)
{
	double	 bt;

	if (x <= 0)
		return 0;
	if (x >= 1)
		return 1;
	bt = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) +
	    b * log(1 - x));
	if (x < (a + 1) / (a + b + 2))
		return bt * betacf(a, b, x) / a;
	return 1 - bt * betacf(b, a, 1 - x) / b;
}

/* Two-sided p-value of t with df degrees of freedom. */
static double
t_pvalue(double t, double df)
{
	if (!FIG_OK(t) || !FIG_OK(df) || df <= 0)
		return FIG_NA;
	if (isinf(t))
		return 0;
	return betai(df / 2, 0.5, df / (df + t * t));
}

/* Effective number of blocks of an AR(1)-like series. */
static double
n_eff(int n, double r)
{
	return n * (1 - r) / (1 + r);
}

/*
 * Welch's t-test of the block means of a and b, each block count shrunk
 * by the larger lag-1 autocorrelation.  Sets *t and *p (NAN when there
 * are too few effective blocks).
 */
static void
welch(const struct base_stat *a, const struct base_stat *b, double *t,
    double *p)
{
	double	 r = 0, na, nb, va, vb, se, df;

	*t = *p = FIG_NA;
	if (a->nblocks < 2 || b->nblocks < 2 || !FIG_OK(a->bmean) ||
	    !FIG_OK(b->bmean))
		return;
	if (FIG_OK(a->bac1) && a->bac1 > r)
		r = a->bac1;
	if (FIG_OK(b->bac1) && b->bac1 > r)
		r = b->bac1;
	if (r > AC_MAX)
		r = AC_MAX;
	na = n_eff(a->nblocks, r);
	nb = n_eff(b->nblocks, r);
	if (na < 2 || nb < 2)
		return;
	va = a->bsd * a->bsd / na;
	vb = b->bsd * b->bsd / nb;
	se = sqrt(va + vb);
	if (se == 0) {
		*t = b->bmean == a->bmean ? 0 : b->bmean > a->bmean ?
		    INFINITY : -INFINITY;
		*p = b->bmean == a->bmean ? 1 : 0;
		return;
	}
	*t = (b->bmean - a->bmean) / se;
	df = (va + vb) * (va + vb) / (va * va / (na - 1) + vb * vb / (nb - 1));
	*p = t_pvalue(*t, df);
}

/* ---- diff --------------------------------------------------------------- */

static int
cmp_change(const void *va, const void *vb)
{
	const struct base_change	*a = va, *b = vb;
	double				 ea, eb;

	if (a->significant != b->significant)
		return a->significant ? -1 : 1;
	ea = FIG_OK(a->effect) ? fabs(a->effect) : -1;
	eb = FIG_OK(b->effect) ? fabs(b->effect) : -1;
	if (ea != eb)
		return ea > eb ? -1 : 1;
	return strcmp(a->key, b->key);
}

int
baseline_diff(const struct baseline *b, const struct ring *r, int age,
    int window, struct base_change *out, int max)
{
	const struct base_stat	*bs;
	struct base_stat	 now;
	struct base_change	*all, *c;
	double			*v;
	int			 oldest, n, i, k = 0;

	if (b == NULL || max <= 0 || b->nstats == 0 ||
	    (n = window_of(r, age, window, &oldest)) == 0)
		return 0;
	v = calloc((size_t)n, sizeof *v);
	all = calloc((size_t)b->nstats, sizeof *all);
	if (v == NULL || all == NULL) {
		free(v);
		free(all);
		return 0;
	}
	for (i = 0; i < b->nstats; i++) {
		bs = &b->stats[i];
		series_of(r, oldest, n, bs->key, v);
		if (stats_of(v, n, &now) == 0 || !FIG_OK(bs->mean))
			continue;
		c = &all[k++];
		strlcpy0(c->key, bs->key, sizeof c->key);
		c->base_mean = bs->mean;
		c->now_mean = now.mean;
		c->delta = now.mean - bs->mean;
		c->effect = FIG_OK(bs->sd) && bs->sd > 0 ? c->delta / bs->sd :
		    FIG_NA;
		welch(bs, &now, &c->t, &c->p);
		c->significant = FIG_OK(c->p) && c->p < P_SIGNIFICANT &&
		    (FIG_OK(c->effect) ? fabs(c->effect) >= EFFECT_MIN :
		    c->delta != 0);
	}
	if (k > 1)
		qsort(all, (size_t)k, sizeof *all, cmp_change);
	if (k > max)
		k = max;
	memcpy(out, all, (size_t)k * sizeof *out);
	free(v);
	free(all);
	return k;
}

/* ---- new and vanished processes ----------------------------------------- */

static bool
in_base(const struct baseline *b, int pid, double start)
{
	int	 i;

	for (i = 0; i < b->nprocs; i++)
		if (b->procs[i].pid == pid &&
		    same_start(b->procs[i].start_time, start))
			return true;
	return false;
}

/* The window new and vanished look at: BASELINE_BLOCK samples to age. */
#define PROC_WINDOW	BASELINE_BLOCK

int
baseline_new_procs(const struct baseline *b, const struct ring *r, int age,
    struct base_proc *out, int max)
{
	struct pacc	*pa;
	int		 oldest, n, np, i, k = 0;

	if (b == NULL || max <= 0 ||
	    (n = window_of(r, age, PROC_WINDOW, &oldest)) == 0)
		return 0;
	if ((pa = procs_gather(r, oldest, n, &np)) == NULL)
		return 0;
	/* Among the window's busiest, as many as a baseline keeps. */
	for (i = 0; i < np && i < BASELINE_PROCS_MAX && k < max; i++)
		if (!in_base(b, pa[i].pid, pa[i].start))
			base_proc_of(&out[k++], &pa[i]);
	free(pa);
	return k;
}

/* Whether pid + start is in t. */
static bool
in_table(const struct proctab *t, int pid, double start)
{
	int	 i;

	for (i = 0; i < t->n; i++)
		if (t->v[i].pid == pid && same_start(t->v[i].start_time,
		    start))
			return true;
	return false;
}

int
baseline_vanished_procs(const struct baseline *b, const struct ring *r,
    int age, struct base_proc *out, int max)
{
	const struct proctab	*full = ring_full(r);
	int			 oldest, n, i, j, k = 0;
	bool			 seen;

	if (b == NULL || max <= 0 ||
	    (n = window_of(r, age, PROC_WINDOW, &oldest)) == 0)
		return 0;
	for (i = 0; i < b->nprocs && k < max; i++) {
		/* At the newest moment the full table says who still runs;
		 * earlier, only the top lists of the window can. */
		if (age == 0 && full->n > 0)
			seen = in_table(full, b->procs[i].pid,
			    b->procs[i].start_time);
		else
			for (seen = false, j = 0; j < n && !seen; j++)
				seen = in_table(&ring_get(r, oldest - j)->top,
				    b->procs[i].pid, b->procs[i].start_time);
		if (!seen)
			out[k++] = b->procs[i];
	}
	return k;
}
