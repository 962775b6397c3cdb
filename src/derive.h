/* derive.h - pure rate derivation from raw counters (STUB: helper replaces). */
#ifndef PERFTOP_DERIVE_H
#define PERFTOP_DERIVE_H
#endif
