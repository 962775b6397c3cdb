/*
 * derive.c - pure derivation of figures from raw counters (see derive.h).
 */
#include <config.h>

#include <math.h>

#include "derive.h"

static bool
secs_ok(double secs)
{
	return isfinite(secs) && secs > 0;
}

bool
rate(uint64_t prev, uint64_t cur, double secs, double *out)
{
	if (cur < prev || !secs_ok(secs))
		return false;
	*out = (double)(cur - prev) / secs;
	return true;
}

double
rate_fig(uint64_t prev, uint64_t cur, double secs)
{
	double	 r;

	return rate(prev, cur, secs, &r) ? r : FIG_NA;
}

double
delta_fig(uint64_t prev, uint64_t cur)
{
	return cur >= prev ? (double)(cur - prev) : FIG_NA;
}

/* Ticks that passed in one field; a field going backwards counts none. */
static uint64_t
ticks(uint64_t prev, uint64_t cur)
{
	return cur >= prev ? cur - prev : 0;
}

void
cpu_derive(const struct cpu_ticks *p, const struct cpu_ticks *c,
    struct cpu_figs *out)
{
	uint64_t	 user, sys, idle, iowait, steal, total;
	double		 t;

	user = ticks(p->user, c->user) + ticks(p->nice, c->nice);
	sys = ticks(p->system, c->system) + ticks(p->irq, c->irq) +
	    ticks(p->softirq, c->softirq);
	idle = ticks(p->idle, c->idle);
	iowait = ticks(p->iowait, c->iowait);
	steal = ticks(p->steal, c->steal);
	total = user + sys + idle + iowait + steal;
	if (total == 0) {
		cpu_figs_na(out);
		return;
	}
	t = (double)total;
	out->user = (double)user * 100 / t;
	out->system = (double)sys * 100 / t;
	out->idle = (double)idle * 100 / t;
	out->iowait = (double)iowait * 100 / t;
	out->steal = (double)steal * 100 / t;
	/* 100 - idle - iowait, computed from the parts: never below 0. */
	out->busy = (double)(user + sys + steal) * 100 / t;
}

void
disk_derive(const struct disk_raw *p, const struct disk_raw *c, double dt,
    struct disk_figs *out)
{
	double	 ios, ms, v;

	out->read_bps = rate_fig(p->read_sectors, c->read_sectors, dt) * 512;
	out->write_bps = rate_fig(p->write_sectors, c->write_sectors, dt) *
	    512;
	out->read_iops = rate_fig(p->reads, c->reads, dt);
	out->write_iops = rate_fig(p->writes, c->writes, dt);

	out->util_pct = FIG_NA;
	if (rate(p->io_ms, c->io_ms, dt, &v)) {
		/* ms of busy time per second of interval, as a percentage. */
		v /= 10;
		out->util_pct = v > 100 ? 100 : v;
	}
	out->queue = FIG_NA;
	if (rate(p->weighted_ms, c->weighted_ms, dt, &v))
		out->queue = v / 1000;

	out->await_ms = FIG_NA;
	ios = delta_fig(p->reads, c->reads) + delta_fig(p->writes, c->writes);
	ms = delta_fig(p->read_ms, c->read_ms) +
	    delta_fig(p->write_ms, c->write_ms);
	if (FIG_OK(ios) && FIG_OK(ms) && ios > 0 && secs_ok(dt))
		out->await_ms = ms / ios;

	out->inflight = c->inflight >= 0 ? (double)c->inflight : FIG_NA;
}

void
net_derive(const struct net_raw *p, const struct net_raw *c, double dt,
    struct net_figs *out)
{
	out->rx_bps = rate_fig(p->rx_bytes, c->rx_bytes, dt);
	out->tx_bps = rate_fig(p->tx_bytes, c->tx_bytes, dt);
	out->rx_pps = rate_fig(p->rx_packets, c->rx_packets, dt);
	out->tx_pps = rate_fig(p->tx_packets, c->tx_packets, dt);
	out->rx_errors_ps = rate_fig(p->rx_errors, c->rx_errors, dt);
	out->tx_errors_ps = rate_fig(p->tx_errors, c->tx_errors, dt);
	out->rx_drops_ps = rate_fig(p->rx_drops, c->rx_drops, dt);
	out->tx_drops_ps = rate_fig(p->tx_drops, c->tx_drops, dt);
}

double
proc_cpu_pct(uint64_t prev_ticks, uint64_t cur_ticks, double hz, double dt,
    int nlwp, int ncpu)
{
	double	 pct, max;
	int	 cores;

	if (!secs_ok(hz) || !rate(prev_ticks, cur_ticks, dt, &pct))
		return FIG_NA;
	pct = pct * 100 / hz;
	cores = nlwp < ncpu ? nlwp : ncpu;
	if (cores < 1)
		cores = 1;
	max = 100.0 * cores;
	return pct > max ? max : pct;
}
