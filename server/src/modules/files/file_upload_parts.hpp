#pragma once

// The bytes of a resumable upload in progress, kept in a file next to the file store (SQLite: one node, one data
// folder) instead of as rows in the database: DIR/files/uploads/<upload id>.part. The session's row still says how
// many bytes were received; the part file may hold more (a chunk written before a crash that was never
// acknowledged), never less, and bytes past `received` are overwritten by the next chunk.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace safeloop::files {

// One upload's part file, opened and locked (flock, exclusive) for the lifetime of the object, so chunks of one
// session are written one at a time whatever thread or process receives them. Errors are exceptions (I/O).
class UploadPart {
public:
    UploadPart(const std::filesystem::path& dir, std::string_view upload_id);
    UploadPart(const UploadPart&) = delete;
    UploadPart& operator=(const UploadPart&) = delete;
    ~UploadPart();

    // The file's length now.
    int64_t Size() const;
    // Writes `bytes` at `offset`, cuts whatever lay beyond them and flushes the file to disk: once this returns,
    // the upload's first offset + bytes.size() bytes survive a crash.
    void WriteAt(int64_t offset, std::string_view bytes);
    // The first `size` bytes; an exception when the file is shorter.
    std::string Read(int64_t size) const;
    // Up to `length` bytes from `offset` (fewer only at the end of the file).
    std::string ReadAt(int64_t offset, size_t length) const;
    // Back to empty (a checksum mismatch starts over), flushed. Never called on a part whose digest matched, the only
    // kind FileService links as a blob's file (the two names share the bytes).
    void Clear();
    // Deletes the file (the upload is stored or abandoned).
    void Remove();

    const std::filesystem::path& path() const { return path_; }

    static std::filesystem::path PathFor(const std::filesystem::path& dir, std::string_view upload_id);
    // Deletes a part file if it exists, without taking its lock (idle sessions being swept).
    static void RemoveIfExists(const std::filesystem::path& dir, std::string_view upload_id);

private:
    std::filesystem::path path_;
    int fd_ = -1;
};

}  // namespace safeloop::files
