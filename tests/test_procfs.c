/*
 * test_procfs.c - the hand-written /proc parsers on fixed texts: pressure
 * files with and without a "full" line, truncated or garbled; /proc/net/dev
 * with its headers, odd spacing and long names; command lines; os-release;
 * statm; the filesystem and disk filters.  One test reads the real files of
 * this machine where they exist, only to check the wrappers agree with the
 * parsers.
 */
#include <config.h>

#include <check.h>
#include <fcntl.h>
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

	n = procfs_cmdline((int)getpid(), b, sizeof b);
	ck_assert_int_gt(n, 0);
	ck_assert_ptr_nonnull(strstr(b, "test_procfs"));
	ck_assert_uint_eq(strlen(b), (size_t)n);
	/* A buffer too small cuts, never overflows. */
	n = procfs_cmdline((int)getpid(), b, 4);
	ck_assert_int_le(n, 3);
	ck_assert_uint_eq(strlen(b), (size_t)n);
	ck_assert_int_eq(procfs_cmdline(-5, b, sizeof b), -1);
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
	tcase_add_test(tc, cmdline);
	tcase_add_test(tc, cmdline_of_self);
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
