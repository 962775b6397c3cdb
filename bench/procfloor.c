/* procfloor.c - the "physical floor" of a process monitor refresh:
 * scan /proc once and open/read/close /proc/PID/stat and /proc/PID/status for
 * every PID, repeated ITER times. Reports CPU (user+sys, getrusage) and wall
 * time per sweep and per process, for several variants, ending with what
 * perftop does: getdents64 on a kept /proc descriptor, then pread() of stat
 * and io on descriptors kept open between sweeps.
 *
 *   gcc -O2 -Wall -o procfloor procfloor.c && ./procfloor [ITER [GAP_S]]
 *
 * GAP_S (default 0) sleeps between the sweeps of the kept-descriptor
 * variants: with 1, caches are as cold as at a 1 s refresh.  With -k only
 * those variants run and the last line is machine-readable:
 *   floor nprocs=<n> stat_us=<x> io_us=<y> getdents_us=<z> total_us=<t>
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static char buf[16384];
static volatile unsigned long sink;

enum { M_STAT = 1, M_STATUS = 2 };

static double now(void) {
    struct timespec ts; clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}
static double cpu(void) {
    struct rusage ru; getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
           ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}
static void slurp(int fd) {
    ssize_t n; while ((n = read(fd, buf, sizeof buf)) > 0) sink += (unsigned long)n + (unsigned char)buf[0];
}
/* one sweep; use_at: openat() relative to a /proc dirfd ("stat" via "PID/stat")
 * instead of absolute "/proc/PID/stat" paths. Returns number of PIDs visited. */
static int sweep(int mode, int use_at) {
    DIR *d = opendir("/proc"); if (!d) { perror("/proc"); exit(1); }
    int dfd = dirfd(d), n = 0; struct dirent *e; char path[300];
    while ((e = readdir(d))) {
        if (e->d_name[0] < '1' || e->d_name[0] > '9') continue;
        n++;
        for (int m = M_STAT; m <= M_STATUS; m <<= 1) {
            if (!(mode & m)) continue;
            const char *f = m == M_STAT ? "stat" : "status";
            int fd;
            if (use_at) { snprintf(path, sizeof path, "%s/%s", e->d_name, f); fd = openat(dfd, path, O_RDONLY | O_CLOEXEC); }
            else        { snprintf(path, sizeof path, "/proc/%s/%s", e->d_name, f); fd = open(path, O_RDONLY | O_CLOEXEC); }
            if (fd < 0) continue;   /* process vanished */
            slurp(fd); close(fd);
        }
    }
    closedir(d);
    return n;
}
static void run(const char *label, int mode, int use_at, int iter) {
    sweep(mode, use_at);                          /* warm dentries */
    double c0 = cpu(), w0 = now(); long np = 0;
    for (int i = 0; i < iter; i++) np += sweep(mode, use_at);
    double c = cpu() - c0, w = now() - w0, avgp = (double)np / iter;
    printf("%-28s pids=%6.0f  cpu/sweep=%8.3f ms  wall/sweep=%8.3f ms  cpu/proc=%6.2f us  wall/proc=%6.2f us\n",
           label, avgp, 1e3 * c / iter, 1e3 * w / iter, 1e6 * c / iter / avgp, 1e6 * w / iter / avgp);
}
/* stat and io read with pread() on descriptors kept open across sweeps: no
 * path lookup, no open/close per process. A descriptor of an exited process
 * fails with ESRCH, so PID reuse cannot be mistaken for the old process. The
 * pids are listed each sweep (to see new ones) with getdents64 on a kept
 * /proc descriptor. CPU time is per sweep part, from the thread CPU clock. */
static double tcpu(void) {
    struct timespec ts; clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}
static void run_kept(int iter, double gap, int quiet) {
    static int fds[1 << 16], fio[1 << 16]; int n = 0; char path[300], dbuf[16384];
    struct rlimit rl; getrlimit(RLIMIT_NOFILE, &rl); rl.rlim_cur = rl.rlim_max; setrlimit(RLIMIT_NOFILE, &rl);
    int pfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC); if (pfd < 0) { perror("/proc"); exit(1); }
    DIR *d = opendir("/proc"); struct dirent *e;
    while ((e = readdir(d)) && n < (1 << 16)) {
        if (e->d_name[0] < '1' || e->d_name[0] > '9') continue;
        snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
        int fd = open(path, O_RDONLY | O_CLOEXEC); if (fd < 0) continue;
        snprintf(path, sizeof path, "/proc/%s/io", e->d_name);
        fds[n] = fd; fio[n++] = open(path, O_RDONLY | O_CLOEXEC);
    }
    closedir(d);
    if (n == 0) return;
    double ts = 0, ti = 0, tg = 0, c0, c1, c2, c3;
    for (int i = 0; i < iter; i++) {
        if (gap > 0) usleep((useconds_t)(gap * 1e6));
        c0 = tcpu();
        lseek(pfd, 0, SEEK_SET);
        for (ssize_t got; (got = getdents64(pfd, dbuf, sizeof dbuf)) > 0; ) sink += (unsigned long)got;
        c1 = tcpu();
        for (int k = 0; k < n; k++) { ssize_t r = pread(fds[k], buf, sizeof buf, 0); if (r > 0) sink += (unsigned char)buf[0]; }
        c2 = tcpu();
        for (int k = 0; k < n; k++) { if (fio[k] < 0) continue; ssize_t r = pread(fio[k], buf, sizeof buf, 0); if (r > 0) sink += (unsigned char)buf[0]; }
        c3 = tcpu();
        tg += c1 - c0; ts += c2 - c1; ti += c3 - c2;
    }
    double us = 1e6 / iter / n;
    if (!quiet) {
        printf("%-28s pids=%6d  cpu/sweep=%8.3f ms  cpu/proc=%6.2f us\n", "getdents64 (kept /proc fd)", n, 1e3 * tg / iter, tg * us);
        printf("%-28s pids=%6d  cpu/sweep=%8.3f ms  cpu/proc=%6.2f us\n", "stat (kept fd, pread)", n, 1e3 * ts / iter, ts * us);
        printf("%-28s pids=%6d  cpu/sweep=%8.3f ms  cpu/proc=%6.2f us\n", "io (kept fd, pread)", n, 1e3 * ti / iter, ti * us);
    }
    printf("floor nprocs=%d stat_us=%.2f io_us=%.2f getdents_us=%.2f total_us=%.2f gap_s=%g\n",
           n, ts * us, ti * us, tg * us, (ts + ti + tg) * us, gap);
    for (int k = 0; k < n; k++) { close(fds[k]); if (fio[k] >= 0) close(fio[k]); }
    close(pfd);
}
int main(int argc, char **argv) {
    int quiet = argc > 1 && strcmp(argv[1], "-k") == 0;
    if (quiet) { argc--; argv++; }
    int iter = argc > 1 ? atoi(argv[1]) : 100;
    double gap = argc > 2 ? atof(argv[2]) : 0;
    if (iter < 1) iter = 1;
    if (quiet) { run_kept(iter, gap, 1); return 0; }
    printf("procfloor: %d sweeps per variant\n", iter);
    run("readdir only",               0,                 0, iter);
    run("stat",                       M_STAT,            0, iter);
    run("status",                     M_STATUS,          0, iter);
    run("stat+status",                M_STAT | M_STATUS, 0, iter);
    run("stat+status (openat dirfd)", M_STAT | M_STATUS, 1, iter);
    run_kept(iter, gap, 0);
    return 0;
}
