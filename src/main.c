/*
 * main.c - command line, configuration and the two modes: the dashboard
 * (collector thread + curses UI) and --batch (collect N samples, write a
 * report, exit with a status scripts understand).
 *
 * Either mode can replay a snapshot instead of watching the machine
 * (--replay FILE): the samples come from the file, and the diagnosis and
 * the alerts are run again over them, sample by sample, with the
 * thresholds and window recorded in the snapshot, so the report or the
 * frozen dashboard shows what the sender saw.  --baseline FILE computes a
 * baseline from all the samples of a snapshot; without it the dashboard
 * uses the one saved by its b key, if any.
 */
#include <config.h>

#include <sys/eventfd.h>
#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector.h"
#include "conf.h"
#include "diag.h"
#include "export.h"
#include "ring.h"
#include "snapshot.h"
#include "source.h"
#include "ui.h"
#include "util.h"

/*
 * Exit statuses of --batch (the Nagios plugin convention): the health
 * status of the whole batch window (enum health_status: 0 OK, 1 WARNING,
 * 2 CRITICAL), or 3 UNKNOWN when nothing could be measured or on any error.
 */
#define EXIT_BATCH_UNKNOWN	HEALTH_UNKNOWN

#define COUNT_MAX		86400L
#define ITERATIONS_MAX		100000000L

struct options {
	bool		 batch;
	bool		 check_config;
	const char	*config;
	const char	*output;
	double		 interval;	/* NAN: from config */
	long		 count;
	double		 duration;	/* --duration S; NAN: use count */
	bool		 count_set;
	long		 iterations;
	int		 format;
	const char	*replay;	/* --replay FILE */
	const char	*baseline;	/* --baseline FILE */
	bool		 redact;
};

static void
usage(FILE *f)
{
	fputs(
"usage: perftop [--interval S] [--config FILE] [--iterations N]\n"
"               [--baseline FILE] [--redact]\n"
"       perftop --replay FILE [--baseline FILE] [--redact]\n"
"       perftop --batch [--interval S] [--count N | --duration S]\n"
"               [--format markdown|json|text|csv|html|openmetrics]\n"
"               [--output FILE] [--config FILE] [--baseline FILE]\n"
"               [--redact] [--replay FILE]\n"
"       perftop --check-config [--config FILE]\n"
"\n"
"An interactive performance dashboard for Linux: is this machine healthy,\n"
"what is the bottleneck, which process causes it.\n"
"\n"
"  -d, --interval S     seconds between samples (0.1 .. 3600, default 1)\n"
"  -c, --config FILE    read settings from FILE (default: the first of\n"
"                       $XDG_CONFIG_HOME/perftop/perftop.conf and\n"
"                       " SYSCONFDIR "/perftop.conf)\n"
"  -n, --iterations N   exit after N refreshes (tests, sanitizers)\n"
"  -b, --batch          no terminal: collect, write a report, exit\n"
"      --count N        samples in batch mode (default 5): the first at\n"
"                       once (no rates yet), then one every interval\n"
"      --duration S     batch for S seconds instead: S / interval + 1\n"
"                       samples\n"
"  -f, --format F       batch report format: markdown (default), json,\n"
"                       text, csv, html or openmetrics\n"
"  -o, --output FILE    write the report to FILE (atomically) not stdout\n"
"  -r, --replay FILE    show a snapshot (e in the dashboard writes one)\n"
"                       instead of this machine: frozen in the dashboard,\n"
"                       as a report with --batch\n"
"      --baseline FILE  compare with a baseline computed from all the\n"
"                       samples of a snapshot (default in the dashboard:\n"
"                       the one b saved, $XDG_STATE_HOME/perftop/\n"
"                       baseline.json)\n"
"      --redact         hide command-line arguments and the host name in\n"
"                       every report and snapshot\n"
"      --check-config   validate the configuration file and exit\n"
"  -h, --help           this help\n"
"  -V, --version        version\n"
"\n"
"Batch exit status (health of the whole batch window, as Nagios plugins):\n"
"0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN or error (an unreadable snapshot\n"
"included; the dashboard exits 1 then).  Keys in the dashboard: press ?\n"
"there.\n",
	    f);
}

/* Parse argv; returns 0, 1 to exit 0 (help/version) or -1 on error. */
static int
parse_options(int argc, char **argv, struct options *o)
{
	enum { OPT_COUNT = 256, OPT_CHECK, OPT_DURATION, OPT_BASELINE,
	    OPT_REDACT };
	static const struct option longopts[] = {
		{ "interval",		required_argument, NULL, 'd' },
		{ "config",		required_argument, NULL, 'c' },
		{ "iterations",		required_argument, NULL, 'n' },
		{ "batch",		no_argument,	   NULL, 'b' },
		{ "count",		required_argument, NULL, OPT_COUNT },
		{ "duration",		required_argument, NULL, OPT_DURATION },
		{ "format",		required_argument, NULL, 'f' },
		{ "output",		required_argument, NULL, 'o' },
		{ "replay",		required_argument, NULL, 'r' },
		{ "baseline",		required_argument, NULL, OPT_BASELINE },
		{ "redact",		no_argument,	   NULL, OPT_REDACT },
		{ "check-config",	no_argument,	   NULL, OPT_CHECK },
		{ "help",		no_argument,	   NULL, 'h' },
		{ "version",		no_argument,	   NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int	 ch;

	o->interval = FIG_NA;
	o->count = 5;
	o->duration = FIG_NA;
	o->format = EXPORT_MARKDOWN;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":d:c:n:bf:o:r:hV", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'd':
			if (!parse_double(optarg, &o->interval) ||
			    o->interval < CONFIG_INTERVAL_MIN ||
			    o->interval > CONFIG_INTERVAL_MAX) {
				fprintf(stderr, "perftop: --interval: '%s' is "
				    "not a number of seconds from %g to %g\n",
				    optarg, CONFIG_INTERVAL_MIN,
				    CONFIG_INTERVAL_MAX);
				return -1;
			}
			break;
		case 'c':
			o->config = optarg;
			break;
		case 'n':
			if (!parse_long(optarg, &o->iterations) ||
			    o->iterations < 1 ||
			    o->iterations > ITERATIONS_MAX) {
				fprintf(stderr, "perftop: --iterations: '%s' "
				    "is not a whole number from 1 to %ld\n",
				    optarg, ITERATIONS_MAX);
				return -1;
			}
			break;
		case 'b':
			o->batch = true;
			break;
		case OPT_DURATION:
			if (!parse_double(optarg, &o->duration) ||
			    o->duration <= 0 ||
			    o->duration > COUNT_MAX * CONFIG_INTERVAL_MAX) {
				fprintf(stderr, "perftop: --duration: '%s' is "
				    "not a positive number of seconds\n", optarg);
				return -1;
			}
			break;
		case OPT_COUNT:
			o->count_set = true;
			if (!parse_long(optarg, &o->count) || o->count < 1 ||
			    o->count > COUNT_MAX) {
				fprintf(stderr, "perftop: --count: '%s' is not "
				    "a whole number from 1 to %ld\n", optarg,
				    COUNT_MAX);
				return -1;
			}
			break;
		case 'f':
			if ((o->format = export_format_parse(optarg)) < 0) {
				fprintf(stderr, "perftop: --format: unknown "
				    "format '%s' (markdown, json, text, csv, "
				    "html or openmetrics)\n", optarg);
				return -1;
			}
			break;
		case 'o':
			o->output = optarg;
			break;
		case 'r':
			o->replay = optarg;
			break;
		case OPT_BASELINE:
			o->baseline = optarg;
			break;
		case OPT_REDACT:
			o->redact = true;
			break;
		case OPT_CHECK:
			o->check_config = true;
			break;
		case 'h':
			usage(stdout);
			return 1;
		case 'V':
			printf("perftop %s\n", PACKAGE_VERSION);
			return 1;
		case ':':
			fprintf(stderr, "perftop: option %s needs a value\n",
			    argv[optind - 1]);
			return -1;
		default:
			fprintf(stderr, "perftop: unknown option '%s' (see "
			    "perftop --help)\n", argv[optind - 1]);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "perftop: unexpected argument '%s' (see "
		    "perftop --help)\n", argv[optind]);
		return -1;
	}
	if (!o->batch && (o->output != NULL)) {
		fputs("perftop: --output needs --batch\n", stderr);
		return -1;
	}
	if (o->replay != NULL && (o->count_set || FIG_OK(o->duration) ||
	    FIG_OK(o->interval))) {
		fputs("perftop: --replay takes its samples and interval from "
		    "the file: no --count, --duration or --interval\n", stderr);
		return -1;
	}
	return 0;
}

/*
 * A baseline from all the samples of the snapshot at path.  Returns 0, or
 * -1 with *cause.
 */
static int
baseline_load(const char *path, struct baseline *base, char **cause)
{
	struct snapshot	 snap;

	if (snapshot_load(path, &snap, cause) != 0)
		return -1;
	if (baseline_capture(base, snap.ring, 0, 0) != 0) {
		snapshot_free(&snap);
		set_cause(cause, "%s: no sample to compute a baseline from",
		    path);
		return -1;
	}
	if (FIG_OK(snap.interval_s))
		base->interval_s = snap.interval_s;
	strlcpy0(base->source, path, sizeof base->source);
	snapshot_free(&snap);
	return 0;
}

/*
 * The config a replay judges with: the local one (colours, redaction,
 * export directory), with the snapshot's thresholds, window and interval
 * so the findings are those the sender saw, and never a hook: replayed
 * alerts are history, not events.
 */
static void
replay_config(struct config *out, const struct config *local,
    const struct snapshot *snap)
{
	*out = *local;
	if (snap->has_config) {
		out->th = snap->cfg.th;
		out->window_s = snap->cfg.window_s;
	}
	if (FIG_OK(snap->interval_s))
		out->interval_s = snap->interval_s;
	out->hook[0] = '\0';
}

/*
 * Write the report of the ring (under its lock) to the output; 0, or -1
 * with *cause.
 */
static int
batch_write(const struct options *o, const struct report *rp, char **cause)
{
	if (o->output != NULL)
		return export_to_path(o->output, o->format, rp,
		    export_default_mode(o->format), cause);
	if (export_write(stdout, o->format, rp, cause) != 0)
		return -1;
	if (fflush(stdout) != 0) {
		*cause = xprintf("stdout: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * The baseline the report compares with: --baseline FILE when given (into
 * *buf), else dflt (may be NULL).  Returns 0, or -1 after saying why.
 */
static int
batch_baseline(const struct options *o, struct baseline *buf,
    const struct baseline *dflt, const struct baseline **out)
{
	char	*cause = NULL;

	*out = dflt;
	if (o->baseline == NULL)
		return 0;
	if (baseline_load(o->baseline, buf, &cause) != 0) {
		fprintf(stderr, "perftop: %s\n", cause);
		free(cause);
		return -1;
	}
	*out = buf;
	return 0;
}

/*
 * Diagnose the whole ring (under its lock), write the report; the health
 * status, or EXIT_BATCH_UNKNOWN on any error.
 */
static int
batch_report(const struct options *o, const struct config *cfg,
    const struct ring *ring, const struct alerts *alerts,
    const struct baseline *base)
{
	struct analysis	 an;
	struct report	 rp;
	char		*cause = NULL;
	int		 rc;

	if (ring_len(ring) == 0) {
		fprintf(stderr, "perftop: no sample could be taken\n");
		return EXIT_BATCH_UNKNOWN;
	}
	analysis_init(&an);
	/* The whole batch is the window: a short batch must still report a
	 * saturated CPU, so it cannot wait for alerts. */
	if (analysis_run(&an, ring, 0, &cfg->th, base) != 0)
		fprintf(stderr, "perftop: warning: out of memory in the "
		    "analysis: health UNKNOWN\n");
	memset(&rp, 0, sizeof rp);
	rp.ring = ring;
	rp.cfg = cfg;
	rp.an = &an;
	rp.alerts = alerts;
	rp.base = base;
	rp.redact = cfg->redact;
	/* JSON is a snapshot: --replay of it gives back the same report,
	 * culprits included (they come from each sample's top list). */
	rp.snapshot = o->format == EXPORT_JSON;
	rc = (int)export_status(&rp);
	if (batch_write(o, &rp, &cause) != 0) {
		fprintf(stderr, "perftop: %s\n", cause);
		free(cause);
		rc = EXIT_BATCH_UNKNOWN;
	}
	analysis_done(&an);
	return rc;
}

/*
 * Collect o->count samples, diagnose the whole window, write the report.
 * Returns the health status of the window as the exit status, or
 * EXIT_BATCH_UNKNOWN on any error.
 */
static int
run_batch(const struct options *o, const struct config *cfg)
{
	struct source		 src = { 0 };
	struct ring		*ring;
	struct collector	*coll;
	struct diag		*diag;
	struct baseline		*buf;
	const struct baseline	*base;
	char			*cause = NULL, err[256];
	int			 rc;
	bool			 now;

	/* A bad baseline file is refused before a minute of sampling. */
	buf = xcalloc(1, sizeof *buf);
	if (batch_baseline(o, buf, NULL, &base) != 0) {
		free(buf);
		return EXIT_BATCH_UNKNOWN;
	}
	/*
	 * Like vmstat and top -b, N samples take N - 1 intervals: the first
	 * is read at once and has no rates (no CPU %, no throughput: they
	 * need two readings), the others one interval apart.  A single
	 * sample is one interval after a priming read, so it has them.
	 */
	now = o->count > 1;
	if (source_live_open(&src, cfg, !now, &cause) != 0) {
		fprintf(stderr, "perftop: %s\n", cause);
		free(cause);
		free(buf);
		return EXIT_BATCH_UNKNOWN;
	}
	source_live_plan(&src, (long)o->count);
	ring = ring_create((int)o->count, &src.host);
	diag = diag_create(cfg);
	coll = collector_start(ring, &src, diag, cfg->interval_s, o->count, now,
	    -1, &cause);
	if (coll == NULL) {
		fprintf(stderr, "perftop: %s\n", cause);
		free(cause);
		source_close(&src);
		diag_free(diag);
		ring_free(ring);
		free(buf);
		return EXIT_BATCH_UNKNOWN;
	}
	collector_wait(coll);
	if (collector_error(coll, err, sizeof err) > 0)
		fprintf(stderr, "perftop: warning: %s\n", err);

	ring_lock(ring);
	rc = batch_report(o, cfg, ring, diag_alerts(diag), base);
	ring_unlock(ring);
	collector_stop(coll);
	source_close(&src);
	diag_free(diag);
	ring_free(ring);
	free(buf);
	return rc;
}

/*
 * --batch --replay: the report of a snapshot.  The alerts are fed its
 * samples in order, so the alert log is the one of the original run; the
 * baseline is --baseline's, else the snapshot's own.
 */
static int
run_batch_replay(const struct options *o, const struct config *local)
{
	struct snapshot		 snap;
	struct config		 cfg;
	struct alerts		*alerts;
	struct baseline		*buf;
	const struct baseline	*base;
	char			*cause = NULL;
	int			 rc, age;

	if (snapshot_load(o->replay, &snap, &cause) != 0) {
		fprintf(stderr, "perftop: %s\n", cause);
		free(cause);
		return EXIT_BATCH_UNKNOWN;
	}
	buf = xcalloc(1, sizeof *buf);
	if (batch_baseline(o, buf, snap.has_baseline ? &snap.baseline : NULL,
	    &base) != 0) {
		free(buf);
		snapshot_free(&snap);
		return EXIT_BATCH_UNKNOWN;
	}
	replay_config(&cfg, local, &snap);
	alerts = alerts_create(&cfg.th);
	ring_lock(snap.ring);
	for (age = ring_len(snap.ring) - 1; age >= 0; age--)
		alerts_feed(alerts, ring_get(snap.ring, age),
		    ring_host(snap.ring)->cpus);
	rc = batch_report(o, &cfg, snap.ring, alerts, base);
	ring_unlock(snap.ring);
	alerts_free(alerts);
	free(buf);
	snapshot_free(&snap);
	return rc;
}

/*
 * The dashboard's baseline: --baseline FILE (an error is fatal), else the
 * saved one when it exists (a broken one is only a warning).  Returns 0
 * with *out set (NULL: none), or -1.
 */
static int
dashboard_baseline(const struct options *o, struct baseline *buf,
    const struct baseline **out)
{
	char		 path[PATH_MAX], *cause = NULL;
	struct stat	 sb;

	*out = NULL;
	if (o->baseline != NULL) {
		if (baseline_load(o->baseline, buf, &cause) != 0) {
			fprintf(stderr, "perftop: %s\n", cause);
			free(cause);
			return -1;
		}
		*out = buf;
		return 0;
	}
	if (baseline_state_path(path, sizeof path) != 0 ||
	    stat(path, &sb) != 0)
		return 0;
	if (baseline_load(path, buf, &cause) != 0) {
		fprintf(stderr, "perftop: warning: saved baseline not used: "
		    "%s\n", cause);
		free(cause);
		return 0;
	}
	*out = buf;
	return 0;
}

static int
run_dashboard(const struct options *o, const struct config *cfg)
{
	struct source		 src = { 0 };
	struct ring		*ring;
	struct collector	*coll;
	struct diag		*diag;
	struct baseline		*buf;
	const struct baseline	*base;
	char			*cause = NULL;
	int			 efd, rc;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fputs("perftop: the dashboard needs a terminal on stdin and "
		    "stdout; use 'perftop --batch' for a report\n", stderr);
		return 1;
	}
	buf = xcalloc(1, sizeof *buf);
	if (dashboard_baseline(o, buf, &base) != 0) {
		free(buf);
		return 1;
	}
	if ((efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) < 0) {
		fprintf(stderr, "perftop: eventfd: %s\n", strerror(errno));
		free(buf);
		return 1;
	}
	if (source_live_open(&src, cfg, true, &cause) != 0) {
		fprintf(stderr, "perftop: %s\n", cause);
		free(cause);
		close(efd);
		free(buf);
		return 1;
	}
	ring = ring_create(cfg->history, &src.host);
	diag = diag_create(cfg);
	if (base != NULL)
		diag_set_baseline(diag, base);	/* copied */
	free(buf);
	coll = collector_start(ring, &src, diag, cfg->interval_s, 0, false,
	    efd, &cause);
	if (coll == NULL) {
		fprintf(stderr, "perftop: %s\n", cause);
		free(cause);
		source_close(&src);
		diag_free(diag);
		ring_free(ring);
		close(efd);
		return 1;
	}
	rc = ui_run(ring, cfg, coll, diag, efd, o->iterations);
	collector_stop(coll);
	source_close(&src);
	diag_free(diag);
	ring_free(ring);
	close(efd);
	return rc;
}

/* What the replay loader's callback needs. */
struct replay {
	const struct config	*local;
	const struct baseline	*base;		/* --baseline, or NULL */
	struct config		 cfg;
	struct diag		*diag;
};

/* After each sample of the file: the live diagnosis, sample by sample. */
static void
replay_fed(struct snapshot *snap, void *arg)
{
	struct replay	*rp = arg;

	if (rp->diag == NULL) {
		replay_config(&rp->cfg, rp->local, snap);
		rp->diag = diag_create(&rp->cfg);
		if (rp->base != NULL)
			diag_set_baseline(rp->diag, rp->base);
		else if (snap->has_baseline)
			diag_set_baseline(rp->diag, &snap->baseline);
	}
	ring_lock(snap->ring);
	diag_update(rp->diag, snap->ring);
	ring_unlock(snap->ring);
}

/* --replay in the dashboard: the snapshot frozen, with no collector. */
static int
run_replay(const struct options *o, const struct config *local)
{
	struct snapshot		 snap;
	struct replay		*rp;
	struct baseline		*buf;
	char			*cause = NULL;
	int			 rc;

	rp = xcalloc(1, sizeof *rp);
	rp->local = local;
	buf = xcalloc(1, sizeof *buf);
	if (o->baseline != NULL) {
		if (baseline_load(o->baseline, buf, &cause) != 0) {
			fprintf(stderr, "perftop: %s\n", cause);
			free(cause);
			free(buf);
			free(rp);
			return 1;
		}
		rp->base = buf;
	}
	if (snapshot_load_feed(o->replay, &snap, replay_fed, rp, &cause) !=
	    0) {
		fprintf(stderr, "perftop: %s\n", cause);
		free(cause);
		diag_free(rp->diag);
		free(buf);
		free(rp);
		return 1;
	}
	/* The file first, so a damaged one is named even without a tty. */
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fputs("perftop: the dashboard needs a terminal on stdin and "
		    "stdout; use 'perftop --batch --replay FILE' for a "
		    "report\n", stderr);
		rc = 1;
	} else {
		ui_replay_name(o->replay);
		rc = ui_run(snap.ring, &rp->cfg, NULL, rp->diag, -1,
		    o->iterations);
	}
	diag_free(rp->diag);
	snapshot_free(&snap);
	free(buf);
	free(rp);
	return rc;
}

int
main(int argc, char **argv)
{
	struct options	 o = { 0 };
	struct config	 cfg;
	char		*cause = NULL, *warnings = NULL;
	int		 r;

	/* Characters from the environment, numbers always with a '.'. */
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");

	if ((r = parse_options(argc, argv, &o)) != 0)
		return r > 0 ? 0 : (o.batch ? EXIT_BATCH_UNKNOWN : 2);

	conf_defaults(&cfg);
	r = conf_load(&cfg, o.config, &warnings, &cause);
	if (warnings != NULL) {
		fputs(warnings, stderr);
		free(warnings);
	}
	if (r != 0) {
		fprintf(stderr, "perftop: %s\n", cause);
		free(cause);
		return o.batch ? EXIT_BATCH_UNKNOWN : 1;
	}
	if (o.check_config) {
		printf("%s: OK\n", cfg.path[0] != '\0' ? cfg.path :
		    "no configuration file; embedded defaults");
		return 0;
	}
	if (FIG_OK(o.interval))
		cfg.interval_s = o.interval;
	if (FIG_OK(o.duration)) {
		/* S seconds of intervals, and the sample they start from. */
		double n = ceil(o.duration / cfg.interval_s - 1e-9) + 1;
		if (o.count_set) {
			fputs("perftop: --count and --duration exclude each "
			    "other\n", stderr);
			return o.batch ? EXIT_BATCH_UNKNOWN : 2;
		}
		if (n > COUNT_MAX) {
			fprintf(stderr, "perftop: --duration %g at an interval "
			    "of %g s is more than %ld samples\n", o.duration,
			    cfg.interval_s, COUNT_MAX);
			return o.batch ? EXIT_BATCH_UNKNOWN : 2;
		}
		o.count = n < 1 ? 1 : (long)n;
	}

	if (o.redact)
		cfg.redact = true;
	if (o.batch)
		return o.replay != NULL ? run_batch_replay(&o, &cfg) :
		    run_batch(&o, &cfg);
	return o.replay != NULL ? run_replay(&o, &cfg) :
	    run_dashboard(&o, &cfg);
}
