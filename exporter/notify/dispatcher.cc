#include "notify/dispatcher.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace vitals::notify {
namespace {

using evaluator::Announcement;

// With nothing queued and nothing to repeat, deliver() is called again at least this often.
constexpr TimeMs kIdleWake = kMsPerMinute;

// Queue heads read at once (one query scans a receiver's whole queue).
constexpr size_t kHeadsPerRead = 256;

bool is_success(int status) {
  return status >= 200 && status < 300;
}

// A 4xx says this request will never be taken, except 408 (the receiver timed out) and 429 (it
// wants us to slow down), which are worth another try.
bool is_refusal(int status) {
  return status >= 400 && status < 500 && status != 408 && status != 429;
}

std::string describe(const HttpOutcome& outcome) {
  if (outcome.status == 0) return outcome.error;
  std::string text = "HTTP " + std::to_string(outcome.status);
  if (!outcome.error.empty()) text += ": " + outcome.error;
  return text;
}

// notifications[from, from + count), clipped to the end.
std::vector<Notification> slice(const std::vector<Notification>& notifications, size_t from,
                                size_t count) {
  const auto begin = notifications.begin() + static_cast<std::ptrdiff_t>(from);
  const auto end = notifications.begin() +
                   static_cast<std::ptrdiff_t>(std::min(notifications.size(), from + count));
  return {begin, end};
}

std::function<double()> uniform_random() {
  auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
  return [engine] { return std::uniform_real_distribution<double>(0.0, 1.0)(*engine); };
}

}  // namespace

std::string_view failure_name(Failure failure) {
  switch (failure) {
    case Failure::kRetrying:
      return "retrying";
    case Failure::kRejected:
      return "rejected";
    case Failure::kResend:
      return "resend";
  }
  return "unknown";
}

std::string_view drop_name(Drop drop) {
  return drop == Drop::kQueueFull ? "queue_full" : "receiver_removed";
}

Dispatcher::Dispatcher(NotificationQueue& queue, HttpSender& sender, DeliveryObserver& observer,
                       const Clock& clock, DispatchOptions options, std::function<double()> random)
    : queue_(queue),
      sender_(sender),
      observer_(observer),
      clock_(clock),
      options_(options),
      random_(random ? std::move(random) : uniform_random()) {}

// Under the hand-over mutex, so no announce() can queue for a receiver between the swap and the
// discard.
void Dispatcher::set_receivers(std::vector<std::shared_ptr<const Receiver>> receivers) {
  std::lock_guard handover(handover_mutex_);
  std::set<std::string> names;
  for (const auto& r : receivers) {
    names.insert(r->name());
    observer_.configured(*r);
  }
  {
    std::lock_guard lock(mutex_);
    receivers_ = std::move(receivers);
  }
  if (const size_t dropped = queue_.discard_except(names)) {
    spdlog::warn("notifications: dropped {} queued for receivers no longer configured", dropped);
    observer_.dropped(Drop::kReceiverRemoved, dropped);
  }
}

void Dispatcher::set_generator_url(GeneratorUrl generator_url) {
  std::lock_guard lock(mutex_);
  generator_url_ = std::move(generator_url);
}

void Dispatcher::on_queued(std::function<void()> wake) {
  std::lock_guard lock(mutex_);
  wake_ = std::move(wake);
}

std::vector<std::shared_ptr<const Receiver>> Dispatcher::receivers() const {
  std::lock_guard lock(mutex_);
  return receivers_;
}

std::vector<std::string> Dispatcher::receiver_names() const {
  std::vector<std::string> names;
  for (const auto& r : receivers()) names.push_back(r->name());
  return names;
}

void Dispatcher::announce(const std::vector<Announcement>& announcements) {
  std::lock_guard handover(handover_mutex_);
  std::unique_lock lock(mutex_);
  const auto receivers = receivers_;
  const auto generator_url = generator_url_;
  const auto wake = wake_;
  lock.unlock();
  std::vector<NotificationQueue::Handover> handovers;
  for (const auto& a : announcements) {
    NotificationQueue::Handover h{&a, generator_url ? generator_url(a) : std::string(), {}};
    for (const auto& r : receivers) {
      if (r->route().matches(a)) h.receivers.push_back(r->name());
    }
    handovers.push_back(std::move(h));
  }
  const auto outcomes = queue_.enqueue_all(handovers, clock_.now_ms(), options_.queue_limit);
  bool queued = false;
  lock.lock();
  for (size_t i = 0; i < outcomes.size(); ++i) {
    if (outcomes[i] == EnqueueOutcome::kFull) {
      if (!full_) {
        spdlog::error(
            "notifications: the queue is full ({} pending); new notifications are dropped "
            "until receivers take some",
            options_.queue_limit);
      }
      full_ = true;
      observer_.dropped(Drop::kQueueFull, handovers[i].receivers.size());
    } else if (outcomes[i] == EnqueueOutcome::kQueued && !handovers[i].receivers.empty()) {
      const bool firing = handovers[i].announcement->kind == Announcement::Kind::kFiring;
      if (full_ && firing) spdlog::info("notifications: the queue has room again");
      full_ = full_ && !firing;
      queued = true;
    }
  }
  lock.unlock();
  if (queued && wake) wake();
}

TimeMs Dispatcher::deliver() {
  const auto receivers = this->receivers();
  bool more = false;
  for (const auto& r : receivers) {
    // A receiver seen for the first time (at start, or added by a reload) is sent the live
    // alerts at once: after a restart Alertmanager may be about to time them out.
    ReceiverState& state = states_[r->name()];
    if (state.failures > 0 && state.retry_at > clock_.now_ms()) continue;
    const Drained drained = drain(*r, state);
    more = more || drained == Drained::kTurnOver;
    // Only with nothing queued: a repeat must never overtake a queued resolution.
    if (drained == Drained::kEmpty && r->resend_interval() > 0 &&
        state.resend_at <= clock_.now_ms()) {
      resend_live(*r);
      state.resend_at = clock_.now_ms() + r->resend_interval();
    }
  }
  std::erase_if(states_, [&](const auto& entry) {
    return std::none_of(receivers.begin(), receivers.end(),
                        [&](const auto& r) { return r->name() == entry.first; });
  });
  const TimeMs now = clock_.now_ms();
  if (more) return now;
  TimeMs next = now + kIdleWake;
  for (const auto& r : receivers) {
    const ReceiverState& state = states_[r->name()];
    if (state.failures > 0) next = std::min(next, state.retry_at);
    if (r->resend_interval() > 0 && state.failures == 0) next = std::min(next, state.resend_at);
  }
  return next;
}

// Heads are read many at a time and sent in batches: they are of different alerts, so any order
// among them is fine, and the next read finds what each alert has queued after its head.
Dispatcher::Drained Dispatcher::drain(const Receiver& receiver, ReceiverState& state) {
  const size_t per_read = std::max<size_t>(kHeadsPerRead, receiver.batch_limit());
  const TimeMs turn_ends = clock_.now_ms() + options_.turn;
  for (;;) {
    const auto heads = queue_.heads(receiver.name(), per_read);
    if (heads.empty()) {
      state.failures = 0;
      return Drained::kEmpty;
    }
    for (size_t i = 0; i < heads.size(); i += receiver.batch_limit()) {
      if (clock_.now_ms() >= turn_ends) return Drained::kTurnOver;
      if (send(receiver, slice(heads, i, receiver.batch_limit())) == Answer::kFailed) {
        ++state.failures;
        state.retry_at = clock_.now_ms() + options_.backoff.delay(state.failures, random_());
        return Drained::kFailed;
      }
      state.failures = 0;
    }
  }
}

Dispatcher::Answer Dispatcher::send(const Receiver& receiver,
                                    const std::vector<Notification>& batch) {
  std::vector<std::int64_t> ids;
  for (const auto& n : batch) ids.push_back(n.id);
  const HttpOutcome outcome = sender_.post(receiver.request(batch, clock_.now_ms()));
  if (is_success(outcome.status)) {
    queue_.remove(ids);
    observer_.sent(receiver.notifier(), receiver.name(), batch.size());
    return Answer::kTaken;
  }
  const std::string why = describe(outcome);
  if (is_refusal(outcome.status)) {
    spdlog::error("{} {} refused {} notification(s) for good, first of rule {} ({}); dropped",
                  receiver.notifier(), receiver.name(), batch.size(),
                  batch.front().announcement.rule, why);
    queue_.remove(ids);
    observer_.failed(receiver.notifier(), receiver.name(), Failure::kRejected, batch.size());
    return Answer::kRefused;
  }
  spdlog::warn("{} {}: {} notification(s) not delivered ({}); will retry", receiver.notifier(),
               receiver.name(), batch.size(), why);
  queue_.record_failure(ids, why);
  observer_.failed(receiver.notifier(), receiver.name(), Failure::kRetrying, batch.size());
  return Answer::kFailed;
}

void Dispatcher::resend_live(const Receiver& receiver) {
  std::vector<Notification> live;
  for (auto& n : queue_.live()) {
    if (receiver.route().matches(n.announcement)) live.push_back(std::move(n));
  }
  for (size_t i = 0; i < live.size(); i += receiver.batch_limit()) {
    const auto part = slice(live, i, receiver.batch_limit());
    const HttpOutcome outcome = sender_.post(receiver.request(part, clock_.now_ms()));
    if (!is_success(outcome.status)) {
      spdlog::warn("{} {}: repeating {} live alert(s) failed ({})", receiver.notifier(),
                   receiver.name(), live.size() - i, describe(outcome));
      observer_.failed(receiver.notifier(), receiver.name(), Failure::kResend, live.size() - i);
      return;
    }
    // A repeat that arrives counts as sent, as Prometheus counts its own, so that sent and
    // failed{reason="resend"} together are every repeat attempted.
    observer_.sent(receiver.notifier(), receiver.name(), part.size());
  }
}

}  // namespace vitals::notify
