/*
 * fuzz_conf.c - libFuzzer target for the config semantics (conf_read).
 *
 * The input is written to a private file (fuzz.h) and read with
 * conf_read(), as main does.  Invariants: it returns 0 or -1 and never
 * hangs; on -1 the cause is one line starting "FILE:"; every warning line
 * starts "FILE:LINE: warning:"; on 0 every setting is in its documented
 * range (conf.h, data/perftop.conf): interval 0.1..3600, history
 * 10..86400, overview_procs 0..50, window 1..3600, alert_hook "" or an
 * absolute path, alert_hook_timeout 0.1..3600, enums in range, every
 * threshold level NAN (off) or finite, and thresholds_check() passes.
 * On -1 the config is untouched.
 */
#include <config.h>

#include <limits.h>
#include <math.h>

#include "conf.h"
#include "fuzz.h"

static void
cleanup(void)
{
	fuzz_file_cleanup(".conf");
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	atexit(cleanup);
	return 0;
}

/* Every line of text starts with prefix. */
static bool
lines_start(const char *text, const char *prefix)
{
	const char	*p = text;
	size_t		 n = strlen(prefix);

	while (*p != '\0') {
		if (strncmp(p, prefix, n) != 0)
			return false;
		if ((p = strchr(p, '\n')) == NULL)
			return true;
		p++;
	}
	return true;
}

static void
check_ranges(const struct config *cfg, const char *path)
{
	char	*cause = NULL;
	int	 m;

	FUZZ_ASSERT(cfg->interval_s >= CONFIG_INTERVAL_MIN &&
	    cfg->interval_s <= CONFIG_INTERVAL_MAX);
	FUZZ_ASSERT(cfg->history >= CONFIG_HISTORY_MIN &&
	    cfg->history <= CONFIG_HISTORY_MAX);
	FUZZ_ASSERT(cfg->overview_procs >= 0 && cfg->overview_procs <= 50);
	FUZZ_ASSERT(cfg->window_s >= 1 && cfg->window_s <= 3600);
	FUZZ_ASSERT(cfg->hook_timeout_s >= 0.1 && cfg->hook_timeout_s <= 3600);
	FUZZ_ASSERT(cfg->color == COLOR_AUTO || cfg->color == COLOR_ALWAYS ||
	    cfg->color == COLOR_NEVER);
	FUZZ_ASSERT((int)cfg->sort >= 0 && (int)cfg->sort < SORT_NKEYS);
	FUZZ_ASSERT(strnlen(cfg->hook, sizeof cfg->hook) < sizeof cfg->hook);
	FUZZ_ASSERT(cfg->hook[0] == '\0' || cfg->hook[0] == '/');
	FUZZ_ASSERT(strcmp(cfg->path, path) == 0);
	for (m = 0; m < M_NMETRICS; m++) {
		FUZZ_ASSERT(isnan(cfg->th.lv[m].info) ||
		    isfinite(cfg->th.lv[m].info));
		FUZZ_ASSERT(isnan(cfg->th.lv[m].warn) ||
		    isfinite(cfg->th.lv[m].warn));
		FUZZ_ASSERT(isnan(cfg->th.lv[m].crit) ||
		    isfinite(cfg->th.lv[m].crit));
	}
	FUZZ_ASSERT(isfinite(cfg->th.alert_duration_s));
	FUZZ_ASSERT(isfinite(cfg->th.hysteresis_pct));
	FUZZ_ASSERT(isfinite(cfg->th.hysteresis_rel));
	FUZZ_ASSERT(isfinite(cfg->th.trend_min_r2));
	if (thresholds_check(&cfg->th, &cause) != 0) {
		fprintf(stderr, "accepted, but: %s\n", cause);
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config	 cfg, def;
	const char	*path;
	char		*warnings = NULL, *cause = NULL, prefix[300];
	int		 r;

	path = fuzz_file(data, size, ".conf");
	conf_defaults(&def);
	memcpy(&cfg, &def, sizeof cfg);
	r = conf_read(&cfg, path, &warnings, &cause);
	FUZZ_ASSERT(r == 0 || r == -1);
	snprintf(prefix, sizeof prefix, "%s:", path);
	if (warnings != NULL) {
		FUZZ_ASSERT(lines_start(warnings, prefix));
		FUZZ_ASSERT(strstr(warnings, ": warning: ") != NULL);
		free(warnings);
	}
	if (r == 0) {
		FUZZ_ASSERT(cause == NULL);
		check_ranges(&cfg, path);
	} else {
		FUZZ_ASSERT(cause != NULL);
		FUZZ_ASSERT(strncmp(cause, prefix, strlen(prefix)) == 0);
		FUZZ_ASSERT(strchr(cause, '\n') == NULL);
		FUZZ_ASSERT(memcmp(&cfg, &def, sizeof cfg) == 0);
		free(cause);
	}
	return 0;
}
