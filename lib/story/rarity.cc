// TermRarity: idf of the blended background and input counts, in one
// open-addressing table over every word of either, so a word missing from the
// table is missing from both and gets one precomputed value.
#include <algorithm>
#include <atomic>
#include <cmath>

#include "neardup/story.h"

namespace neardup {
namespace {

std::size_t Slot(std::uint64_t token_hash, std::size_t mask) {
  return static_cast<std::size_t>(token_hash) & mask;
}

}  // namespace

std::uint64_t TermRarity::Generation::Next() {
  static std::atomic<std::uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

TermRarity::TermRarity(std::shared_ptr<const DocumentFrequencies> background,
                       std::shared_ptr<const DocumentFrequencies> input,
                       double input_weight_documents, double input_cap_documents)
    : background_(std::move(background)), input_(std::move(input)), cap_(input_cap_documents) {
  const double n = input_ ? static_cast<double>(input_->documents()) : 0.0;
  if (!background_) {
    lambda_ = input_ ? 1.0 : 0.0;
  } else {
    lambda_ = n / (n + input_weight_documents);
  }
  missing_ = Value(0, 0, false);
  if (!background_ && !input_) return;
  // Both tables are sorted by hash: merge them, so each word's value comes
  // from its two counts without a search.
  static const std::vector<std::pair<std::uint64_t, std::uint32_t>> kNone;
  const auto& in = input_ ? input_->entries() : kNone;
  const auto& bg = background_ ? background_->entries() : kNone;
  std::size_t capacity = 16;
  while (capacity < (in.size() + bg.size()) * 2) capacity *= 2;
  mask_ = capacity - 1;
  table_.assign(capacity, Entry{0, 0.0f, 0.0f});
  auto insert = [this](std::uint64_t hash, std::uint32_t c_in, std::uint32_t c_bg) {
    const Entry entry{hash, static_cast<float>(Value(c_in, c_bg, true)),
                      static_cast<float>(Value(c_in, c_bg, false))};
    if (hash == 0) {  // 0 marks empty slots
      has_zero_ = true;
      zero_ = entry;
      return;
    }
    std::size_t slot = Slot(hash, mask_);
    while (table_[slot].key != 0) slot = (slot + 1) & mask_;
    table_[slot] = entry;
  };
  std::size_t i = 0, j = 0;
  while (i < in.size() || j < bg.size()) {
    if (j == bg.size() || (i < in.size() && in[i].first < bg[j].first)) {
      insert(in[i].first, in[i].second, 0);
      ++i;
    } else if (i == in.size() || bg[j].first < in[i].first) {
      insert(bg[j].first, 0, bg[j].second);
      ++j;
    } else {
      insert(in[i].first, in[i].second, bg[j].second);
      ++i;
      ++j;
    }
  }
}

const TermRarity::Entry* TermRarity::Find(std::uint64_t token_hash) const {
  if (token_hash == 0) return has_zero_ ? &zero_ : nullptr;
  if (mask_ != 0) {
    for (std::size_t slot = Slot(token_hash, mask_); table_[slot].key != 0;
         slot = (slot + 1) & mask_) {
      if (table_[slot].key == token_hash) return &table_[slot];
    }
  }
  return nullptr;
}

double TermRarity::Idf(std::uint64_t token_hash) const {
  const Entry* e = Find(token_hash);
  return e ? e->value : missing_;
}

double TermRarity::UncappedIdf(std::uint64_t token_hash) const {
  const Entry* e = Find(token_hash);
  return e ? e->uncapped : missing_;
}

void TermRarity::Idf(std::span<const std::uint64_t> token_hashes, std::span<float> idf,
                     std::span<float> uncapped) const {
  constexpr std::size_t kAhead = 8;  // as below
  const std::size_t n = token_hashes.size();
  const auto missing = static_cast<float>(missing_);
  for (std::size_t i = 0; i < n; ++i) {
    if (mask_ != 0 && i + kAhead < n) {
      __builtin_prefetch(&table_[Slot(token_hashes[i + kAhead], mask_)]);
    }
    const Entry* e = Find(token_hashes[i]);
    idf[i] = e ? e->value : missing;
    uncapped[i] = e ? e->uncapped : missing;
  }
}

void TermRarity::Idf(std::span<const std::uint64_t> token_hashes, std::span<float> idf) const {
  // The table is larger than the caches: look ahead, so the slots of the
  // next words are on their way while this one is probed.
  constexpr std::size_t kAhead = 8;
  const std::size_t n = token_hashes.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (mask_ != 0 && i + kAhead < n) {
      __builtin_prefetch(&table_[Slot(token_hashes[i + kAhead], mask_)]);
    }
    idf[i] = static_cast<float>(Idf(token_hashes[i]));
  }
}

double TermRarity::Value(std::uint32_t input_count, std::uint32_t background_count,
                         bool capped) const {
  if (!background_ && !input_) return 1.0;
  double p = 0;
  if (input_ && lambda_ > 0) {
    p += lambda_ * (input_count + 0.5) / (static_cast<double>(input_->documents()) + 1.0);
  }
  if (background_ && lambda_ < 1) {
    p += (1 - lambda_) * (background_count + 0.5) /
         (static_cast<double>(background_->documents()) + 1.0);
  }
  // A story is told by a bounded number of documents: a word in many more
  // is the input's boilerplate (a template's words), however rare it is in
  // the background. Below the cap nothing changes, so a small input keeps
  // the background's weights.
  if (capped && input_ && cap_ > 0 && input_count > cap_) {
    p = std::max(p, (input_count - cap_) / (static_cast<double>(input_->documents()) + 1.0));
  }
  return -std::log(p);
}

}  // namespace neardup
