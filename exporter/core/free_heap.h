#pragma once

namespace vitals {

// Hands the pages of freed heap blocks back to the system (glibc's malloc_trim).
//
// The rollups' bucket arrays grow by half as series gain buckets, and each growth frees the
// array before it: at 10 M events a fifth of the heap (225 MiB) sat free inside the arena,
// counted in vitals' resident memory although nothing used it. glibc returns only the top of
// the heap by itself. Called after the start-up rebuild and after each retention pass.
void return_free_heap_to_system();

}  // namespace vitals
