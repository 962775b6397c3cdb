/* export_json.c (stub) */
#include <config.h>
#include "export.h"
