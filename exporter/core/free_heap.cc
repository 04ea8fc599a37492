#include "core/free_heap.h"

#include <malloc.h>

namespace vitals {

void return_free_heap_to_system() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

}  // namespace vitals
