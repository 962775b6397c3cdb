/*
 * derive.h - pure derivation of figures from two raw counter readings.
 *
 * The live source keeps raw cumulative counters (CPU ticks, diskstats
 * fields, interface counters, per-process ticks) and turns each pair of
 * readings into the per-second rates and shares of struct sample here.  The
 * rule everywhere: a counter that went backwards (a wrap, a reset, a reused
 * device name), an interval that is not positive, or nothing to divide by
 * gives NAN, never a negative or absurd figure.  No I/O, no state: every
 * function is a pure function of its arguments, so tests can feed it edge
 * cases directly.
 */
#ifndef PERFTOP_DERIVE_H
#define PERFTOP_DERIVE_H

#include <stdbool.h>
#include <stdint.h>

#include "sample.h"

/* Counter delta per second; false (*out untouched) when the counter went
 * backwards or secs is not a positive number. */
bool	 rate(uint64_t prev, uint64_t cur, double secs, double *out);
/* The same as a figure: NAN where rate() is false. */
double	 rate_fig(uint64_t prev, uint64_t cur, double secs);
/* Counter delta as a figure (events in the interval); NAN if backwards. */
double	 delta_fig(uint64_t prev, uint64_t cur);

/* Raw /proc/stat ticks of one CPU or of all (guest time is inside user). */
struct cpu_ticks {
	uint64_t	user, nice, system, idle, iowait, irq, softirq, steal;
};

/*
 * Shares of the interval between two tick sets, in percent.  A single
 * field that went backwards (iowait does on some kernels) counts as no
 * time; when no time passed at all every share is NAN.
 */
void	 cpu_derive(const struct cpu_ticks *prev, const struct cpu_ticks *cur,
	    struct cpu_figs *out);

/* Raw /proc/diskstats fields of one disk (times in ms). */
struct disk_raw {
	uint64_t	reads, writes;
	uint64_t	read_sectors, write_sectors;	/* 512-byte units */
	uint64_t	read_ms, write_ms;
	uint64_t	io_ms;				/* io_ticks */
	uint64_t	weighted_ms;
	int		inflight;			/* now, not a counter */
};

/*
 * Fill the figures of out (not its name) from two readings dt seconds
 * apart: bytes/s, IOPS, util % (io_ticks share of the interval, at most
 * 100), await (ms per completed I/O, NAN when none completed), average
 * queue depth and the I/Os in flight now.
 */
void	 disk_derive(const struct disk_raw *prev, const struct disk_raw *cur,
	    double dt, struct disk_figs *out);

/* Raw /proc/net/dev counters of one interface. */
struct net_raw {
	uint64_t	rx_bytes, rx_packets, rx_errors, rx_drops;
	uint64_t	tx_bytes, tx_packets, tx_errors, tx_drops;
};

/* Fill the rates of out (not its name, speed or state). */
void	 net_derive(const struct net_raw *prev, const struct net_raw *cur,
	    double dt, struct net_figs *out);

/*
 * CPU % of one process from its utime+stime ticks at two readings dt
 * seconds apart: 100 = one core busy.  NAN when ticks went backwards, dt or
 * hz is not positive; clamped to [0, 100 * min(nlwp, ncpu)] (a process
 * cannot use more cores than it has threads or the machine has CPUs).
 */
double	 proc_cpu_pct(uint64_t prev_ticks, uint64_t cur_ticks, double hz,
	    double dt, int nlwp, int ncpu);

#endif
