#include "jobs/job_queue.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/crypto.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "jobs/job_queue_rules.hpp"
#include "jobs/job_queue_store.hpp"

namespace safeloop::jobs {

namespace {

constexpr size_t kMaxErrorChars = 1000;
constexpr size_t kLeaseTokenBytes = 16;

std::string Truncate(std::string text) {
    if (text.size() > kMaxErrorChars) text.resize(kMaxErrorChars);
    return text;
}

boost::json::object ParsePayload(const std::string& text, const std::string& job_id) {
    boost::system::error_code ec;
    auto value = boost::json::parse(text, ec);
    if (ec || !value.is_object()) {
        spdlog::warn("job {}: stored payload is not a JSON object; running with an empty one", job_id);
        return {};
    }
    return std::move(value.as_object());
}

}  // namespace

bool Enqueue(db::Connection& conn, const Clock& clock, Job job) {
    if (job.id.empty()) job.id = NewUuidV7(clock);
    if (job.dedupe_key.empty()) job.dedupe_key = job.id;
    return store::InsertJob(conn, job, boost::json::serialize(job.payload), ToUnixMillis(clock.Now()));
}

void Cancel(db::Connection& conn, const std::string& kind, const std::string& ref_id) {
    store::CancelPending(conn, kind, ref_id);
}

void JobQueue::Register(std::string kind, Handler handler) {
    std::lock_guard lock(mutex_);
    handlers_[std::move(kind)] = std::move(handler);
}

std::optional<Handler> JobQueue::HandlerFor(const std::string& kind) const {
    std::lock_guard lock(mutex_);
    auto it = handlers_.find(kind);
    if (it == handlers_.end()) return std::nullopt;
    return it->second;
}

size_t JobQueue::RunDue(db::Pool& pool, const Clock& clock, size_t limit) {
    auto lease = pool.Acquire();
    db::Connection& conn = *lease;
    const std::string token = HexEncode(RandomBytes(kLeaseTokenBytes));

    std::vector<store::ClaimedJob> claimed;
    {
        const TimePoint now = clock.Now();
        db::Transaction tx(conn, db::TxMode::kWrite);
        claimed = store::ClaimDue(conn, ToUnixMillis(now), ToUnixMillis(now + kJobLease), token, limit);
        tx.Commit();
    }

    size_t completed = 0;
    for (auto& [job, payload_json] : claimed) {
        job.payload = ParsePayload(payload_json, job.id);
        auto handler = HandlerFor(job.kind);
        if (!handler) {
            std::string error = fmt::format("no handler is registered for job kind '{}'", job.kind);
            spdlog::error("job {} ({}): {}; marked failed", job.id, job.kind, error);
            db::Transaction tx(conn, db::TxMode::kWrite);
            store::MarkFailed(conn, job.id, token, job.attempts, error, ToUnixMillis(clock.Now()));
            tx.Commit();
            continue;
        }

        std::string error;
        try {
            db::Transaction tx(conn, db::TxMode::kWrite);
            // Re-check inside the transaction: cancelled meanwhile, or our lease expired and another
            // process took the job. Marking it done first also holds the row lock (PostgreSQL) while the
            // handler runs.
            if (!store::CompleteIfOwned(conn, job.id, token, ToUnixMillis(clock.Now()))) continue;
            (*handler)(conn, job, clock);
            tx.Commit();
            ++completed;
            continue;
        } catch (const AppErrorException& e) {
            error = e.error().code + ": " + e.error().message;
        } catch (const std::exception& e) {
            error = e.what();
        }

        // The handler's transaction has rolled back; record the failure in a new one.
        const int failures = job.attempts + 1;
        const TimePoint now = clock.Now();
        db::Transaction tx(conn, db::TxMode::kWrite);
        if (JobGivesUp(failures)) {
            spdlog::error("job {} ({}) failed {} times, giving up: {}", job.id, job.kind, failures, error);
            store::MarkFailed(conn, job.id, token, failures, Truncate(error), ToUnixMillis(now));
        } else {
            const TimePoint next = now + JobRetryDelay(failures);
            spdlog::warn("job {} ({}) failed (attempt {}), retrying at {}: {}", job.id, job.kind, failures,
                         FormatRfc3339(next), error);
            store::Reschedule(conn, job.id, token, failures, ToUnixMillis(next), Truncate(error), ToUnixMillis(now));
        }
        tx.Commit();
    }
    return completed;
}

}  // namespace safeloop::jobs
