#include "rollup/bucket_value.h"

#include <limits>
#include <utility>

namespace vitals {
namespace {

bool offset_fits(TimeMs time, TimeMs start) {
  return time >= start && time - start <= std::numeric_limits<std::uint32_t>::max();
}

// The one event an aggregate holds, when it holds one and nothing an inline bucket cannot say.
std::optional<Event> sole_event(const Aggregate& a) {
  if (a.total() != 1 || !a.items.empty() || a.first_time != a.last_time) return std::nullopt;
  Event e;
  e.time = a.first_time;
  for (EventStatus s :
       {EventStatus::kSuccess, EventStatus::kVendorError, EventStatus::kException}) {
    if (a.count(s) == 1) e.status = s;
  }
  const TimeMs success = is_failure(e.status) ? kNoTime : e.time;
  const TimeMs failure = is_failure(e.status) ? e.time : kNoTime;
  if (a.last_success != success || a.last_failure != failure) return std::nullopt;
  if (a.latency.count() > 1) return std::nullopt;
  if (a.latency.count() == 1) {
    if (a.latency.min() != a.latency.max() || a.latency_sum != a.latency.min()) return std::nullopt;
    e.latency_ms = a.latency.min();
  } else if (a.latency_sum != 0) {
    return std::nullopt;
  }
  return e;
}

}  // namespace

BucketValue::BucketValue(Aggregate&& aggregate, TimeMs start) {
  if (aggregate.total() == 0 && aggregate.items.empty()) return;
  if (auto one = sole_event(aggregate); one && offset_fits(one->time, start)) {
    set_one(*one, start);
    return;
  }
  many_ = new Aggregate(std::move(aggregate));
  form_ = Form::kMany;
}

BucketValue& BucketValue::operator=(BucketValue&& other) noexcept {
  if (this != &other) {
    release();
    take(other);
  }
  return *this;
}

bool BucketValue::fits_inline(const Event& event) {
  return is_failure(event.status) || event.counts.empty();
}

void BucketValue::set_one(const Event& event, TimeMs start) {
  latency_ = event.latency_ms.value_or(0);
  has_latency_ = event.latency_ms.has_value();
  offset_ = static_cast<std::uint32_t>(event.time - start);
  status_ = event.status;
  form_ = Form::kOne;
}

void BucketValue::add(const Event& event, TimeMs start) {
  if (form_ == Form::kEmpty && fits_inline(event) && offset_fits(event.time, start)) {
    set_one(event, start);
    return;
  }
  if (form_ != Form::kMany) {
    auto* many = new Aggregate;
    merge_into(*many, start);
    many_ = many;
    form_ = Form::kMany;
  }
  many_->add(event);
}

Aggregate BucketValue::aggregate(TimeMs start) const {
  Aggregate out;
  merge_into(out, start);
  return out;
}

TimeMs BucketValue::last_success(TimeMs start) const {
  if (form_ == Form::kMany) return many_->last_success;
  return form_ == Form::kOne && !is_failure(status_) ? start + offset_ : kNoTime;
}

TimeMs BucketValue::last_failure(TimeMs start) const {
  if (form_ == Form::kMany) return many_->last_failure;
  return form_ == Form::kOne && is_failure(status_) ? start + offset_ : kNoTime;
}

void BucketValue::write(BinaryWriter& out, TimeMs start) const {
  if (form_ == Form::kMany) return many_->write(out, start);
  aggregate(start).write(out, start);
}

BucketValue BucketValue::read(BinaryReader& in, TimeMs start) {
  return BucketValue(Aggregate::read(in, start), start);
}

void BucketValue::release() {
  if (form_ == Form::kMany) delete many_;
  form_ = Form::kEmpty;
}

void BucketValue::take(BucketValue& other) {
  if (other.form_ == Form::kMany) {
    many_ = other.many_;
  } else {
    latency_ = other.latency_;
  }
  offset_ = other.offset_;
  status_ = other.status_;
  has_latency_ = other.has_latency_;
  form_ = other.form_;
  other.form_ = Form::kEmpty;
}

}  // namespace vitals
