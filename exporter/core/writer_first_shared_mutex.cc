#include "core/writer_first_shared_mutex.h"

#include <system_error>

namespace vitals {
namespace {

void check(int error, const char* what) {
  if (error != 0) throw std::system_error(error, std::generic_category(), what);
}

}  // namespace

WriterFirstSharedMutex::WriterFirstSharedMutex() {
  pthread_rwlockattr_t attributes;
  check(pthread_rwlockattr_init(&attributes), "pthread_rwlockattr_init");
  // glibc honours writer preference only in its non-recursive form (see the class comment).
  pthread_rwlockattr_setkind_np(&attributes, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
  const int error = pthread_rwlock_init(&rwlock_, &attributes);
  pthread_rwlockattr_destroy(&attributes);
  check(error, "pthread_rwlock_init");
}

WriterFirstSharedMutex::~WriterFirstSharedMutex() {
  pthread_rwlock_destroy(&rwlock_);
}

void WriterFirstSharedMutex::lock() {
  check(pthread_rwlock_wrlock(&rwlock_), "pthread_rwlock_wrlock");
}

bool WriterFirstSharedMutex::try_lock() {
  return pthread_rwlock_trywrlock(&rwlock_) == 0;
}

void WriterFirstSharedMutex::unlock() {
  pthread_rwlock_unlock(&rwlock_);
}

void WriterFirstSharedMutex::lock_shared() {
  check(pthread_rwlock_rdlock(&rwlock_), "pthread_rwlock_rdlock");
}

bool WriterFirstSharedMutex::try_lock_shared() {
  return pthread_rwlock_tryrdlock(&rwlock_) == 0;
}

void WriterFirstSharedMutex::unlock_shared() {
  pthread_rwlock_unlock(&rwlock_);
}

}  // namespace vitals
