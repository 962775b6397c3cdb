/*
 * main.c - command line, configuration and the two modes: the dashboard
 * (collector thread + curses UI) and --batch (collect N samples, write a
 * report, exit with a status scripts understand).
 */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "collector.h"
#include "conf.h"
#include "diag.h"
#include "export.h"
#include "ring.h"
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
};

static void
usage(FILE *f)
{
	fputs(
"usage: perftop [--interval S] [--config FILE] [--iterations N]\n"
"       perftop --batch [--interval S] [--count N | --duration S]\n"
"               [--format markdown|json]\n"
"               [--output FILE] [--config FILE]\n"
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
"      --count N        samples in batch mode (default 5)\n"
"      --duration S     batch for S seconds instead: S / interval samples\n"
"  -f, --format F       batch report format: markdown (default) or json\n"
"  -o, --output FILE    write the report to FILE (atomically) not stdout\n"
"      --check-config   validate the configuration file and exit\n"
"  -h, --help           this help\n"
"  -V, --version        version\n"
"\n"
"Batch exit status (health of the whole batch window, as Nagios plugins):\n"
"0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN or error.  Keys in the dashboard:\n"
"press ? there.\n",
	    f);
}

/* Parse argv; returns 0, 1 to exit 0 (help/version) or -1 on error. */
static int
parse_options(int argc, char **argv, struct options *o)
{
	enum { OPT_COUNT = 256, OPT_CHECK, OPT_DURATION };
	static const struct option longopts[] = {
		{ "interval",		required_argument, NULL, 'd' },
		{ "config",		required_argument, NULL, 'c' },
		{ "iterations",		required_argument, NULL, 'n' },
		{ "batch",		no_argument,	   NULL, 'b' },
		{ "count",		required_argument, NULL, OPT_COUNT },
		{ "duration",		required_argument, NULL, OPT_DURATION },
		{ "format",		required_argument, NULL, 'f' },
		{ "output",		required_argument, NULL, 'o' },
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
	while ((ch = getopt_long(argc, argv, ":d:c:n:bf:o:hV", longopts,
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
				    "format '%s' (markdown or json)\n", optarg);
				return -1;
			}
			break;
		case 'o':
			o->output = optarg;
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
	return 0;
}

/*
 * Write the report of the ring (under its lock) to the output; 0, or -1
 * with *cause.
 */
static int
batch_write(const struct options *o, const struct report *rp, char **cause)
{
	if (o->output != NULL)
		return export_to_path(o->output, o->format, rp, 0600, cause);
	if (export_write(stdout, o->format, rp, cause) != 0)
		return -1;
	if (fflush(stdout) != 0) {
		*cause = xprintf("stdout: %s", strerror(errno));
		return -1;
	}
	return 0;
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
	struct analysis		 an;
	struct report		 rp;
	char			*cause = NULL, err[256];
	int			 rc;

	if (source_live_open(&src, cfg, &cause) != 0) {
		fprintf(stderr, "perftop: %s\n", cause);
		free(cause);
		return EXIT_BATCH_UNKNOWN;
	}
	ring = ring_create((int)o->count, &src.host);
	diag = diag_create(cfg);
	coll = collector_start(ring, &src, diag, cfg->interval_s, o->count, -1,
	    &cause);
	if (coll == NULL) {
		fprintf(stderr, "perftop: %s\n", cause);
		free(cause);
		source_close(&src);
		diag_free(diag);
		ring_free(ring);
		return EXIT_BATCH_UNKNOWN;
	}
	collector_wait(coll);
	if (collector_error(coll, err, sizeof err) > 0)
		fprintf(stderr, "perftop: warning: %s\n", err);

	analysis_init(&an);
	ring_lock(ring);
	if (ring_len(ring) == 0) {
		fprintf(stderr, "perftop: no sample could be taken\n");
		rc = EXIT_BATCH_UNKNOWN;
	} else {
		/* The whole batch is the window: a short batch must still
		 * report a saturated CPU, so it cannot wait for alerts. */
		if (analysis_run(&an, ring, 0, &cfg->th, NULL) != 0)
			fprintf(stderr, "perftop: warning: out of memory in "
			    "the analysis: health UNKNOWN\n");
		rp.ring = ring;
		rp.cfg = cfg;
		rp.an = &an;
		rp.alerts = diag_alerts(diag);
		rc = (int)export_status(&rp);
		if (batch_write(o, &rp, &cause) != 0)
			rc = EXIT_BATCH_UNKNOWN;
	}
	ring_unlock(ring);
	if (cause != NULL) {
		fprintf(stderr, "perftop: %s\n", cause);
		free(cause);
	}
	analysis_done(&an);
	collector_stop(coll);
	source_close(&src);
	diag_free(diag);
	ring_free(ring);
	return rc;
}

static int
run_dashboard(const struct options *o, const struct config *cfg)
{
	struct source		 src = { 0 };
	struct ring		*ring;
	struct collector	*coll;
	struct diag		*diag;
	char			*cause = NULL;
	int			 efd, rc;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fputs("perftop: the dashboard needs a terminal on stdin and "
		    "stdout; use 'perftop --batch' for a report\n", stderr);
		return 1;
	}
	if ((efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) < 0) {
		fprintf(stderr, "perftop: eventfd: %s\n", strerror(errno));
		return 1;
	}
	if (source_live_open(&src, cfg, &cause) != 0) {
		fprintf(stderr, "perftop: %s\n", cause);
		free(cause);
		close(efd);
		return 1;
	}
	ring = ring_create(cfg->history, &src.host);
	diag = diag_create(cfg);
	coll = collector_start(ring, &src, diag, cfg->interval_s, 0, efd,
	    &cause);
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
		double n = ceil(o.duration / cfg.interval_s - 1e-9);
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

	if (o.batch)
		return run_batch(&o, &cfg);
	return run_dashboard(&o, &cfg);
}
