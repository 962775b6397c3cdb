/*
 * collector.c - the collector thread (see collector.h).
 *
 * Ticks are scheduled at start + k * interval (k >= 1) on CLOCK_MONOTONIC, so the
 * schedule does not drift with the cost of a read.  When a read overruns
 * one or more ticks (a stalled /proc, a suspended machine) the missed ticks
 * are skipped rather than fired in a burst.  Stopping signals a condition
 * variable, so a long interval never delays exit.
 */
#include <config.h>

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "collector.h"
#include "diag.h"
#include "util.h"

struct collector {
	struct ring	*ring;
	struct source	*src;
	struct diag	*diag;		/* NULL: no diagnosis */
	double		 interval;
	long		 count;		/* samples to take, 0 = no limit */
	bool		 now;		/* the first at once */
	int		 wake_fd;
	pthread_t	 thread;
	pthread_mutex_t	 lock;		/* guards stop, err, nerr */
	pthread_cond_t	 cond;
	int		 stop;
	int		 joined;
	char		 err[256];
	unsigned long	 nerr;
	struct sample	 buf;		/* the next sample, filled unlocked */
	struct proctab	 procs;
	struct proctab	 last_top;	/* the last sample's, shares names */
};

double
clock_mono(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double
clock_wall(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct timespec
ts_from(double secs)
{
	struct timespec	 ts;

	ts.tv_sec = (time_t)secs;
	ts.tv_nsec = (long)((secs - (double)ts.tv_sec) * 1e9);
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return ts;
}

static void
collect_once(struct collector *c)
{
	char		*cause = NULL;
	uint64_t	 one = 1;
	ssize_t		 n;

	sample_reset(&c->buf);
	proctab_clear(&c->procs);
	if (source_read(c->src, &c->buf, &c->procs, &cause) != 0) {
		pthread_mutex_lock(&c->lock);
		strlcpy0(c->err, cause != NULL ? cause : "read failed",
		    sizeof c->err);
		c->nerr++;
		pthread_mutex_unlock(&c->lock);
		free(cause);
	} else {
		/* Keep the top processes with the sample, for rewind. */
		if (proctab_top(&c->buf.top, &c->procs, SAMPLE_TOP_K,
		    SAMPLE_TOP_MEM, &c->last_top) != 0 ||
		    proctab_copy(&c->last_top, &c->buf.top) != 0) {
			proctab_clear(&c->buf.top);
			proctab_clear(&c->last_top);
		}
		/* The sample and its diagnosis are published together. */
		ring_lock(c->ring);
		ring_push_locked(c->ring, &c->buf, &c->procs);
		if (c->diag != NULL)
			diag_update(c->diag, c->ring);
		ring_unlock(c->ring);
		if (c->diag != NULL)
			diag_after(c->diag, c->ring);
	}
	if (c->wake_fd >= 0) {
		do
			n = write(c->wake_fd, &one, sizeof one);
		while (n < 0 && errno == EINTR);
	}
}

static void *
collector_main(void *arg)
{
	struct collector	*c = arg;
	struct timespec		 ts;
	double			 next = clock_mono(), now;
	long			 taken = 0;
	int			 stop;

	/* The source took a priming read when it was opened: the first
	 * sample comes one interval later, so its rates cover a whole one.
	 * Unless it did not (now): then this first read is the priming one,
	 * and is a sample too. */
	if (c->now) {
		collect_once(c);
		if (c->count > 0 && ++taken >= c->count)
			return NULL;
	}
	for (;;) {
		now = clock_mono();
		next += c->interval;
		if (next <= now)	/* overran: skip missed ticks */
			next += c->interval *
			    (double)(long long)((now - next) / c->interval + 1);
		ts = ts_from(next);
		pthread_mutex_lock(&c->lock);
		while (!c->stop) {
			if (pthread_cond_timedwait(&c->cond, &c->lock, &ts) ==
			    ETIMEDOUT)
				break;
		}
		stop = c->stop;
		pthread_mutex_unlock(&c->lock);
		if (stop)
			break;
		collect_once(c);
		if (c->count > 0 && ++taken >= c->count)
			break;
	}
	return NULL;
}

struct collector *
collector_start(struct ring *ring, struct source *src, struct diag *diag,
    double interval_s, long count, bool now, int wake_fd, char **cause)
{
	struct collector	*c;
	pthread_condattr_t	 ca;
	sigset_t		 all, old;
	int			 e;

	c = xcalloc(1, sizeof *c);
	c->ring = ring;
	c->src = src;
	c->diag = diag;
	c->interval = interval_s;
	c->count = count;
	c->now = now;
	c->wake_fd = wake_fd;
	sample_reset(&c->buf);
	pthread_mutex_init(&c->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&c->cond, &ca);
	pthread_condattr_destroy(&ca);

	/* Signals (SIGWINCH, SIGINT, ...) belong to the UI thread. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	e = pthread_create(&c->thread, NULL, collector_main, c);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (e != 0) {
		set_cause(cause, "cannot start the collector thread: %s",
		    strerror(e));
		pthread_cond_destroy(&c->cond);
		pthread_mutex_destroy(&c->lock);
		free(c);
		return NULL;
	}
	return c;
}

void
collector_wait(struct collector *c)
{
	if (!c->joined)
		pthread_join(c->thread, NULL);
	c->joined = 1;
}

void
collector_stop(struct collector *c)
{
	if (c == NULL)
		return;
	pthread_mutex_lock(&c->lock);
	c->stop = 1;
	pthread_cond_signal(&c->cond);
	pthread_mutex_unlock(&c->lock);
	collector_wait(c);
	pthread_cond_destroy(&c->cond);
	pthread_mutex_destroy(&c->lock);
	sample_done(&c->buf);
	proctab_done(&c->procs);
	proctab_done(&c->last_top);
	free(c);
}

unsigned long
collector_error(struct collector *c, char *buf, size_t bufsz)
{
	unsigned long	 n;

	pthread_mutex_lock(&c->lock);
	strlcpy0(buf, c->err, bufsz);
	n = c->nerr;
	pthread_mutex_unlock(&c->lock);
	return n;
}
