/* draw.c (stub) */
#include <config.h>
