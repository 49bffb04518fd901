#include "modules/notify/notify_http.hpp"

#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <mutex>
#include <stdexcept>

namespace safeloop::notify {

namespace {

constexpr int kPollTimeoutMs = 200;
constexpr char kUserAgent[] = "SafeLoop-notify/1";

struct Transfer {
    CURL* easy = nullptr;
    curl_slist* headers = nullptr;
    HttpOutcome* outcome = nullptr;
    size_t max_bytes = 0;
    char error[CURL_ERROR_SIZE] = {};
};

size_t WriteBody(char* data, size_t size, size_t n, void* user) {
    auto* transfer = static_cast<Transfer*>(user);
    std::string& body = transfer->outcome->body;
    const size_t bytes = size * n;
    if (body.size() < transfer->max_bytes) body.append(data, std::min(bytes, transfer->max_bytes - body.size()));
    return bytes;  // the rest is read and dropped: a long answer is not a failure
}

class CurlSender final : public HttpSender {
public:
    explicit CurlSender(const HttpSenderOptions& options) : options_(options) {
        static std::once_flag once;
        std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    }

    std::vector<HttpOutcome> PostAll(const std::vector<HttpPost>& posts) override {
        std::vector<HttpOutcome> outcomes(posts.size());
        if (posts.empty()) return outcomes;
        CURLM* multi = curl_multi_init();
        if (multi == nullptr) throw std::runtime_error("curl_multi_init failed");
        std::vector<Transfer> transfers(posts.size());
        for (size_t i = 0; i < posts.size(); ++i) Prepare(multi, posts[i], transfers[i], outcomes[i]);

        int running = 0;
        curl_multi_perform(multi, &running);
        while (running > 0) {
            if (curl_multi_poll(multi, nullptr, 0, kPollTimeoutMs, nullptr) != CURLM_OK) break;
            curl_multi_perform(multi, &running);
        }
        int queued = 0;
        while (CURLMsg* msg = curl_multi_info_read(multi, &queued)) {
            if (msg->msg != CURLMSG_DONE) continue;
            Transfer* transfer = nullptr;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &transfer);
            Finish(*transfer, msg->data.result);
        }
        for (auto& transfer : transfers) {
            if (transfer.easy == nullptr) continue;
            curl_multi_remove_handle(multi, transfer.easy);
            curl_easy_cleanup(transfer.easy);
            curl_slist_free_all(transfer.headers);
        }
        curl_multi_cleanup(multi);
        return outcomes;
    }

private:
    void Prepare(CURLM* multi, const HttpPost& post, Transfer& transfer, HttpOutcome& outcome) {
        transfer.outcome = &outcome;
        transfer.max_bytes = options_.max_response_bytes;
        transfer.easy = curl_easy_init();
        if (transfer.easy == nullptr) {
            outcome.error = "curl_easy_init failed";
            return;
        }
        CURL* easy = transfer.easy;
        transfer.headers = curl_slist_append(transfer.headers, "Content-Type: application/json; charset=utf-8");
        transfer.headers = curl_slist_append(transfer.headers, "Expect:");  // no 100-continue round trip
        for (const auto& [name, value] : post.headers) {
            std::string line = name;
            line.append(": ").append(value);
            transfer.headers = curl_slist_append(transfer.headers, line.c_str());
        }
        curl_easy_setopt(easy, CURLOPT_URL, post.url.c_str());
        curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(easy, CURLOPT_POST, 1L);
        curl_easy_setopt(easy, CURLOPT_POSTFIELDS, post.body.data());
        curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(post.body.size()));
        curl_easy_setopt(easy, CURLOPT_HTTPHEADER, transfer.headers);
        curl_easy_setopt(easy, CURLOPT_USERAGENT, kUserAgent);
        curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count()));
        curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.total_timeout.count()));
        curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
        curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, WriteBody);
        curl_easy_setopt(easy, CURLOPT_WRITEDATA, &transfer);
        curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, transfer.error);
        curl_easy_setopt(easy, CURLOPT_PRIVATE, &transfer);
        if (curl_multi_add_handle(multi, easy) != CURLM_OK) {
            outcome.error = "curl_multi_add_handle failed";
            curl_easy_cleanup(easy);
            curl_slist_free_all(transfer.headers);
            transfer.easy = nullptr;
            transfer.headers = nullptr;
        }
    }

    static void Finish(Transfer& transfer, CURLcode result) {
        HttpOutcome& outcome = *transfer.outcome;
        curl_off_t micros = 0;
        curl_easy_getinfo(transfer.easy, CURLINFO_TOTAL_TIME_T, &micros);
        outcome.duration_ms = static_cast<int64_t>(micros / 1000);
        if (result != CURLE_OK) {
            outcome.error = transfer.error[0] != '\0' ? std::string(transfer.error) : curl_easy_strerror(result);
            outcome.status = 0;
            return;
        }
        long status = 0;
        curl_easy_getinfo(transfer.easy, CURLINFO_RESPONSE_CODE, &status);
        outcome.status = status;
    }

    HttpSenderOptions options_;
};

}  // namespace

std::unique_ptr<HttpSender> MakeCurlSender(const HttpSenderOptions& options) {
    return std::make_unique<CurlSender>(options);
}

}  // namespace safeloop::notify
