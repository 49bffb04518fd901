#include "modules/files/file_media.hpp"

#include <libexif/exif-data.h>
#include <libexif/exif-utils.h>
#include <vips/vips.h>

#include <csetjmp>
#include <cstdio>  // jpeglib.h needs FILE and size_t declared first

extern "C" {
#include <jpeglib.h>
}

extern "C" {
#include <libavformat/avformat.h>
#include <libavutil/log.h>
}

#include <algorithm>
#include <array>
#include <cstring>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <utility>

namespace safeloop::files {

namespace {

constexpr int kThumbnailQuality = 80;
constexpr size_t kJpegChunkBytes = size_t{16} * 1024;
constexpr int kAvioBufferSize = 64 * 1024;
constexpr std::string_view kExifHeader("Exif\0\0", 6);
constexpr size_t kExifHeaderSearch = 16;
constexpr const char* kAcceptedDemuxers = "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,ogg,wav,mp3,aac";

std::once_flag g_media_once;

void IgnoreLog(const gchar* /*domain*/, GLogLevelFlags /*level*/, const gchar* /*message*/, gpointer /*data*/) {}

void EnsureMedia() { InitMedia("safeloop"); }

AppError Corrupt(std::string_view what) {
    return AppError{"file_corrupt",
                    "文件已损坏或无法解码（" + std::string(what) + "）/ The file is damaged or cannot be decoded (" +
                        std::string(what) + ")",
                    {},
                    {}};
}

// ---------------------------------------------------------------------------------------------------------
// libvips

class VipsRef {
public:
    VipsRef() = default;
    VipsRef(const VipsRef&) = delete;
    VipsRef& operator=(const VipsRef&) = delete;
    ~VipsRef() {
        if (image_) g_object_unref(image_);
    }
    VipsImage** out() { return &image_; }
    VipsImage* get() const { return image_; }
    // Replaces the image with a derived one (which holds its own reference to its input).
    void Reset(VipsImage* image) {
        if (image_) g_object_unref(image_);
        image_ = image;
    }

private:
    VipsImage* image_ = nullptr;
};

// The loader for the sniffed kind only: vips_image_new_from_buffer would pick any loader that claims the bytes.
// Opening reads the header; pixels are decoded when something pulls them. `jpeg_shrink` (1, 2, 4 or 8) makes
// libjpeg decode at that fraction of the size: every coded byte is still read, so damage is still found.
int LoadImage(Kind kind, std::string_view bytes, int jpeg_shrink, VipsImage** out) {
    void* data = const_cast<char*>(bytes.data());  // the loaders do not write; their API is not const-correct
    const size_t size = bytes.size();
    switch (kind) {
        case Kind::kJpeg:
            return vips_jpegload_buffer(data, size, out, "shrink", jpeg_shrink, "access", VIPS_ACCESS_SEQUENTIAL,
                                        "fail_on", VIPS_FAIL_ON_ERROR, nullptr);
        case Kind::kPng:
            return vips_pngload_buffer(data, size, out, "access", VIPS_ACCESS_SEQUENTIAL, "fail_on", VIPS_FAIL_ON_ERROR,
                                       nullptr);
        case Kind::kWebp:
            return vips_webpload_buffer(data, size, out, "access", VIPS_ACCESS_SEQUENTIAL, "fail_on",
                                        VIPS_FAIL_ON_ERROR, nullptr);
        case Kind::kGif:
            return vips_gifload_buffer(data, size, out, "access", VIPS_ACCESS_SEQUENTIAL, "fail_on", VIPS_FAIL_ON_ERROR,
                                       nullptr);
        case Kind::kHeic:
        case Kind::kHeif:
        case Kind::kAvif:
            // The primary image itself (never an embedded preview), so the whole file is proven to decode.
            return vips_heifload_buffer(data, size, out, "access", VIPS_ACCESS_SEQUENTIAL, "fail_on",
                                        VIPS_FAIL_ON_ERROR, nullptr);
        default: return -1;
    }
}

// Runs `op` (which makes a new image from `image`'s) and puts the result in place; false on a libvips error.
template <typename Op>
bool Apply(VipsRef& image, Op op) {
    VipsImage* next = nullptr;
    if (op(image.get(), &next) != 0) {
        vips_error_clear();
        return false;
    }
    image.Reset(next);
    return true;
}

// The thumbnail from an opened (not yet decoded) image: flattened onto white if it has alpha (JPEG has none),
// scaled so its long side is at most `px` (never enlarged), decoded into memory (this pulls every pixel through
// the loader, so a truncated or damaged file fails here: file_corrupt naming `what`), turned upright by its EXIF
// orientation, in sRGB.
Result<std::string> MakeThumbnail(VipsRef& image, std::string_view what, int px, int& width, int& height) {
    if (vips_image_hasalpha(image.get()) && !Apply(image, [](VipsImage* in, VipsImage** out) {
            VipsArrayDouble* white = vips_array_double_newv(1, 255.0);
            const int rc = vips_flatten(in, out, "background", white, nullptr);
            vips_area_unref(VIPS_AREA(white));
            return rc;
        })) {
        return Corrupt("thumbnail");
    }
    const int long_side = std::max(vips_image_get_width(image.get()), vips_image_get_height(image.get()));
    if (long_side > px && !Apply(image, [scale = static_cast<double>(px) / long_side](VipsImage* in, VipsImage** out) {
            return vips_resize(in, out, scale, nullptr);
        })) {
        return Corrupt("thumbnail");
    }
    VipsImage* decoded = vips_image_copy_memory(image.get());
    if (!decoded) {
        vips_error_clear();
        return Corrupt(what);
    }
    image.Reset(decoded);
    if (!Apply(image, [](VipsImage* in, VipsImage** out) { return vips_autorot(in, out, nullptr); })) {
        return Corrupt("thumbnail");
    }
    if (vips_colourspace_issupported(image.get())) {
        Apply(image, [](VipsImage* in, VipsImage** out) {
            return vips_colourspace(in, out, VIPS_INTERPRETATION_sRGB, nullptr);
        });  // an image that cannot be converted is saved as it is
    }
    void* buffer = nullptr;
    size_t length = 0;
    if (vips_jpegsave_buffer(image.get(), &buffer, &length, "Q", kThumbnailQuality, "strip", TRUE, "optimize_coding",
                             TRUE, nullptr) != 0) {
        vips_error_clear();
        return Corrupt("thumbnail");
    }
    std::string out(static_cast<const char*>(buffer), length);
    g_free(buffer);
    width = vips_image_get_width(image.get());
    height = vips_image_get_height(image.get());
    return out;
}

// ---------------------------------------------------------------------------------------------------------
// libjpeg (libjpeg-turbo), used directly for JPEG: a third of the work of the libvips pipeline above went to
// libvips' and GLib's per-operation overhead rather than to decoding.
//
// libjpeg reports an error by calling error_exit, which must not return. Ours longjmps back to the setjmp in one of
// the small "frame" functions below (JpegReadHeader, JpegDecode, JpegEncode). Between a setjmp and its longjmp there
// are only libjpeg's C frames, our callbacks and the frame function itself, none of which has a local with a
// destructor, so no C++ destructor is ever skipped; the jpeg_* structs and every buffer belong to objects in the
// caller's frame (JpegDecoder, JpegEncoder), whose destructors free them after a failure too.

struct JpegErrors {
    jpeg_error_mgr pub;  // first: libjpeg reads cinfo->err as a jpeg_error_mgr*
    std::jmp_buf jump;
};

[[noreturn]] void JpegErrorExit(j_common_ptr info) {
    std::longjmp(reinterpret_cast<JpegErrors*>(info->err)->jump, 1);  // NOLINT(cert-err52-cpp): see above
}

// msg_level -1 is a warning. libjpeg only warns, pads the rest of the image with grey and carries on when the data
// ends early (JWRN_JPEG_EOF) or the entropy-coded data is damaged, so a warning is a failure here (as libvips'
// fail_on=error made it). Trace messages (> 0) are ignored; nothing is printed.
void JpegEmitMessage(j_common_ptr info, int msg_level) {
    if (msg_level < 0) (*info->err->error_exit)(info);
}

void JpegSilent(j_common_ptr /*info*/) {}

void InstallJpegErrors(JpegErrors& errors) {
    jpeg_std_error(&errors.pub);
    errors.pub.error_exit = JpegErrorExit;
    errors.pub.emit_message = JpegEmitMessage;
    errors.pub.output_message = JpegSilent;
}

class JpegDecoder {
public:
    JpegDecoder() {
        InstallJpegErrors(errors_);
        info.err = &errors_.pub;
    }
    JpegDecoder(const JpegDecoder&) = delete;
    JpegDecoder& operator=(const JpegDecoder&) = delete;
    ~JpegDecoder() { jpeg_destroy_decompress(&info); }  // also after a failure, and before jpeg_create (mem is null)

    std::jmp_buf& jump() { return errors_.jump; }

    jpeg_decompress_struct info{};

private:
    JpegErrors errors_{};
};

// Opens the JPEG in memory and reads its header, keeping the APP1 markers (EXIF). Nothing is decoded yet.
bool JpegReadHeader(JpegDecoder& decoder, std::string_view bytes) {
    if (setjmp(decoder.jump()) != 0) return false;
    jpeg_create_decompress(&decoder.info);
    jpeg_mem_src(&decoder.info, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    jpeg_save_markers(&decoder.info, JPEG_APP0 + 1, 0xffff);
    jpeg_read_header(&decoder.info, TRUE);
    return true;
}

// Decodes every scan at 1/`shrink` of the size into `out` (grey stays grey, YCbCr and RGB become RGB), reading the
// data to its end: damage or a premature end anywhere fails.
bool JpegDecode(JpegDecoder& decoder, int shrink, Pixels& out) {
    if (setjmp(decoder.jump()) != 0) return false;
    jpeg_decompress_struct& info = decoder.info;
    info.scale_num = 1;
    info.scale_denom = static_cast<unsigned int>(shrink);
    info.out_color_space = info.jpeg_color_space == JCS_GRAYSCALE ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_start_decompress(&info);
    out.width = static_cast<int>(info.output_width);
    out.height = static_cast<int>(info.output_height);
    out.channels = info.output_components;
    const size_t stride = static_cast<size_t>(out.width) * out.channels;
    out.data.resize(stride * out.height);  // bad_alloc propagates as an exception: no libjpeg frame is in between
    while (info.output_scanline < info.output_height) {
        JSAMPROW row = out.data.data() + info.output_scanline * stride;
        jpeg_read_scanlines(&info, &row, 1);
    }
    jpeg_finish_decompress(&info);
    return true;
}

// A destination manager that appends to a std::string through a fixed chunk.
struct JpegStringDestination {
    jpeg_destination_mgr pub;  // first: libjpeg reads cinfo->dest as a jpeg_destination_mgr*
    std::string* out;
    std::array<JOCTET, kJpegChunkBytes> chunk;

    bool Append(size_t n) noexcept {
        try {
            out->append(reinterpret_cast<const char*>(chunk.data()), n);
            return true;
        } catch (...) {  // out of memory: must not unwind through libjpeg
            return false;
        }
    }
};

JpegStringDestination* DestinationOf(j_compress_ptr info) {
    return reinterpret_cast<JpegStringDestination*>(info->dest);
}

void JpegStartOutput(j_compress_ptr info) {
    JpegStringDestination* dest = DestinationOf(info);
    dest->pub.next_output_byte = dest->chunk.data();
    dest->pub.free_in_buffer = dest->chunk.size();
}

boolean JpegChunkFull(j_compress_ptr info) {
    JpegStringDestination* dest = DestinationOf(info);
    if (!dest->Append(dest->chunk.size())) (*info->err->error_exit)(reinterpret_cast<j_common_ptr>(info));
    JpegStartOutput(info);
    return TRUE;
}

void JpegEndOutput(j_compress_ptr info) {
    JpegStringDestination* dest = DestinationOf(info);
    if (!dest->Append(dest->chunk.size() - dest->pub.free_in_buffer)) {
        (*info->err->error_exit)(reinterpret_cast<j_common_ptr>(info));
    }
}

class JpegEncoder {
public:
    explicit JpegEncoder(std::string& out) {
        InstallJpegErrors(errors_);
        info.err = &errors_.pub;
        destination_.pub.init_destination = JpegStartOutput;
        destination_.pub.empty_output_buffer = JpegChunkFull;
        destination_.pub.term_destination = JpegEndOutput;
        destination_.out = &out;
    }
    JpegEncoder(const JpegEncoder&) = delete;
    JpegEncoder& operator=(const JpegEncoder&) = delete;
    ~JpegEncoder() { jpeg_destroy_compress(&info); }

    std::jmp_buf& jump() { return errors_.jump; }
    jpeg_destination_mgr* destination() { return &destination_.pub; }

    jpeg_compress_struct info{};

private:
    JpegErrors errors_{};
    JpegStringDestination destination_{};
};

// Baseline JPEG at the thumbnail quality, Huffman tables optimised, no metadata (as libvips' jpegsave with strip).
bool JpegEncode(JpegEncoder& encoder, const Pixels& pixels) {
    if (setjmp(encoder.jump()) != 0) return false;
    jpeg_compress_struct& info = encoder.info;
    jpeg_create_compress(&info);
    info.dest = encoder.destination();
    info.image_width = static_cast<JDIMENSION>(pixels.width);
    info.image_height = static_cast<JDIMENSION>(pixels.height);
    info.input_components = pixels.channels;
    info.in_color_space = pixels.channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&info);
    jpeg_set_quality(&info, kThumbnailQuality, TRUE);
    info.optimize_coding = TRUE;
    jpeg_start_compress(&info, TRUE);
    const size_t stride = static_cast<size_t>(pixels.width) * pixels.channels;
    while (info.next_scanline < info.image_height) {
        // libjpeg does not write to its input rows; its API is not const-correct
        auto* row = const_cast<JSAMPLE*>(pixels.data.data() + info.next_scanline * stride);
        jpeg_write_scanlines(&info, &row, 1);
    }
    jpeg_finish_compress(&info);
    return true;
}

// The APP1 block that carries EXIF ("Exif\0\0" + TIFF), if any.
std::string_view JpegExifBlock(const jpeg_decompress_struct& info) {
    for (jpeg_saved_marker_ptr m = info.marker_list; m; m = m->next) {
        const std::string_view data(reinterpret_cast<const char*>(m->data), m->data_length);
        if (m->marker == JPEG_APP0 + 1 && data.substr(0, kExifHeader.size()) == kExifHeader) return data;
    }
    return {};
}

AppError ImageTooLarge() {
    return AppError{"image_too_large",
                    "图片像素过多（上限 2.5 亿像素） / The image has too many pixels (at most 250 megapixels)",
                    {},
                    {}};
}

bool TooManyPixels(int64_t width, int64_t height) { return width * height > kMaxImagePixels; }

// ---------------------------------------------------------------------------------------------------------
// libexif

class ExifRef {
public:
    explicit ExifRef(ExifData* data) : data_(data) {}
    ExifRef(const ExifRef&) = delete;
    ExifRef& operator=(const ExifRef&) = delete;
    ~ExifRef() {
        if (data_) exif_data_unref(data_);
    }
    ExifData* get() const { return data_; }

private:
    ExifData* data_;
};

std::optional<std::string> AsciiTag(ExifContent* ifd, ExifTag tag) {
    ExifEntry* e = exif_content_get_entry(ifd, tag);
    if (!e || e->format != EXIF_FORMAT_ASCII || !e->data || e->size == 0) return std::nullopt;
    std::string text(reinterpret_cast<const char*>(e->data), e->size);
    text.erase(std::find(text.begin(), text.end(), '\0'), text.end());
    if (text.empty()) return std::nullopt;
    return text;
}

std::optional<double> RationalAt(ExifEntry* e, ExifByteOrder order, unsigned long index) {
    if (!e || e->format != EXIF_FORMAT_RATIONAL || e->components <= index || e->size < (index + 1) * 8) {
        return std::nullopt;
    }
    ExifRational r = exif_get_rational(e->data + index * 8, order);
    if (r.denominator == 0) return std::nullopt;
    return static_cast<double>(r.numerator) / static_cast<double>(r.denominator);
}

std::optional<double> Coordinate(ExifContent* gps, ExifTag value_tag, ExifTag ref_tag, ExifByteOrder order,
                                 double max_degrees) {
    ExifEntry* e = exif_content_get_entry(gps, value_tag);
    auto ref = AsciiTag(gps, ref_tag);
    auto d = RationalAt(e, order, 0);
    auto m = RationalAt(e, order, 1);
    auto s = RationalAt(e, order, 2);
    if (!d || !m || !s || !ref) return std::nullopt;
    return DmsToDegrees(*d, *m, *s, ref->front(), max_degrees);
}

// vips hands over the APP1 payload ("Exif\0\0" + TIFF) for JPEG; HEIF and PNG blocks may carry a few bytes before
// the header, or the bare TIFF structure.
std::string NormaliseExifBlock(std::string_view block) {
    if (block.substr(0, 2) == "\xff\xd8" || block.substr(0, kExifHeader.size()) == kExifHeader) {
        return std::string(block);
    }
    const size_t at = block.substr(0, kExifHeaderSearch).find(kExifHeader);
    if (at != std::string_view::npos) return std::string(block.substr(at));
    if (block.substr(0, 4) == std::string_view("II*\0", 4) || block.substr(0, 4) == std::string_view("MM\0*", 4)) {
        return std::string(kExifHeader) + std::string(block);
    }
    return std::string(block);
}

// ---------------------------------------------------------------------------------------------------------
// libavformat over memory

// The demuxer's view of the body: libavformat calls back for bytes. A ByteSource may throw (a database read); the
// exception cannot cross libavformat's C frames, so it is kept, reported to libavformat as an I/O error and
// rethrown once the demuxer returns.
struct SourceReader {
    ByteSource* source = nullptr;
    int64_t size = 0;
    int64_t pos = 0;
    std::exception_ptr error;
};

int ReadSource(void* opaque, uint8_t* buffer, int buffer_size) {
    auto* reader = static_cast<SourceReader*>(opaque);
    if (reader->pos >= reader->size || buffer_size <= 0) return AVERROR_EOF;
    try {
        const std::string_view piece = reader->source->ReadAt(reader->pos, static_cast<size_t>(buffer_size));
        if (piece.empty()) return AVERROR_EOF;
        const size_t n = std::min(piece.size(), static_cast<size_t>(buffer_size));
        std::memcpy(buffer, piece.data(), n);
        reader->pos += static_cast<int64_t>(n);
        return static_cast<int>(n);
    } catch (...) {
        reader->error = std::current_exception();
        return AVERROR(EIO);
    }
}

int64_t SeekSource(void* opaque, int64_t offset, int whence) {
    auto* reader = static_cast<SourceReader*>(opaque);
    if (whence & AVSEEK_SIZE) return reader->size;
    whence &= ~AVSEEK_FORCE;
    int64_t base = 0;
    if (whence == SEEK_CUR) {
        base = reader->pos;
    } else if (whence == SEEK_END) {
        base = reader->size;
    } else if (whence != SEEK_SET) {
        return AVERROR(EINVAL);
    }
    const int64_t target = base + offset;
    if (target < 0 || target > reader->size) return AVERROR(EINVAL);
    reader->pos = target;
    return target;
}

// A container must never make the demuxer open anything else (HLS playlists, MOV references, concat lists).
int RefuseNestedOpen(AVFormatContext* /*s*/, AVIOContext** /*pb*/, const char* /*url*/, int /*flags*/,
                     AVDictionary** /*options*/) {
    return AVERROR(EPERM);
}

class Demuxer {
public:
    explicit Demuxer(ByteSource& source) {
        reader_.source = &source;
        reader_.size = source.size();
        auto* buffer = static_cast<unsigned char*>(av_malloc(kAvioBufferSize));
        if (!buffer) throw std::bad_alloc();
        io_ = avio_alloc_context(buffer, kAvioBufferSize, 0, &reader_, ReadSource, nullptr, SeekSource);
        if (!io_) {
            av_free(buffer);
            throw std::bad_alloc();
        }
        format_ = avformat_alloc_context();
        if (!format_) throw std::bad_alloc();
        format_->pb = io_;
        format_->flags |= AVFMT_FLAG_CUSTOM_IO;
        format_->io_open = RefuseNestedOpen;
    }
    Demuxer(const Demuxer&) = delete;
    Demuxer& operator=(const Demuxer&) = delete;
    ~Demuxer() {
        if (format_ && opened_) {
            avformat_close_input(&format_);
        } else if (format_) {
            avformat_free_context(format_);
        }
        if (io_) {
            av_freep(&io_->buffer);
            avio_context_free(&io_);
        }
    }

    bool Open(const char* demuxer_name) {
        const AVInputFormat* input = av_find_input_format(demuxer_name);
        if (!input) return false;
        AVDictionary* options = nullptr;
        av_dict_set(&options, "format_whitelist", kAcceptedDemuxers, 0);
        const int rc = avformat_open_input(&format_, nullptr, input, &options);
        av_dict_free(&options);
        if (rc < 0) {
            format_ = nullptr;  // avformat_open_input frees the context on failure
            return false;
        }
        opened_ = true;
        return avformat_find_stream_info(format_, nullptr) >= 0;
    }

    // Rethrows what the byte source threw while libavformat read (the probe's failure was the source's, not the
    // file's).
    void ThrowIfSourceFailed() const {
        if (reader_.error) std::rethrow_exception(reader_.error);
    }

    AVFormatContext* get() const { return format_; }
    int64_t size() const { return reader_.size; }

private:
    SourceReader reader_;
    AVIOContext* io_ = nullptr;
    AVFormatContext* format_ = nullptr;
    bool opened_ = false;
};

const char* DemuxerFor(Kind kind) {
    switch (kind) {
        case Kind::kMp4:
        case Kind::kQuickTime:
        case Kind::k3gp:
        case Kind::kM4a: return "mov";
        case Kind::kWebm:
        case Kind::kMatroska: return "matroska";
        case Kind::kOgg: return "ogg";
        case Kind::kWav: return "wav";
        case Kind::kMp3: return "mp3";
        case Kind::kAac: return "aac";
        default: return nullptr;
    }
}

// MP4/MOV keep a table of every sample's position; a sample beyond the end of the body means the upload was cut.
bool SampleTableFits(AVStream* stream, int64_t size) {
    const int count = avformat_index_get_entries_count(stream);
    for (int i = 0; i < count; ++i) {
        const AVIndexEntry* e = avformat_index_get_entry(stream, i);
        if (e && e->pos + e->size > size) return false;
    }
    return true;
}

}  // namespace

void InitMedia(const char* argv0) {
    std::call_once(g_media_once, [argv0] {
        if (VIPS_INIT(argv0 ? argv0 : "safeloop") != 0) {
            throw std::runtime_error("libvips failed to start: " + std::string(vips_error_buffer()));
        }
        // ImageMagick, PDF, SVG, Matlab, FITS…: never run on bytes from the outside.
        vips_block_untrusted_set(TRUE);
        vips_cache_set_max(0);
        // Requests already run side by side on the worker pool (one per database connection); a libvips thread
        // pool per operation on top of that only adds hand-offs between threads on a small machine.
        vips_concurrency_set(1);
        g_log_set_handler("VIPS",
                          static_cast<GLogLevelFlags>(G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO |
                                                      G_LOG_LEVEL_DEBUG),
                          IgnoreLog, nullptr);
        av_log_set_level(AV_LOG_QUIET);
    });
}

ExifFacts ReadExif(std::string_view exif_or_jpeg) {
    ExifFacts facts;
    const std::string block = NormaliseExifBlock(exif_or_jpeg);
    ExifRef data(exif_data_new_from_data(reinterpret_cast<const unsigned char*>(block.data()),
                                         static_cast<unsigned int>(block.size())));
    if (!data.get()) return facts;
    const ExifByteOrder order = exif_data_get_byte_order(data.get());
    ExifContent* ifd0 = data.get()->ifd[EXIF_IFD_0];
    ExifContent* exif = data.get()->ifd[EXIF_IFD_EXIF];
    ExifContent* gps = data.get()->ifd[EXIF_IFD_GPS];

    facts.date_time_original = AsciiTag(exif, EXIF_TAG_DATE_TIME_ORIGINAL);
    if (!facts.date_time_original) facts.date_time_original = AsciiTag(exif, EXIF_TAG_DATE_TIME_DIGITIZED);
    facts.offset_time_original = AsciiTag(exif, EXIF_TAG_OFFSET_TIME_ORIGINAL);
    if (ExifEntry* e = exif_content_get_entry(ifd0, EXIF_TAG_ORIENTATION);
        e && e->format == EXIF_FORMAT_SHORT && e->size >= 2) {
        const int orientation = exif_get_short(e->data, order);
        if (orientation >= 1 && orientation <= 8) facts.orientation = orientation;
    }

    facts.latitude = Coordinate(gps, static_cast<ExifTag>(EXIF_TAG_GPS_LATITUDE),
                                static_cast<ExifTag>(EXIF_TAG_GPS_LATITUDE_REF), order, 90.0);
    facts.longitude = Coordinate(gps, static_cast<ExifTag>(EXIF_TAG_GPS_LONGITUDE),
                                 static_cast<ExifTag>(EXIF_TAG_GPS_LONGITUDE_REF), order, 180.0);
    if (auto altitude =
            RationalAt(exif_content_get_entry(gps, static_cast<ExifTag>(EXIF_TAG_GPS_ALTITUDE)), order, 0)) {
        ExifEntry* ref = exif_content_get_entry(gps, static_cast<ExifTag>(EXIF_TAG_GPS_ALTITUDE_REF));
        const bool below_sea = ref && ref->format == EXIF_FORMAT_BYTE && ref->size >= 1 && ref->data[0] == 1;
        facts.altitude_m = below_sea ? -*altitude : *altitude;
    }
    facts.gps_date = AsciiTag(gps, static_cast<ExifTag>(EXIF_TAG_GPS_DATE_STAMP));
    ExifEntry* stamp = exif_content_get_entry(gps, static_cast<ExifTag>(EXIF_TAG_GPS_TIME_STAMP));
    auto h = RationalAt(stamp, order, 0);
    auto m = RationalAt(stamp, order, 1);
    auto s = RationalAt(stamp, order, 2);
    if (h && m && s) facts.gps_time_of_day_s = *h * 3600 + *m * 60 + *s;
    return facts;
}

Result<ImageProbe> ProbeImageWithVips(Kind kind, std::string_view bytes, int thumbnail_px) {
    EnsureMedia();
    if (FamilyOf(kind) != Family::kImage) return Corrupt("not an image");
    // Opening reads only the header: size and EXIF come from it, and a huge canvas is refused before any decoding.
    VipsRef image;
    if (LoadImage(kind, bytes, 1, image.out()) != 0) {
        vips_error_clear();
        return Corrupt(KindName(kind));
    }
    ImageProbe probe;
    probe.facts.width = vips_image_get_width(image.get());
    probe.facts.height = vips_image_get_height(image.get());
    if (TooManyPixels(probe.facts.width, probe.facts.height)) return ImageTooLarge();
    if (vips_image_get_typeof(image.get(), VIPS_META_EXIF_NAME)) {
        const void* exif = nullptr;
        size_t exif_size = 0;
        if (vips_image_get_blob(image.get(), VIPS_META_EXIF_NAME, &exif, &exif_size) == 0 && exif && exif_size > 0) {
            probe.facts.exif = ReadExif(std::string_view(static_cast<const char*>(exif), exif_size));
        }
    }
    // One decode proves the file and makes the thumbnail; a JPEG is decoded straight at a fraction of its size.
    if (kind == Kind::kJpeg) {
        const int shrink = JpegShrinkOnLoad(probe.facts.width, probe.facts.height, thumbnail_px);
        if (shrink > 1) {
            image.Reset(nullptr);
            if (LoadImage(kind, bytes, shrink, image.out()) != 0) {
                vips_error_clear();
                return Corrupt(KindName(kind));
            }
        }
    }
    auto thumbnail = MakeThumbnail(image, KindName(kind), thumbnail_px, probe.thumbnail_width, probe.thumbnail_height);
    if (!thumbnail.ok()) return std::move(thumbnail).error();
    probe.thumbnail_jpeg = std::move(thumbnail).value();
    return probe;
}

Result<ImageProbe> ProbeImage(Kind kind, std::string_view bytes, int thumbnail_px) {
    if (kind != Kind::kJpeg) return ProbeImageWithVips(kind, bytes, thumbnail_px);
    JpegDecoder decoder;
    if (!JpegReadHeader(decoder, bytes)) return Corrupt(KindName(kind));
    const jpeg_decompress_struct& info = decoder.info;
    ImageProbe probe;
    probe.facts.width = static_cast<int>(info.image_width);
    probe.facts.height = static_cast<int>(info.image_height);
    if (TooManyPixels(probe.facts.width, probe.facts.height)) return ImageTooLarge();
    // CMYK and YCCK (Adobe, print workflows) need their inverted-ink conventions and a colour conversion that
    // libvips already does; they are rare in uploads.
    if (info.jpeg_color_space != JCS_GRAYSCALE && info.jpeg_color_space != JCS_YCbCr &&
        info.jpeg_color_space != JCS_RGB) {
        return ProbeImageWithVips(kind, bytes, thumbnail_px);
    }
    if (const std::string_view exif = JpegExifBlock(info); !exif.empty()) probe.facts.exif = ReadExif(exif);

    // One decode, at 1/2, 1/4 or 1/8 scale when the thumbnail allows, proves the file and feeds the thumbnail.
    Pixels pixels;
    const int shrink = JpegShrinkOnLoad(probe.facts.width, probe.facts.height, thumbnail_px);
    if (!JpegDecode(decoder, shrink, pixels)) return Corrupt(KindName(kind));
    // libjpeg rounds a scaled side up; the partial last column and row (less than `shrink` stored pixels) are
    // dropped, as libvips' shrink-on-load drops them, so thumbnails keep the sizes they had.
    pixels = Crop(std::move(pixels), std::max(1, probe.facts.width / shrink), std::max(1, probe.facts.height / shrink));
    if (const ImageSize size = ThumbnailSize(pixels.width, pixels.height, thumbnail_px);
        size != ImageSize{pixels.width, pixels.height}) {
        pixels = BoxDownscale(pixels, size.width, size.height);
    }
    pixels = Orient(std::move(pixels), probe.facts.exif.orientation);

    JpegEncoder encoder(probe.thumbnail_jpeg);
    if (!JpegEncode(encoder, pixels)) return Corrupt("thumbnail");
    probe.thumbnail_width = pixels.width;
    probe.thumbnail_height = pixels.height;
    return probe;
}

Result<MediaFacts> ProbeMedia(Kind kind, std::string_view bytes) {
    MemoryBytes source(bytes);
    return ProbeMedia(kind, source);
}

Result<MediaFacts> ProbeMedia(Kind kind, ByteSource& source) {
    EnsureMedia();
    const char* demuxer = DemuxerFor(kind);
    if (!demuxer) return Corrupt("not audio or video");
    Demuxer media(source);
    const bool opened = media.Open(demuxer);
    media.ThrowIfSourceFailed();
    if (!opened) return Corrupt(KindName(kind));
    AVFormatContext* format = media.get();
    MediaFacts facts;
    facts.container = format->iformat->name;
    const bool has_sample_table = std::string_view(format->iformat->name).substr(0, 3) == "mov";
    std::optional<double> longest_stream;
    for (unsigned i = 0; i < format->nb_streams; ++i) {
        AVStream* stream = format->streams[i];
        const AVCodecParameters* par = stream->codecpar;
        if (par->codec_id == AV_CODEC_ID_NONE) continue;
        bool usable = false;
        if (par->codec_type == AVMEDIA_TYPE_VIDEO && !(stream->disposition & AV_DISPOSITION_ATTACHED_PIC)) {
            usable = par->width > 0 && par->height > 0;
            if (usable && !facts.has_video) {
                facts.width = par->width;
                facts.height = par->height;
            }
            facts.has_video = facts.has_video || usable;
        } else if (par->codec_type == AVMEDIA_TYPE_AUDIO) {
            usable = par->sample_rate > 0 && par->ch_layout.nb_channels > 0;
            facts.has_audio = facts.has_audio || usable;
        }
        if (!usable) continue;
        if (has_sample_table && !SampleTableFits(stream, media.size())) return Corrupt("truncated");
        if (stream->duration != AV_NOPTS_VALUE && stream->duration > 0) {
            const double seconds = static_cast<double>(stream->duration) * av_q2d(stream->time_base);
            if (!longest_stream || seconds > *longest_stream) longest_stream = seconds;
        }
    }
    if (!facts.has_video && !facts.has_audio) return Corrupt("no audio or video stream");
    if (format->duration != AV_NOPTS_VALUE && format->duration > 0) {
        facts.duration_s = static_cast<double>(format->duration) / AV_TIME_BASE;
    } else {
        facts.duration_s = longest_stream;
    }
    return facts;
}

}  // namespace safeloop::files
