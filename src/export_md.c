/* export_md.c (stub) */
#include <config.h>
#include "export.h"
