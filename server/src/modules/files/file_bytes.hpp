#pragma once

// The bytes of a file being stored, wherever they are: a request body in memory (POST /files), or a completed
// resumable upload's part file or chunk rows, which are read in pieces so that probing a video does not pull all of
// it back out of the database (FileService::Upload, ProbeMedia).

#include <cstdint>
#include <string>
#include <string_view>

namespace safeloop::files {

class ByteSource {
public:
    ByteSource() = default;
    ByteSource(const ByteSource&) = delete;
    ByteSource& operator=(const ByteSource&) = delete;
    virtual ~ByteSource() = default;

    virtual int64_t size() const = 0;
    // Up to `length` bytes from `offset`: fewer where a stored piece ends, none at or past the end. The view stays
    // valid until the next call. I/O failures are exceptions.
    virtual std::string_view ReadAt(int64_t offset, size_t length) = 0;
    // Every byte in one piece (read in full the first time when they are not in memory already).
    virtual std::string_view All() = 0;
};

class MemoryBytes final : public ByteSource {
public:
    explicit MemoryBytes(std::string_view bytes) : bytes_(bytes) {}
    int64_t size() const override { return static_cast<int64_t>(bytes_.size()); }
    std::string_view ReadAt(int64_t offset, size_t length) override {
        if (offset < 0 || offset >= size()) return {};
        return bytes_.substr(static_cast<size_t>(offset), length);
    }
    std::string_view All() override { return bytes_; }

private:
    std::string_view bytes_;
};

}  // namespace safeloop::files
