// StorePool (web/routes.h) and the small helpers of routes.h that need no
// HTTP library.
#include <ctime>

#include "web/routes.h"

#include "web/audit_batch.h"

namespace amiable::web {

Result<std::unique_ptr<StorePool>> StorePool::Open(std::string url) {
  auto first = Store::Open(url);
  if (!first) return Fail(first.error());
  std::unique_ptr<StorePool> pool(new StorePool(std::move(url)));
  pool->idle_.push_back(std::move(*first));
  pool->opened_ = 1;
  return pool;
}

StorePool::Lease::~Lease() {
  if (store_) pool_->Release(std::move(store_));
}

void StorePool::Lease::Discard() {
  if (!store_) return;
  store_.reset();
  std::lock_guard<std::mutex> lock(pool_->mu_);
  --pool_->opened_;
}

Result<StorePool::Lease> StorePool::Acquire() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      std::unique_ptr<Store> s = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(s));
    }
    ++opened_;  // counted now so that opened() includes stores being opened
  }
  // Opened outside the lock: connecting to PostgreSQL may take a while.
  auto s = Store::Open(url_);
  if (!s) {
    std::lock_guard<std::mutex> lock(mu_);
    --opened_;
    return Fail(s.error());
  }
  return Lease(this, std::move(*s));
}

void StorePool::Release(std::unique_ptr<Store> s) {
  std::lock_guard<std::mutex> lock(mu_);
  idle_.push_back(std::move(s));
}

size_t StorePool::idle() const {
  std::lock_guard<std::mutex> lock(mu_);
  return idle_.size();
}

size_t StorePool::opened() const {
  std::lock_guard<std::mutex> lock(mu_);
  return opened_;
}

AuditLog::AuditLog(StorePool* stores) : stores_(stores), thread_([this] { Run(); }) {}

AuditLog::~AuditLog() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
  Flush();
}

void AuditLog::Record(const Actor& actor, std::string action, std::string object) {
  std::lock_guard<std::mutex> lock(mu_);
  pending_.push_back({actor, std::move(action), std::move(object)});
}

void AuditLog::Flush() {
  std::vector<Entry> batch;
  {
    std::lock_guard<std::mutex> lock(mu_);
    batch.swap(pending_);
  }
  Write(batch);
}

void AuditLog::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    cv_.wait_for(lock, kFlushInterval, [this] { return stop_; });
    std::vector<Entry> batch;
    batch.swap(pending_);
    lock.unlock();
    Write(batch);
    lock.lock();
  }
}

void AuditLog::Write(std::vector<Entry>& batch) {
  if (batch.empty()) return;
  std::lock_guard<std::mutex> write_lock(write_mu_);
  auto store = stores_->Acquire();
  if (!store) {
    LogError("audit: cannot open the store; records lost: " + std::to_string(batch.size()),
             store.error());
    return;
  }
  // One row per burst of reads by the same user of the same kind (web/audit_batch.h).
  std::vector<AuditRead> reads;
  reads.reserve(batch.size());
  for (Entry& e : batch) reads.push_back({e.actor, std::move(e.action), std::move(e.object)});
  const std::vector<AuditRead> rows = CompactReads(std::move(reads));
  Status s = (*store)->InTransaction([&]() -> Status {
    for (const AuditRead& e : rows) {
      if (auto a = (*store)->Audit(e.actor, e.action, e.object); !a) return a;
    }
    return {};
  });
  if (!s) {
    if (s.error().code == Error::Code::kUnavailable) store->Discard();
    LogError("audit: batch not written; records lost: " + std::to_string(batch.size()), s.error());
  }
}

}  // namespace amiable::web
