/*
 * sample.c - reset, grow, swap and free samples; process tables.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "sample.h"
#include "util.h"

/* Every figure of a sample is a share, a rate, a size or a time. */
#define NONNEG(type, name, member) \
	{ name, offsetof(struct type, member), FIG_NONNEG }
#define COUNT(type, name, member) \
	{ name, offsetof(struct type, member), FIG_COUNT }
#define END	{ NULL, 0, 0 }

const char *const psi_res_names[PSI_NRES] = { "cpu", "memory", "io" };

const struct fig_field cpu_figs_fields[] = {
	NONNEG(cpu_figs, "busy_pct", busy),
	NONNEG(cpu_figs, "user_pct", user),
	NONNEG(cpu_figs, "system_pct", system),
	NONNEG(cpu_figs, "iowait_pct", iowait),
	NONNEG(cpu_figs, "steal_pct", steal),
	NONNEG(cpu_figs, "idle_pct", idle),
	END
};

const struct fig_field mem_figs_fields[] = {
	NONNEG(mem_figs, "total_bytes", total_bytes),
	NONNEG(mem_figs, "used_bytes", used_bytes),
	NONNEG(mem_figs, "used_pct", used_pct),
	NONNEG(mem_figs, "available_bytes", available_bytes),
	NONNEG(mem_figs, "cached_bytes", cached_bytes),
	NONNEG(mem_figs, "free_bytes", free_bytes),
	NONNEG(mem_figs, "swap_total_bytes", swap_total_bytes),
	NONNEG(mem_figs, "swap_used_bytes", swap_used_bytes),
	NONNEG(mem_figs, "swapin_ps", swapin_ps),
	NONNEG(mem_figs, "swapout_ps", swapout_ps),
	NONNEG(mem_figs, "majflt_ps", majflt_ps),
	NONNEG(mem_figs, "oom_kills", oom_kills),
	NONNEG(mem_figs, "oom_kills_total", oom_kills_total),
	END
};

const struct fig_field psi_figs_fields[] = {
	NONNEG(psi_figs, "some_avg10", some_avg10),
	NONNEG(psi_figs, "some_avg60", some_avg60),
	NONNEG(psi_figs, "some_avg300", some_avg300),
	NONNEG(psi_figs, "some_total_us", some_total_us),
	NONNEG(psi_figs, "full_avg10", full_avg10),
	NONNEG(psi_figs, "full_avg60", full_avg60),
	NONNEG(psi_figs, "full_avg300", full_avg300),
	NONNEG(psi_figs, "full_total_us", full_total_us),
	END
};

const struct fig_field disk_figs_fields[] = {
	NONNEG(disk_figs, "read_bps", read_bps),
	NONNEG(disk_figs, "write_bps", write_bps),
	NONNEG(disk_figs, "read_iops", read_iops),
	NONNEG(disk_figs, "write_iops", write_iops),
	NONNEG(disk_figs, "util_pct", util_pct),
	NONNEG(disk_figs, "await_ms", await_ms),
	NONNEG(disk_figs, "queue_depth", queue),
	NONNEG(disk_figs, "inflight", inflight),
	END
};

const struct fig_field net_figs_fields[] = {
	NONNEG(net_figs, "rx_bps", rx_bps),
	NONNEG(net_figs, "tx_bps", tx_bps),
	NONNEG(net_figs, "rx_pps", rx_pps),
	NONNEG(net_figs, "tx_pps", tx_pps),
	NONNEG(net_figs, "rx_errors_ps", rx_errors_ps),
	NONNEG(net_figs, "tx_errors_ps", tx_errors_ps),
	NONNEG(net_figs, "rx_drops_ps", rx_drops_ps),
	NONNEG(net_figs, "tx_drops_ps", tx_drops_ps),
	NONNEG(net_figs, "speed_bps", speed_bps),
	END
};

const struct fig_field fs_figs_fields[] = {
	NONNEG(fs_figs, "size_bytes", size_bytes),
	NONNEG(fs_figs, "used_bytes", used_bytes),
	NONNEG(fs_figs, "avail_bytes", avail_bytes),
	NONNEG(fs_figs, "used_pct", used_pct),
	END
};

const struct fig_field sample_time_fields[] = {
	{ "t", offsetof(struct sample, t), FIG_NONNEG | FIG_REQUIRED },
	NONNEG(sample, "dt_s", dt),
	END
};

const struct fig_field sample_sched_fields[] = {
	NONNEG(sample, "procs_running", procs_running),
	NONNEG(sample, "procs_blocked", procs_blocked),
	NONNEG(sample, "ctxsw_ps", ctxsw_ps),
	NONNEG(sample, "intr_ps", intr_ps),
	NONNEG(sample, "forks_ps", forks_ps),
	END
};

const struct fig_field sample_self_fields[] = {
	NONNEG(sample, "cpu_pct", self_cpu_pct),
	NONNEG(sample, "rss_bytes", self_rss_bytes),
	NONNEG(sample, "collect_ms", collect_ms),
	END
};

const struct fig_field proctab_count_fields[] = {
	COUNT(proctab, "total", total),
	COUNT(proctab, "running", running),
	COUNT(proctab, "threads", threads),
	END
};

const struct fig_field proc_fields[] = {
	NONNEG(proc, "cpu_pct", cpu_pct),
	NONNEG(proc, "rss_bytes", rss_bytes),
	COUNT(proc, "threads", nlwp),
	NONNEG(proc, "read_bps", read_bps),
	NONNEG(proc, "write_bps", write_bps),
	NONNEG(proc, "start_time", start_time),
	END
};

const struct fig_field host_fields[] = {
	NONNEG(host, "boot_time", boot_time),
	NONNEG(host, "mem_total_bytes", mem_total_bytes),
	END
};

void
cpu_figs_na(struct cpu_figs *c)
{
	c->user = c->system = c->iowait = c->steal = c->idle = c->busy =
	    FIG_NA;
}

static void
psi_na(struct psi_figs *p)
{
	p->some_avg10 = p->some_avg60 = p->some_avg300 = p->some_total_us =
	    FIG_NA;
	p->full_avg10 = p->full_avg60 = p->full_avg300 = p->full_total_us =
	    FIG_NA;
}

/*
 * Drop every name the arrays hold: [0, cap), not only [0, n), so a count
 * lowered by hand loses nothing.  All NULL after.
 */
static void
names_drop(struct sample *s)
{
	int	 i;

	for (i = 0; i < s->ndisk_cap; i++) {
		rstr_unref(s->disks[i].name);
		s->disks[i].name = NULL;
	}
	for (i = 0; i < s->nnet_cap; i++) {
		rstr_unref(s->nets[i].name);
		s->nets[i].name = NULL;
	}
	for (i = 0; i < s->nfs_cap; i++) {
		rstr_unref(s->fs[i].mount);
		rstr_unref(s->fs[i].device);
		rstr_unref(s->fs[i].fstype);
		s->fs[i].mount = s->fs[i].device = s->fs[i].fstype = NULL;
	}
}

void
sample_reset(struct sample *s)
{
	struct mem_figs	*m = &s->mem;
	int		 i;

	names_drop(s);
	s->seq = 0;
	s->t = s->mono = s->dt = FIG_NA;
	cpu_figs_na(&s->cpu);
	s->ncpu = s->ndisk = s->nnet = s->nfs = 0;
	for (i = 0; i < 3; i++)
		s->load[i] = FIG_NA;
	s->ctxsw_ps = s->intr_ps = s->forks_ps = FIG_NA;
	s->procs_running = s->procs_blocked = FIG_NA;
	m->total_bytes = m->used_bytes = m->used_pct = m->available_bytes =
	    FIG_NA;
	m->cached_bytes = m->free_bytes = m->swap_total_bytes =
	    m->swap_used_bytes = FIG_NA;
	m->swapin_ps = m->swapout_ps = m->majflt_ps = m->oom_kills =
	    m->oom_kills_total = FIG_NA;
	for (i = 0; i < PSI_NRES; i++)
		psi_na(&s->psi[i]);
	proctab_clear(&s->top);
	s->self_pid = 0;
	s->self_cpu_pct = s->self_rss_bytes = s->collect_ms = FIG_NA;
}

void
sample_done(struct sample *s)
{
	names_drop(s);
	free(s->per_cpu);
	free(s->disks);
	free(s->nets);
	free(s->fs);
	proctab_done(&s->top);
	memset(s, 0, sizeof *s);
}

/* Grow a sample's array: new entries zeroed (names NULL, see names_drop). */
static int
reserve(void **arr, int *cap, int n, size_t elem)
{
	return array_grow(arr, cap, n, elem, true);
}

/* Grow *arr to exactly n entries (no headroom). */
static int
reserve_exact(void **arr, int *cap, int n, size_t elem)
{
	void	*p;

	if (n <= *cap)
		return 0;
	if ((p = realloc(*arr, (size_t)n * elem)) == NULL)
		return -1;
	memset((char *)p + (size_t)*cap * elem, 0, (size_t)(n - *cap) * elem);
	*arr = p;
	*cap = n;
	return 0;
}

int
sample_reserve_cpus(struct sample *s, int n)
{
	return reserve((void **)&s->per_cpu, &s->ncpu_cap, n,
	    sizeof *s->per_cpu);
}

int
sample_reserve_disks(struct sample *s, int n)
{
	return reserve((void **)&s->disks, &s->ndisk_cap, n, sizeof *s->disks);
}

int
sample_reserve_nets(struct sample *s, int n)
{
	return reserve((void **)&s->nets, &s->nnet_cap, n, sizeof *s->nets);
}

int
sample_reserve_fs(struct sample *s, int n)
{
	return reserve((void **)&s->fs, &s->nfs_cap, n, sizeof *s->fs);
}

void
sample_swap(struct sample *a, struct sample *b)
{
	struct sample	 tmp;

	tmp = *a;
	*a = *b;
	*b = tmp;
}

/*
 * A deep copy, except names: src's are shared.  Also used by snapshots and
 * by the baseline's window, so a copy costs no string allocation.
 */
int
sample_copy(struct sample *dst, const struct sample *src)
{
	struct sample	 keep;
	int		 i;

	names_drop(dst);
	if (sample_reserve_cpus(dst, src->ncpu) != 0 ||
	    sample_reserve_disks(dst, src->ndisk) != 0 ||
	    sample_reserve_nets(dst, src->nnet) != 0 ||
	    sample_reserve_fs(dst, src->nfs) != 0) {
		dst->ndisk = dst->nnet = dst->nfs = 0;
		return -1;
	}
	keep = *dst;
	*dst = *src;
	/* Our own arrays and table, with src's contents. */
	dst->per_cpu = keep.per_cpu;
	dst->ncpu_cap = keep.ncpu_cap;
	dst->disks = keep.disks;
	dst->ndisk_cap = keep.ndisk_cap;
	dst->nets = keep.nets;
	dst->nnet_cap = keep.nnet_cap;
	dst->fs = keep.fs;
	dst->nfs_cap = keep.nfs_cap;
	dst->top = keep.top;
	if (src->ncpu > 0)
		memcpy(dst->per_cpu, src->per_cpu, (size_t)src->ncpu *
		    sizeof *src->per_cpu);
	for (i = 0; i < src->ndisk; i++) {
		dst->disks[i] = src->disks[i];
		rstr_ref(dst->disks[i].name);
	}
	for (i = 0; i < src->nnet; i++) {
		dst->nets[i] = src->nets[i];
		rstr_ref(dst->nets[i].name);
	}
	for (i = 0; i < src->nfs; i++) {
		dst->fs[i] = src->fs[i];
		rstr_ref(dst->fs[i].mount);
		rstr_ref(dst->fs[i].device);
		rstr_ref(dst->fs[i].fstype);
	}
	return proctab_copy(&dst->top, &src->top);
}

static void
proc_unref(struct proc *p)
{
	rstr_unref(p->user);
	rstr_unref(p->comm);
	rstr_unref(p->cmdline);
}

void
proctab_clear(struct proctab *t)
{
	int	 i;

	for (i = 0; i < t->n; i++)
		proc_unref(&t->v[i]);
	t->n = 0;
	t->total = t->running = t->threads = 0;
}

void
proctab_done(struct proctab *t)
{
	proctab_clear(t);
	free(t->v);
	memset(t, 0, sizeof *t);
}

/* Length of the longest prefix of s (at most max bytes) that ends on a
 * UTF-8 character boundary. */
static size_t
utf8_cut(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	return max;
}

/*
 * Room for n rows.  Unlike the sample arrays, new rows are not zeroed:
 * rows past n are never read, and a table of thousands of processes that
 * just doubled would otherwise be resident in full.
 */
static int
rows_reserve(struct proctab *t, int n)
{
	return array_grow((void **)&t->v, &t->cap, n, sizeof *t->v, false);
}

struct proc *
proctab_add(struct proctab *t, const struct proc *p, const char *cmdline,
    size_t cmdmax)
{
	struct proc	*row;
	const char	*user, *comm, *cmd;
	size_t		 len;

	if (rows_reserve(t, t->n + 1) != 0)
		return NULL;
	if (cmdline == NULL)
		cmdline = "";
	len = strlen(cmdline);
	if (cmdmax > 0)
		len = utf8_cut(cmdline, len, cmdmax - 1);
	user = rstr_dup(p->user);
	comm = rstr_dup(p->comm);
	cmd = rstr_new(cmdline, len);
	if (user == NULL || comm == NULL || cmd == NULL) {
		rstr_unref(user);
		rstr_unref(comm);
		rstr_unref(cmd);
		return NULL;
	}
	row = &t->v[t->n++];
	*row = *p;
	row->user = user;
	row->comm = comm;
	row->cmdline = cmd;
	return row;
}

struct proc *
proctab_add_ref(struct proctab *t, const struct proc *p)
{
	struct proc	*row;

	if (rows_reserve(t, t->n + 1) != 0)
		return NULL;
	row = &t->v[t->n++];
	*row = *p;
	rstr_ref(row->user);
	rstr_ref(row->comm);
	rstr_ref(row->cmdline);
	return row;
}

int
proctab_copy(struct proctab *dst, const struct proctab *src)
{
	int	 i;

	proctab_clear(dst);
	if (reserve_exact((void **)&dst->v, &dst->cap, src->n,
	    sizeof *dst->v) != 0)
		return -1;
	for (i = 0; i < src->n; i++)
		proctab_add_ref(dst, &src->v[i]);
	dst->total = src->total;
	dst->running = src->running;
	dst->threads = src->threads;
	return 0;
}

/* NAN-aware descending comparison of doubles; NAN sorts last. */
static int
cmp_desc(double a, double b)
{
	bool	 na = !FIG_OK(a), nb = !FIG_OK(b);

	if (na || nb)
		return na - nb;
	return (a < b) - (a > b);
}

static double
proc_io(const struct proc *p)
{
	double	 r = FIG_OK(p->read_bps) ? p->read_bps : 0;
	double	 w = FIG_OK(p->write_bps) ? p->write_bps : 0;

	if (!FIG_OK(p->read_bps) && !FIG_OK(p->write_bps))
		return FIG_NA;
	return r + w;
}

static int
cmp_key(const struct proc *a, const struct proc *b, enum proc_sort key)
{
	switch (key) {
	case SORT_CPU:
		return cmp_desc(a->cpu_pct, b->cpu_pct);
	case SORT_MEM:
		return cmp_desc(a->rss_bytes, b->rss_bytes);
	case SORT_IO:
		return cmp_desc(proc_io(a), proc_io(b));
	case SORT_NAME:
		return strcmp(a->comm, b->comm);
	case SORT_PID:
	case SORT_NKEYS:
		break;
	}
	return 0;
}

/* qsort has no context argument in C11; the sort key travels in a
 * thread-local so sorting stays safe from any thread. */
static _Thread_local enum proc_sort sort_key;
static _Thread_local bool sort_reverse;

static int
cmp_proc(const void *va, const void *vb)
{
	const struct proc *a = va, *b = vb;
	int	 c = cmp_key(a, b, sort_key);

	if (c == 0)
		c = (a->pid > b->pid) - (a->pid < b->pid);
	return sort_reverse ? -c : c;
}

void
proctab_sort(struct proctab *t, enum proc_sort key, bool reverse)
{
	sort_key = key;
	sort_reverse = reverse;
	if (t->n > 1)
		qsort(t->v, (size_t)t->n, sizeof *t->v, cmp_proc);
}

const char *
proc_sort_name(enum proc_sort k)
{
	static const char *names[SORT_NKEYS] = {
		"cpu", "mem", "pid", "io", "name"
	};

	return (unsigned)k < SORT_NKEYS ? names[k] : "?";
}

/* Index of the k best rows of src by key, without reordering src. */
static void
mark_top(const struct proctab *src, enum proc_sort key, int k,
    unsigned char *mark)
{
	int	 i, j, *best, nb = 0;

	if (k <= 0 || src->n == 0)
		return;
	best = calloc((size_t)k, sizeof *best);
	if (best == NULL)
		return;
	/* Insertion into a small sorted list: O(n k), k is a few dozen. */
	for (i = 0; i < src->n; i++) {
		const struct proc *p = &src->v[i];
		if (key != SORT_CPU && key != SORT_MEM && key != SORT_IO)
			break;
		/* Idle processes are nobody's top by CPU or I/O: keeping
		 * them would only fill every sample's list with noise. */
		if (key == SORT_IO && !(proc_io(p) > 0))
			continue;
		if (key == SORT_CPU && !(p->cpu_pct > 0))
			continue;
		if (nb == k && cmp_key(p, &src->v[best[nb - 1]], key) >= 0)
			continue;
		j = nb < k ? nb++ : k - 1;
		while (j > 0 && cmp_key(p, &src->v[best[j - 1]], key) < 0) {
			best[j] = best[j - 1];
			j--;
		}
		best[j] = i;
	}
	for (j = 0; j < nb; j++)
		mark[best[j]] = 1;
	free(best);
}

/* prev's cut of p's command line (the same process, the same text). */
static const char *
cut_of(const struct proctab *prev, const struct proc *p, size_t len)
{
	int	 i;

	for (i = 0; prev != NULL && i < prev->n; i++) {
		const struct proc *q = &prev->v[i];
		if (q->pid == p->pid && q->start_time == p->start_time &&
		    rstr_len(q->cmdline) == len &&
		    memcmp(q->cmdline, p->cmdline, len) == 0)
			return q->cmdline;
	}
	return NULL;
}

int
proctab_top(struct proctab *dst, const struct proctab *src, int k, int kmem,
    const struct proctab *prev)
{
	unsigned char	*mark;
	int		 i, n;

	proctab_clear(dst);
	dst->total = src->total;
	dst->running = src->running;
	dst->threads = src->threads;
	if (src->n == 0)
		return 0;
	if ((mark = calloc((size_t)src->n, 1)) == NULL)
		return -1;
	mark_top(src, SORT_CPU, k, mark);
	mark_top(src, SORT_MEM, kmem, mark);
	mark_top(src, SORT_IO, k, mark);
	/* Reserve exactly: a ring holds hundreds of these lists. */
	for (i = n = 0; i < src->n; i++)
		n += mark[i];
	if (reserve_exact((void **)&dst->v, &dst->cap, n, sizeof *dst->v) != 0) {
		free(mark);
		return -1;
	}
	for (i = 0; i < src->n; i++) {
		const struct proc *p = &src->v[i];
		struct proc	*row;

		if (!mark[i])
			continue;
		if ((row = proctab_add_ref(dst, p)) == NULL) {
			free(mark);
			return -1;
		}
		/* Long command lines are cut: an exited process's lingers in
		 * the ring as long as a sample shows it. */
		if (rstr_len(p->cmdline) >= CMDLINE_TOP_MAX) {
			size_t len = utf8_cut(p->cmdline, rstr_len(p->cmdline),
			    CMDLINE_TOP_MAX - 1);
			const char *cut = cut_of(prev, p, len);

			if (cut != NULL)
				rstr_ref(cut);
			else if ((cut = rstr_new(p->cmdline, len)) == NULL) {
				free(mark);
				return -1;
			}
			rstr_unref(row->cmdline);
			row->cmdline = cut;
		}
	}
	free(mark);
	proctab_sort(dst, SORT_CPU, false);
	return 0;
}
