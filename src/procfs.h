/* procfs.h - parsers for /proc and /sys files neither library reads (STUB: helper replaces). */
#ifndef PERFTOP_PROCFS_H
#define PERFTOP_PROCFS_H
#endif
