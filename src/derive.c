/* derive.c (stub) */
#include <config.h>
#include "derive.h"
