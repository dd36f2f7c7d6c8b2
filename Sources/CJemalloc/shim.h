#ifndef GOVERNOR_CJEMALLOC_SHIM_H
#define GOVERNOR_CJEMALLOC_SHIM_H

// Debian's jemalloc (libjemalloc-dev) exports malloc, free, … unprefixed: linked into
// the governor executable before libc, it serves every allocation of the process,
// librdkafka's and the Swift runtime's included (docs/BENCHMARKS.md, session 15).
#include <jemalloc/jemalloc.h>

#endif
