#pragma once

#include <cstdio>
#include <cstdlib>

// An invariant a fuzz target checks on the parser's answer: when it breaks, the input is a crash
// libFuzzer keeps, like a sanitizer report. (assert() would vanish in a release build.)
#define FUZZ_CHECK(condition)                                                                \
  do {                                                                                       \
    if (!(condition)) {                                                                      \
      std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                          \
    }                                                                                        \
  } while (0)
