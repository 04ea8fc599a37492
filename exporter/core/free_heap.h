#pragma once

namespace vitals {

// Hands the pages of freed heap blocks back to the system (glibc's malloc_trim).
//
// The rollups' bucket arrays grow by half as series gain buckets, and each growth frees the
// array before it: at 10 M events a fifth of the heap (225 MiB) sat free inside the arena,
// counted in vitals' resident memory although nothing used it. glibc returns only the top of
// the heap by itself. Called after the start-up rebuild and after each retention pass.
void return_free_heap_to_system();

// Limits glibc to one heap arena per core (at least two); call before any thread starts.
//
// By default glibc gives threads up to eight arenas per core, and vitals has dozens of threads
// (the HTTP workers, the second thread of a dashboard, the housekeeping). A request that lands
// on a worker whose arena has not served one before, or whose pages the last retention pass
// returned, pays page faults for every buffer it builds: right after a start the first ten
// 30-day envelopes over HTTP took 17-19 ms at the median against 5 ms with two arenas, and
// the resident set was 40 MiB larger (bench/README.md). Two cores gain nothing from more.
void limit_heap_arenas();

}  // namespace vitals
