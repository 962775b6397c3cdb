/* panel_overview.c (stub) */
#include <config.h>
