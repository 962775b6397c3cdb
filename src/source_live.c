/*
 * source_live.c - the live source: one sample of this machine per read.
 *
 * libproc2 gives CPU ticks (total and per CPU), memory, vmstat and
 * diskstats; libstatgrab gives filesystems and interface speed/state;
 * pressure files, /proc/net/dev and the process table are read by hand
 * (procfs.c).  Every counter is kept raw here, from one read to the next,
 * and turned into rates by the pure functions of derive.c; the libraries'
 * own deltas and *_diff functions are never used (LIBS.md).
 *
 * The process table is most of a read's cost, so it is read near the
 * kernel's floor rather than with libproc2's reap (2-3 times dearer): the
 * pids come from getdents64 on a /proc descriptor kept open, and each
 * process's stat and io files stay open between reads and are read again
 * with pread(), parsed by hand.  A descriptor outlives its process (pread
 * fails with ESRCH), so a reused pid can never answer for a dead one.
 * Descriptors are kept while RLIMIT_NOFILE allows (raised towards its hard
 * limit as needed); beyond that, files are opened, read and closed as
 * before, the process then being recognised by pid and start time.
 *
 * Facts that do not change are read once per process: its command line and
 * its user (the owner of /proc/PID), again when its comm changes (an exec)
 * and every CMDLINE_REFRESH or USER_REFRESH reads (setproctitle, setuid),
 * and kept from the previous read otherwise; user names come from a uid
 * cache.  /proc is listed only when a task was forked; an idle process's
 * io file is skipped (see proc_row()).
 *
 * Devices, interfaces and processes are matched with the previous read by
 * name or by pid: processes by a merge of two pid-sorted lists, devices
 * with a hint (the index after the last match), so a read is linear in the
 * number of entries.  Whatever appears, vanishes or cannot be read becomes
 * NAN for that read, never a bogus rate.
 *
 * The context is created by open on the main thread, which takes the
 * priming read; after that only the collector thread calls read and close.
 */
#include <config.h>

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libproc2/diskstats.h>
#include <libproc2/meminfo.h>
#include <libproc2/misc.h>
#include <libproc2/stat.h>
#include <libproc2/vmstat.h>
#include <statgrab.h>

#include "collector.h"
#include "conf.h"
#include "derive.h"
#include "procfs.h"
#include "sanitize.h"
#include "source.h"
#include "util.h"

#define CMDLINE_REFRESH	64	/* re-read a command line every N reads (htop:
				   never, by default); at 16 it was 6 % of
				   a refresh */
#define USER_REFRESH	64	/* re-read a user (/proc/PID owner) every N */
#define CPU_ID_MAX	8192	/* ignore absurd CPU ids */
#define PROC_BUF	4096	/* stat, io, status of one process */
#define FD_SPARE	256	/* descriptors left to the rest of perftop */
#define UCACHE_FLUSH	3600	/* forget user names every N reads */
#define IO_SWEEP	8	/* read an idle process's I/O every N reads */
#define LIST_SWEEP	16	/* list /proc every N reads, forks or not */
#define STAT_SWEEP	8	/* read a still process's stat every N reads */
#define BUSY_LOOK	4	/* look whether a busy one has stopped every N */
#define STILL_READS	16	/* fewer planned reads: not worth a first look */
#define PF_KTHREAD	0x00200000	/* a kernel thread (stat's flags) */

/* A refresh of the command line or the I/O falls on a stat sweep. */
_Static_assert(CMDLINE_REFRESH % STAT_SWEEP == 0 && IO_SWEEP == STAT_SWEEP,
    "sweeps out of step");

/* libproc2 accessor (PIDS_VAL changed arity in 4.0.5). */
#define RES(i, type, st) ((st)->head[(i)].result.type)

enum {
	C_ID, C_USER, C_NICE, C_SYSTEM, C_IDLE, C_IOWAIT, C_IRQ, C_SOFTIRQ,
	C_STEAL, C_CTXT, C_INTR, C_FORKS, C_RUNNING, C_BLOCKED, C_NITEMS
};
static enum stat_item cpu_items[C_NITEMS] = {
	STAT_TIC_ID, STAT_TIC_USER, STAT_TIC_NICE, STAT_TIC_SYSTEM,
	STAT_TIC_IDLE, STAT_TIC_IOWAIT, STAT_TIC_IRQ, STAT_TIC_SOFTIRQ,
	STAT_TIC_STOLEN, STAT_SYS_CTX_SWITCHES, STAT_SYS_INTERRUPTS,
	STAT_SYS_PROC_CREATED, STAT_SYS_PROC_RUNNING, STAT_SYS_PROC_BLOCKED
};

enum {
	M_TOTAL, M_AVAIL, M_FREE, M_CACHED, M_BUFFERS, M_SWAP_TOTAL,
	M_SWAP_FREE, M_NITEMS
};
static enum meminfo_item mem_items[M_NITEMS] = {
	MEMINFO_MEM_TOTAL, MEMINFO_MEM_AVAILABLE, MEMINFO_MEM_FREE,
	MEMINFO_MEM_CACHED, MEMINFO_MEM_BUFFERS, MEMINFO_SWAP_TOTAL,
	MEMINFO_SWAP_FREE
};

/* V_STEAL_*: pages reclaimed, by kswapd and directly (all kernels), of
 * anon and file (since 5.8: by any reclaimer). */
enum {
	V_MAJFLT, V_SWPIN, V_SWPOUT, V_OOM, V_STEAL_K, V_STEAL_D, V_STEAL_A,
	V_STEAL_F, V_COLLAPSE, V_NITEMS
};
static enum vmstat_item vm_items[V_NITEMS] = {
	VMSTAT_PGMAJFAULT, VMSTAT_PSWPIN, VMSTAT_PSWPOUT, VMSTAT_OOM_KILL,
	VMSTAT_PGSTEAL_KSWAPD, VMSTAT_PGSTEAL_DIRECT, VMSTAT_PGSTEAL_ANON,
	VMSTAT_PGSTEAL_FILE, VMSTAT_THP_COLLAPSE_ALLOC
};

enum {
	D_NAME, D_TYPE, D_READS, D_RSECT, D_RTIME, D_WRITES, D_WSECT, D_WTIME,
	D_IOTIME, D_WEIGHTED, D_INFLIGHT, D_NITEMS
};
static enum diskstats_item disk_items[D_NITEMS] = {
	DISKSTATS_NAME, DISKSTATS_TYPE, DISKSTATS_READS,
	DISKSTATS_READ_SECTORS, DISKSTATS_READ_TIME, DISKSTATS_WRITES,
	DISKSTATS_WRITE_SECTORS, DISKSTATS_WRITE_TIME, DISKSTATS_IO_TIME,
	DISKSTATS_WEIGHTED_TIME, DISKSTATS_IO_INPROGRESS
};

/* A grow-only array of elements of one type. */
struct vec {
	void	*v;
	int	 n, cap;
};

/* Raw counters of the previous read.  name is first: see find_name(). */
struct disk_slot {
	char		 name[NAME_MAX_DEV];
	struct disk_raw	 raw;
	const char	*shown;		/* rstr: sanitized name, or NULL */
};
struct net_slot {
	char		 name[NETDEV_NAME_MAX];
	struct net_raw	 raw;
	const char	*shown;
};
struct cpu_slot {
	uint64_t	 stamp;		/* read that set it, + 1 */
	struct cpu_ticks t;
};

/* One process as seen by a read.  Owns its descriptors.  pid is first:
 * see source_live_still(). */
struct pstate {
	int			pid;
	int			stat_fd;	/* kept open, or -1 */
	int			io_fd;		/* kept open, or -1 */
	int			sched_fd;	/* schedstat, kept open, or -1 */
	bool			io_ok;		/* /proc/PID/io readable */
	bool			io_idle;	/* no I/O at its last read */
	bool			uid_ok;
	bool			ran;		/* at the last look at runtime */
	bool			still;		/* this read: stat spared */
	bool			kthread;	/* no command line, root's */
	char			state;		/* stat's, as last read */
	int			ppid;
	int			nlwp;
	uint32_t		uid;		/* effective */
	uint32_t		comm_hash;	/* of the raw comm: an exec? */
	uint64_t		began;		/* start, ticks after boot */
	uint64_t		ticks;
	uint64_t		rss;		/* pages */
	uint64_t		runtime;	/* ns run (schedstat), 0: unknown;
						   read before the stat above */
	uint64_t		io_r, io_w;
	double			io_mono;	/* when io_r, io_w were read */
	const char		*comm;		/* rstrs, or NULL */
	const char		*cmd;
};

/* The processes of one read, sorted by pid, with their command lines. */
struct pgen {
	struct pstate	*v;
	int		 n, cap;
};

/* uid -> sanitized user name (open addressing; cap a power of 2). */
struct uname {
	uint32_t	uid;
	bool		used;
	const char	*name;		/* rstr */
};
struct ucache {
	struct uname	*v;
	int		 n, cap;
};

struct live {
	struct stat_info	*stat;
	struct meminfo_info	*mem;
	struct vmstat_info	*vm;
	struct diskstats_info	*disk;

	double		 hz;
	long		 pagesize;
	double		 boot_time;
	int		 ncpu;		/* online at the last read */
	uint64_t	 reads;		/* taken so far, priming included */
	double		 mono;		/* when the last one started */
	double		 now;		/* when this one started */

	struct cpu_ticks sum;
	bool		 sum_ok;
	struct cpu_slot	*cpus;		/* indexed by CPU id */
	int		 cpus_cap;
	uint64_t	 ctxt, intr, forks;
	bool		 sys_ok;
	uint64_t	 vmv[V_NITEMS];
	bool		 vm_ok;
	bool		 vm_still;	/* no page reclaimed nor collapsed
					   since the last read */
	bool		 no_still;	/* too few reads planned to look */

	struct vec	 disks[2];	/* of struct disk_slot; [dcur] = last */
	int		 dcur;
	struct vec	 nets[2];	/* of struct net_slot */
	int		 ncur;
	char		*netbuf;
	size_t		 netcap;
	struct vec	 ifidx;		/* of const sg_network_iface_stats * */
	struct vec	 fsidx;		/* of struct fs_ref */
	struct vec	 fsnames[2];	/* of const char * (rstr); [fscur] =
					   the names of the last read */
	int		 fscur;

	struct pgen	 procs;		/* the last read's */
	int		 procfd;	/* /proc, kept open */
	int		*pids;
	int		 pids_cap;
	bool		 listed;	/* forks_listed is valid */
	uint64_t	 forks_listed;	/* the fork counter when listed */
	int		 nkept;		/* descriptors kept open */
	int		 fdmax;		/* how many we may keep */
	int		 nsched;	/* of which schedstat ones */
	bool		 fd_capped;	/* fdmax cannot grow (until the
					   next listing of /proc) */
	int		 fd_need;	/* stat and io ones this read wants */
	bool		 fd_tight;	/* no room for three per process: a
					   still one's schedstat then takes
					   the place of its io */
	struct vec	 gone[2];	/* of int: pids gone in the last read
					   and in this one ([gcur]), rising */
	int		 gcur;
	int		 gone_lost;	/* reads to go before gone[] are
					   whole again (out of memory) */
	struct ucache	 users;
	char		 pbuf[PROC_BUF];
	char		 raw[CMDLINE_MAX];
	char		 clean[CMDLINE_MAX];

	double		 self_cpu;
	double		 self_mono;	/* when self_cpu was read */
	double		 self_pct;	/* the last window's figure */
	bool		 self_ok;
};

struct fs_ref {
	const sg_fs_stats	*f;
	int			 i;
	bool			 keep;
};

static int	live_read(void *, struct sample *, struct proctab *, char **);
static void	live_close(void *);

static const struct source_ops live_ops = { "live", live_read, live_close };

static int
vec_reserve(struct vec *a, int n, size_t elem)
{
	return array_grow(&a->v, &a->cap, n, elem, false);
}

/*
 * Index of name among the n entries at base (stride bytes apart, each
 * starting with its NUL-terminated name), searching from *hint round; -1
 * when absent.  *hint moves past a match.
 */
static int
find_name(const void *base, int n, size_t stride, const char *name,
    int *hint)
{
	const char	*p;
	int		 i, k;

	for (k = 0; k < n; k++) {
		i = (*hint + k) % n;
		p = (const char *)base + (size_t)i * stride;
		if (strcmp(p, name) == 0) {
			*hint = i + 1;
			return i;
		}
	}
	return -1;
}

static void
cpu_ticks_of(const struct stat_stack *s, struct cpu_ticks *t)
{
	t->user = RES(C_USER, ull_int, s);
	t->nice = RES(C_NICE, ull_int, s);
	t->system = RES(C_SYSTEM, ull_int, s);
	t->idle = RES(C_IDLE, ull_int, s);
	t->iowait = RES(C_IOWAIT, ull_int, s);
	t->irq = RES(C_IRQ, ull_int, s);
	t->softirq = RES(C_SOFTIRQ, ull_int, s);
	t->steal = RES(C_STEAL, ull_int, s);
}

/* Per-CPU shares, at out->per_cpu[id]: an offline CPU is a NAN slot, so
 * CPUs going away or coming back are never attributed to another id. */
static void
read_per_cpu(struct live *l, struct sample *out, const struct stat_reap *r)
{
	struct cpu_ticks	 t;
	struct cpu_slot		*slot, *p;
	int			 i, id, maxid = -1, ncap;

	for (i = 0; i < r->total; i++) {
		id = RES(C_ID, s_int, r->stacks[i]);
		if (id >= 0 && id < CPU_ID_MAX && id > maxid)
			maxid = id;
	}
	if (maxid < 0 || sample_reserve_cpus(out, maxid + 1) != 0)
		return;
	if (maxid >= l->cpus_cap) {
		ncap = maxid + 1;
		if ((p = realloc(l->cpus, (size_t)ncap * sizeof *p)) == NULL)
			return;
		memset(p + l->cpus_cap, 0,
		    (size_t)(ncap - l->cpus_cap) * sizeof *p);
		l->cpus = p;
		l->cpus_cap = ncap;
	}
	out->ncpu = maxid + 1;
	for (i = 0; i <= maxid; i++)
		cpu_figs_na(&out->per_cpu[i]);
	for (i = 0; i < r->total; i++) {
		id = RES(C_ID, s_int, r->stacks[i]);
		if (id < 0 || id > maxid)
			continue;
		cpu_ticks_of(r->stacks[i], &t);
		slot = &l->cpus[id];
		/* Valid only when the same CPU was there at the last read. */
		if (l->reads > 0 && slot->stamp == l->reads)
			cpu_derive(&slot->t, &t, &out->per_cpu[id]);
		slot->t = t;
		slot->stamp = l->reads + 1;
	}
}

static int
read_cpu(struct live *l, struct sample *out, double dt)
{
	struct stat_reaped	*r;
	struct stat_stack	*s;
	struct cpu_ticks	 t;
	uint64_t		 ctxt, intr, forks;

	r = procps_stat_reap(l->stat, STAT_REAP_CPUS_ONLY, cpu_items,
	    C_NITEMS);
	if (r == NULL) {
		l->sum_ok = l->sys_ok = false;
		return -1;
	}
	s = r->summary;
	cpu_ticks_of(s, &t);
	if (l->sum_ok)
		cpu_derive(&l->sum, &t, &out->cpu);
	l->sum = t;
	l->sum_ok = true;

	ctxt = RES(C_CTXT, ul_int, s);
	intr = RES(C_INTR, ul_int, s);
	forks = RES(C_FORKS, ul_int, s);
	if (l->sys_ok) {
		out->ctxsw_ps = rate_fig(l->ctxt, ctxt, dt);
		out->intr_ps = rate_fig(l->intr, intr, dt);
		out->forks_ps = rate_fig(l->forks, forks, dt);
	}
	l->ctxt = ctxt;
	l->intr = intr;
	l->forks = forks;
	l->sys_ok = true;
	out->procs_running = (double)RES(C_RUNNING, ul_int, s);
	out->procs_blocked = (double)RES(C_BLOCKED, ul_int, s);

	if (r->cpus != NULL && r->cpus->total > 0) {
		l->ncpu = r->cpus->total;
		read_per_cpu(l, out, r->cpus);
	}
	return 0;
}

static void
read_load(struct sample *out)
{
	double	 a, b, c;

	if (procps_loadavg(&a, &b, &c) == 0) {
		out->load[0] = a;
		out->load[1] = b;
		out->load[2] = c;
	}
}

static int
read_mem(struct live *l, struct sample *out)
{
	struct meminfo_stack	*s;
	struct mem_figs		*m = &out->mem;
	double			 total, avail, swap, swfree;

	if ((s = procps_meminfo_select(l->mem, mem_items, M_NITEMS)) == NULL)
		return -1;
	total = (double)RES(M_TOTAL, ul_int, s) * 1024;
	avail = (double)RES(M_AVAIL, ul_int, s) * 1024;
	if (total > 0) {
		if (avail > total)
			avail = total;
		m->total_bytes = total;
		m->available_bytes = avail;
		m->used_bytes = total - avail;
		m->used_pct = m->used_bytes * 100 / total;
		m->free_bytes = (double)RES(M_FREE, ul_int, s) * 1024;
		m->cached_bytes = ((double)RES(M_CACHED, ul_int, s) +
		    (double)RES(M_BUFFERS, ul_int, s)) * 1024;
	}
	swap = (double)RES(M_SWAP_TOTAL, ul_int, s) * 1024;
	swfree = (double)RES(M_SWAP_FREE, ul_int, s) * 1024;
	m->swap_total_bytes = swap;
	m->swap_used_bytes = swfree <= swap ? swap - swfree : FIG_NA;
	return 0;
}

static void
read_vmstat(struct live *l, struct sample *out, double dt)
{
	struct vmstat_stack	*s;
	struct mem_figs		*m = &out->mem;
	uint64_t		 v[V_NITEMS];
	int			 i;

	l->vm_still = false;
	if ((s = procps_vmstat_select(l->vm, vm_items, V_NITEMS)) == NULL) {
		l->vm_ok = false;
		return;
	}
	for (i = 0; i < V_NITEMS; i++)
		v[i] = RES(i, ul_int, s);
	if (l->vm_ok) {
		/* Reclaim and swap-out shrink the RSS of processes that do
		 * not run, khugepaged's collapses grow it. */
		l->vm_still = v[V_SWPOUT] == l->vmv[V_SWPOUT];
		for (i = V_STEAL_K; i < V_NITEMS; i++)
			if (v[i] != l->vmv[i])
				l->vm_still = false;
		m->majflt_ps = rate_fig(l->vmv[V_MAJFLT], v[V_MAJFLT], dt);
		m->swapin_ps = rate_fig(l->vmv[V_SWPIN], v[V_SWPIN], dt);
		m->swapout_ps = rate_fig(l->vmv[V_SWPOUT], v[V_SWPOUT], dt);
		m->oom_kills = delta_fig(l->vmv[V_OOM], v[V_OOM]);
	}
	m->oom_kills_total = (double)v[V_OOM];
	memcpy(l->vmv, v, sizeof l->vmv);
	l->vm_ok = true;
}

static void
read_psi(struct sample *out)
{
	static const char *const paths[PSI_NRES] = {
		[PSI_CPU] = "/proc/pressure/cpu",
		[PSI_MEMORY] = "/proc/pressure/memory",
		[PSI_IO] = "/proc/pressure/io"
	};
	int	 i;

	for (i = 0; i < PSI_NRES; i++)
		psi_read(paths[i], &out->psi[i]);
}

static void
disk_figs_na(struct disk_figs *d)
{
	d->read_bps = d->write_bps = d->read_iops = d->write_iops = FIG_NA;
	d->util_pct = d->await_ms = d->queue = d->inflight = FIG_NA;
}

/* A shared copy of a machine's name, sanitized and cut to size bytes
 * (at most NAME_MAX_MOUNT); never NULL. */
static const char *
name_new(const char *raw, size_t size)
{
	char		 buf[NAME_MAX_MOUNT];
	const char	*r;

	text_sanitize_str(buf, size < sizeof buf ? size : sizeof buf, raw);
	return (r = rstr_dup(buf)) != NULL ? r : RSTR_EMPTY;
}

/*
 * Forget the slots of a read (of stride bytes, each with an rstr at off),
 * dropping the names not moved on to the next read.
 */
static void
slots_drop(struct vec *a, size_t stride, size_t off)
{
	const char	*name;
	int		 i;

	for (i = 0; i < a->n; i++) {
		memcpy(&name, (char *)a->v + (size_t)i * stride + off,
		    sizeof name);
		rstr_unref(name);
	}
	a->n = 0;
}
#define disk_slots_drop(a) \
	slots_drop((a), sizeof(struct disk_slot), offsetof(struct disk_slot, shown))
#define net_slots_drop(a) \
	slots_drop((a), sizeof(struct net_slot), offsetof(struct net_slot, shown))

/* Whole disks, not partitions nor the hidden kinds (loop, ram...). */
static bool
disk_shown(struct diskstats_stack *s)
{
	const char	*name = RES(D_NAME, str, s);

	return RES(D_TYPE, s_int, s) == DISKSTATS_TYPE_DISK && name != NULL &&
	    !disk_name_hidden(name);
}

static void
read_disks(struct live *l, struct sample *out, double dt)
{
	struct diskstats_reaped	*r;
	struct diskstats_stack	*s;
	struct vec		*prev = &l->disks[l->dcur];
	struct vec		*cur = &l->disks[!l->dcur];
	struct disk_slot	*slot, *old;
	struct disk_figs	*d;
	const char		*name;
	int			 i, j, n, hint = 0;

	cur->n = 0;
	if ((r = procps_diskstats_reap(l->disk, disk_items, D_NITEMS)) ==
	    NULL) {
		disk_slots_drop(prev);
		return;
	}
	/* Partitions and loop devices are most of the list: a sample's
	 * array (one of 600) is sized for the disks shown only. */
	for (i = n = 0; i < r->total; i++)
		n += disk_shown(r->stacks[i]);
	if (vec_reserve(cur, n, sizeof *slot) != 0 ||
	    sample_reserve_disks(out, n) != 0) {
		disk_slots_drop(prev);
		return;
	}
	for (i = 0; i < r->total; i++) {
		s = r->stacks[i];
		if (!disk_shown(s))
			continue;
		name = RES(D_NAME, str, s);
		slot = (struct disk_slot *)cur->v + cur->n++;
		strlcpy0(slot->name, name, sizeof slot->name);
		slot->shown = NULL;
		slot->raw.reads = RES(D_READS, ul_int, s);
		slot->raw.writes = RES(D_WRITES, ul_int, s);
		slot->raw.read_sectors = RES(D_RSECT, ul_int, s);
		slot->raw.write_sectors = RES(D_WSECT, ul_int, s);
		slot->raw.read_ms = RES(D_RTIME, ul_int, s);
		slot->raw.write_ms = RES(D_WTIME, ul_int, s);
		slot->raw.io_ms = RES(D_IOTIME, ul_int, s);
		slot->raw.weighted_ms = RES(D_WEIGHTED, ul_int, s);
		slot->raw.inflight = RES(D_INFLIGHT, s_int, s);

		d = &out->disks[out->ndisk++];
		disk_figs_na(d);
		j = find_name(prev->v, prev->n, sizeof *slot, slot->name,
		    &hint);
		if (j >= 0) {
			old = (struct disk_slot *)prev->v + j;
			slot->shown = old->shown;
			old->shown = NULL;
			disk_derive(&old->raw, &slot->raw, dt, d);
		} else if (slot->raw.inflight >= 0)
			d->inflight = slot->raw.inflight;
		if (slot->shown == NULL)
			slot->shown = name_new(name, NAME_MAX_DEV);
		d->name = rstr_ref(slot->shown);
	}
	disk_slots_drop(prev);
	l->dcur = !l->dcur;
}

static int
iface_cmp(const void *a, const void *b)
{
	const sg_network_iface_stats *const *x = a, *const *y = b;

	return strcmp((*x)->interface_name, (*y)->interface_name);
}

/* Sort libstatgrab's interfaces by name into l->ifidx; returns the count. */
static int
iface_index(struct live *l)
{
	sg_network_iface_stats		*ifs;
	const sg_network_iface_stats	**v;
	size_t				 n, i;
	int				 k = 0;

	if ((ifs = sg_get_network_iface_stats(&n)) == NULL || n > INT32_MAX ||
	    vec_reserve(&l->ifidx, (int)n, sizeof *v) != 0)
		return 0;
	v = l->ifidx.v;
	for (i = 0; i < n; i++) {
		if (ifs[i].interface_name != NULL)
			v[k++] = &ifs[i];
	}
	qsort(v, (size_t)k, sizeof *v, iface_cmp);
	return k;
}

static void
net_link(struct live *l, int nif, const char *name, struct net_figs *nf)
{
	sg_network_iface_stats		 key;
	const sg_network_iface_stats	*kp = &key, **hit;
	double				 factor;

	nf->up = -1;
	nf->speed_bps = FIG_NA;
	key.interface_name = (char *)(uintptr_t)name;
	if (nif == 0)
		return;
	hit = bsearch(&kp, l->ifidx.v, (size_t)nif, sizeof kp, iface_cmp);
	if (hit == NULL)
		return;
	nf->up = (*hit)->up == SG_IFACE_UP ? 1 : 0;
	/* 0 and (unsigned)-1 (virtio, "unknown") are not speeds. */
	if ((*hit)->speed > 0 && (*hit)->speed < UINT32_MAX) {
		factor = (*hit)->factor > 0 ? (double)(*hit)->factor : 1e6;
		nf->speed_bps = (double)(*hit)->speed * factor / 8;
	}
}

static void
read_nets(struct live *l, struct sample *out, double dt)
{
	struct vec		*prev = &l->nets[l->ncur];
	struct vec		*cur = &l->nets[!l->ncur];
	struct netdev_row	 row;
	struct net_slot		*slot, *old;
	struct net_figs		*nf;
	const char		*pos;
	int			 j, hint = 0, nif;

	cur->n = 0;
	if (procfs_slurp("/proc/net/dev", &l->netbuf, &l->netcap) < 0) {
		net_slots_drop(prev);
		return;
	}
	nif = iface_index(l);
	pos = l->netbuf;
	while (netdev_next(&pos, &row)) {
		if (vec_reserve(cur, cur->n + 1, sizeof *slot) != 0 ||
		    sample_reserve_nets(out, out->nnet + 1) != 0)
			break;
		slot = (struct net_slot *)cur->v + cur->n++;
		memcpy(slot->name, row.name, sizeof slot->name);
		slot->raw = row.raw;
		slot->shown = NULL;

		nf = &out->nets[out->nnet++];
		memset(nf, 0, sizeof *nf);
		nf->rx_bps = nf->tx_bps = nf->rx_pps = nf->tx_pps = FIG_NA;
		nf->rx_errors_ps = nf->tx_errors_ps = FIG_NA;
		nf->rx_drops_ps = nf->tx_drops_ps = FIG_NA;
		j = find_name(prev->v, prev->n, sizeof *slot, slot->name,
		    &hint);
		if (j >= 0) {
			old = (struct net_slot *)prev->v + j;
			slot->shown = old->shown;
			old->shown = NULL;
			net_derive(&old->raw, &slot->raw, dt, nf);
		}
		if (slot->shown == NULL)
			slot->shown = name_new(row.name, NAME_MAX_DEV);
		nf->name = rstr_ref(slot->shown);
		net_link(l, nif, row.name, nf);
	}
	net_slots_drop(prev);
	l->ncur = !l->ncur;
}

/* Order: device, then shorter mount point first, then mount point. */
static int
fs_ref_cmp(const void *a, const void *b)
{
	const struct fs_ref	*x = a, *y = b;
	size_t			 lx, ly;
	int			 c;

	if ((c = strcmp(x->f->device_name, y->f->device_name)) != 0)
		return c;
	lx = strlen(x->f->mnt_point);
	ly = strlen(y->f->mnt_point);
	if (lx != ly)
		return lx < ly ? -1 : 1;
	if ((c = strcmp(x->f->mnt_point, y->f->mnt_point)) != 0)
		return c;
	return x->i - y->i;
}

static int
fs_ref_cmp_index(const void *a, const void *b)
{
	const struct fs_ref	*x = a, *y = b;

	return x->i - y->i;
}

static void
names_drop(struct vec *a)
{
	const char	**v = a->v;
	int		  i;

	for (i = 0; i < a->n; i++)
		rstr_unref(v[i]);
	a->n = 0;
}

/*
 * The shared name of a filesystem's mount point, device or type (cut to
 * size bytes, at most NAME_MAX_MOUNT): the last read's when the same (it is looked for where it was: *hint), else a new
 * one.  Kept for the next read too.  Never NULL.
 */
static const char *
fs_name(struct live *l, int *hint, const char *raw, size_t size)
{
	struct vec	 *prev = &l->fsnames[l->fscur];
	struct vec	 *next = &l->fsnames[!l->fscur];
	const char	**pv = prev->v, *r = NULL;
	char		  buf[NAME_MAX_MOUNT];
	int		  k, i;

	text_sanitize_str(buf, size < sizeof buf ? size : sizeof buf, raw);
	for (k = 0; k < prev->n && r == NULL; k++) {
		i = (*hint + k) % prev->n;
		if (strcmp(pv[i], buf) == 0) {
			r = rstr_ref(pv[i]);
			*hint = i + 1;
		}
	}
	if (r == NULL && (r = rstr_dup(buf)) == NULL)
		return RSTR_EMPTY;
	if (vec_reserve(next, next->n + 1, sizeof r) == 0)
		((const char **)next->v)[next->n++] = rstr_ref(r);
	return r;
}

/*
 * Filesystems as df shows them: a block device (a name starting with '/')
 * once, at its shortest mount point (bind mounts are the same space);
 * other devices (overlay, zfs datasets) once per mount point.
 */
static void
read_fs(struct live *l, struct sample *out)
{
	sg_fs_stats	*fs;
	struct fs_ref	*v, *prev;
	struct fs_figs	*o;
	size_t		 n, i;
	int		 k = 0, j, last = 0;
	double		 used, avail;

	if ((fs = sg_get_fs_stats(&n)) == NULL || n > INT32_MAX ||
	    vec_reserve(&l->fsidx, (int)n, sizeof *v) != 0)
		return;
	v = l->fsidx.v;
	for (i = 0; i < n; i++) {
		if (fs[i].device_name == NULL || fs[i].mnt_point == NULL ||
		    fs[i].fs_type == NULL || !fs_type_wanted(fs[i].fs_type))
			continue;
		v[k].f = &fs[i];
		v[k].i = (int)i;
		v[k].keep = true;
		k++;
	}
	qsort(v, (size_t)k, sizeof *v, fs_ref_cmp);
	for (j = 1; j < k; j++) {
		prev = &v[j - 1];
		if (strcmp(prev->f->device_name, v[j].f->device_name) != 0)
			continue;
		if (v[j].f->device_name[0] == '/' ||
		    strcmp(prev->f->mnt_point, v[j].f->mnt_point) == 0)
			v[j].keep = false;
	}
	qsort(v, (size_t)k, sizeof *v, fs_ref_cmp_index);
	if (sample_reserve_fs(out, k) != 0)
		return;
	for (j = 0; j < k; j++) {
		if (!v[j].keep)
			continue;
		o = &out->fs[out->nfs++];
		o->mount = fs_name(l, &last, v[j].f->mnt_point,
		    NAME_MAX_MOUNT);
		o->device = fs_name(l, &last, v[j].f->device_name,
		    NAME_MAX_FSDEV);
		o->fstype = fs_name(l, &last, v[j].f->fs_type,
		    NAME_MAX_FSTYPE);
		used = (double)v[j].f->used;
		avail = (double)v[j].f->avail;
		o->size_bytes = (double)v[j].f->size;
		o->used_bytes = used;
		o->avail_bytes = avail;
		o->used_pct = used + avail > 0 ? used * 100 / (used + avail) :
		    FIG_NA;
	}
	names_drop(&l->fsnames[l->fscur]);
	l->fscur = !l->fscur;
}

static int
pgen_reserve(struct pgen *g, int n)
{
	return array_grow((void **)&g->v, &g->cap, n, sizeof *g->v, false);
}

static int
int_cmp(const void *a, const void *b)
{
	const int	*x = a, *y = b;

	return (*x > *y) - (*x < *y);
}

/*
 * May one more descriptor be kept open, with more left over?  Raises the
 * soft RLIMIT_NOFILE towards the hard one as the process count needs it,
 * leaving FD_SPARE to the rest of perftop; when that is spent, files are
 * read and closed.
 */
static bool
fd_room(struct live *l, int more)
{
	struct rlimit	 rl;
	rlim_t		 want;

	if (l->nkept + more < l->fdmax)
		return true;
	if (l->fd_capped)
		return false;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= rl.rlim_max) {
		/* No system call per process and read from now on. */
		l->fd_capped = true;
		return false;
	}
	want = rl.rlim_cur * 2 > rl.rlim_cur ? rl.rlim_cur * 2 : rl.rlim_max;
	if (want > rl.rlim_max || want > INT32_MAX / 2)
		want = rl.rlim_max < INT32_MAX / 2 ? rl.rlim_max : INT32_MAX / 2;
	rl.rlim_cur = want;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
		return false;
	if ((int)want - FD_SPARE > l->fdmax)
		l->fdmax = (int)want - FD_SPARE;
	return l->nkept + more < l->fdmax;
}

/* Can the hard limit not hold stat, io and schedstat for n processes? */
static bool
fd_tight(int n)
{
	struct rlimit	 rl;

	return getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
	    rl.rlim_max != RLIM_INFINITY &&
	    (rlim_t)n * 3 + FD_SPARE > rl.rlim_max;
}

static bool
fd_may_keep(struct live *l)
{
	return fd_room(l, 0);
}

static void
fd_close(struct live *l, int *fd)
{
	if (*fd >= 0) {
		close(*fd);
		l->nkept--;
		*fd = -1;
	}
}

static void
sched_close(struct live *l, struct pstate *ps)
{
	if (ps->sched_fd >= 0) {
		fd_close(l, &ps->sched_fd);
		l->nsched--;
	}
}

static void
pstate_close(struct live *l, struct pstate *ps)
{
	fd_close(l, &ps->stat_fd);
	fd_close(l, &ps->io_fd);
	sched_close(l, ps);
	rstr_unref(ps->comm);
	rstr_unref(ps->cmd);
	ps->comm = ps->cmd = NULL;
}

/* Open /proc/PID/file relative to the kept /proc descriptor. */
static int
proc_open(struct live *l, int pid, const char *file)
{
	char	 path[48];

	snprintf(path, sizeof path, "%d/%s", pid, file);
	return openat(l->procfd, path, O_RDONLY | O_CLOEXEC);
}

/*
 * Read /proc/PID/file into l->pbuf through *kept when open, else by
 * opening it, keeping the descriptor in *kept if allowed (keep).  Returns
 * the length or -1: a kept descriptor that fails is closed.
 */
static ssize_t
proc_file(struct live *l, int pid, const char *file, int *kept, bool keep)
{
	ssize_t	 n;
	int	 fd;

	if (*kept >= 0) {
		if ((n = procfs_pread(*kept, l->pbuf, sizeof l->pbuf)) < 0)
			fd_close(l, kept);
		return n;
	}
	if ((fd = proc_open(l, pid, file)) < 0)
		return -1;
	n = procfs_pread(fd, l->pbuf, sizeof l->pbuf);
	if (n >= 0 && keep && fd_may_keep(l)) {
		*kept = fd;
		l->nkept++;
	} else
		close(fd);
	return n;
}

static void
ucache_free(struct ucache *c)
{
	int	 i;

	for (i = 0; i < c->cap; i++)
		if (c->v[i].used)
			rstr_unref(c->v[i].name);
	free(c->v);
	memset(c, 0, sizeof *c);
}

static struct uname *
ucache_slot(struct uname *v, int cap, uint32_t uid)
{
	unsigned	 i = (uid * 2654435761u) & (unsigned)(cap - 1);

	while (v[i].used && v[i].uid != uid)
		i = (i + 1) & (unsigned)(cap - 1);
	return &v[i];
}

/* The sanitized name of uid, an rstr the cache holds (RSTR_EMPTY when
 * out of memory). */
static const char *
ucache_get(struct live *l, uint32_t uid)
{
	struct ucache	*c = &l->users;
	struct uname	*e, *v;
	struct passwd	 pw, *res = NULL;
	char		 buf[4096], num[NAME_MAX_USER];
	int		 i, ncap;

	if (c->cap > 0) {
		e = ucache_slot(c->v, c->cap, uid);
		if (e->used)
			return e->name;
	}
	if ((c->n + 1) * 2 > c->cap) {
		ncap = c->cap > 0 ? c->cap * 2 : 64;
		if ((v = calloc((size_t)ncap, sizeof *v)) == NULL)
			return RSTR_EMPTY;
		for (i = 0; i < c->cap; i++) {
			if (c->v[i].used)
				*ucache_slot(v, ncap, c->v[i].uid) = c->v[i];
		}
		free(c->v);
		c->v = v;
		c->cap = ncap;
	}
	e = ucache_slot(c->v, c->cap, uid);
	e->used = true;
	e->uid = uid;
	c->n++;
	/* Thread-safe lookup: the UI thread may use getpw* too. */
	if (getpwuid_r((uid_t)uid, &pw, buf, sizeof buf, &res) == 0 &&
	    res != NULL && pw.pw_name != NULL)
		text_sanitize_str(num, sizeof num, pw.pw_name);
	else
		snprintf(num, sizeof num, "%u", uid);
	if ((e->name = rstr_dup(num)) == NULL)
		e->name = RSTR_EMPTY;
	return e->name;
}

/*
 * Set ps->cmd: old's (moved from it) unless it is time to read it again,
 * which is only done when it might have changed.
 */
static void
pstate_cmdline(struct live *l, struct pstate *ps, struct pstate *old,
    bool refresh, const char *comm)
{
	ssize_t	 n;

	if (old != NULL && old->cmd != NULL && !refresh) {
		ps->cmd = old->cmd;
		old->cmd = NULL;
		return;
	}
	/* A kernel thread has none: no file to open and read. */
	n = ps->kthread ? 0 :
	    procfs_cmdline(l->procfd, ps->pid, l->raw, sizeof l->raw);
	if (n <= 0) {
		/* Kernel threads, zombies and the vanished: "[comm]", as ps. */
		n = snprintf(l->raw, sizeof l->raw, "[%s]", comm);
		if (n < 0)
			n = 0;
		else if ((size_t)n >= sizeof l->raw)
			n = (ssize_t)sizeof l->raw - 1;
	}
	text_sanitize(l->clean, sizeof l->clean, l->raw, (size_t)n, false);
	/* Unchanged (the usual re-read): keep the one the ring shares. */
	if (old != NULL && old->cmd != NULL && strcmp(old->cmd, l->clean) == 0) {
		ps->cmd = old->cmd;
		old->cmd = NULL;
	} else
		ps->cmd = rstr_dup(l->clean);
}

/*
 * The effective uid of ps: the owner of its /proc/PID directory, which the
 * kernel keeps the euid even for a process that is not dumpable (unlike
 * the files in it) so that ps could stat it rather than read the far
 * dearer status file; that file is only the fallback.  Kernel threads are
 * root's: nothing to ask.
 */
static void
pstate_uid(struct live *l, struct pstate *ps)
{
	struct stat	 sb;
	char		 dir[16];
	int		 fd = -1;

	if (ps->kthread) {
		ps->uid = 0;
		ps->uid_ok = true;
		return;
	}
	snprintf(dir, sizeof dir, "%d", ps->pid);
	if (fstatat(l->procfd, dir, &sb, 0) == 0) {
		ps->uid = (uint32_t)sb.st_uid;
		ps->uid_ok = true;
	} else if (proc_file(l, ps->pid, "status", &fd, false) > 0 &&
	    status_euid(l->pbuf, &ps->uid))
		ps->uid_ok = true;
}

/*
 * /proc/PID/io of ps.  Readability is asked once per process and again
 * after an exec (recheck), which may change credentials; an unreadable
 * file, or one that stops being readable, gives NAN rates, never 0.
 */
static void
pstate_io(struct live *l, struct pstate *ps, const struct pstate *old,
    bool recheck)
{
	if (recheck) {
		fd_close(l, &ps->io_fd);
		ps->io_ok = true;
	} else
		ps->io_ok = old->io_ok;
	if (!ps->io_ok)
		return;
	if (proc_file(l, ps->pid, "io", &ps->io_fd,
	    !l->fd_tight || ps->sched_fd < 0) <= 0 ||
	    !pidio_parse(l->pbuf, &ps->io_r, &ps->io_w)) {
		fd_close(l, &ps->io_fd);
		ps->io_ok = false;
	}
}

/*
 * The I/O rates of process ps (old: its last read, NULL when new) into
 * row.  /proc/PID/io costs a third of a process's read.  A process that
 * did no I/O at its last read and has not run since (its CPU ticks did
 * not move) has none to show: its file is left alone, but read every
 * IO_SWEEP reads all the same (by pid, spread: turn), for the one that
 * moves bytes on almost no CPU; its rate then covers the time since its
 * last read.  A new process has no rate yet.
 */
static void
proc_io(struct live *l, struct pstate *ps, const struct pstate *old,
    bool exec, unsigned turn, struct proc *row)
{
	double	 dt;

	row->read_bps = row->write_bps = FIG_NA;
	ps->io_idle = false;
	if (old != NULL && !exec && old->io_ok && old->io_idle &&
	    ps->ticks == old->ticks && turn % IO_SWEEP != 0) {
		ps->io_ok = ps->io_idle = true;
		ps->io_r = old->io_r;
		ps->io_w = old->io_w;
		ps->io_mono = old->io_mono;
		row->read_bps = row->write_bps = 0;
		return;
	}
	pstate_io(l, ps, old, old == NULL || exec);
	ps->io_mono = l->now;
	if (old != NULL && old->io_ok && ps->io_ok) {
		dt = ps->io_mono - old->io_mono;
		row->read_bps = rate_fig(old->io_r, ps->io_r, dt);
		row->write_bps = rate_fig(old->io_w, ps->io_w, dt);
		ps->io_idle = row->read_bps == 0 && row->write_bps == 0;
	}
}

/* Note that pid is gone: a process whose parent it was has a new one. */
static void
gone_add(struct live *l, int pid)
{
	int	*e;

	e = array_push(&l->gone[l->gcur].v, &l->gone[l->gcur].cap,
	    &l->gone[l->gcur].n, sizeof *e);
	if (e != NULL)
		*e = pid;
	else
		l->gone_lost = 2;
}

static bool
gone_has(const struct live *l, int pid)
{
	int	 i;

	for (i = 0; i < 2; i++) {
		if (l->gone[i].n > 0 && bsearch(&pid, l->gone[i].v,
		    (size_t)l->gone[i].n, sizeof pid, int_cmp) != NULL)
			return true;
	}
	return false;
}

/*
 * Has process ps (old: its last read) not run since?  Then its stat would
 * say what it said, and *st is filled from old instead: /proc/PID/schedstat
 * costs half of stat, and most processes sleep.  Whatever changes a
 * process's stat makes it run (its main thread: hence one thread only),
 * but for these, ruled out here: a new parent when the old one exits (no
 * parent gone nor turned zombie in this read or the last), memory taken
 * back or collapsed into huge pages by the kernel (no page reclaimed,
 * swapped out or collapsed on the machine since the last read), a wake-up
 * not yet followed by a run (R is never taken for still).  What no counter
 * tells (pages another process pages out with process_madvise or DAMON,
 * pages written by a debugger) shows at the next sweep: stat is read
 * anyway every STAT_SWEEP reads.  The runtime is read before the stat
 * file, so that an unchanged runtime means no run since that stat was
 * read either.  A process seen running at the last look is looked at
 * again every BUSY_LOOK reads only, as a look costs a read of schedstat.
 */
static bool
proc_still(struct live *l, struct pstate *ps, const struct pstate *old,
    unsigned turn, struct pidstat *st)
{
	uint64_t	 ns;
	ssize_t		 n;
	int		 need;
	bool		 had;

	ps->runtime = old->runtime;
	ps->ran = old->ran;
	if (old->nlwp != 1 || l->no_still) {
		sched_close(l, ps);
		return false;
	}
	if (turn % STAT_SWEEP == 0 || (old->ran && turn % BUSY_LOOK != 0) ||
	    old->state == 'R' || old->comm == NULL || old->cmd == NULL ||
	    !l->vm_still || l->gone_lost > 0 || gone_has(l, old->ppid))
		return false;
	/*
	 * A saving, not a need: never at the cost of a stat one, nor of an
	 * io one unless descriptors are short; then an idle process's io
	 * file, read every STAT_SWEEP reads, is opened when read, and its
	 * schedstat, read every time, is kept instead.
	 */
	if (l->fd_tight && old->io_idle)
		fd_close(l, &ps->io_fd);
	if (ps->sched_fd < 0) {
		need = l->fd_need - (l->nkept - l->nsched);
		if (!fd_room(l, need > 0 ? need : 0))
			return false;
	}
	had = ps->sched_fd >= 0;
	n = proc_file(l, ps->pid, "schedstat", &ps->sched_fd, true);
	if (!had && ps->sched_fd >= 0)
		l->nsched++;
	if (n <= 0 || !schedstat_runtime(l->pbuf, &ns)) {
		sched_close(l, ps);
		ps->runtime = 0;
		ps->ran = false;
		return false;
	}
	ps->runtime = ns;
	ps->ran = ns != old->runtime && old->runtime != 0;
	if (ps->ran && l->fd_tight)
		sched_close(l, ps);	/* its io one is worth more now */
	if (ns != old->runtime || old->runtime == 0)
		return false;
	ps->still = true;
	ps->comm_hash = old->comm_hash;
	memset(st, 0, sizeof *st);
	st->pid = ps->pid;
	st->ppid = old->ppid;
	st->nlwp = old->nlwp;
	st->state = old->state;
	st->flags = old->kthread ? PF_KTHREAD : 0;
	st->utime = old->ticks;
	st->starttime = old->began;
	st->rss = old->rss;
	return true;
}

/* The process *old read was is gone: what ps took of it goes too. */
static void
proc_gone(struct live *l, struct pstate *ps, struct pstate **old)
{
	fd_close(l, &ps->io_fd);
	sched_close(l, ps);
	gone_add(l, ps->pid);
	*old = NULL;
}

/*
 * Read /proc/PID/stat of ps into *st; *old is set to NULL when that
 * process is gone (the pid may be another's now).  False when no process
 * could be read.
 */
static bool
proc_stat(struct live *l, struct pstate *ps, struct pstate **old,
    struct pidstat *st)
{
	ssize_t	 n;

	n = proc_file(l, ps->pid, "stat", &ps->stat_fd, true);
	if (n < 0 && *old != NULL) {
		/* ESRCH: that process is gone, the pid may be another's. */
		proc_gone(l, ps, old);
		n = proc_file(l, ps->pid, "stat", &ps->stat_fd, true);
	}
	if (n < 0 || pidstat_parse(l->pbuf, (size_t)n, st) != 0 ||
	    st->pid != ps->pid)
		return false;
	/* The same process: same pid and start time (pids are reused). */
	if (*old != NULL && (*old)->began != st->starttime)
		proc_gone(l, ps, old);
	if (*old == NULL) {
		ps->runtime = 0;
		ps->ran = false;
	}
	/* A comm that changes is an exec (or a renamed kernel thread). */
	ps->comm_hash = str_hash(st->comm);
	return true;
}

/*
 * Read process pid into cur->v[cur->n], old being its state at the last
 * read (same pid; its descriptors move here).  Returns false when the
 * process is gone or unreadable (its descriptors then closed).
 */
static bool
proc_row(struct live *l, struct pgen *cur, int pid, struct pstate *old,
    double dt, struct proctab *tab)
{
	struct pstate	*ps = &cur->v[cur->n];
	struct pidstat	 st;
	struct proc	 row;
	char		 comm[NAME_MAX_COMM];
	bool		 fresh, exec, refresh;
	/* Spread the re-reads over the reads, by pid. */
	unsigned	 turn = (unsigned)pid + (unsigned)l->reads;

	memset(ps, 0, sizeof *ps);
	ps->pid = pid;
	ps->stat_fd = ps->io_fd = ps->sched_fd = -1;
	if (old != NULL) {
		ps->stat_fd = old->stat_fd;
		ps->io_fd = old->io_fd;
		ps->sched_fd = old->sched_fd;
		old->stat_fd = old->io_fd = old->sched_fd = -1;
	}
	if ((old == NULL || !proc_still(l, ps, old, turn, &st)) &&
	    !proc_stat(l, ps, &old, &st)) {
		if (old != NULL)
			gone_add(l, pid);
		pstate_close(l, ps);
		return false;
	}
	/* What a still process's next read may take from this one. */
	ps->began = st.starttime;
	ps->ticks = st.utime + st.stime;
	ps->state = st.state;
	ps->ppid = st.ppid;
	ps->nlwp = st.nlwp;
	ps->rss = st.rss;
	ps->kthread = (st.flags & PF_KTHREAD) != 0;
	/* An exiting parent hands its children to another at once, and
	 * may stay a zombie in /proc for long: gone as a parent. */
	if ((st.state == 'Z' || st.state == 'X') &&
	    (old == NULL || old->state != st.state))
		gone_add(l, pid);

	fresh = old == NULL;
	/* An exec changes the command line and maybe the credentials; the
	 * counters (ticks, I/O) go on. */
	exec = !fresh && old->comm_hash != ps->comm_hash;
	refresh = fresh || exec || turn % CMDLINE_REFRESH == 0;

	proc_io(l, ps, old, exec, turn, &row);
	ps->uid_ok = !fresh && old->uid_ok;
	ps->uid = !fresh ? old->uid : 0;
	if (fresh || exec || turn % USER_REFRESH == 0)
		pstate_uid(l, ps);

	/* Names are made once per process (and exec), then shared. */
	if (!fresh && !exec && old->comm != NULL) {
		ps->comm = old->comm;
		old->comm = NULL;
	} else {
		text_sanitize_str(comm, sizeof comm, st.comm);
		ps->comm = rstr_dup(comm);
	}
	pstate_cmdline(l, ps, exec ? NULL : old, refresh, st.comm);
	cur->n++;

	row.pid = pid;
	row.ppid = st.ppid;
	row.nlwp = st.nlwp;
	row.state = st.state;
	row.user = ps->uid_ok ? ucache_get(l, ps->uid) : RSTR_EMPTY;
	row.comm = ps->comm != NULL ? ps->comm : RSTR_EMPTY;
	row.cmdline = ps->cmd != NULL ? ps->cmd : RSTR_EMPTY;
	row.start_time = l->boot_time + (double)ps->began / l->hz;
	row.rss_bytes = (double)st.rss * (double)l->pagesize;
	row.cpu_pct = !fresh ? proc_cpu_pct(old->ticks, ps->ticks, l->hz,
	    dt, st.nlwp, l->ncpu) : FIG_NA;
	if (proctab_add_ref(tab, &row) != NULL) {
		tab->total++;
		if (row.state == 'R')
			tab->running++;
		if (st.nlwp > 0)
			tab->threads += st.nlwp;
	}
	return true;
}

static void
pgen_close(struct live *l, struct pgen *g)
{
	int	 i;

	for (i = 0; i < g->n; i++)
		pstate_close(l, &g->v[i]);
	g->n = 0;
}

/*
 * The pids to read, into l->pids; their number or -1.  Listing /proc is a
 * sixth of a read's cost, and needless when no task was created since the
 * last listing: the kernel's fork counter (read from /proc/stat a moment
 * ago, counting every task in every pid namespace) has not moved.  Then
 * the processes are the last read's; those gone since fail their read of
 * a kept descriptor (ESRCH) and are dropped.  /proc is listed anyway every
 * LIST_SWEEP reads.
 */
static int
list_pids(struct live *l, const struct pgen *prev)
{
	int	*p, i, n;

	if (l->listed && l->sys_ok && l->forks == l->forks_listed &&
	    l->reads % LIST_SWEEP != 0) {
		if (prev->n > l->pids_cap) {
			if ((p = realloc(l->pids, (size_t)prev->n *
			    sizeof *p)) == NULL)
				return -1;
			l->pids = p;
			l->pids_cap = prev->n;
		}
		for (i = 0; i < prev->n; i++)
			l->pids[i] = prev->v[i].pid;
		return prev->n;
	}
	n = procfs_pids(l->procfd, &l->pids, &l->pids_cap);
	l->listed = n >= 0 && l->sys_ok;
	l->fd_capped = false;	/* the limit may have been raised (prlimit) */
	l->forks_listed = l->forks;
	return n;
}

/*
 * The process table: the pids in /proc, merged with the last read's
 * (both sorted), so matching is linear; whoever is not listed any more
 * has its descriptors closed.
 */
static int
read_procs(struct live *l, struct proctab *tab, double dt)
{
	struct pgen	*g = &l->procs;
	struct pstate	 old;
	int		 i, j, n, k, nold, ins;
	bool		 have;

	l->gcur ^= 1;
	l->gone[l->gcur].n = 0;
	if (l->gone_lost > 0)
		l->gone_lost--;
	if ((n = list_pids(l, g)) < 0) {
		pgen_close(l, g);
		l->listed = false;
		return -1;
	}
	for (i = 1; i < n && l->pids[i - 1] < l->pids[i]; i++)
		;
	if (i < n) {
		/* Never seen: the kernel lists pids rising. */
		qsort(l->pids, (size_t)n, sizeof *l->pids, int_cmp);
		for (i = k = 0; i < n; i++) {
			if (k == 0 || l->pids[k - 1] != l->pids[i])
				l->pids[k++] = l->pids[i];
		}
		n = k;
	}
	/*
	 * One array, updated in place (two, one per read, cost 80 bytes a
	 * process more).  The last read's entries move up by the number of
	 * new pids, so the merge below never writes over one it has not read
	 * yet: it has written at most as many as it has read plus inserted.
	 */
	nold = g->n;
	for (i = j = ins = 0; i < n; i++) {
		while (j < nold && g->v[j].pid < l->pids[i])
			j++;
		if (j < nold && g->v[j].pid == l->pids[i])
			j++;
		else
			ins++;
	}
	if (pgen_reserve(g, nold + ins) != 0) {
		pgen_close(l, g);
		l->listed = false;
		return -1;
	}
	if (ins > 0 && nold > 0)
		memmove(g->v + ins, g->v, (size_t)nold * sizeof *g->v);
	g->n = 0;
	l->fd_tight = fd_tight(n);
	l->fd_need = l->fd_tight ? n : 2 * n;
	for (i = 0, j = ins; i < n; i++) {
		while (j < ins + nold && g->v[j].pid < l->pids[i]) {
			gone_add(l, g->v[j].pid);
			pstate_close(l, &g->v[j++]);
		}
		if ((have = j < ins + nold && g->v[j].pid == l->pids[i]))
			old = g->v[j++];
		proc_row(l, g, l->pids[i], have ? &old : NULL, dt, tab);
		if (have)
			pstate_close(l, &old);	/* what it did not take */
	}
	while (j < ins + nold) {
		gone_add(l, g->v[j].pid);
		pstate_close(l, &g->v[j++]);
	}
	if (l->reads % UCACHE_FLUSH == UCACHE_FLUSH - 1) {
		/* Users are renamed and created: start afresh now and then. */
		ucache_free(&l->users);
	}
	return 0;
}

/*
 * perftop's own CPU %, over the time between two of these calls (not the
 * sample's dt, which runs from the start of a read: back-to-back reads
 * of different lengths then gave a single thread more than 100 %).
 * The process clock and the monotonic clock are read a few microseconds
 * apart, and that jitter is 10 % of a window of 0.3 ms: a window shorter
 * than SELF_WINDOW keeps its start and shows the last full window's
 * figure, so the error stays under 0.1 %.
 */
#define SELF_WINDOW	0.05

static void
read_self(struct live *l, struct sample *out)
{
	struct timespec	 ts;
	char		 buf[256];
	double		 cpu, now = clock_mono();

	out->self_pid = (int)getpid();
	if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) == 0) {
		cpu = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
		if (!l->self_ok || cpu < l->self_cpu || now < l->self_mono) {
			l->self_pct = FIG_NA;
			l->self_cpu = cpu;
			l->self_mono = now;
			l->self_ok = true;
		} else if (now - l->self_mono >= SELF_WINDOW) {
			l->self_pct = (cpu - l->self_cpu) * 100 /
			    (now - l->self_mono);
			l->self_cpu = cpu;
			l->self_mono = now;
		}
		out->self_cpu_pct = l->self_pct;
	}
	if (procfs_read("/proc/self/statm", buf, sizeof buf) > 0)
		statm_resident(buf, l->pagesize, &out->self_rss_bytes);
}

static int
live_read(void *ctx, struct sample *out, struct proctab *procs, char **cause)
{
	struct live	*l = ctx;
	double		 t0, dt = FIG_NA;
	int		 ok = 0, err = 0;

	/* Clocks to 10 us: what a snapshot keeps of an epoch time (15
	 * significant digits), so a replay sees exactly the times the live
	 * analysis saw. */
	t0 = round(clock_mono() * 1e5) / 1e5;
	l->now = t0;
	out->t = round(clock_wall() * 1e5) / 1e5;
	out->mono = t0;
	if (l->reads > 0 && t0 > l->mono)
		dt = t0 - l->mono;
	out->dt = dt;

	if (read_cpu(l, out, dt) == 0)
		ok++;
	else
		err = errno;
	read_load(out);
	if (read_mem(l, out) == 0)
		ok++;
	else
		err = errno;
	read_vmstat(l, out, dt);
	read_psi(out);
	read_disks(l, out, dt);
	read_nets(l, out, dt);
	read_fs(l, out);
	if (read_procs(l, procs, dt) == 0)
		ok++;
	else
		err = errno;
	read_self(l, out);

	out->seq = l->reads++;
	l->mono = t0;
	out->collect_ms = (clock_mono() - t0) * 1000;
	if (ok == 0) {
		set_cause(cause, "cannot read /proc/stat, /proc/meminfo or "
		    "/proc/PID: %s", strerror(err != 0 ? err : EIO));
		return -1;
	}
	return 0;
}

static void
live_free(struct live *l)
{
	int	 i;

	if (l == NULL)
		return;
	if (l->stat != NULL)
		procps_stat_unref(&l->stat);
	if (l->mem != NULL)
		procps_meminfo_unref(&l->mem);
	if (l->vm != NULL)
		procps_vmstat_unref(&l->vm);
	if (l->disk != NULL)
		procps_diskstats_unref(&l->disk);
	for (i = 0; i < 2; i++) {
		disk_slots_drop(&l->disks[i]);
		net_slots_drop(&l->nets[i]);
		names_drop(&l->fsnames[i]);
		free(l->disks[i].v);
		free(l->nets[i].v);
		free(l->fsnames[i].v);
		free(l->gone[i].v);
	}
	pgen_close(l, &l->procs);
	free(l->procs.v);
	free(l->ifidx.v);
	free(l->fsidx.v);
	free(l->cpus);
	free(l->netbuf);
	free(l->pids);
	ucache_free(&l->users);
	if (l->procfd >= 0)
		close(l->procfd);
	free(l);
}

static void
live_close(void *ctx)
{
	live_free(ctx);
}

/* Descriptors we may keep open at the current soft RLIMIT_NOFILE. */
static int
fd_budget(void)
{
	struct rlimit	 rl;
	rlim_t		 cur;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return 0;
	cur = rl.rlim_cur < INT32_MAX / 2 ? rl.rlim_cur : INT32_MAX / 2;
	if (cur > 2 * FD_SPARE)
		return (int)cur - FD_SPARE;
	return (int)cur / 2;
}

static double
boot_time(struct live *l)
{
	static enum stat_item	 item[] = { STAT_SYS_TIME_OF_BOOT };
	struct stat_stack	*s;
	double			 up, idle;

	if ((s = procps_stat_select(l->stat, item, 1)) != NULL &&
	    RES(0, ul_int, s) > 0)
		return (double)RES(0, ul_int, s);
	if (procps_uptime(&up, &idle) == 0)
		return clock_wall() - up;
	return 0;
}

static void
host_fill(struct live *l, struct host *h)
{
	static enum meminfo_item item[] = { MEMINFO_MEM_TOTAL };
	struct meminfo_stack	*s;
	struct utsname		 u;
	char			 buf[4096], name[256];

	memset(h, 0, sizeof *h);
	if (uname(&u) == 0) {
		text_sanitize_str(h->hostname, sizeof h->hostname, u.nodename);
		text_sanitize_str(h->kernel, sizeof h->kernel, u.release);
		text_sanitize_str(h->arch, sizeof h->arch, u.machine);
	}
	if ((procfs_read("/etc/os-release", buf, sizeof buf) >= 0 ||
	    procfs_read("/usr/lib/os-release", buf, sizeof buf) >= 0) &&
	    osrelease_pretty(buf, name, sizeof name))
		text_sanitize_str(h->os, sizeof h->os, name);
	h->cpus = (int)procps_cpu_count();
	h->boot_time = l->boot_time;
	h->mem_total_bytes = FIG_NA;
	if ((s = procps_meminfo_select(l->mem, item, 1)) != NULL)
		h->mem_total_bytes = (double)RES(0, ul_int, s) * 1024;
}

static void
statgrab_init(void)
{
	static bool	 done;
	const char	*types[64];
	int		 i;

	if (done)
		return;
	done = true;
	sg_init(1);
	for (i = 0; i < 63 && fs_types_wanted[i] != NULL; i++)
		types[i] = fs_types_wanted[i];
	types[i] = NULL;
	/* statvfs only what we show: a hung network mount cannot stall us. */
	sg_set_valid_filesystems(types);
}

int
source_live_open(struct source *src, const struct config *cfg, bool prime,
    char **cause)
{
	struct live	*l;
	struct sample	 s;
	struct proctab	 t;
	const char	*what = "stat";
	int		 rc;

	(void)cfg;
	statgrab_init();
	l = xcalloc(1, sizeof *l);
	l->procfd = -1;
	l->fdmax = fd_budget();
	l->hz = (double)procps_hertz_get();
	l->pagesize = sysconf(_SC_PAGESIZE);
	if (l->hz <= 0)
		l->hz = 100;
	if (l->pagesize <= 0)
		l->pagesize = 4096;
	if ((rc = procps_stat_new(&l->stat)) < 0)
		what = "stat";
	else if ((rc = procps_meminfo_new(&l->mem)) < 0)
		what = "meminfo";
	else if ((rc = procps_vmstat_new(&l->vm)) < 0)
		what = "vmstat";
	else if ((rc = procps_diskstats_new(&l->disk)) < 0)
		what = "diskstats";
	if (rc >= 0 && (l->procfd = open("/proc", O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) < 0) {
		rc = -errno;
		what = "/proc";
	}
	if (rc < 0) {
		set_cause(cause, "%s%s: %s", *what == '/' ? "cannot open " :
		    "libproc2 ", what, strerror(-rc));
		live_free(l);
		return -1;
	}
	l->boot_time = boot_time(l);
	l->ncpu = (int)procps_cpu_count();

	/* The priming read: the first real one then has rates. */
	if (prime) {
		memset(&s, 0, sizeof s);
		memset(&t, 0, sizeof t);
		sample_reset(&s);
		rc = live_read(l, &s, &t, cause);
		sample_done(&s);
		proctab_done(&t);
		if (rc != 0) {
			live_free(l);
			return -1;
		}
	}
	src->ops = &live_ops;
	src->ctx = l;
	host_fill(l, &src->host);
	return 0;
}

bool
source_live_still(const struct source *src, int pid)
{
	const struct live	*l = src->ctx;
	const struct pstate	*ps;

	if (src->ops != &live_ops || l == NULL || l->procs.n == 0)
		return false;
	/* Sorted by pid, its first member: int_cmp compares it. */
	ps = bsearch(&pid, l->procs.v, (size_t)l->procs.n, sizeof *ps,
	    int_cmp);
	return ps != NULL && ps->still;
}

void
source_live_plan(struct source *src, long reads)
{
	struct live	*l = src->ctx;

	/* A first look opens schedstat (an openat() and a read, more than a
	 * read of stat): it pays for itself over a dozen reads. */
	if (src->ops == &live_ops && l != NULL)
		l->no_still = reads > 0 && reads < STILL_READS;
}
