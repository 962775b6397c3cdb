/* panel_help.c (stub) */
#include <config.h>
