/* procfs.c (stub) */
#include <config.h>
#include "procfs.h"
