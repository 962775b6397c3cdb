/*
 * hook.c - the alert hook runner (see hook.h).
 *
 * Each alert event starts the configured program with posix_spawn(): argv
 * is just the path, the environment is built here from scratch (PATH, HOME
 * and LANG of perftop, then PERFTOP_* variables whose values went through
 * text_sanitize_str()), stdin, stdout and stderr are /dev/null, and every
 * other descriptor is closed in the child.  No shell is involved, so text
 * in an alert is data, never code.
 *
 * The child runs in a process group of its own: a Ctrl-C on the
 * dashboard's terminal does not reach it, and a timeout kills the whole
 * group, so a hook script's own children die with it.
 *
 * Nothing here blocks: hook_poll() reaps only the children this runner
 * started, with waitpid(pid, WNOHANG), and sends SIGKILL to those older
 * than the timeout.  At most HOOK_CHILDREN_MAX run at once; an event beyond
 * that is dropped.  Every failure (spawn error, drop, timeout, non-zero
 * exit, signal) is counted and the last one kept for the status line.
 * Only hook_free() waits: up to HOOK_GRACE_S (or the timeout, if shorter)
 * for running hooks to finish, then it kills and reaps the rest.
 *
 * hook_fire() and hook_poll() are called from one thread (the collector's);
 * hook_error() may be called from another (the UI), so the failure record
 * has a lock of its own.
 */
#include <config.h>

#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hook.h"
#include "sanitize.h"
#include "util.h"

#define HOOK_CHILDREN_MAX	8	/* at once; more are dropped */
#define HOOK_ERROR_MAX		512
#define HOOK_GRACE_S		2.0	/* hook_free waits at most */
#define HOOK_DEFAULT_PATH	"/usr/local/bin:/usr/bin:/bin"

/* Environment: inherited, then PERFTOP_*, then the NULL. */
#define HOOK_ENV_INHERITED	3
#define HOOK_ENV_OWN		20
#define HOOK_ENV_MAX		(HOOK_ENV_INHERITED + HOOK_ENV_OWN + 1)
#define HOOK_VAR_MAX		1024	/* bytes of one NAME=value */

struct hook_child {
	pid_t		 pid;
	double		 start;		/* monotonic s */
	bool		 killed;	/* by us, for the timeout */
};

/* What another thread may read: guarded by lock. */
struct hook_status {
	pthread_mutex_t	 lock;
	unsigned long	 nfailures;
	char		 last[HOOK_ERROR_MAX];
};

struct hook {
	char			 path[PATH_MAX];
	char			 shown[256];	/* sanitized path */
	double			 timeout_s;
	char			*inherited[HOOK_ENV_INHERITED];
	int			 ninherited;
	int			 nchildren;
	struct hook_child	 children[HOOK_CHILDREN_MAX];
	struct hook_status	*status;
};

static double
mono_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
hook_fail(struct hook *h, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Record one failure. */
static void
hook_fail(struct hook *h, const char *fmt, ...)
{
	struct hook_status	*st = h->status;
	va_list			 ap;

	pthread_mutex_lock(&st->lock);
	st->nfailures++;
	va_start(ap, fmt);
	vsnprintf(st->last, sizeof st->last, fmt, ap);
	va_end(ap);
	pthread_mutex_unlock(&st->lock);
}

struct hook *
hook_create(const char *path, double timeout_s, char **cause)
{
	static const char *const keep[HOOK_ENV_INHERITED] =
	    { "PATH", "HOME", "LANG" };
	struct hook	*h;
	struct stat	 sb;
	char		 shown[256];
	const char	*v;
	int		 i;

	text_sanitize_str(shown, sizeof shown, path);
	if (path[0] != '/') {
		set_cause(cause, "alert hook %s: not an absolute path", shown);
		return NULL;
	}
	if (strlen(path) >= PATH_MAX) {
		set_cause(cause, "alert hook %s: path too long", shown);
		return NULL;
	}
	if (stat(path, &sb) != 0) {
		set_cause(cause, "alert hook %s: %s", shown, strerror(errno));
		return NULL;
	}
	/* access() says yes to a directory for root: check the type too. */
	if (!S_ISREG(sb.st_mode)) {
		set_cause(cause, "alert hook %s: not a regular file", shown);
		return NULL;
	}
	if (access(path, X_OK) != 0) {
		set_cause(cause, "alert hook %s: not executable: %s", shown,
		    strerror(errno));
		return NULL;
	}
	if (!(timeout_s > 0) || !isfinite(timeout_s)) {
		set_cause(cause, "alert hook %s: bad timeout", shown);
		return NULL;
	}

	h = xcalloc(1, sizeof *h);
	strlcpy0(h->path, path, sizeof h->path);
	strlcpy0(h->shown, shown, sizeof h->shown);
	h->timeout_s = timeout_s;
	h->status = xcalloc(1, sizeof *h->status);
	pthread_mutex_init(&h->status->lock, NULL);

	/* Copied now: getenv() is not safe against a later setenv(). */
	for (i = 0; i < HOOK_ENV_INHERITED; i++) {
		v = getenv(keep[i]);
		if (v == NULL && strcmp(keep[i], "PATH") == 0)
			v = HOOK_DEFAULT_PATH;
		if (v == NULL)
			continue;
		h->inherited[h->ninherited++] = xprintf("%s=%s", keep[i], v);
	}
	return h;
}

/* Kill child c's process group (and c itself, should it have left it). */
static void
child_kill(const struct hook_child *c)
{
	kill(-c->pid, SIGKILL);
	kill(c->pid, SIGKILL);
}

/*
 * Give running hooks a moment to finish before hook_free kills them: an
 * event of the last sample (the end of a --batch run) would otherwise be
 * killed as it starts.  Short, since perftop is exiting.
 */
static void
hook_drain(struct hook *h)
{
	struct timespec	 ts = { 0, 10 * 1000 * 1000 };
	double		 end;

	end = mono_now() + (h->timeout_s < HOOK_GRACE_S ? h->timeout_s :
	    HOOK_GRACE_S);
	while (h->nchildren > 0 && mono_now() < end) {
		nanosleep(&ts, NULL);
		hook_poll(h);
	}
}

void
hook_free(struct hook *h)
{
	int	 i;

	if (h == NULL)
		return;
	hook_poll(h);
	hook_drain(h);
	for (i = 0; i < h->nchildren; i++) {
		child_kill(&h->children[i]);
		while (waitpid(h->children[i].pid, NULL, 0) == -1 &&
		    errno == EINTR)
			;
	}
	for (i = 0; i < h->ninherited; i++)
		free(h->inherited[i]);
	pthread_mutex_destroy(&h->status->lock);
	free(h->status);
	free(h);
}

/* A number for a script: "95", "0.01", "72.346"; "" when unknown. */
static void
fmt_number(char *buf, size_t bufsz, double v)
{
	char	*p;

	if (!FIG_OK(v) || !isfinite(v)) {
		snprintf(buf, bufsz, "%s", "");
		return;
	}
	snprintf(buf, bufsz, "%.3f", v);
	if (strchr(buf, '.') == NULL)
		return;
	p = buf + strlen(buf) - 1;
	while (*p == '0')
		*p-- = '\0';
	if (*p == '.')
		*p = '\0';
	if (strcmp(buf, "-0") == 0)
		snprintf(buf, bufsz, "0");
}

/* Whole epoch seconds (or seconds of a duration); "" when unknown. */
static void
fmt_seconds(char *buf, size_t bufsz, double t)
{
	if (!FIG_OK(t) || !isfinite(t))
		snprintf(buf, bufsz, "%s", "");
	else
		snprintf(buf, bufsz, "%.0f", floor(t));
}

/* The environment of one child: pointers and the text they point to. */
struct hook_env {
	char	*env[HOOK_ENV_MAX];
	int	 n;
	char	 vars[HOOK_ENV_OWN][HOOK_VAR_MAX];
	int	 nvars;
};

/* Add NAME=value, the value sanitized (no control characters). */
static void
env_add(struct hook_env *he, const char *name, const char *value)
{
	char	*v;
	int	 len;

	if (he->nvars == HOOK_ENV_OWN || he->n >= HOOK_ENV_MAX - 1)
		return;
	v = he->vars[he->nvars++];
	len = snprintf(v, HOOK_VAR_MAX, "%s=", name);
	text_sanitize_str(v + len, HOOK_VAR_MAX - (size_t)len, value);
	he->env[he->n++] = v;
}

static void
env_build(const struct hook *h, const struct alert_event *e,
    const struct host *host, struct hook_env *he)
{
	const struct alert	*a = &e->alert;
	const struct metric_def	*d = metric_get(a->metric);
	char			 num[64];
	int			 i;

	he->n = he->nvars = 0;
	for (i = 0; i < h->ninherited; i++)
		he->env[he->n++] = h->inherited[i];
	env_add(he, "PERFTOP_EVENT", alert_event_name(e->kind));
	/* The level now: a cleared alert is "ok", whatever it last was. */
	env_add(he, "PERFTOP_LEVEL", severity_name(e->kind == ALERT_CLEAR ?
	    SEV_OK : a->level));
	env_add(he, "PERFTOP_PREVIOUS_LEVEL", severity_name(e->from));
	env_add(he, "PERFTOP_PEAK", severity_name(a->peak));
	env_add(he, "PERFTOP_METRIC", d != NULL ? d->name : "");
	env_add(he, "PERFTOP_UNIT", d != NULL ? d->unit : "");
	env_add(he, "PERFTOP_OBJECT", a->object);
	fmt_number(num, sizeof num, a->vlast);
	env_add(he, "PERFTOP_VALUE", num);
	fmt_number(num, sizeof num, a->threshold);
	env_add(he, "PERFTOP_THRESHOLD", num);
	fmt_number(num, sizeof num, a->vmin);
	env_add(he, "PERFTOP_MIN", num);
	fmt_number(num, sizeof num, a->vavg);
	env_add(he, "PERFTOP_AVG", num);
	fmt_number(num, sizeof num, a->vmax);
	env_add(he, "PERFTOP_MAX", num);
	env_add(he, "PERFTOP_TEXT", a->text);
	fmt_seconds(num, sizeof num, e->t);
	env_add(he, "PERFTOP_TIME", num);
	fmt_seconds(num, sizeof num, a->raise_t);
	env_add(he, "PERFTOP_RAISED", num);
	fmt_seconds(num, sizeof num, a->duration_s);
	env_add(he, "PERFTOP_DURATION_S", num);
	env_add(he, "PERFTOP_NODATA", a->nodata ? "1" : "0");
	env_add(he, "PERFTOP_HOST", host != NULL ? host->hostname : "");
	snprintf(num, sizeof num, "%lu", a->id);
	env_add(he, "PERFTOP_ALERT_ID", num);
	he->env[he->n] = NULL;
}

/* posix_spawn the hook with env; 0 or an errno. */
static int
hook_spawn(const struct hook *h, char **env, pid_t *pid)
{
	posix_spawn_file_actions_t	 fa;
	posix_spawnattr_t		 attr;
	sigset_t			 none, all;
	char				 argv0[PATH_MAX], *argv[2];
	int				 rc;

	if ((rc = posix_spawn_file_actions_init(&fa)) != 0)
		return rc;
	if ((rc = posix_spawnattr_init(&attr)) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		return rc;
	}
	rc = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY,
	    0);
	if (rc == 0)
		rc = posix_spawn_file_actions_addopen(&fa, 1, "/dev/null",
		    O_WRONLY, 0);
	if (rc == 0)
		rc = posix_spawn_file_actions_adddup2(&fa, 1, 2);
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 34)
	/* Ours are O_CLOEXEC, but a library's may not be. */
	if (rc == 0)
		rc = posix_spawn_file_actions_addclosefrom_np(&fa, 3);
#endif
	/*
	 * The caller (the collector thread) blocks some signals; the hook
	 * starts with none blocked and every signal at its default, in a
	 * process group of its own.
	 */
	sigemptyset(&none);
	sigfillset(&all);
	if (rc == 0)
		rc = posix_spawnattr_setsigmask(&attr, &none);
	if (rc == 0)
		rc = posix_spawnattr_setsigdefault(&attr, &all);
	if (rc == 0)
		rc = posix_spawnattr_setpgroup(&attr, 0);
	if (rc == 0)
		rc = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK |
		    POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
	if (rc == 0) {
		strlcpy0(argv0, h->path, sizeof argv0);
		argv[0] = argv0;
		argv[1] = NULL;
		rc = posix_spawn(pid, h->path, &fa, &attr, argv, env);
	}
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	return rc;
}

void
hook_fire(struct hook *h, const struct alert_event *e,
    const struct host *host)
{
	struct hook_env		*he;
	const struct metric_def	*d;
	struct hook_child	*c;
	pid_t			 pid;
	int			 rc;

	if (h == NULL || e == NULL)
		return;
	hook_poll(h);	/* make room: reap what has finished */
	if (h->nchildren == HOOK_CHILDREN_MAX) {
		d = metric_get(e->alert.metric);
		hook_fail(h, "alert hook %s: %d commands still running; %s "
		    "event of alert %lu (%s) dropped", h->shown,
		    HOOK_CHILDREN_MAX, alert_event_name(e->kind), e->alert.id,
		    d != NULL ? d->name : "?");
		return;
	}
	if ((he = calloc(1, sizeof *he)) == NULL) {
		hook_fail(h, "alert hook %s: out of memory", h->shown);
		return;
	}
	env_build(h, e, host, he);
	rc = hook_spawn(h, he->env, &pid);
	free(he);
	if (rc != 0) {
		hook_fail(h, "alert hook %s: cannot run: %s", h->shown,
		    strerror(rc));
		return;
	}
	c = &h->children[h->nchildren++];
	c->pid = pid;
	c->start = mono_now();
	c->killed = false;
}

/* Record how a child ended, unless it was killed for the timeout. */
static void
child_ended(struct hook *h, const struct hook_child *c, int status)
{
	if (c->killed)
		return;		/* recorded when killed */
	if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
		hook_fail(h, "alert hook %s exited %d", h->shown,
		    WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		hook_fail(h, "alert hook %s killed by signal %d (%s)",
		    h->shown, WTERMSIG(status), strsignal(WTERMSIG(status)));
}

void
hook_poll(struct hook *h)
{
	struct hook_child	*c;
	double			 now;
	pid_t			 r;
	int			 i, status;

	if (h == NULL)
		return;
	now = mono_now();
	for (i = 0; i < h->nchildren; /* below */) {
		c = &h->children[i];
		r = waitpid(c->pid, &status, WNOHANG);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == c->pid || (r == -1 && errno == ECHILD)) {
			/* ECHILD: reaped elsewhere (SIGCHLD ignored). */
			if (r == c->pid)
				child_ended(h, c, status);
			h->children[i] = h->children[--h->nchildren];
			continue;
		}
		if (!c->killed && now - c->start >= h->timeout_s) {
			child_kill(c);
			c->killed = true;
			hook_fail(h, "alert hook %s timed out after %g s "
			    "(killed)", h->shown, h->timeout_s);
		}
		i++;
	}
}

unsigned long
hook_error(const struct hook *h, char *buf, size_t bufsz)
{
	unsigned long	 n;

	if (h == NULL) {
		if (bufsz > 0)
			buf[0] = '\0';
		return 0;
	}
	pthread_mutex_lock(&h->status->lock);
	n = h->status->nfailures;
	if (bufsz > 0)
		strlcpy0(buf, h->status->last, bufsz);
	pthread_mutex_unlock(&h->status->lock);
	return n;
}
