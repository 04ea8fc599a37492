#include "core/free_heap.h"

#include <malloc.h>

#include <algorithm>
#include <thread>

namespace vitals {

void return_free_heap_to_system() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

void limit_heap_arenas() {
#if defined(__GLIBC__)
  mallopt(M_ARENA_MAX, static_cast<int>(std::max(2u, std::thread::hardware_concurrency())));
#endif
}

}  // namespace vitals
