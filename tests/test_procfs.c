/*
 * test_procfs.c - the hand-written /proc parsers on fixed texts: pressure
 * files with and without a "full" line, truncated or garbled; /proc/net/dev
 * with its headers, odd spacing and long names; /proc/PID/stat with
 * hostile names, missing fields and huge numbers; /proc/PID/io and status;
 * command lines; os-release; statm; the filesystem and disk filters.  A few
 * tests read the real files of this machine, to check the wrappers agree
 * with the parsers and that a kept descriptor of a dead process fails.
 */
#include <config.h>

#include <sys/wait.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "procfs.h"

#define EPS	1e-9
#define ck_assert_nan(x)	ck_assert_msg(isnan(x), #x " = %g, not NAN", (x))

static const char psi_full[] =
    "some avg10=1.50 avg60=0.75 avg300=0.25 total=123456789\n"
    "full avg10=0.10 avg60=0.20 avg300=0.30 total=4567\n";

START_TEST(psi_some_and_full)
{
	struct psi_figs	 p;

	ck_assert_int_eq(psi_parse(psi_full, &p), 0);
	ck_assert_double_eq_tol(p.some_avg10, 1.5, EPS);
	ck_assert_double_eq_tol(p.some_avg60, 0.75, EPS);
	ck_assert_double_eq_tol(p.some_avg300, 0.25, EPS);
	ck_assert_double_eq_tol(p.some_total_us, 123456789, EPS);
	ck_assert_double_eq_tol(p.full_avg10, 0.1, EPS);
	ck_assert_double_eq_tol(p.full_avg60, 0.2, EPS);
	ck_assert_double_eq_tol(p.full_avg300, 0.3, EPS);
	ck_assert_double_eq_tol(p.full_total_us, 4567, EPS);
}
END_TEST

START_TEST(psi_without_full)
{
	struct psi_figs	 p;

	/* /proc/pressure/cpu before Linux 5.13 has no "full" line. */
	ck_assert_int_eq(psi_parse("some avg10=100.00 avg60=0.00 avg300=0.00 "
	    "total=0\n", &p), 0);
	ck_assert_double_eq_tol(p.some_avg10, 100, EPS);
	ck_assert_double_eq_tol(p.some_total_us, 0, EPS);
	ck_assert_nan(p.full_avg10);
	ck_assert_nan(p.full_avg60);
	ck_assert_nan(p.full_avg300);
	ck_assert_nan(p.full_total_us);

	/* No trailing newline; fields in another order. */
	ck_assert_int_eq(psi_parse("some total=7 avg300=3.00 avg60=2.00 "
	    "avg10=1.00", &p), 0);
	ck_assert_double_eq_tol(p.some_avg10, 1, EPS);
	ck_assert_double_eq_tol(p.some_total_us, 7, EPS);
}
END_TEST

START_TEST(psi_garbage_and_truncated)
{
	struct psi_figs	 p;

	ck_assert_int_eq(psi_parse("", &p), -1);
	ck_assert_nan(p.some_avg10);
	ck_assert_nan(p.full_total_us);
	ck_assert_int_eq(psi_parse("hello world\n\n\x01\xff", &p), -1);
	ck_assert_nan(p.some_avg10);

	/* Cut in the middle of the line: the line is not trusted at all. */
	ck_assert_int_eq(psi_parse("some avg10=1.50 avg60=0.7", &p), -1);
	ck_assert_nan(p.some_avg10);
	ck_assert_nan(p.some_avg60);
	/* Cut in the middle of the full line: some survives. */
	ck_assert_int_eq(psi_parse("some avg10=1.00 avg60=2.00 avg300=3.00 "
	    "total=4\nfull avg10=0.1 avg60=", &p), 0);
	ck_assert_double_eq_tol(p.some_avg300, 3, EPS);
	ck_assert_nan(p.full_avg10);

	/* Signs, junk after numbers, out of range, repeated keys. */
	ck_assert_int_eq(psi_parse("some avg10=-1.00 avg60=0 avg300=0 "
	    "total=1\n", &p), -1);
	ck_assert_int_eq(psi_parse("some avg10=1.00x avg60=0 avg300=0 "
	    "total=1\n", &p), -1);
	ck_assert_int_eq(psi_parse("some avg10=101.00 avg60=0 avg300=0 "
	    "total=1\n", &p), -1);
	ck_assert_int_eq(psi_parse("some avg10=1 avg10=1 avg300=0 "
	    "total=1\n", &p), -1);
	ck_assert_int_eq(psi_parse("some avg10=1 avg60=1 avg300=0 "
	    "total=99999999999999999999999\n", &p), -1);
	ck_assert_int_eq(psi_parse("some avg10=. avg60=1 avg300=0 total=1\n",
	    &p), -1);
	ck_assert_nan(p.some_total_us);
	/* "someone" is not "some". */
	ck_assert_int_eq(psi_parse("someone avg10=1 avg60=1 avg300=0 "
	    "total=1\n", &p), -1);
}
END_TEST

static const char netdev_text[] =
"Inter-|   Receive                                                |  Transmit\n"
" face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n"
"    lo:    3267      29    0    0    0     0          0         0     3267      29    0    0    0     0       0          0\n"
"  eth0: 43804509    1524    1    2    0     0          0         0    75798    1013    3    4    0     0       0          0\n"
"veth1234567890ab:1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n"
"\twlan0:\t18446744073709551615 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n";

START_TEST(netdev_rows)
{
	struct netdev_row	 r;
	const char		*pos = netdev_text;

	ck_assert(netdev_next(&pos, &r));
	ck_assert_str_eq(r.name, "lo");
	ck_assert_uint_eq(r.raw.rx_bytes, 3267);
	ck_assert_uint_eq(r.raw.tx_packets, 29);

	ck_assert(netdev_next(&pos, &r));
	ck_assert_str_eq(r.name, "eth0");
	ck_assert_uint_eq(r.raw.rx_bytes, 43804509);
	ck_assert_uint_eq(r.raw.rx_packets, 1524);
	ck_assert_uint_eq(r.raw.rx_errors, 1);
	ck_assert_uint_eq(r.raw.rx_drops, 2);
	ck_assert_uint_eq(r.raw.tx_bytes, 75798);
	ck_assert_uint_eq(r.raw.tx_packets, 1013);
	ck_assert_uint_eq(r.raw.tx_errors, 3);
	ck_assert_uint_eq(r.raw.tx_drops, 4);

	/* A 16-character name leaves no space before the numbers. */
	ck_assert(netdev_next(&pos, &r));
	ck_assert_str_eq(r.name, "veth1234567890ab");
	ck_assert_uint_eq(r.raw.rx_bytes, 1);
	ck_assert_uint_eq(r.raw.rx_drops, 4);
	ck_assert_uint_eq(r.raw.tx_bytes, 9);
	ck_assert_uint_eq(r.raw.tx_drops, 12);

	/* Tabs, and the largest 64-bit counter. */
	ck_assert(netdev_next(&pos, &r));
	ck_assert_str_eq(r.name, "wlan0");
	ck_assert_uint_eq(r.raw.rx_bytes, UINT64_MAX);

	ck_assert(!netdev_next(&pos, &r));
	ck_assert(!netdev_next(&pos, &r));
}
END_TEST

START_TEST(netdev_bad_lines_skipped)
{
	struct netdev_row	 r;
	char			 text[1024], longname[200];
	const char		*pos;

	memset(longname, 'x', sizeof longname - 1);
	longname[sizeof longname - 1] = '\0';
	snprintf(text, sizeof text,
	    "%s: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n"	/* too long */
	    "short: 1 2 3\n"					/* truncated */
	    "neg: 1 2 3 4 5 6 7 8 -9 10 11 12 13 14 15 16\n"	/* a sign */
	    "junk: 1 2 3 4 5 6 7 8 9x 10 11 12 13 14 15 16\n"
	    ": 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n"	/* no name */
	    "big: 1 2 3 4 5 6 7 8 99999999999999999999 10 11 12 13 14 15 16\n"
	    "ok0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n"
	    "cut: 1 2 3 4", longname);
	pos = text;
	ck_assert(netdev_next(&pos, &r));
	ck_assert_str_eq(r.name, "ok0");
	ck_assert_uint_eq(r.raw.tx_bytes, 9);
	ck_assert(!netdev_next(&pos, &r));

	pos = "";
	ck_assert(!netdev_next(&pos, &r));
}
END_TEST

START_TEST(cmdline)
{
	char	 b[64];
	size_t	 n;

	memcpy(b, "sh\0-c\0echo hi\0", 14);
	n = cmdline_join(b, 14);
	ck_assert_uint_eq(n, 13);
	ck_assert_str_eq(b, "sh -c echo hi");

	/* Empty (kernel thread) and padding left by setproctitle. */
	n = cmdline_join(b, 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_str_eq(b, "");
	memcpy(b, "nginx: worker\0\0\0   \0", 20);
	n = cmdline_join(b, 20);
	ck_assert_str_eq(b, "nginx: worker");
	ck_assert_uint_eq(n, 13);
	/* No terminating NUL (the kernel cut it). */
	memcpy(b, "a\0b", 3);
	ck_assert_uint_eq(cmdline_join(b, 3), 3);
	ck_assert_str_eq(b, "a b");
}
END_TEST

START_TEST(cmdline_of_self)
{
	char	 b[4096];
	ssize_t	 n;
	int	 procfd;

	ck_assert_int_ge(procfd = open("/proc", O_RDONLY | O_DIRECTORY), 0);
	n = procfs_cmdline(procfd, (int)getpid(), b, sizeof b);
	ck_assert_int_gt(n, 0);
	ck_assert_ptr_nonnull(strstr(b, "test_procfs"));
	ck_assert_uint_eq(strlen(b), (size_t)n);
	/* A buffer too small cuts, never overflows. */
	n = procfs_cmdline(procfd, (int)getpid(), b, 4);
	ck_assert_int_le(n, 3);
	ck_assert_uint_eq(strlen(b), (size_t)n);
	ck_assert_int_eq(procfs_cmdline(procfd, -5, b, sizeof b), -1);
	close(procfd);
}
END_TEST

/* A command line of three pages comes whole from its one read. */
START_TEST(cmdline_long)
{
	static char	 arg[10001], b[16384];
	static char	 a0[] = "sh", a1[] = "-c", a2[] = "read x";
	char		*argv[] = { a0, a1, a2, a0, arg, NULL };
	ssize_t		 n;
	pid_t		 pid;
	int		 p[2], procfd, i;

	memset(arg, 'a', sizeof arg - 1);
	arg[sizeof arg - 1] = '\0';
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_ge(pid = fork(), 0);
	if (pid == 0) {
		dup2(p[0], 0);
		close(p[1]);
		execv("/bin/sh", argv);
		_exit(127);
	}
	close(p[0]);
	ck_assert_int_ge(procfd = open("/proc", O_RDONLY | O_DIRECTORY), 0);
	for (i = 0, n = -1; i < 500; i++) {	/* until the exec is done */
		n = procfs_cmdline(procfd, pid, b, sizeof b);
		if (n > 0 && strncmp(b, "sh -c", 5) == 0)
			break;
		usleep(10000);
	}
	ck_assert_int_eq(n, (ssize_t)strlen("sh -c read x sh ") + 10000);
	ck_assert_str_eq(b + n - 10000, arg);
	close(p[1]);				/* read x ends */
	ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
	close(procfd);
}
END_TEST

START_TEST(osrelease)
{
	char	 b[64];

	ck_assert(osrelease_pretty("NAME=\"Debian GNU/Linux\"\n"
	    "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\n",
	    b, sizeof b));
	ck_assert_str_eq(b, "Debian GNU/Linux 12 (bookworm)");
	ck_assert(osrelease_pretty("PRETTY_NAME='Alpine'", b, sizeof b));
	ck_assert_str_eq(b, "Alpine");
	ck_assert(osrelease_pretty("PRETTY_NAME=Plain\n", b, sizeof b));
	ck_assert_str_eq(b, "Plain");
	ck_assert(osrelease_pretty("PRETTY_NAME=\"say \\\"hi\\\" \\$x\"\n",
	    b, sizeof b));
	ck_assert_str_eq(b, "say \"hi\" $x");
	/* Not at the start of a line, unterminated quote, absent. */
	ck_assert(!osrelease_pretty("X_PRETTY_NAME=\"no\"\n", b, sizeof b));
	ck_assert(!osrelease_pretty("PRETTY_NAME=\"open\n", b, sizeof b));
	ck_assert(!osrelease_pretty("", b, sizeof b));
	/* Cut to the buffer. */
	ck_assert(osrelease_pretty("PRETTY_NAME=abcdefgh", b, 4));
	ck_assert_str_eq(b, "abc");
}
END_TEST

START_TEST(statm)
{
	double	 v = -1;

	ck_assert(statm_resident("2500 300 200 10 0 400 0\n", 4096, &v));
	ck_assert_double_eq_tol(v, 300.0 * 4096, EPS);
	ck_assert(!statm_resident("2500\n", 4096, &v));
	ck_assert(!statm_resident("x 1", 4096, &v));
	ck_assert(!statm_resident("", 4096, &v));
}
END_TEST

START_TEST(filters)
{
	ck_assert(fs_type_wanted("ext4"));
	ck_assert(fs_type_wanted("xfs"));
	ck_assert(fs_type_wanted("btrfs"));
	ck_assert(fs_type_wanted("overlay"));
	ck_assert(!fs_type_wanted("tmpfs"));
	ck_assert(!fs_type_wanted("proc"));
	ck_assert(!fs_type_wanted("sysfs"));
	ck_assert(!fs_type_wanted("cgroup2"));
	ck_assert(!fs_type_wanted("nfs"));
	ck_assert(!fs_type_wanted("ext"));
	ck_assert(!fs_type_wanted(""));

	ck_assert(disk_name_hidden("loop0"));
	ck_assert(disk_name_hidden("loop12"));
	ck_assert(disk_name_hidden("ram0"));
	ck_assert(disk_name_hidden("zram0"));
	ck_assert(disk_name_hidden("fd0"));
	ck_assert(!disk_name_hidden("sda"));
	ck_assert(!disk_name_hidden("nvme0n1"));
	ck_assert(!disk_name_hidden("vda"));
	ck_assert(!disk_name_hidden("dm-0"));
	ck_assert(!disk_name_hidden("loopy"));
	ck_assert(!disk_name_hidden("ramdisk"));
}
END_TEST

START_TEST(file_wrappers)
{
	char		 path[] = "/tmp/test_procfs.XXXXXX";
	char		*buf = NULL, small[8];
	size_t		 cap = 0, i;
	struct psi_figs	 p;
	int		 fd;
	ssize_t		 n;

	/* A file larger than the first slurp buffer. */
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	for (i = 0; i < 3000; i++)
		ck_assert_int_eq(write(fd, "0123456789", 10), 10);
	close(fd);
	n = procfs_slurp(path, &buf, &cap);
	ck_assert_int_eq(n, 30000);
	ck_assert_uint_eq(strlen(buf), 30000);
	n = procfs_read(path, small, sizeof small);
	ck_assert_int_eq(n, 7);
	ck_assert_str_eq(small, "0123456");

	fd = open(path, O_WRONLY | O_TRUNC);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, psi_full, strlen(psi_full)),
	    (ssize_t)strlen(psi_full));
	close(fd);
	ck_assert_int_eq(psi_read(path, &p), 0);
	ck_assert_double_eq_tol(p.full_total_us, 4567, EPS);
	unlink(path);

	/* Missing: -1 and every figure NAN. */
	ck_assert_int_eq(psi_read(path, &p), -1);
	ck_assert_nan(p.some_avg10);
	ck_assert_nan(p.full_total_us);
	ck_assert_int_eq(procfs_slurp(path, &buf, &cap), -1);
	free(buf);
}
END_TEST

/* A real line of Linux 6.x (52 fields). */
static const char stat_line[] =
    "1234 (bash) S 1200 1234 1234 34816 1300 4194304 2915 24567 0 3 "
    "57 21 63 40 20 0 1 0 8641 9113600 1296 18446744073709551615 "
    "94526127386624 94526128302381 140724612411984 0 0 65536 3686404 "
    "1266761467 1 0 0 17 1 0 0 0 0 0 94526128536464 94526128583372 "
    "94526153846784 140724612419406 140724612419411 140724612419411 "
    "140724612419566 0\n";

#define S7 "7 (x) R 1 7 7 0 -1 0 0 0 0 0 5 6 0 0 20 0 3 0 99 100 42"
#define SZ "9 (\n) Z 1 0 0 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0\n"
#define SE "9 () S 1 0 0 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0"
#define SK "2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 3 0 0 20 0 1 0 2 0 0"
#define SF "2 (x) S 0 0 0 0 -1 4294967296 0 0 0 0 0 3 0 0 20 0 1 0 2 0 0"

START_TEST(pidstat_fields)
{
	struct pidstat	 st;

	ck_assert_int_eq(pidstat_parse(stat_line, strlen(stat_line), &st), 0);
	ck_assert_int_eq(st.pid, 1234);
	ck_assert_str_eq(st.comm, "bash");
	ck_assert_int_eq(st.state, 'S');
	ck_assert_int_eq(st.ppid, 1200);
	ck_assert_uint_eq(st.utime, 57);
	ck_assert_uint_eq(st.stime, 21);
	ck_assert_int_eq(st.nlwp, 1);
	ck_assert_uint_eq(st.starttime, 8641);
	ck_assert_uint_eq(st.rss, 1296);
	ck_assert_uint_eq(st.flags, 4194304);

	/* kthreadd: PF_KTHREAD (0x00200000) among its flags. */
	ck_assert_int_eq(pidstat_parse(SK, strlen(SK), &st), 0);
	ck_assert_uint_eq(st.flags, 0x208040);
	ck_assert_uint_eq(st.flags & 0x00200000, 0x00200000);
	/* Flags are an unsigned int. */
	ck_assert_int_eq(pidstat_parse(SF, strlen(SF), &st), -1);

	/* Cut right after rss: still whole for what we use. */
	ck_assert_int_eq(pidstat_parse(S7, strlen(S7), &st), 0);
	ck_assert_int_eq(st.state, 'R');
	ck_assert_int_eq(st.nlwp, 3);
	ck_assert_uint_eq(st.rss, 42);
	ck_assert_uint_eq(st.starttime, 99);
}
END_TEST

START_TEST(pidstat_hostile_comm)
{
	struct pidstat	 st;
	char		 line[512], name[64];

	/* prctl(PR_SET_NAME) allows anything but NUL: ") (", spaces, a
	 * newline, digits that look like fields. */
	snprintf(line, sizeof line, "%s",
	    "42 (a) (b) S 1 2 3) R 7 42 42 0 -1 4194560 1 0 0 0 "
	    "11 12 0 0 20 0 1 0 500 0 0 18446744073709551615 0\n");
	ck_assert_int_eq(pidstat_parse(line, strlen(line), &st), 0);
	ck_assert_str_eq(st.comm, "a) (b) S 1 2 3");
	ck_assert_int_eq(st.state, 'R');
	ck_assert_int_eq(st.ppid, 7);
	ck_assert_uint_eq(st.utime, 11);
	ck_assert_uint_eq(st.stime, 12);
	ck_assert_uint_eq(st.starttime, 500);

	ck_assert_int_eq(pidstat_parse(SZ, strlen(SZ), &st), 0);
	ck_assert_str_eq(st.comm, "\n");
	ck_assert_int_eq(st.state, 'Z');
	ck_assert_uint_eq(st.rss, 0);

	/* Empty name; a name longer than we keep is cut, never overflows. */
	ck_assert_int_eq(pidstat_parse(SE, strlen(SE), &st), 0);
	ck_assert_str_eq(st.comm, "");
	memset(name, 'k', sizeof name - 1);
	name[sizeof name - 1] = '\0';
	snprintf(line, sizeof line, "3 (%s%s) I 2 0 0 0 -1 0 0 0 0 0 "
	    "0 0 0 0 20 0 1 0 5 0 0", name, name);
	ck_assert_int_eq(pidstat_parse(line, strlen(line), &st), 0);
	ck_assert_uint_eq(strlen(st.comm), PIDSTAT_COMM_MAX - 1);
	ck_assert_int_eq(st.state, 'I');
}
END_TEST

START_TEST(pidstat_bad)
{
	struct pidstat	 st;
	char		 line[512];
	size_t		 len = strlen(stat_line), i, rss_end;

	ck_assert_int_eq(pidstat_parse("", 0, &st), -1);
	ck_assert_int_eq(pidstat_parse("1 (x", 4, &st), -1);
	ck_assert_int_eq(pidstat_parse("x (a) S 1", 9, &st), -1);
	snprintf(line, sizeof line, "0%s", &SE[1]);	/* pid 0 */
	ck_assert_int_eq(pidstat_parse(line, strlen(line), &st), -1);
	snprintf(line, sizeof line, "-1%s", &SE[1]);
	ck_assert_int_eq(pidstat_parse(line, strlen(line), &st), -1);
	/* Every cut before rss (field 24) fails; any cut after it parses
	 * the same figures. */
	rss_end = (size_t)(strstr(stat_line, " 1296 ") - stat_line) + 5;
	for (i = 0; i <= len; i++) {
		int rc = pidstat_parse(stat_line, i, &st);

		if (i < rss_end - 4)
			ck_assert_msg(rc == -1, "cut at %zu parsed", i);
		else if (i >= rss_end) {
			ck_assert_msg(rc == 0, "cut at %zu failed", i);
			ck_assert_uint_eq(st.rss, 1296);
		}
	}
	/* The length given is what counts, not the NUL. */
	ck_assert_int_eq(pidstat_parse(stat_line, rss_end - 3, &st), 0);
	ck_assert_uint_eq(st.rss, 1);	/* "1296" cut to "1" */

	/* Numbers: one past 2^64 - 1, a sign where none belongs, junk. */
	snprintf(line, sizeof line, "5 (a) S 1 0 0 0 -1 0 0 0 0 0 "
	    "18446744073709551615 18446744073709551615 0 0 20 0 1 0 "
	    "18446744073709551615 0 18446744073709551615");
	ck_assert_int_eq(pidstat_parse(line, strlen(line), &st), 0);
	ck_assert_uint_eq(st.utime, UINT64_MAX);
	ck_assert_uint_eq(st.starttime, UINT64_MAX);
	ck_assert_uint_eq(st.rss, UINT64_MAX);
	snprintf(line, sizeof line, "5 (a) S 1 0 0 0 -1 0 0 0 0 0 "
	    "18446744073709551616 0 0 0 20 0 1 0 5 0 0");
	ck_assert_int_eq(pidstat_parse(line, strlen(line), &st), -1);
	snprintf(line, sizeof line, "5 (a) S 1 0 0 0 -1 0 0 0 0 0 "
	    "-3 0 0 0 20 0 1 0 5 0 0");
	ck_assert_int_eq(pidstat_parse(line, strlen(line), &st), -1);
	snprintf(line, sizeof line, "5 (a) S 1 0 0 0 -1 0 0 0 0 0 "
	    "3x 0 0 0 20 0 1 0 5 0 0");
	ck_assert_int_eq(pidstat_parse(line, strlen(line), &st), -1);
	snprintf(line, sizeof line, "5 (a) S 1 0 0 0 -1 0 0 0 0 0 "
	    "3 0 0 0 20 0 99999999999 0 5 0 0");	/* threads */
	ck_assert_int_eq(pidstat_parse(line, strlen(line), &st), -1);
	snprintf(line, sizeof line, "5 (a) S 1 0 0 0 -1 0 0 0 0 0 "
	    "3  0 0 0 20 0 1 0 5 0 0");		/* an empty field */
	ck_assert_int_eq(pidstat_parse(line, strlen(line), &st), -1);
	snprintf(line, sizeof line, "5 (a)S 1 0 0 0 -1 0 0 0 0 0 "
	    "3 0 0 0 20 0 1 0 5 0 0");
	ck_assert_int_eq(pidstat_parse(line, strlen(line), &st), -1);
	snprintf(line, sizeof line, "99999999999 (a) S 1 0 0 0 -1 0 0 0 0 0 "
	    "3 0 0 0 20 0 1 0 5 0 0");
	ck_assert_int_eq(pidstat_parse(line, strlen(line), &st), -1);
}
END_TEST

START_TEST(pidio_and_status)
{
	uint64_t	 r = 1, w = 1;
	uint32_t	 uid = 7;

	ck_assert(pidio_parse("rchar: 100\nwchar: 200\nsyscr: 3\nsyscw: 4\n"
	    "read_bytes: 4096\nwrite_bytes: 18446744073709551615\n"
	    "cancelled_write_bytes: 0\n", &r, &w));
	ck_assert_uint_eq(r, 4096);
	ck_assert_uint_eq(w, UINT64_MAX);
	ck_assert(!pidio_parse("", &r, &w));
	ck_assert(!pidio_parse("read_bytes: 1\n", &r, &w));
	ck_assert(!pidio_parse("read_bytes: 1x\nwrite_bytes: 2\n", &r, &w));
	ck_assert(!pidio_parse("read_bytes: 1\nwrite_bytes: "
	    "18446744073709551616\n", &r, &w));
	/* "cancelled_write_bytes" is not "write_bytes". */
	ck_assert(!pidio_parse("read_bytes: 1\ncancelled_write_bytes: 2\n",
	    &r, &w));

	ck_assert(status_euid("Name:\tsu\nUmask:\t0022\nState:\tS\n"
	    "Uid:\t1000\t0\t0\t0\nGid:\t100\t100\t100\t100\n", &uid));
	ck_assert_uint_eq(uid, 0);
	ck_assert(status_euid("Uid:\t0\t4294967294\t0\t0\n", &uid));
	ck_assert_uint_eq(uid, 4294967294u);
	ck_assert(!status_euid("Uid:\t0\t4294967296\t0\t0\n", &uid));
	ck_assert(!status_euid("Uid:\t0\n", &uid));
	ck_assert(!status_euid("Gid:\t0\t0\n", &uid));
	ck_assert(!status_euid("", &uid));
}
END_TEST

START_TEST(schedstat)
{
	uint64_t	 ns = 7;

	ck_assert(schedstat_runtime("151531698 6876797 348\n", &ns));
	ck_assert_uint_eq(ns, 151531698);
	ck_assert(schedstat_runtime("18446744073709551615 0 0\n", &ns));
	ck_assert_uint_eq(ns, UINT64_MAX);
	/* A kernel without schedstats: unknown, not "never ran". */
	ck_assert(!schedstat_runtime("0 0 0\n", &ns));
	ck_assert(!schedstat_runtime("", &ns));
	ck_assert(!schedstat_runtime("12", &ns));
	ck_assert(!schedstat_runtime("12\n", &ns));
	ck_assert(!schedstat_runtime("-12 0 0\n", &ns));
	ck_assert(!schedstat_runtime("18446744073709551616 0 0\n", &ns));
	ck_assert_uint_eq(ns, UINT64_MAX);
}
END_TEST

/* The real files of this process agree with what the kernel says. */
START_TEST(pid_files_of_self)
{
	struct pidstat	 st;
	char		 path[64], buf[4096];
	int		 fd, *v = NULL, cap = 0, n, i;
	ssize_t		 len;
	uint64_t	 r, w;
	uint32_t	 uid;
	bool		 seen = false;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)getpid());
	fd = open(path, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	len = procfs_pread(fd, buf, sizeof buf);
	ck_assert_int_gt(len, 0);
	ck_assert_int_eq(pidstat_parse(buf, (size_t)len, &st), 0);
	ck_assert_int_eq(st.pid, (int)getpid());
	ck_assert_int_eq(st.ppid, (int)getppid());
	ck_assert_int_eq(st.state, 'R');
	ck_assert_int_ge(st.nlwp, 1);
	ck_assert_uint_gt(st.rss, 0);
	/* Again on the same descriptor: a kept one reads afresh. */
	ck_assert_int_gt(procfs_pread(fd, buf, sizeof buf), 0);
	ck_assert_int_eq(pidstat_parse(buf, strlen(buf), &st), 0);
	/* A short buffer is cut and terminated. */
	ck_assert_int_eq(procfs_pread(fd, buf, 5), 4);
	ck_assert_uint_eq(strlen(buf), 4);
	close(fd);

	ck_assert_int_gt(procfs_read("/proc/self/io", buf, sizeof buf), 0);
	ck_assert(pidio_parse(buf, &r, &w));
	ck_assert_int_gt(procfs_read("/proc/self/status", buf, sizeof buf), 0);
	ck_assert(status_euid(buf, &uid));
	ck_assert_uint_eq(uid, (uint32_t)geteuid());

	/* Runtime grows as this process runs (or the kernel has no
	 * schedstats, and says "0 0 0" of every task: unknown). */
	ck_assert_int_gt(procfs_read("/proc/self/schedstat", buf, sizeof buf),
	    0);
	if (strcmp(buf, "0 0 0\n") != 0) {
		ck_assert(schedstat_runtime(buf, &r));
		/* Reads for a clock tick or more: 100,000 take ~0.5 s. */
		for (i = 0, w = r; w == r && i < 100000; i++) {
			ck_assert_int_gt(procfs_read("/proc/self/schedstat",
			    buf, sizeof buf), 0);
			ck_assert(schedstat_runtime(buf, &w));
		}
		ck_assert_uint_gt(w, r);
	} else
		ck_assert(!schedstat_runtime(buf, &r));

	fd = open("/proc", O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(fd, 0);
	for (i = 0; i < 2; i++) {	/* the second rewinds */
		n = procfs_pids(fd, &v, &cap);
		ck_assert_int_gt(n, 1);
		seen = false;
		for (int k = 0; k < n; k++) {
			if (v[k] == (int)getpid())
				seen = true;
			if (k > 0)
				ck_assert_int_lt(v[k - 1], v[k]);
		}
		ck_assert(seen);
	}
	close(fd);
	free(v);
}
END_TEST

/* A kept descriptor of a process that exited fails (ESRCH), whoever takes
 * its pid next: the live source relies on it. */
START_TEST(kept_fd_of_dead_process)
{
	char	 path[64], buf[4096];
	pid_t	 pid;
	int	 fd, fdio, status;

	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		pause();
		_exit(0);
	}
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY);
	snprintf(path, sizeof path, "/proc/%d/io", (int)pid);
	fdio = open(path, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_ge(fdio, 0);
	ck_assert_int_gt(procfs_pread(fd, buf, sizeof buf), 0);
	ck_assert_int_gt(procfs_pread(fdio, buf, sizeof buf), 0);
	kill(pid, SIGKILL);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	errno = 0;
	ck_assert_int_eq(procfs_pread(fd, buf, sizeof buf), -1);
	ck_assert_int_eq(errno, ESRCH);
	ck_assert_int_eq(procfs_pread(fdio, buf, sizeof buf), -1);
	close(fd);
	close(fdio);
	ck_assert_int_eq(procfs_pread(fd, buf, sizeof buf), -1);
	ck_assert_int_eq(procfs_pread(0, buf, 0), -1);
}
END_TEST

static Suite *
procfs_suite(void)
{
	Suite	*s = suite_create("procfs");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, psi_some_and_full);
	tcase_add_test(tc, psi_without_full);
	tcase_add_test(tc, psi_garbage_and_truncated);
	tcase_add_test(tc, netdev_rows);
	tcase_add_test(tc, netdev_bad_lines_skipped);
	tcase_add_test(tc, pidstat_fields);
	tcase_add_test(tc, pidstat_hostile_comm);
	tcase_add_test(tc, pidstat_bad);
	tcase_add_test(tc, pidio_and_status);
	tcase_add_test(tc, schedstat);
	tcase_add_test(tc, pid_files_of_self);
	tcase_add_test(tc, kept_fd_of_dead_process);
	tcase_add_test(tc, cmdline);
	tcase_add_test(tc, cmdline_of_self);
	tcase_add_test(tc, cmdline_long);
	tcase_add_test(tc, osrelease);
	tcase_add_test(tc, statm);
	tcase_add_test(tc, filters);
	tcase_add_test(tc, file_wrappers);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(procfs_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
