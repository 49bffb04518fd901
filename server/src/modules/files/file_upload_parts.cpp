#include "modules/files/file_upload_parts.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace safeloop::files {

namespace {

[[noreturn]] void ThrowErrno(const std::string& what) { throw std::system_error(errno, std::generic_category(), what); }

void SyncDirectory(const std::filesystem::path& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) ThrowErrno("open " + dir.string());
    const int rc = ::fsync(fd);
    ::close(fd);
    if (rc != 0) ThrowErrno("fsync " + dir.string());
}

}  // namespace

std::filesystem::path UploadPart::PathFor(const std::filesystem::path& dir, std::string_view upload_id) {
    return dir / (std::string(upload_id) + ".part");
}

UploadPart::UploadPart(const std::filesystem::path& dir, std::string_view upload_id) : path_(PathFor(dir, upload_id)) {
    std::filesystem::create_directories(dir);
    fd_ = ::open(path_.c_str(), O_RDWR | O_CLOEXEC);
    if (fd_ < 0 && errno == ENOENT) {
        fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0640);
        // The new name must survive a crash as well as the bytes written into it.
        if (fd_ >= 0) SyncDirectory(dir);
    }
    if (fd_ < 0) ThrowErrno("open " + path_.string());
    while (::flock(fd_, LOCK_EX) != 0) {
        if (errno != EINTR) {
            ::close(fd_);
            ThrowErrno("flock " + path_.string());
        }
    }
}

UploadPart::~UploadPart() {
    if (fd_ >= 0) ::close(fd_);  // releases the lock
}

int64_t UploadPart::Size() const {
    struct stat st {};
    if (::fstat(fd_, &st) != 0) ThrowErrno("stat " + path_.string());
    return static_cast<int64_t>(st.st_size);
}

void UploadPart::WriteAt(int64_t offset, std::string_view bytes) {
    auto at = static_cast<off_t>(offset);
    while (!bytes.empty()) {
        const ssize_t n = ::pwrite(fd_, bytes.data(), bytes.size(), at);
        if (n < 0) {
            if (errno == EINTR) continue;
            ThrowErrno("write " + path_.string());
        }
        bytes.remove_prefix(static_cast<size_t>(n));
        at += n;
    }
    if (::ftruncate(fd_, at) != 0) ThrowErrno("truncate " + path_.string());
    if (::fdatasync(fd_) != 0) ThrowErrno("fsync " + path_.string());
}

std::string UploadPart::Read(int64_t size) const {
    std::string bytes = ReadAt(0, static_cast<size_t>(size));
    if (bytes.size() != static_cast<size_t>(size)) {
        throw std::runtime_error("upload part is shorter than its session says: " + path_.string());
    }
    return bytes;
}

std::string UploadPart::ReadAt(int64_t offset, size_t length) const {
    std::string bytes(length, '\0');
    size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::pread(fd_, bytes.data() + done, bytes.size() - done,
                                  static_cast<off_t>(offset + static_cast<int64_t>(done)));
        if (n < 0) {
            if (errno == EINTR) continue;
            ThrowErrno("read " + path_.string());
        }
        if (n == 0) break;
        done += static_cast<size_t>(n);
    }
    bytes.resize(done);
    return bytes;
}

void UploadPart::Clear() {
    if (::ftruncate(fd_, 0) != 0) ThrowErrno("truncate " + path_.string());
    if (::fdatasync(fd_) != 0) ThrowErrno("fsync " + path_.string());
}

void UploadPart::Remove() {
    if (::unlink(path_.c_str()) != 0 && errno != ENOENT) ThrowErrno("unlink " + path_.string());
}

void UploadPart::RemoveIfExists(const std::filesystem::path& dir, std::string_view upload_id) {
    std::error_code ec;
    std::filesystem::remove(PathFor(dir, upload_id), ec);
}

}  // namespace safeloop::files
