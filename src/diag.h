/*
 * diag.h - the live diagnosis state shared by the collector and the UI.
 *
 * After each sample the collector feeds the alert engine and re-runs the
 * analysis over the dashboard's window (conf window_s), under the ring
 * lock; the UI reads the result under the same lock.  Alert events are
 * handed to the hook runner after the lock is released, so a slow hook
 * never holds up a reader.
 */
#ifndef PERFTOP_DIAG_H
#define PERFTOP_DIAG_H

#include "alerts.h"
#include "analysis.h"
#include "baseline.h"
#include "conf.h"
#include "ring.h"

struct diag;

/*
 * cfg is borrowed and must outlive the diag.  A hook that cannot be used
 * is reported on stderr at start-up (a warning, not fatal).
 */
struct diag		*diag_create(const struct config *cfg);
void			 diag_free(struct diag *);

/* Under the ring lock, after a push: feed alerts, re-run the analysis. */
void			 diag_update(struct diag *, const struct ring *);
/* Without the lock: run the hook for queued alert events, reap children. */
void			 diag_after(struct diag *, const struct ring *);

/* Under the ring lock: the latest results. */
const struct analysis	*diag_analysis(const struct diag *);
const struct alerts	*diag_alerts(const struct diag *);
/*
 * Under the ring lock: the baseline the analysis compares with (copied;
 * NULL clears it), and the current one (NULL when none).
 */
void			 diag_set_baseline(struct diag *,
			    const struct baseline *);
const struct baseline	*diag_baseline(const struct diag *);
/* Samples in the analysis window. */
int			 diag_window(const struct diag *);
/* Hook state for the status line: failures so far, last error in buf. */
unsigned long		 diag_hook_error(const struct diag *, char *buf,
			    size_t bufsz);

#endif
