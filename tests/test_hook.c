/*
 * test_hook.c - the alert hook runner: the environment a hook receives for
 * a raise and a clear, hostile alert text that must arrive as inert data,
 * timeouts, failures, the bound on running hooks, that hook_fire() never
 * waits, that only the hook's own children are reaped, and that unusable
 * paths are refused.  Each test writes its hook scripts (#!/bin/sh) into a
 * mkdtemp() directory whose name is spliced into the script text, since
 * the hook gets a scrubbed environment.
 */
#include <config.h>

#include <sys/stat.h>
#include <sys/wait.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hook.h"
#include "sanitize.h"

static char	 tmpdir[64];	/* "/tmp/perftop-hook-XXXXXX" */

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb; (void)flag; (void)ftw;
	return remove(path);
}

static void
setup(void)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/perftop-hook-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void
teardown(void)
{
	nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static double
now_s(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Path of name under the test directory (static, two at a time). */
static const char *
tpath(const char *name)
{
	static char	 buf[2][PATH_MAX];
	static int	 n;

	n = !n;
	snprintf(buf[n], sizeof buf[n], "%s/%s", tmpdir, name);
	return buf[n];
}

/*
 * Write a #!/bin/sh script; "@D" in body stands for the test directory.
 * Returns its path (static, four at a time, apart from tpath's).
 */
static const char *
script(const char *name, const char *body, mode_t mode)
{
	static char	 paths[4][PATH_MAX];
	static int	 n;
	const char	*path, *p;
	FILE		*f;

	n = (n + 1) % 4;
	snprintf(paths[n], sizeof paths[n], "%s", tpath(name));
	path = paths[n];

	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fputs("#!/bin/sh\n", f);
	for (p = body; *p != '\0'; p++) {
		if (p[0] == '@' && p[1] == 'D') {
			fputs(tmpdir, f);
			p++;
		} else
			fputc(*p, f);
	}
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(chmod(path, mode), 0);
	return path;
}

/* Call hook_poll until file name exists (true) or secs pass (false). */
static bool
wait_file(struct hook *h, const char *name, double secs)
{
	double	 end = now_s() + secs;

	while (now_s() < end) {
		hook_poll(h);
		if (access(tpath(name), F_OK) == 0)
			return true;
		usleep(10000);
	}
	return false;
}

/* Call hook_poll until want failures are recorded or secs pass. */
static unsigned long
wait_failures(struct hook *h, unsigned long want, double secs, char *buf,
    size_t bufsz)
{
	double		 end = now_s() + secs;
	unsigned long	 n;

	for (;;) {
		hook_poll(h);
		n = hook_error(h, buf, bufsz);
		if (n >= want || now_s() >= end)
			return n;
		usleep(10000);
	}
}

/* The whole of file name into a static buffer. */
static const char *
slurp(const char *name)
{
	static char	 buf[65536];
	FILE		*f;
	size_t		 n;

	ck_assert_ptr_nonnull(f = fopen(tpath(name), "r"));
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* The value of NAME in an `env` dump, or NULL; fails if there are two. */
static const char *
env_get(const char *dump, const char *name)
{
	static char	 val[4096];
	const char	*p = dump, *hit = NULL, *nl;
	size_t		 len = strlen(name);

	for (p = dump; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		ck_assert_ptr_nonnull(nl);
		if (strncmp(p, name, len) == 0 && p[len] == '=') {
			ck_assert_msg(hit == NULL, "%s set twice", name);
			hit = p + len + 1;
			snprintf(val, sizeof val, "%.*s", (int)(nl - hit), hit);
		}
	}
	return hit != NULL ? val : NULL;
}

#define expect_env(dump, name, want) do {				\
	const char *v_ = env_get((dump), (name));			\
	ck_assert_msg(v_ != NULL, "%s not set", (name));		\
	ck_assert_str_eq(v_, (want));					\
} while (0)

static struct host	 host = { .hostname = "db1.example", .cpus = 2 };

/* A CPU alert: raised at critical, or cleared after 99.5 s. */
static struct alert_event
event_cpu(enum alert_event_kind kind)
{
	struct alert_event	 e;

	memset(&e, 0, sizeof e);
	e.kind = kind;
	e.alert.id = 42;
	e.alert.metric = M_CPU_BUSY;
	e.alert.level = SEV_CRITICAL;
	e.alert.peak = SEV_CRITICAL;
	e.alert.threshold = 90;
	e.alert.raise_t = 1700000100.7;
	e.alert.vmin = 91.5;
	e.alert.vavg = 93.25;
	e.alert.vmax = 97.0;
	snprintf(e.alert.text, sizeof e.alert.text,
	    "CPU busy 95 %% >= 90 %% (critical)");
	if (kind == ALERT_RAISE) {
		e.t = 1700000100.7;
		e.from = SEV_OK;
		e.alert.clear_t = NAN;
		e.alert.duration_s = 0;
		e.alert.vlast = 95;
		e.alert.active = true;
	} else {
		e.t = 1700000200.2;
		e.from = SEV_CRITICAL;
		e.alert.clear_t = e.t;
		e.alert.duration_s = 99.5;
		e.alert.vlast = 55.125;
		e.alert.active = false;
	}
	return e;
}

/* Writes the environment and facts about itself, then renames: atomic. */
static const char	 dump_body[] =
	"f=\"@D/$PERFTOP_EVENT.$PERFTOP_ALERT_ID\"\n"
	"env > \"$f.tmp\"\n"
	"{ echo \"stdin=$(readlink /proc/$$/fd/0)\"\n"
	"  [ -e /proc/$$/fd/42 ] && echo leaked42\n"
	"  echo \"pid=$$ pgid=$(cut -d' ' -f5 /proc/$$/stat)\"\n"
	"} > \"$f.info\"\n"
	"mv \"$f.tmp\" \"$f\"\n";

START_TEST(test_env_raise_and_clear)
{
	struct alert_event	 e;
	struct hook		*h;
	char			*cause = NULL, buf[256];
	const char		*path, *d;
	int			 fd;

	path = script("dump.sh", dump_body, 0755);
	setenv("PATH", "/usr/bin:/bin", 1);
	setenv("HOME", "/home/tester", 1);
	setenv("LANG", "C.UTF-8", 1);
	setenv("PERFTOP_TEST_SECRET", "s3cret", 1);
	h = hook_create(path, 5, &cause);
	ck_assert_msg(h != NULL, "%s", cause);

	/* A descriptor without O_CLOEXEC must not reach the hook. */
	ck_assert_int_ge(fd = open("/dev/null", O_RDONLY), 0);
	ck_assert_int_eq(dup2(fd, 42), 42);

	e = event_cpu(ALERT_RAISE);
	hook_fire(h, &e, &host);
	ck_assert(wait_file(h, "raise.42", 5));
	d = slurp("raise.42");
	expect_env(d, "PERFTOP_EVENT", "raise");
	expect_env(d, "PERFTOP_LEVEL", "critical");
	expect_env(d, "PERFTOP_PREVIOUS_LEVEL", "ok");
	expect_env(d, "PERFTOP_PEAK", "critical");
	expect_env(d, "PERFTOP_METRIC", "cpu.busy_pct");
	expect_env(d, "PERFTOP_UNIT", "%");
	expect_env(d, "PERFTOP_OBJECT", "");
	expect_env(d, "PERFTOP_VALUE", "95");
	expect_env(d, "PERFTOP_THRESHOLD", "90");
	expect_env(d, "PERFTOP_MIN", "91.5");
	expect_env(d, "PERFTOP_AVG", "93.25");
	expect_env(d, "PERFTOP_MAX", "97");
	expect_env(d, "PERFTOP_TEXT", "CPU busy 95 % >= 90 % (critical)");
	expect_env(d, "PERFTOP_TIME", "1700000100");
	expect_env(d, "PERFTOP_RAISED", "1700000100");
	expect_env(d, "PERFTOP_DURATION_S", "0");
	expect_env(d, "PERFTOP_NODATA", "0");
	expect_env(d, "PERFTOP_HOST", "db1.example");
	expect_env(d, "PERFTOP_ALERT_ID", "42");
	expect_env(d, "PATH", "/usr/bin:/bin");
	expect_env(d, "HOME", "/home/tester");
	expect_env(d, "LANG", "C.UTF-8");
	ck_assert_ptr_null(env_get(d, "PERFTOP_TEST_SECRET"));

	d = slurp("raise.42.info");
	ck_assert_ptr_nonnull(strstr(d, "stdin=/dev/null\n"));
	ck_assert_ptr_null(strstr(d, "leaked42"));
	/* Its own process group: pid == pgid. */
	{
		long	 pid, pgid;
		const char *p = strstr(d, "pid=");

		ck_assert_ptr_nonnull(p);
		ck_assert_int_eq(sscanf(p, "pid=%ld pgid=%ld", &pid, &pgid),
		    2);
		ck_assert_int_eq(pid, pgid);
		ck_assert_int_ne(pgid, getpgrp());
	}

	e = event_cpu(ALERT_CLEAR);
	hook_fire(h, &e, &host);
	ck_assert(wait_file(h, "clear.42", 5));
	d = slurp("clear.42");
	expect_env(d, "PERFTOP_EVENT", "clear");
	expect_env(d, "PERFTOP_LEVEL", "ok");
	expect_env(d, "PERFTOP_PREVIOUS_LEVEL", "critical");
	expect_env(d, "PERFTOP_PEAK", "critical");
	expect_env(d, "PERFTOP_VALUE", "55.125");
	expect_env(d, "PERFTOP_TIME", "1700000200");
	expect_env(d, "PERFTOP_RAISED", "1700000100");
	expect_env(d, "PERFTOP_DURATION_S", "99");

	/* Both ran cleanly: no failure recorded. */
	usleep(100000);
	hook_poll(h);
	ck_assert_uint_eq(hook_error(h, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "");
	close(42);
	close(fd);
	hook_free(h);
}
END_TEST

/*
 * The hook starts with no signal blocked and none ignored, whatever the
 * calling thread has (the collector blocks SIGWINCH).  A shell would reset
 * its mask, so the hook is cp(1) by way of "#!": it copies its own
 * /proc/self/status over the script.
 */
START_TEST(test_signals_reset)
{
	struct alert_event	 e = event_cpu(ALERT_RAISE);
	struct hook		*h;
	char			*cause = NULL, buf[4096];
	const char		*path, *p;
	unsigned long long	 blk, ign;
	sigset_t		 set;
	double			 end;
	FILE			*f;
	size_t			 n = 0;

	path = tpath("status");
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fputs("#!/bin/cp /proc/self/status\n", f);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(chmod(path, 0755), 0);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGWINCH);
	ck_assert_int_eq(sigprocmask(SIG_BLOCK, &set, NULL), 0);
	signal(SIGINT, SIG_IGN);
	h = hook_create(path, 5, &cause);
	ck_assert_ptr_nonnull(h);
	hook_fire(h, &e, &host);
	for (end = now_s() + 5; now_s() < end; usleep(10000)) {
		hook_poll(h);
		ck_assert_ptr_nonnull(f = fopen(path, "r"));
		n = fread(buf, 1, sizeof buf - 1, f);
		fclose(f);
		buf[n] = '\0';
		if (strncmp(buf, "Name:", 5) == 0 && strstr(buf, "SigIgn:"))
			break;
	}
	ck_assert_ptr_nonnull(p = strstr(buf, "\nSigBlk:\t"));
	blk = strtoull(p + 9, NULL, 16);
	ck_assert_ptr_nonnull(p = strstr(buf, "\nSigIgn:\t"));
	ign = strtoull(p + 9, NULL, 16);
	ck_assert_uint_eq(blk, 0);
	ck_assert_uint_eq(ign & (1ULL << (SIGINT - 1)), 0);
	hook_free(h);
}
END_TEST

/* A change event, an object, an unknown value. */
START_TEST(test_env_change_nodata)
{
	struct alert_event	 e;
	struct hook		*h;
	char			*cause = NULL;
	const char		*d;

	h = hook_create(script("dump.sh", dump_body, 0755), 5, &cause);
	ck_assert_ptr_nonnull(h);
	e = event_cpu(ALERT_CHANGE);
	e.alert.id = 7;
	e.alert.metric = M_DISK_AWAIT;
	e.from = SEV_WARNING;
	snprintf(e.alert.object, sizeof e.alert.object, "nvme0n1");
	e.alert.vlast = NAN;
	e.alert.nodata = true;
	e.alert.threshold = 0.01;
	hook_fire(h, &e, NULL);
	ck_assert(wait_file(h, "change.7", 5));
	d = slurp("change.7");
	expect_env(d, "PERFTOP_EVENT", "change");
	expect_env(d, "PERFTOP_LEVEL", "critical");
	expect_env(d, "PERFTOP_PREVIOUS_LEVEL", "warning");
	expect_env(d, "PERFTOP_METRIC", "disk.await_ms");
	expect_env(d, "PERFTOP_UNIT", "ms");
	expect_env(d, "PERFTOP_OBJECT", "nvme0n1");
	expect_env(d, "PERFTOP_VALUE", "");
	expect_env(d, "PERFTOP_THRESHOLD", "0.01");
	expect_env(d, "PERFTOP_NODATA", "1");
	expect_env(d, "PERFTOP_HOST", "");
	hook_free(h);
}
END_TEST

/* Shell syntax and terminal escapes in the alert are data, never code. */
START_TEST(test_hostile_text)
{
	struct alert_event	 e;
	struct hook		*h;
	char			*cause = NULL, want[1024], text[512];
	char			 obj[128];
	const char		*d;

	h = hook_create(script("dump.sh", dump_body, 0755), 5, &cause);
	ck_assert_ptr_nonnull(h);
	e = event_cpu(ALERT_RAISE);
	snprintf(text, sizeof text, "$(touch %s/p1) `touch %s/p2` ' \" "
	    "\x1b[2J\nPERFTOP_EVENT=forged; touch %s/p3", tmpdir, tmpdir,
	    tmpdir);
	ck_assert_uint_lt(strlen(text), sizeof e.alert.text);
	memcpy(e.alert.text, text, strlen(text) + 1);
	snprintf(obj, sizeof obj, "$(touch %s/p4)\x07", tmpdir);
	ck_assert_uint_lt(strlen(obj), sizeof e.alert.object);
	memcpy(e.alert.object, obj, strlen(obj) + 1);
	snprintf(host.hostname, sizeof host.hostname, "`touch %s/p5`",
	    tmpdir);
	hook_fire(h, &e, &host);
	ck_assert(wait_file(h, "raise.42", 5));
	d = slurp("raise.42");

	text_sanitize_str(want, sizeof want, text);
	expect_env(d, "PERFTOP_TEXT", want);
	/* Spelled out: the escape and the newline come as text. */
	ck_assert_ptr_nonnull(strstr(want, "\\x1b[2J\\nPERFTOP_EVENT=forged"));
	ck_assert_ptr_nonnull(strstr(want, "$(touch "));
	ck_assert_ptr_nonnull(strstr(want, "`touch "));
	ck_assert_ptr_null(strchr(d, '\x1b'));
	expect_env(d, "PERFTOP_EVENT", "raise");	/* not forged */
	text_sanitize_str(want, sizeof want, obj);
	ck_assert_ptr_nonnull(strstr(want, "\\x07"));
	expect_env(d, "PERFTOP_OBJECT", want);
	expect_env(d, "PERFTOP_HOST", host.hostname);

	usleep(200000);
	ck_assert_int_ne(access(tpath("p1"), F_OK), 0);
	ck_assert_int_ne(access(tpath("p2"), F_OK), 0);
	ck_assert_int_ne(access(tpath("p3"), F_OK), 0);
	ck_assert_int_ne(access(tpath("p4"), F_OK), 0);
	ck_assert_int_ne(access(tpath("p5"), F_OK), 0);
	hook_free(h);
}
END_TEST

/* Whether pid has gone (no such process, or a zombie about to be reaped). */
static bool
pid_gone(long pid)
{
	char	 path[64], buf[512], *p;
	FILE	*f;
	size_t	 n;

	snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	if ((f = fopen(path, "r")) == NULL)
		return true;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p != NULL && p[1] == ' ' && p[2] == 'Z';
}

static long
read_pid(const char *name)
{
	const char	*s = slurp(name);

	return strtol(s, NULL, 10);
}

/* Wait up to secs for pid to be gone. */
static bool
wait_gone(long pid, double secs)
{
	double	 end = now_s() + secs;

	while (!pid_gone(pid)) {
		if (now_s() >= end)
			return false;
		usleep(10000);
	}
	return true;
}

START_TEST(test_timeout_kills_group)
{
	struct alert_event	 e = event_cpu(ALERT_RAISE);
	struct hook		*h;
	char			*cause = NULL, buf[512], *want;
	const char		*path;
	double			 t0, dt;
	long			 shpid, sleeppid;

	/* The script's own child must die with it. */
	path = script("slow.sh", "sleep 30 &\n"
	    "echo $! > @D/sleep.pid.tmp\nmv @D/sleep.pid.tmp @D/sleep.pid\n"
	    "echo $$ > @D/sh.pid.tmp\nmv @D/sh.pid.tmp @D/sh.pid\n"
	    "wait\n", 0755);
	h = hook_create(path, 0.3, &cause);
	ck_assert_ptr_nonnull(h);
	t0 = now_s();
	hook_fire(h, &e, &host);
	dt = now_s() - t0;
	ck_assert_msg(dt < 0.05, "hook_fire took %.3f s", dt);
	ck_assert(wait_file(h, "sh.pid", 5));
	ck_assert(wait_file(h, "sleep.pid", 5));
	shpid = read_pid("sh.pid");
	sleeppid = read_pid("sleep.pid");
	ck_assert_int_gt(shpid, 1);
	ck_assert_int_gt(sleeppid, 1);
	ck_assert(!pid_gone(sleeppid));
	ck_assert_uint_eq(hook_error(h, buf, sizeof buf), 0);

	ck_assert_uint_eq(wait_failures(h, 1, 5, buf, sizeof buf), 1);
	dt = now_s() - t0;
	ck_assert_msg(dt >= 0.3 && dt < 2, "killed after %.3f s", dt);
	ck_assert_int_ne(asprintf(&want, "alert hook %s timed out after "
	    "0.3 s (killed)", path), -1);
	ck_assert_str_eq(buf, want);
	free(want);
	ck_assert(wait_gone(sleeppid, 3));
	/* hook_poll reaps the shell itself. */
	{
		double	 end = now_s() + 3;

		while (kill((pid_t)shpid, 0) == 0 && now_s() < end) {
			hook_poll(h);
			usleep(10000);
		}
		ck_assert(kill((pid_t)shpid, 0) == -1 && errno == ESRCH);
	}
	/* Recorded once, not again when it is reaped. */
	ck_assert_uint_eq(hook_error(h, NULL, 0), 1);
	hook_free(h);
}
END_TEST

START_TEST(test_failures_recorded)
{
	struct alert_event	 e = event_cpu(ALERT_RAISE);
	struct hook		*h;
	char			*cause = NULL, buf[512], *want;
	const char		*path;

	path = script("fail.sh", "exit 3\n", 0755);
	h = hook_create(path, 5, &cause);
	ck_assert_ptr_nonnull(h);
	hook_fire(h, &e, &host);
	ck_assert_uint_eq(wait_failures(h, 1, 5, buf, sizeof buf), 1);
	ck_assert_int_ne(asprintf(&want, "alert hook %s exited 3", path), -1);
	ck_assert_str_eq(buf, want);
	free(want);
	hook_free(h);

	path = script("sig.sh", "kill -TERM $$\nsleep 5\n", 0755);
	h = hook_create(path, 5, &cause);
	ck_assert_ptr_nonnull(h);
	hook_fire(h, &e, &host);
	ck_assert_uint_eq(wait_failures(h, 1, 5, buf, sizeof buf), 1);
	ck_assert_int_ne(asprintf(&want, "alert hook %s killed by signal 15 "
	    "(Terminated)", path), -1);
	ck_assert_str_eq(buf, want);
	free(want);

	/* Counted one by one; the last message wins. */
	hook_fire(h, &e, &host);
	ck_assert_uint_eq(wait_failures(h, 2, 5, buf, sizeof buf), 2);
	hook_free(h);

	/* An interpreter that does not exist: the spawn itself fails. */
	path = tpath("badinterp.sh");
	{
		FILE	*f = fopen(path, "w");

		ck_assert_ptr_nonnull(f);
		fputs("#!/nonexistent/interpreter\n", f);
		fclose(f);
		ck_assert_int_eq(chmod(path, 0755), 0);
	}
	h = hook_create(path, 5, &cause);
	ck_assert_ptr_nonnull(h);
	hook_fire(h, &e, &host);
	hook_poll(h);
	ck_assert_uint_eq(hook_error(h, buf, sizeof buf), 1);
	ck_assert_int_ne(asprintf(&want, "alert hook %s: cannot run: %s",
	    path, strerror(ENOENT)), -1);
	ck_assert_str_eq(buf, want);
	free(want);
	hook_free(h);
}
END_TEST

/* hook_fire returns at once; hook_free kills what still runs. */
START_TEST(test_fire_never_waits)
{
	struct alert_event	 e = event_cpu(ALERT_RAISE);
	struct hook		*h;
	char			*cause = NULL;
	double			 t0, dt;
	long			 pid;

	h = hook_create(script("sleep.sh", "echo $$ > @D/sh.pid.tmp\n"
	    "mv @D/sh.pid.tmp @D/sh.pid\nexec sleep 10\n", 0755), 60, &cause);
	ck_assert_ptr_nonnull(h);
	t0 = now_s();
	hook_fire(h, &e, &host);
	dt = now_s() - t0;
	ck_assert_msg(dt < 0.05, "hook_fire took %.3f s", dt);
	ck_assert(wait_file(h, "sh.pid", 5));
	pid = read_pid("sh.pid");
	t0 = now_s();
	hook_poll(h);
	ck_assert_msg(now_s() - t0 < 0.05, "hook_poll blocked");
	ck_assert(!pid_gone(pid));
	ck_assert_uint_eq(hook_error(h, NULL, 0), 0);

	/* It waits 2 s for the hook to finish, then kills it. */
	t0 = now_s();
	hook_free(h);
	dt = now_s() - t0;
	ck_assert_msg(dt >= 1.9 && dt < 3, "hook_free took %.3f s", dt);
	ck_assert(pid_gone(pid));
	ck_assert(kill((pid_t)pid, 0) == -1 && errno == ESRCH);
}
END_TEST

/* A hook fired just before the end (a --batch run) still gets to run. */
START_TEST(test_free_lets_hooks_finish)
{
	struct alert_event	 e = event_cpu(ALERT_RAISE);
	struct hook		*h;
	char			*cause = NULL;
	double			 t0, dt;

	h = hook_create(script("late.sh", "sleep 0.3\ntouch @D/done\n",
	    0755), 60, &cause);
	ck_assert_ptr_nonnull(h);
	hook_fire(h, &e, &host);
	t0 = now_s();
	hook_free(h);
	dt = now_s() - t0;
	ck_assert_msg(dt >= 0.25 && dt < 1.5, "hook_free took %.3f s", dt);
	ck_assert_int_eq(access(tpath("done"), F_OK), 0);

	/* The grace is no longer than the timeout. */
	h = hook_create(script("slow.sh", "exec sleep 10\n", 0755), 0.2,
	    &cause);
	ck_assert_ptr_nonnull(h);
	hook_fire(h, &e, &host);
	t0 = now_s();
	hook_free(h);
	dt = now_s() - t0;
	ck_assert_msg(dt < 0.6, "hook_free took %.3f s", dt);
}
END_TEST

/* At most 8 run at once: the rest are dropped and recorded. */
START_TEST(test_bound)
{
	struct alert_event	 e = event_cpu(ALERT_RAISE);
	struct hook		*h;
	char			*cause = NULL, buf[512], *want;
	const char		*path;
	double			 t0;
	int			 i;

	path = script("sleep.sh", "exec sleep 10\n", 0755);
	h = hook_create(path, 30, &cause);
	ck_assert_ptr_nonnull(h);
	t0 = now_s();
	for (i = 0; i < 10; i++) {
		e.alert.id = (unsigned long)i + 1;
		hook_fire(h, &e, &host);
	}
	ck_assert_msg(now_s() - t0 < 0.5, "10 fires took %.3f s",
	    now_s() - t0);
	ck_assert_uint_eq(hook_error(h, buf, sizeof buf), 2);
	ck_assert_int_ne(asprintf(&want, "alert hook %s: 8 commands still "
	    "running; raise event of alert 10 (cpu.busy_pct) dropped", path),
	    -1);
	ck_assert_str_eq(buf, want);
	free(want);
	hook_free(h);
}
END_TEST

/* Children of the program that are not the hook's are left alone. */
START_TEST(test_reaps_only_its_own)
{
	struct alert_event	 e = event_cpu(ALERT_RAISE);
	struct hook		*h;
	char			*cause = NULL;
	pid_t			 mine;
	int			 status, i;

	h = hook_create(script("ok.sh", "exit 0\n", 0755), 5, &cause);
	ck_assert_ptr_nonnull(h);
	if ((mine = fork()) == 0)
		_exit(7);
	ck_assert_int_gt(mine, 0);
	usleep(50000);		/* a zombie by now */
	hook_fire(h, &e, &host);
	for (i = 0; i < 20; i++) {
		hook_poll(h);
		usleep(10000);
	}
	ck_assert_int_eq(waitpid(mine, &status, WNOHANG), mine);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 7);
	ck_assert_uint_eq(hook_error(h, NULL, 0), 0);
	hook_free(h);
}
END_TEST

static void
expect_refused(const char *path, const char *why)
{
	struct hook	*h;
	char		*cause = NULL, *want;

	h = hook_create(path, 5, &cause);
	ck_assert_ptr_null(h);
	ck_assert_ptr_nonnull(cause);
	ck_assert_int_ne(asprintf(&want, "alert hook %s: %s", path, why), -1);
	ck_assert_str_eq(cause, want);
	free(want);
	free(cause);
}

START_TEST(test_create_refuses)
{
	char	*why;

	/* 0644: not executable, even for root (no x bit at all). */
	ck_assert_int_ne(asprintf(&why, "not executable: %s",
	    strerror(EACCES)), -1);
	expect_refused(script("noexec.sh", "exit 0\n", 0644), why);
	free(why);
	expect_refused("hooks/notify.sh", "not an absolute path");
	expect_refused("", "not an absolute path");
	expect_refused(tmpdir, "not a regular file");
	ck_assert_int_ne(asprintf(&why, "%s", strerror(ENOENT)), -1);
	expect_refused(tpath("missing.sh"), why);
	free(why);
	/* The NULL hook is a no-op everywhere. */
	hook_fire(NULL, NULL, NULL);
	hook_poll(NULL);
	ck_assert_uint_eq(hook_error(NULL, NULL, 0), 0);
	hook_free(NULL);
}
END_TEST

static Suite *
hook_suite(void)
{
	Suite	*s = suite_create("hook");
	TCase	*tc;

	tc = tcase_create("hook");
	tcase_set_timeout(tc, 30);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_env_raise_and_clear);
	tcase_add_test(tc, test_env_change_nodata);
	tcase_add_test(tc, test_signals_reset);
	tcase_add_test(tc, test_hostile_text);
	tcase_add_test(tc, test_timeout_kills_group);
	tcase_add_test(tc, test_failures_recorded);
	tcase_add_test(tc, test_fire_never_waits);
	tcase_add_test(tc, test_free_lets_hooks_finish);
	tcase_add_test(tc, test_bound);
	tcase_add_test(tc, test_reaps_only_its_own);
	tcase_add_test(tc, test_create_refuses);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(hook_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
