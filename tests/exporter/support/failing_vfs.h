#pragma once

#include <sqlite3.h>

#include <atomic>
#include <cstring>
#include <stdexcept>

namespace vitals::testing {

// Where a FailingVfs makes the disk fail.
enum class DiskFault {
  kNone,
  kWrite,  // every write fails as on a file system remounted read-only (EROFS)
  kFull,   // every write fails as on a full disk (ENOSPC)
  kSync,   // writes land, but fsync fails (EIO): the kernel may have dropped them
};

// SQLite's own fault injection, done the supported way: a VFS that forwards to the machine's
// default one and fails writes or syncs while a fault is set. Installed as the default VFS for
// as long as it lives, so every database the code under test opens goes through it; the
// codes it returns are the ones SQLite's unix VFS returns for the same errno.
class FailingVfs {
 public:
  FailingVfs() {
    real_ = sqlite3_vfs_find(nullptr);
    if (real_ == nullptr) throw std::logic_error("no default SQLite VFS");
    vfs_ = *real_;
    vfs_.szOsFile = sizeof(File) + real_->szOsFile;
    vfs_.zName = "vitals-failing";
    vfs_.pAppData = this;
    vfs_.xOpen = &open;
    sqlite3_vfs_register(&vfs_, 1);
  }
  ~FailingVfs() {
    sqlite3_vfs_unregister(&vfs_);
    sqlite3_vfs_register(real_, 1);
  }
  FailingVfs(const FailingVfs&) = delete;
  FailingVfs& operator=(const FailingVfs&) = delete;

  void set(DiskFault fault) { fault_ = fault; }
  // Writes and syncs refused since construction.
  int failures() const { return failures_; }

 private:
  struct File {
    sqlite3_file base;  // must come first: SQLite sees a File as a sqlite3_file
    FailingVfs* vfs;
    sqlite3_file* real;  // the default VFS's file, in the same allocation, after this struct
  };

  static File& self(sqlite3_file* f) { return *reinterpret_cast<File*>(f); }
  static sqlite3_file* real(sqlite3_file* f) { return self(f).real; }

  // SQLITE_OK, or the error a write (or a sync) gets under the current fault.
  int refusal(bool is_sync) {
    int code = SQLITE_OK;
    switch (fault_.load()) {
      case DiskFault::kNone:
        break;
      case DiskFault::kWrite:
        code = is_sync ? SQLITE_OK : SQLITE_IOERR_WRITE;
        break;
      case DiskFault::kFull:
        code = is_sync ? SQLITE_OK : SQLITE_FULL;
        break;
      case DiskFault::kSync:
        code = is_sync ? SQLITE_IOERR_FSYNC : SQLITE_OK;
        break;
    }
    if (code != SQLITE_OK) ++failures_;
    return code;
  }

  static int open(sqlite3_vfs* vfs, const char* name, sqlite3_file* file, int flags,
                  int* out_flags) {
    auto* me = static_cast<FailingVfs*>(vfs->pAppData);
    File& f = self(file);
    f.vfs = me;
    f.real = reinterpret_cast<sqlite3_file*>(&f + 1);
    std::memset(f.real, 0, me->real_->szOsFile);
    const int rc = me->real_->xOpen(me->real_, name, f.real, flags, out_flags);
    f.base.pMethods = f.real->pMethods ? &kMethods : nullptr;
    return rc;
  }

  static int write(sqlite3_file* f, const void* data, int amount, sqlite3_int64 offset) {
    if (int rc = self(f).vfs->refusal(false)) return rc;
    return real(f)->pMethods->xWrite(real(f), data, amount, offset);
  }
  static int truncate(sqlite3_file* f, sqlite3_int64 size) {
    if (int rc = self(f).vfs->refusal(false)) return rc;
    return real(f)->pMethods->xTruncate(real(f), size);
  }
  static int sync(sqlite3_file* f, int flags) {
    if (int rc = self(f).vfs->refusal(true)) return rc;
    return real(f)->pMethods->xSync(real(f), flags);
  }

  // Everything else goes straight to the real file.
  static int close(sqlite3_file* f) { return real(f)->pMethods->xClose(real(f)); }
  static int read(sqlite3_file* f, void* data, int amount, sqlite3_int64 offset) {
    return real(f)->pMethods->xRead(real(f), data, amount, offset);
  }
  static int file_size(sqlite3_file* f, sqlite3_int64* size) {
    return real(f)->pMethods->xFileSize(real(f), size);
  }
  static int lock(sqlite3_file* f, int level) { return real(f)->pMethods->xLock(real(f), level); }
  static int unlock(sqlite3_file* f, int level) {
    return real(f)->pMethods->xUnlock(real(f), level);
  }
  static int check_reserved_lock(sqlite3_file* f, int* out) {
    return real(f)->pMethods->xCheckReservedLock(real(f), out);
  }
  static int file_control(sqlite3_file* f, int op, void* arg) {
    return real(f)->pMethods->xFileControl(real(f), op, arg);
  }
  static int sector_size(sqlite3_file* f) { return real(f)->pMethods->xSectorSize(real(f)); }
  static int device_characteristics(sqlite3_file* f) {
    return real(f)->pMethods->xDeviceCharacteristics(real(f));
  }
  static int shm_map(sqlite3_file* f, int page, int page_size, int extend, void volatile** out) {
    return real(f)->pMethods->xShmMap(real(f), page, page_size, extend, out);
  }
  static int shm_lock(sqlite3_file* f, int offset, int n, int flags) {
    return real(f)->pMethods->xShmLock(real(f), offset, n, flags);
  }
  static void shm_barrier(sqlite3_file* f) { real(f)->pMethods->xShmBarrier(real(f)); }
  static int shm_unmap(sqlite3_file* f, int delete_flag) {
    return real(f)->pMethods->xShmUnmap(real(f), delete_flag);
  }
  // Version 2: the shared memory WAL needs, but not version 3's memory-mapped reads.
  static constexpr sqlite3_io_methods kMethods = {2,
                                                  &close,
                                                  &read,
                                                  &write,
                                                  &truncate,
                                                  &sync,
                                                  &file_size,
                                                  &lock,
                                                  &unlock,
                                                  &check_reserved_lock,
                                                  &file_control,
                                                  &sector_size,
                                                  &device_characteristics,
                                                  &shm_map,
                                                  &shm_lock,
                                                  &shm_barrier,
                                                  &shm_unmap,
                                                  nullptr,
                                                  nullptr};

  sqlite3_vfs* real_ = nullptr;
  sqlite3_vfs vfs_{};
  std::atomic<DiskFault> fault_{DiskFault::kNone};
  std::atomic<int> failures_{0};
};

}  // namespace vitals::testing
