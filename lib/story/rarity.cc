// TermRarity: idf of the blended background and input counts, in one
// open-addressing table over every word of either, so a word missing from the
// table is missing from both and gets one precomputed value.
#include <cmath>

#include "neardup/story.h"

namespace neardup {
namespace {

std::size_t Slot(std::uint64_t token_hash, std::size_t mask) {
  return static_cast<std::size_t>(token_hash) & mask;
}

}  // namespace

TermRarity::TermRarity(std::shared_ptr<const DocumentFrequencies> background,
                       std::shared_ptr<const DocumentFrequencies> input,
                       double input_weight_documents)
    : background_(std::move(background)), input_(std::move(input)) {
  const double n = input_ ? static_cast<double>(input_->documents()) : 0.0;
  if (!background_) {
    lambda_ = input_ ? 1.0 : 0.0;
  } else {
    lambda_ = n / (n + input_weight_documents);
  }
  missing_ = Value(0, 0);
  if (!background_ && !input_) return;
  // Both tables are sorted by hash: merge them, so each word's value comes
  // from its two counts without a search.
  static const std::vector<std::pair<std::uint64_t, std::uint32_t>> kNone;
  const auto& in = input_ ? input_->entries() : kNone;
  const auto& bg = background_ ? background_->entries() : kNone;
  std::size_t capacity = 16;
  while (capacity < (in.size() + bg.size()) * 2) capacity *= 2;
  mask_ = capacity - 1;
  table_.assign(capacity, Entry{0, 0.0f});
  auto insert = [this](std::uint64_t hash, double value) {
    if (hash == 0) {  // 0 marks empty slots
      has_zero_ = true;
      zero_value_ = static_cast<float>(value);
      return;
    }
    std::size_t slot = Slot(hash, mask_);
    while (table_[slot].key != 0) slot = (slot + 1) & mask_;
    table_[slot] = Entry{hash, static_cast<float>(value)};
  };
  std::size_t i = 0, j = 0;
  while (i < in.size() || j < bg.size()) {
    if (j == bg.size() || (i < in.size() && in[i].first < bg[j].first)) {
      insert(in[i].first, Value(in[i].second, 0));
      ++i;
    } else if (i == in.size() || bg[j].first < in[i].first) {
      insert(bg[j].first, Value(0, bg[j].second));
      ++j;
    } else {
      insert(in[i].first, Value(in[i].second, bg[j].second));
      ++i;
      ++j;
    }
  }
}

double TermRarity::Idf(std::uint64_t token_hash) const {
  if (token_hash == 0) return has_zero_ ? zero_value_ : missing_;
  if (mask_ != 0) {
    for (std::size_t slot = Slot(token_hash, mask_); table_[slot].key != 0;
         slot = (slot + 1) & mask_) {
      if (table_[slot].key == token_hash) return table_[slot].value;
    }
  }
  return missing_;
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

double TermRarity::Value(std::uint32_t input_count, std::uint32_t background_count) const {
  if (!background_ && !input_) return 1.0;
  double p = 0;
  if (input_ && lambda_ > 0) {
    p += lambda_ * (input_count + 0.5) / (static_cast<double>(input_->documents()) + 1.0);
  }
  if (background_ && lambda_ < 1) {
    p += (1 - lambda_) * (background_count + 0.5) /
         (static_cast<double>(background_->documents()) + 1.0);
  }
  return -std::log(p);
}

}  // namespace neardup
