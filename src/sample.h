/*
 * sample.h - the data model: one sample of the whole machine.
 *
 * A source (live, replay, or a test) fills a struct sample once per tick.
 * Every figure is derived already (rates per second, percentages 0-100);
 * raw counters stay inside the source that owns them.  A figure that could
 * not be measured is NAN (see FIG_OK), never 0: it is shown as "n/a" and
 * written to JSON as null.  All text in a sample has been through
 * text_sanitize() (src/sanitize.h) by the source that produced it, so every
 * consumer (screen, reports) may print it without further escaping other
 * than its own format's quoting.
 *
 * A sample owns its arrays (per_cpu, disks, nets, fs) and its process
 * table; they grow with sample_reserve_*() and are never shrunk, so a warm
 * sample can be refilled with no allocation.  Names (of disks, interfaces,
 * mounts, users, commands) are shared strings (src/rstr.h): a sample holds
 * one reference to each name of its entries [0, n), non-NULL, and drops
 * them in sample_reset(); set them with rstr_set() or rstr_assign().
 */
#ifndef PERFTOP_SAMPLE_H
#define PERFTOP_SAMPLE_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rstr.h"

#define FIG_NA		((double)NAN)
#define FIG_OK(x)	(!isnan(x))

/* Longest names kept (bytes incl. NUL, after sanitizing). */
#define NAME_MAX_DEV	64	/* disk and interface names */
#define NAME_MAX_MOUNT	256	/* mount points */
#define NAME_MAX_FSDEV	128	/* filesystem devices */
#define NAME_MAX_FSTYPE	32	/* filesystem types */
#define NAME_MAX_USER	40	/* Linux user names are <= 32 bytes */
#define NAME_MAX_COMM	64	/* comm is <= 15 bytes raw; escapes grow it */
#define CMDLINE_MAX	4096	/* command line kept in the full table */
#define CMDLINE_TOP_MAX	128	/* command line kept in per-sample top lists */
#define SAMPLE_TOP_K	16	/* top processes kept per sample by CPU, I/O */
#define SAMPLE_TOP_MEM	8	/* and by memory (the same few, sample
				   after sample: half the ring's rows) */

/* CPU time shares over the interval, percent of the CPU (or of all CPUs). */
struct cpu_figs {
	double	user;		/* user + nice */
	double	system;		/* system + irq + softirq */
	double	iowait;
	double	steal;
	double	idle;
	double	busy;		/* 100 - idle - iowait */
};

struct mem_figs {
	double	total_bytes;
	double	used_bytes;	/* total - MemAvailable */
	double	used_pct;
	double	available_bytes;
	double	cached_bytes;	/* Cached + Buffers */
	double	free_bytes;
	double	swap_total_bytes;
	double	swap_used_bytes;
	double	swapin_ps;	/* pages per second */
	double	swapout_ps;
	double	majflt_ps;	/* major faults per second */
	double	oom_kills;	/* OOM kills during this interval */
	double	oom_kills_total;/* since boot */
};

/* /proc/pressure/{cpu,memory,io}. */
enum psi_res { PSI_CPU, PSI_MEMORY, PSI_IO, PSI_NRES };
extern const char *const psi_res_names[PSI_NRES];	/* "cpu" ... in JSON */
struct psi_figs {
	double	some_avg10, some_avg60, some_avg300;
	double	some_total_us;	/* cumulative stall time, microseconds */
	double	full_avg10, full_avg60, full_avg300;
	double	full_total_us;	/* NAN where the kernel has no "full" line */
};

/* One whole disk (no partitions). */
struct disk_figs {
	const char *name;	/* rstr */
	double	read_bps, write_bps;
	double	read_iops, write_iops;
	double	util_pct;	/* io_ticks share of the interval */
	double	await_ms;	/* (read+write ticks) / completed ios */
	double	queue;		/* average queue depth (aqu-sz) */
	double	inflight;	/* ios in flight now */
};

struct net_figs {
	const char *name;	/* rstr */
	double	rx_bps, tx_bps;
	double	rx_pps, tx_pps;
	double	rx_errors_ps, tx_errors_ps;
	double	rx_drops_ps, tx_drops_ps;
	double	speed_bps;	/* link speed in bytes/s, NAN if unknown */
	int	up;		/* 1 up, 0 down, -1 unknown */
};

struct fs_figs {
	const char *mount;	/* rstr, each */
	const char *device;
	const char *fstype;
	double	size_bytes;
	double	used_bytes;
	double	avail_bytes;	/* available to unprivileged users */
	double	used_pct;	/* used / (used + avail), as df */
};

/*
 * One process.  Strings are sanitized.  In a table's rows they are rstrs
 * the table holds a reference to; in a row being passed to proctab_add()
 * they are plain strings (NULL for "").
 */
struct proc {
	int		pid;
	int		ppid;
	int		nlwp;
	char		state;		/* R S D Z T ... */
	const char	*user;
	const char	*comm;
	const char	*cmdline;
	double		start_time;	/* epoch seconds */
	double		cpu_pct;	/* 100 = one core; NAN on first sight */
	double		rss_bytes;
	double		read_bps;	/* storage bytes/s; NAN when unreadable */
	double		write_bps;
};

/*
 * A process table.  Owns v[] and a reference to each string of its rows.
 * proctab_clear() drops the references and keeps v[] for reuse.
 */
struct proctab {
	int		 n, cap;
	struct proc	*v;
	int		 total;		/* tasks seen on the machine */
	int		 running;	/* in state R */
	int		 threads;	/* sum of nlwp */
};

struct sample {
	uint64_t	seq;		/* 1, 2, ... per source */
	double		t;		/* wall clock, epoch seconds */
	double		mono;		/* CLOCK_MONOTONIC seconds */
	double		dt;		/* seconds since previous sample; NAN first */

	struct cpu_figs	cpu;
	int		ncpu, ncpu_cap;
	struct cpu_figs	*per_cpu;

	double		load[3];
	double		ctxsw_ps, intr_ps, forks_ps;
	double		procs_running, procs_blocked;

	struct mem_figs	mem;
	struct psi_figs	psi[PSI_NRES];

	int		ndisk, ndisk_cap;
	struct disk_figs *disks;
	int		nnet, nnet_cap;
	struct net_figs	*nets;
	int		nfs, nfs_cap;
	struct fs_figs	*fs;

	/* Top processes of this sample (by CPU, memory and I/O), cmdlines cut. */
	struct proctab	top;

	/* perftop's own cost. */
	int		self_pid;	/* perftop's pid, 0 when unknown */
	double		self_cpu_pct;
	double		self_rss_bytes;
	double		collect_ms;
};

/* Host facts, read once. */
struct host {
	char	hostname[256];
	char	kernel[256];	/* uname -r */
	char	os[256];	/* PRETTY_NAME of os-release, or "" */
	char	arch[64];
	int	cpus;
	double	boot_time;	/* epoch seconds */
	double	mem_total_bytes;
};

/*
 * The figures of a struct under their names in the JSON document
 * (doc/json.md): export_json.c writes them in table order and snapshot.c
 * reads them back, so a name is spelled once and writer and loader cannot
 * disagree.  The flags say what the loader accepts.  A table ends with a
 * NULL name.  Text, booleans, arrays and figures with rules of their own
 * are written and read by hand around the tables.
 */
#define FIG_ANY		0
#define FIG_NONNEG	0x1	/* a negative value is impossible */
#define FIG_REQUIRED	0x2	/* a snapshot without it is refused */
#define FIG_COUNT	0x4	/* an int from 0 to INT_MAX, not a double */

struct fig_field {
	const char	*name;
	size_t		 off;		/* offsetof() the member */
	int		 flags;		/* FIG_* */
};

extern const struct fig_field cpu_figs_fields[];	/* per CPU, and all */
extern const struct fig_field mem_figs_fields[];
extern const struct fig_field psi_figs_fields[];	/* one resource */
extern const struct fig_field disk_figs_fields[];	/* after "name" */
extern const struct fig_field net_figs_fields[];	/* "name" ... "up" */
extern const struct fig_field fs_figs_fields[];		/* after the names */
/* Of struct sample: t and dt_s lead; the scheduler's follow cpu and load;
 * perftop's own cost is the "self" object. */
extern const struct fig_field sample_time_fields[];
extern const struct fig_field sample_sched_fields[];
extern const struct fig_field sample_self_fields[];
extern const struct fig_field proctab_count_fields[];	/* "nprocs" */
extern const struct fig_field proc_fields[];		/* after "cmdline" */
extern const struct fig_field host_fields[];		/* after "cpus" */

/* Sets every figure to NAN and every count to 0; keeps the arrays. */
void	 sample_reset(struct sample *);
void	 sample_done(struct sample *);	/* frees the arrays */
/* Grow arrays to hold n entries (0 or -1 on allocation failure). */
int	 sample_reserve_cpus(struct sample *, int n);
int	 sample_reserve_disks(struct sample *, int n);
int	 sample_reserve_nets(struct sample *, int n);
int	 sample_reserve_fs(struct sample *, int n);
/* Swap the whole contents of two samples (used by the ring, O(1)). */
void	 sample_swap(struct sample *, struct sample *);
/* Make dst (a reset sample) a copy of src, sharing its names; 0 or -1. */
int	 sample_copy(struct sample *dst, const struct sample *src);
void	 cpu_figs_na(struct cpu_figs *);

void	 proctab_clear(struct proctab *);
void	 proctab_done(struct proctab *);
/* Append a copy of a row whose user and comm are plain strings (NULL:
 * ""); cmdline (NUL-terminated, already sanitized) is cut to cmdmax-1
 * bytes at a character boundary (cmdmax 0: not cut); p->cmdline is
 * ignored.  Returns the row or NULL. */
struct proc *proctab_add(struct proctab *, const struct proc *,
		    const char *cmdline, size_t cmdmax);
/* Append a row of another table (its strings are rstrs): shares them. */
struct proc *proctab_add_ref(struct proctab *, const struct proc *);
/* Make dst a copy of src, sharing its strings; 0 or -1. */
int	 proctab_copy(struct proctab *dst, const struct proctab *src);
static inline const char *
proc_cmdline(const struct proctab *t, const struct proc *p)
{
	(void)t;
	return p->cmdline != NULL ? p->cmdline : "";
}
/*
 * Fill dst with the union of the top k of src by CPU and by I/O and the
 * top kmem by RSS.  Command lines are cut to CMDLINE_TOP_MAX; prev (the
 * last sample's list, or NULL) lends its cut copies, so a long command
 * line is not copied again for every sample that shows it.
 */
int	 proctab_top(struct proctab *dst, const struct proctab *src, int k,
	    int kmem, const struct proctab *prev);

enum proc_sort { SORT_CPU, SORT_MEM, SORT_PID, SORT_IO, SORT_NAME, SORT_NKEYS };
/* Sort rows in place; NAN sorts last.  Ties broken by pid. */
void	 proctab_sort(struct proctab *, enum proc_sort, bool reverse);
const char *proc_sort_name(enum proc_sort);

#endif
