#include <cmath>

#include "neardup/story.h"

namespace neardup {

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
  const DocumentFrequencies* words = input_ ? input_.get() : background_.get();
  if (words == nullptr) return;
  std::size_t capacity = 16;
  while (capacity < words->entries().size() * 2) capacity *= 2;
  mask_ = capacity - 1;
  table_.assign(capacity, {0, 0.0f});
  used_.assign(capacity, false);
  for (const auto& [hash, count] : words->entries()) {
    std::size_t slot = static_cast<std::size_t>(hash) & mask_;
    while (used_[slot]) slot = (slot + 1) & mask_;
    used_[slot] = true;
    table_[slot] = {hash, static_cast<float>(Compute(hash))};
  }
}

double TermRarity::Idf(std::uint64_t token_hash) const {
  if (mask_ != 0) {
    for (std::size_t slot = static_cast<std::size_t>(token_hash) & mask_; used_[slot];
         slot = (slot + 1) & mask_) {
      if (table_[slot].first == token_hash) return table_[slot].second;
    }
  }
  return Compute(token_hash);
}

double TermRarity::Compute(std::uint64_t token_hash) const {
  if (!background_ && !input_) return 1.0;
  double p = 0;
  if (input_ && lambda_ > 0) {
    p += lambda_ * (input_->Count(token_hash) + 0.5) /
         (static_cast<double>(input_->documents()) + 1.0);
  }
  if (background_ && lambda_ < 1) {
    p += (1 - lambda_) * (background_->Count(token_hash) + 0.5) /
         (static_cast<double>(background_->documents()) + 1.0);
  }
  return -std::log(p);
}

}  // namespace neardup
