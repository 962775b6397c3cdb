/*
 * baseline.h - "normal" for this machine: per-metric statistics over a
 * window, the diff of a later window against them, and the anomalies.
 *
 * A baseline is captured from a window of the ring (key b in the
 * dashboard) or computed from a snapshot file (--baseline FILE, and the
 * saved $XDG_STATE_HOME/perftop/baseline.json, which is a snapshot of the
 * captured window).  Keys name one series: "cpu.busy_pct",
 * "mem.used_pct", "load.1", "disk.vda.util_pct", "net.eth0.rx_bps",
 * "fs./var.used_pct", "psi.cpu.some_avg10", ...
 *
 * Samples a second apart are autocorrelated, so significance is judged on
 * block means (blocks of BASELINE_BLOCK samples) with Welch's t-test: a slow
 * random walk is not called significant just because it moved.
 * Pure functions (no I/O); callers hold the ring lock while reading it.
 */
#ifndef PERFTOP_BASELINE_H
#define PERFTOP_BASELINE_H

#include <stdbool.h>

#include "ring.h"
#include "sample.h"

#define BASELINE_KEY_MAX	128
#define BASELINE_STATS_MAX	256
#define BASELINE_PROCS_MAX	32
#define BASELINE_BLOCK		10	/* samples per block for the t-test */

struct base_stat {
	char	key[BASELINE_KEY_MAX];
	int	n;			/* valid samples */
	double	mean, sd, p50, p95, min, max;
	int	nblocks;		/* whole blocks of BASELINE_BLOCK */
	double	bmean, bsd;		/* mean and sd of the block means */
	double	bac1;			/* added: lag-1 autocorrelation of the
					   block means (NAN under 3 blocks) */
};

struct base_proc {
	int	pid;
	double	start_time;
	char	comm[NAME_MAX_COMM];
	double	cpu_pct;		/* mean over the window */
	double	rss_bytes;		/* mean over the window */
};

struct baseline {
	double		 t_first, t_last;	/* epoch, window captured */
	int		 nsamples;
	double		 interval_s;
	char		 source[256];		/* "captured" or the file */
	int		 nstats;
	struct base_stat stats[BASELINE_STATS_MAX];
	int		 nprocs;		/* top processes by CPU */
	struct base_proc procs[BASELINE_PROCS_MAX];
};

/* One line of the diff view. */
struct base_change {
	char	key[BASELINE_KEY_MAX];
	double	base_mean, now_mean;
	double	delta;			/* now - base */
	double	effect;			/* delta / base sd (NAN when sd 0) */
	double	t, p;			/* Welch on block means; NAN if too
					   few blocks */
	bool	significant;		/* p < 0.01 and |effect| >= 1 */
};

/*
 * Statistics of the `window` samples ending `age` samples before the newest
 * (window <= 0: all).  Returns 0, or -1 when the window is empty.
 */
int	 baseline_capture(struct baseline *, const struct ring *, int age,
	    int window);
/* The statistics for key, NULL when the baseline has none. */
const struct base_stat *baseline_find(const struct baseline *, const char *key);
/*
 * Compare the window (age, window as above) with the baseline: at most max
 * changes into out, largest |effect| first, significant ones before the
 * rest.  Returns how many.
 */
int	 baseline_diff(const struct baseline *, const struct ring *, int age,
	    int window, struct base_change *out, int max);
/*
 * Top processes new since the baseline (in the window, not in the
 * baseline) and vanished (in the baseline, gone from the window), by pid +
 * start time.  Return how many written.
 */
int	 baseline_new_procs(const struct baseline *, const struct ring *,
	    int age, struct base_proc *out, int max);
int	 baseline_vanished_procs(const struct baseline *, const struct ring *,
	    int age, struct base_proc *out, int max);

/*
 * Added: the value of series key in sample s ("cpu.busy_pct",
 * "disk.sda.util_pct", ...); NAN when s does not have it.  What the
 * statistics are made of, and what a screen compares with them.
 */
double	 baseline_sample_value(const struct sample *s, const char *key);
/*
 * Added: the series of s, in a stable order (machine-wide first, then per
 * disk, interface and filesystem): at most max keys into keys[].
 */
int	 baseline_sample_keys(const struct sample *s,
	    char keys[][BASELINE_KEY_MAX], int max);

#endif
