/*
 * churn.c - a process churn generator for perftop's soak and stress tests.
 *
 *	churn [-s SECONDS] [-f FORKS_PER_S] [-t THREADS] [-z ZOMBIES] [-q]
 *
 * For SECONDS (default 60; it always ends, by alarm() if need be) it keeps
 * the process table moving the way a busy build or CI machine does:
 * - FORKS_PER_S (default 300) short-lived children a second, each with a
 *   long command line (a re-exec of this program as "churn-child ..." for
 *   one in ten, so /proc/PID/cmdline changes under a reader) that exits
 *   after 0-20 ms: they vanish while perftop reads them (ENOENT/ESRCH);
 * - THREADS (default 8) worker threads, each spinning up and joining a
 *   short-lived thread every few milliseconds, so NLWP and the task list
 *   change all the time;
 * - ZOMBIES (default 50) zombies at any time: a keeper process forks
 *   that many children that exit at once, leaves them unreaped for 1.5 s,
 *   reaps them and starts again.
 * Every child dies with its parent (PR_SET_PDEATHSIG), so nothing outlives
 * a killed churn.  At the end it prints what it did on stdout:
 *	churn: 18000 forks, 9000 threads, 2000 zombies in 60.0 s
 * -q prints nothing.  Exit 0, or 1 on a usage error.
 */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif

#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define ZOMBIES_MAX	4096
#define ZOMBIE_LIFE	1.5	/* seconds a zombie stays */

static atomic_int	 stop;
static atomic_long	 nthreads;
static long		*nzombies;	/* shared with the keeper */

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
on_alarm(int sig)
{
	(void)sig;
	stop = 1;
}

static void
nap(double s)
{
	struct timespec	 ts;

	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR && !stop)
		;
}

static void *
thread_short(void *arg)
{
	(void)arg;
	nap(0.001 + (double)(rand() % 5) / 1000);
	return NULL;
}

/* A worker: keeps starting and joining short-lived threads. */
static void *
thread_worker(void *arg)
{
	pthread_t	 t;

	(void)arg;
	while (!stop) {
		if (pthread_create(&t, NULL, thread_short, NULL) == 0) {
			pthread_join(t, NULL);
			atomic_fetch_add(&nthreads, 1);
		}
		nap(0.002);
	}
	return NULL;
}

/* A child: dies with the parent; lives ms milliseconds. */
static pid_t
spawn(const char *self, int ms, int reexec, pid_t parent)
{
	char	 arg[32], pad[600];
	pid_t	 pid;

	if ((pid = fork()) != 0)
		return pid;
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (getppid() != parent)
		_exit(0);
	if (reexec) {
		snprintf(arg, sizeof arg, "%d", ms);
		memset(pad, 'c', sizeof pad - 1);
		pad[sizeof pad - 1] = '\0';
		execl(self, "churn-child", "--sleep-ms", arg, pad, (char *)NULL);
	}
	nap((double)ms / 1000);
	_exit(0);
}

/*
 * The zombie keeper: rounds of n children that exit at once and stay
 * unreaped for ZOMBIE_LIFE seconds.  Returns its pid; it ends with the
 * parent or after secs.
 */
static pid_t
zombie_keeper(int n, double secs, pid_t parent)
{
	double	 t0;
	pid_t	 pid;
	int	 i;

	if ((pid = fork()) != 0)
		return pid;
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (getppid() != parent)
		_exit(0);
	prctl(PR_SET_NAME, "churn-zombies", 0, 0, 0);
	signal(SIGTERM, SIG_DFL);
	signal(SIGALRM, SIG_DFL);
	t0 = now();
	while (!stop && now() - t0 < secs && getppid() == parent) {
		for (i = 0; i < n; i++) {
			if (fork() == 0)
				_exit(0);
			__atomic_add_fetch(nzombies, 1, __ATOMIC_RELAXED);
		}
		nap(ZOMBIE_LIFE);
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
	}
	_exit(0);
}

static void
usage(void)
{
	fputs("usage: churn [-s SECONDS] [-f FORKS_PER_S] [-t THREADS] "
	    "[-z ZOMBIES] [-q]\n", stderr);
	exit(1);
}

int
main(int argc, char **argv)
{
	pthread_t	*workers;
	double		 secs = 60, rate = 300, t0, next, dt;
	long		 forks = 0;
	int		 nthr = 8, zmax = 50, quiet = 0, ch, i;
	pid_t		 pid, me = getpid(), keeper = -1;

	/* The re-executed child: sleep and go. */
	if (argc >= 3 && strcmp(argv[1], "--sleep-ms") == 0) {
		nap(atof(argv[2]) / 1000);
		return 0;
	}
	while ((ch = getopt(argc, argv, "f:qs:t:z:")) != -1) {
		switch (ch) {
		case 'f': rate = atof(optarg); break;
		case 'q': quiet = 1; break;
		case 's': secs = atof(optarg); break;
		case 't': nthr = atoi(optarg); break;
		case 'z': zmax = atoi(optarg); break;
		default: usage();
		}
	}
	if (!(secs > 0 && secs < 1e7) || !(rate > 0 && rate <= 100000) ||
	    nthr < 0 || nthr > 1000 || zmax < 0 || zmax > ZOMBIES_MAX)
		usage();
	signal(SIGALRM, on_alarm);
	signal(SIGTERM, on_alarm);
	signal(SIGINT, on_alarm);
	alarm((unsigned)secs + 5);	/* a backstop */
	srand((unsigned)me);

	nzombies = mmap(NULL, sizeof *nzombies, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (nzombies == MAP_FAILED)
		return 1;
	if (zmax > 0)
		keeper = zombie_keeper(zmax, secs, me);
	workers = calloc((size_t)nthr + 1, sizeof *workers);
	for (i = 0; i < nthr; i++)
		pthread_create(&workers[i], NULL, thread_worker, NULL);

	t0 = now();
	next = t0;
	dt = 1 / rate;
	while (!stop && now() - t0 < secs) {
		while ((pid = waitpid(-1, NULL, WNOHANG)) > 0) {
			if (pid == keeper)
				keeper = -1;
		}
		if (spawn(argv[0], rand() % 21, forks % 10 == 0, me) > 0)
			forks++;
		next += dt;
		if (next > now())
			nap(next - now());
		else if (now() - next > 1)
			next = now();	/* fell behind: do not burst */
	}
	stop = 1;
	for (i = 0; i < nthr; i++)
		pthread_join(workers[i], NULL);
	free(workers);
	if (keeper > 0)
		kill(keeper, SIGTERM);
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
	if (!quiet)
		printf("churn: %ld forks, %ld threads, %ld zombies in %.1f s\n",
		    forks, (long)nthreads, *nzombies, now() - t0);
	return 0;
}
