/* panel_procs.c (stub) */
#include <config.h>
