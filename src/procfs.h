/*
 * procfs.h - parsers for the /proc and /etc files that neither libproc2 nor
 * libstatgrab reads for us (or not cheaply enough): pressure stall
 * information, /proc/net/dev (drop counters), the per-process files
 * (stat, io, status, cmdline: libproc2's reap costs 2-3 times what reading
 * them on kept descriptors does), os-release and our own statm.
 *
 * Each parser is a pure function on a text buffer, so tests feed it
 * fixtures (tests/test_procfs.c); a thin wrapper reads the real file.  Every
 * file may be absent (PSI compiled out or disabled, a restricted container):
 * wrappers then return -1 and leave the figures NAN.
 */
#ifndef PERFTOP_PROCFS_H
#define PERFTOP_PROCFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "derive.h"
#include "sample.h"

/*
 * Read a whole small file into *buf (grown as needed, caller frees; NUL
 * terminated).  Returns its length or -1 with errno set.
 */
ssize_t	 procfs_slurp(const char *path, char **buf, size_t *cap);
/* The same into a fixed buffer (cut at bufsz - 1 bytes). */
ssize_t	 procfs_read(const char *path, char *buf, size_t bufsz);

/*
 * Parse the text of /proc/pressure/{cpu,memory,io}: "some" and "full"
 * lines of avg10= avg60= avg300= total=.  Every figure is set: NAN where
 * the line or the field is missing or malformed.  Returns 0 when a whole
 * "some" line was read, -1 otherwise.
 */
int	 psi_parse(const char *text, struct psi_figs *out);
/* Read and parse one pressure file; -1 (all NAN) when unreadable. */
int	 psi_read(const char *path, struct psi_figs *out);

/* An interface line of /proc/net/dev. */
#define NETDEV_NAME_MAX	64
struct netdev_row {
	char		name[NETDEV_NAME_MAX];	/* raw, not sanitized */
	struct net_raw	raw;
};

/*
 * Parse the next interface line of /proc/net/dev text starting at *pos,
 * advancing *pos past it.  Header lines, malformed lines and names longer
 * than NETDEV_NAME_MAX - 1 bytes are skipped.  Returns true with row filled,
 * false at the end of the text.
 */
bool	 netdev_next(const char **pos, struct netdev_row *row);

/*
 * Turn the raw bytes of /proc/PID/cmdline (arguments separated by NULs) into
 * one line in place: inner NULs become spaces, trailing NULs and spaces are
 * dropped.  Returns the new length; buf[len] is NUL (buf holds len + 1).
 */
size_t	 cmdline_join(char *buf, size_t len);
/*
 * Read /proc/PID/cmdline (procfd: /proc open as a directory) joined into
 * buf (at most bufsz - 1 bytes).  Returns its length (0 for kernel threads
 * and zombies) or -1 when unreadable.
 */
ssize_t	 procfs_cmdline(int procfd, int pid, char *buf, size_t bufsz);

/*
 * pread() a whole /proc file from offset 0 into buf (at most bufsz - 1
 * bytes, NUL terminated): the cheap way to re-read a /proc file kept open.
 * Returns its length or -1 with errno set (ESRCH: the process has exited;
 * a descriptor outlives its process, so a reused pid cannot answer).
 */
ssize_t	 procfs_pread(int fd, char *buf, size_t bufsz);

/*
 * The pids in /proc (processes, not threads), from dirfd (a descriptor of
 * /proc kept open: it is rewound here) into *v (grown as needed, caller
 * frees; *cap its capacity), in the order the kernel lists them (rising).
 * Returns the count or -1 with errno set.
 */
int	 procfs_pids(int dirfd, int **v, int *cap);

/* The fields of /proc/PID/stat that perftop uses. */
#define PIDSTAT_COMM_MAX 64	/* kernel threads' names can exceed 15 */
struct pidstat {
	int		pid;
	int		ppid;
	int		nlwp;
	char		state;
	uint32_t	flags;			/* PF_*: PF_KTHREAD 0x00200000 */
	char		comm[PIDSTAT_COMM_MAX];	/* raw, cut; not sanitized */
	uint64_t	utime, stime;		/* clock ticks */
	uint64_t	starttime;		/* clock ticks after boot */
	uint64_t	rss;			/* pages */
};

/*
 * Parse the len bytes of /proc/PID/stat text.  comm runs from the first
 * '(' to the last ')' (a name may hold spaces, parentheses and newlines).
 * Returns 0, or -1 when a field perftop needs (up to rss, the 24th) is
 * missing, malformed or does not fit 64 bits.
 */
int	 pidstat_parse(const char *text, size_t len, struct pidstat *out);

/*
 * The first field of /proc/PID/schedstat text: the nanoseconds the task
 * (for a process, its main thread) has run.  False when malformed, and
 * for "0 0 0", what a kernel without schedstats prints for every task.
 */
bool	 schedstat_runtime(const char *text, uint64_t *ns);

/* read_bytes and write_bytes of /proc/PID/io text; false when absent. */
bool	 pidio_parse(const char *text, uint64_t *rbytes, uint64_t *wbytes);

/* The effective uid (second of the "Uid:" line) of /proc/PID/status text. */
bool	 status_euid(const char *text, uint32_t *uid);

/*
 * Find PRETTY_NAME in os-release text and copy its value (quotes and shell
 * escapes removed, raw otherwise) into out.  Returns false when absent.
 */
bool	 osrelease_pretty(const char *text, char *out, size_t outsz);

/* Resident bytes from the text of /proc/PID/statm (second field). */
bool	 statm_resident(const char *text, long pagesize, double *bytes);

/*
 * Filesystem types worth showing: those that hold data on a device (ext*,
 * xfs, btrfs, zfs, vfat, f2fs, overlay for containers, ...).  Pseudo
 * filesystems (proc, sysfs, tmpfs, cgroup, ...) and network ones (which can
 * hang statvfs) are not.  NULL-terminated list, for sg_set_valid_filesystems.
 */
extern const char *const fs_types_wanted[];
bool	 fs_type_wanted(const char *type);

/* Block devices that are never shown: loopN, ramN, zramN, fdN. */
bool	 disk_name_hidden(const char *name);

#endif
