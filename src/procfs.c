/*
 * procfs.c - parsers for /proc files neither library reads (see procfs.h).
 *
 * Numbers are parsed by hand rather than with strtod/strtoull: those accept
 * signs, hex, "inf" and the locale's decimal point, none of which belongs in
 * these files, and a parse that stops early must make the field unknown.
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "procfs.h"

/* Types of sg_set_valid_filesystems(): data on a local device. */
const char *const fs_types_wanted[] = {
	"ext2", "ext3", "ext4", "xfs", "btrfs", "zfs", "vfat", "exfat",
	"msdos", "f2fs", "overlay", "jfs", "reiserfs", "ntfs", "ntfs3",
	"fuseblk", "hfsplus", "bcachefs", "nilfs2", "ufs", NULL
};

ssize_t
procfs_read(const char *path, char *buf, size_t bufsz)
{
	size_t	 len = 0;
	ssize_t	 n;
	int	 fd, saved;

	if (bufsz == 0) {
		errno = EINVAL;
		return -1;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	while (len < bufsz - 1) {
		n = read(fd, buf + len, bufsz - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			saved = errno;
			close(fd);
			errno = saved;
			return -1;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	return (ssize_t)len;
}

ssize_t
procfs_slurp(const char *path, char **buf, size_t *cap)
{
	size_t	 len = 0, ncap;
	ssize_t	 n;
	char	*p;
	int	 fd, saved;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	for (;;) {
		if (*cap - len < 2 || *buf == NULL) {
			ncap = *cap > 0 ? *cap * 2 : 4096;
			if ((p = realloc(*buf, ncap)) == NULL) {
				close(fd);
				errno = ENOMEM;
				return -1;
			}
			*buf = p;
			*cap = ncap;
		}
		n = read(fd, *buf + len, *cap - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			saved = errno;
			close(fd);
			errno = saved;
			return -1;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	(*buf)[len] = '\0';
	return (ssize_t)len;
}

ssize_t
procfs_pread(int fd, char *buf, size_t bufsz)
{
	size_t	 len = 0, want;
	ssize_t	 n;

	if (bufsz == 0) {
		errno = EINVAL;
		return -1;
	}
	while (len < bufsz - 1) {
		want = bufsz - 1 - len;
		n = pread(fd, buf + len, want, (off_t)len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		len += (size_t)n;
		/* A /proc file hands out all that fits in one read: a short
		 * read is the end, no second call needed to see 0. */
		if ((size_t)n < want)
			break;
	}
	buf[len] = '\0';
	return (ssize_t)len;
}

int
procfs_pids(int dirfd, int **v, int *cap)
{
	char			 buf[16384];
	const struct dirent64	*e;
	const char		*name;
	ssize_t			 got, off;
	int			 n = 0, pid, ncap, *p;

	if (lseek(dirfd, 0, SEEK_SET) < 0)
		return -1;
	while ((got = getdents64(dirfd, buf, sizeof buf)) > 0) {
		for (off = 0; off < got; off += e->d_reclen) {
			e = (const struct dirent64 *)(void *)(buf + off);
			name = e->d_name;
			if (*name < '1' || *name > '9')
				continue;
			for (pid = 0; *name >= '0' && *name <= '9'; name++) {
				if (pid > (INT32_MAX - 9) / 10)
					break;
				pid = pid * 10 + (*name - '0');
			}
			if (*name != '\0')
				continue;
			if (n == *cap) {
				ncap = *cap > 0 ? *cap * 2 : 1024;
				if ((p = realloc(*v, (size_t)ncap *
				    sizeof *p)) == NULL) {
					errno = ENOMEM;
					return -1;
				}
				*v = p;
				*cap = ncap;
			}
			(*v)[n++] = pid;
		}
	}
	return got < 0 ? -1 : n;
}

/* Parse decimal digits at *s (at least one) into *v, advancing *s. */
static bool
parse_u64(const char **s, uint64_t *v)
{
	const char	*p = *s;
	uint64_t	 x = 0;

	if (*p < '0' || *p > '9')
		return false;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (x > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
			return false;
		x = x * 10 + (uint64_t)(*p - '0');
	}
	*s = p;
	*v = x;
	return true;
}

/* Parse "D+[.D+]" at *s into *v, advancing *s. */
static bool
parse_decimal(const char **s, double *v)
{
	const char	*p = *s;
	uint64_t	 ip, fp = 0;
	double		 scale = 1;

	if (!parse_u64(&p, &ip))
		return false;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return false;
		for (; *p >= '0' && *p <= '9'; p++) {
			if (scale < 1e15) {
				fp = fp * 10 + (uint64_t)(*p - '0');
				scale *= 10;
			}
		}
	}
	*s = p;
	*v = (double)ip + (double)fp / scale;
	return true;
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Parse one "some|full avg10=.. avg60=.. avg300=.. total=.." line body. */
static bool
psi_line(const char *p, const char *end, double v[4])
{
	static const char *const keys[4] = { "avg10=", "avg60=", "avg300=",
	    "total=" };
	bool		 seen[4] = { false, false, false, false };
	uint64_t	 total;
	size_t		 klen;
	int		 k;

	while (p < end) {
		while (p < end && is_blank(*p))
			p++;
		if (p >= end)
			break;
		for (k = 0; k < 4; k++) {
			klen = strlen(keys[k]);
			if ((size_t)(end - p) > klen &&
			    strncmp(p, keys[k], klen) == 0)
				break;
		}
		if (k == 4 || seen[k])
			return false;
		p += strlen(keys[k]);
		if (k == 3) {
			if (!parse_u64(&p, &total))
				return false;
			v[3] = (double)total;
		} else if (!parse_decimal(&p, &v[k]) || v[k] > 100)
			return false;
		if (p < end && !is_blank(*p))
			return false;
		seen[k] = true;
	}
	return seen[0] && seen[1] && seen[2] && seen[3];
}

int
psi_parse(const char *text, struct psi_figs *out)
{
	const char	*p = text, *end;
	double		 v[4];
	bool		 some = false;

	out->some_avg10 = out->some_avg60 = out->some_avg300 =
	    out->some_total_us = FIG_NA;
	out->full_avg10 = out->full_avg60 = out->full_avg300 =
	    out->full_total_us = FIG_NA;
	while (*p != '\0') {
		if ((end = strchr(p, '\n')) == NULL)
			end = p + strlen(p);
		if (strncmp(p, "some ", 5) == 0 &&
		    psi_line(p + 5, end, v)) {
			out->some_avg10 = v[0];
			out->some_avg60 = v[1];
			out->some_avg300 = v[2];
			out->some_total_us = v[3];
			some = true;
		} else if (strncmp(p, "full ", 5) == 0 &&
		    psi_line(p + 5, end, v)) {
			out->full_avg10 = v[0];
			out->full_avg60 = v[1];
			out->full_avg300 = v[2];
			out->full_total_us = v[3];
		}
		p = *end == '\n' ? end + 1 : end;
	}
	return some ? 0 : -1;
}

int
psi_read(const char *path, struct psi_figs *out)
{
	char	 buf[512];

	if (procfs_read(path, buf, sizeof buf) < 0)
		buf[0] = '\0';
	return psi_parse(buf, out);
}

bool
netdev_next(const char **pos, struct netdev_row *row)
{
	const char	*p, *end, *name, *colon;
	uint64_t	 v[16];
	size_t		 nlen;
	int		 i;

	for (p = *pos; *p != '\0'; p = *end == '\n' ? end + 1 : end) {
		if ((end = strchr(p, '\n')) == NULL)
			end = p + strlen(p);
		*pos = *end == '\n' ? end + 1 : end;

		while (p < end && is_blank(*p))
			p++;
		name = p;
		colon = memchr(p, ':', (size_t)(end - p));
		if (colon == NULL || colon == name)
			continue;
		nlen = (size_t)(colon - name);
		if (nlen >= sizeof row->name ||
		    memchr(name, '|', nlen) != NULL ||
		    memchr(name, ' ', nlen) != NULL ||
		    memchr(name, '\t', nlen) != NULL)
			continue;
		p = colon + 1;
		for (i = 0; i < 16; i++) {
			while (p < end && is_blank(*p))
				p++;
			if (p >= end || !parse_u64(&p, &v[i]))
				break;
			if (p < end && !is_blank(*p))
				break;
		}
		if (i < 16)
			continue;
		memcpy(row->name, name, nlen);
		row->name[nlen] = '\0';
		row->raw.rx_bytes = v[0];
		row->raw.rx_packets = v[1];
		row->raw.rx_errors = v[2];
		row->raw.rx_drops = v[3];
		row->raw.tx_bytes = v[8];
		row->raw.tx_packets = v[9];
		row->raw.tx_errors = v[10];
		row->raw.tx_drops = v[11];
		return true;
	}
	*pos = p;
	return false;
}

size_t
cmdline_join(char *buf, size_t len)
{
	size_t	 i;

	while (len > 0 && (buf[len - 1] == '\0' || buf[len - 1] == ' '))
		len--;
	for (i = 0; i < len; i++) {
		if (buf[i] == '\0')
			buf[i] = ' ';
	}
	buf[len] = '\0';
	return len;
}

ssize_t
procfs_cmdline(int procfd, int pid, char *buf, size_t bufsz)
{
	char	 path[64];
	ssize_t	 n;
	int	 fd, saved;

	snprintf(path, sizeof path, "%d/cmdline", pid);
	if ((fd = openat(procfd, path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	/* One read: a short one is the end (no second to see 0). */
	n = procfs_pread(fd, buf, bufsz);
	saved = errno;
	close(fd);
	if (n < 0) {
		errno = saved;
		return -1;
	}
	return (ssize_t)cmdline_join(buf, (size_t)n);
}

/* Skip one space-separated field at *p (before end); false at the end. */
static bool
skip_field(const char **p, const char *end)
{
	const char	*q = *p;

	if (q >= end || *q == ' ' || *q == '\n')
		return false;
	while (q < end && *q != ' ' && *q != '\n')
		q++;
	*p = q;
	return true;
}

/* A field of unsigned digits ending at a space, a newline or end. */
static bool
num_field(const char **p, const char *end, uint64_t *v)
{
	const char	*q = *p;
	uint64_t	 x = 0;
	unsigned	 d;

	if (q >= end || *q < '0' || *q > '9')
		return false;
	for (; q < end && *q >= '0' && *q <= '9'; q++) {
		d = (unsigned)(*q - '0');
		if (x > (UINT64_MAX - d) / 10)
			return false;
		x = x * 10 + d;
	}
	if (q < end && *q != ' ' && *q != '\n')
		return false;
	*p = q;
	*v = x;
	return true;
}

int
pidstat_parse(const char *text, size_t len, struct pidstat *out)
{
	const char	*p = text, *end = text + len, *open, *close;
	uint64_t	 v;
	size_t		 clen;
	int		 field;

	if (!num_field(&p, end, &v) || v == 0 || v > INT32_MAX)
		return -1;
	out->pid = (int)v;
	if (end - p < 2 || p[0] != ' ' || p[1] != '(')
		return -1;
	open = p + 2;
	/* The last ')': nothing after comm can hold one. */
	if ((close = memrchr(open, ')', (size_t)(end - open))) == NULL)
		return -1;
	clen = (size_t)(close - open);
	if (clen >= sizeof out->comm)
		clen = sizeof out->comm - 1;
	memcpy(out->comm, open, clen);
	out->comm[clen] = '\0';

	/* ") S ppid ...": field 3 is the state. */
	p = close + 1;
	if (end - p < 3 || p[0] != ' ' || p[2] != ' ')
		return -1;
	out->state = p[1];
	p += 2;
	for (field = 4; field <= 24; field++) {
		if (p >= end || *p != ' ')
			return -1;
		p++;
		switch (field) {
		case 4:		/* ppid: 0 for init and kthreadd */
			if (!num_field(&p, end, &v) || v > INT32_MAX)
				return -1;
			out->ppid = (int)v;
			break;
		case 9:
			if (!num_field(&p, end, &v) || v > UINT32_MAX)
				return -1;
			out->flags = (uint32_t)v;
			break;
		case 14:
			if (!num_field(&p, end, &out->utime))
				return -1;
			break;
		case 15:
			if (!num_field(&p, end, &out->stime))
				return -1;
			break;
		case 20:
			if (!num_field(&p, end, &v) || v > INT32_MAX)
				return -1;
			out->nlwp = (int)v;
			break;
		case 22:
			if (!num_field(&p, end, &out->starttime))
				return -1;
			break;
		case 24:
			if (!num_field(&p, end, &out->rss))
				return -1;
			break;
		default:	/* may be negative (nice, tpgid) */
			if (!skip_field(&p, end))
				return -1;
			break;
		}
	}
	return 0;
}

/* The number after "key" at the start of a line of text. */
static bool
line_value(const char *text, const char *key, const char **val)
{
	const char	*p = text;
	size_t		 klen = strlen(key);

	for (;;) {
		if (strncmp(p, key, klen) == 0) {
			*val = p + klen;
			return true;
		}
		if ((p = strchr(p, '\n')) == NULL)
			return false;
		p++;
	}
}

bool
pidio_parse(const char *text, uint64_t *rbytes, uint64_t *wbytes)
{
	const char	*p;

	if (!line_value(text, "read_bytes: ", &p) || !parse_u64(&p, rbytes) ||
	    (*p != '\n' && *p != '\0'))
		return false;
	if (!line_value(text, "write_bytes: ", &p) ||
	    !parse_u64(&p, wbytes) || (*p != '\n' && *p != '\0'))
		return false;
	return true;
}

bool
schedstat_runtime(const char *text, uint64_t *ns)
{
	const char	*p = text;
	uint64_t	 v;

	if (!parse_u64(&p, &v) || *p != ' ' || v == 0)
		return false;
	*ns = v;
	return true;
}

bool
status_euid(const char *text, uint32_t *uid)
{
	const char	*p;
	uint64_t	 v;

	if (!line_value(text, "Uid:", &p))
		return false;
	while (is_blank(*p))
		p++;
	if (!parse_u64(&p, &v) || !is_blank(*p))	/* real */
		return false;
	while (is_blank(*p))
		p++;
	if (!parse_u64(&p, &v) || v > UINT32_MAX)	/* effective */
		return false;
	*uid = (uint32_t)v;
	return true;
}

bool
osrelease_pretty(const char *text, char *out, size_t outsz)
{
	const char	*p = text, *end;
	size_t		 len = 0;
	char		 q = '\0';

	if (outsz == 0)
		return false;
	for (;;) {
		if (strncmp(p, "PRETTY_NAME=", 12) == 0)
			break;
		if ((p = strchr(p, '\n')) == NULL)
			return false;
		p++;
	}
	p += 12;
	if ((end = strchr(p, '\n')) == NULL)
		end = p + strlen(p);
	if (p < end && (*p == '"' || *p == '\'')) {
		q = *p++;
		/* Without the closing quote the value is not trusted. */
		while (end > p && is_blank(end[-1]))
			end--;
		if (end == p || end[-1] != q)
			return false;
		end--;
	}
	for (; p < end && len < outsz - 1; p++) {
		if (q == '"' && *p == '\\' && p + 1 < end &&
		    strchr("\"\\$`", p[1]) != NULL)
			p++;
		out[len++] = *p;
	}
	out[len] = '\0';
	return true;
}

bool
statm_resident(const char *text, long pagesize, double *bytes)
{
	const char	*p = text;
	uint64_t	 size, res;

	if (!parse_u64(&p, &size) || *p != ' ')
		return false;
	p++;
	if (!parse_u64(&p, &res))
		return false;
	*bytes = (double)res * (double)pagesize;
	return true;
}

bool
fs_type_wanted(const char *type)
{
	int	 i;

	for (i = 0; fs_types_wanted[i] != NULL; i++) {
		if (strcmp(type, fs_types_wanted[i]) == 0)
			return true;
	}
	return false;
}

bool
disk_name_hidden(const char *name)
{
	static const char *const hidden[] = { "loop", "ram", "zram", "fd",
	    NULL };
	size_t	 len;
	int	 i;

	for (i = 0; hidden[i] != NULL; i++) {
		len = strlen(hidden[i]);
		if (strncmp(name, hidden[i], len) == 0 &&
		    name[len] >= '0' && name[len] <= '9')
			return true;
	}
	return false;
}
