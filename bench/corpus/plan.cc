#include "plan.h"

#include <algorithm>

#include "random.h"

namespace neardup::gen {

Plan MakePlan(const Options& options) {
  Rng rng(StreamKey(options.seed, kPlanStream));
  Plan plan;
  plan.order.reserve(options.docs);
  while (plan.order.size() < options.docs) {
    const auto k = static_cast<uint32_t>(plan.originals.size());
    // The last original may lose variants, so that exactly `docs` come out.
    const uint64_t room = options.docs - plan.order.size() - 1;
    OriginalInfo info;
    if (rng.Chance(options.dup_fraction)) {
      info.copies = static_cast<uint8_t>(std::min(1 + rng.Below(options.max_copies), room));
    }
    info.distractor = rng.Chance(options.distractor_fraction) && info.copies < room;
    // Drawn only when asked for, so that corpora without them stay as they were.
    unsigned variants = info.copies + (info.distractor ? 1u : 0u);
    if (options.trim_fraction > 0) {
      info.trimmed = rng.Chance(options.trim_fraction) && variants < room;
      variants += info.trimmed ? 1u : 0u;
    }
    if (options.extend_fraction > 0) {
      info.extended = rng.Chance(options.extend_fraction) && variants < room;
      variants += info.extended ? 1u : 0u;
    }
    for (unsigned v = 0; v <= variants; ++v) {
      plan.order.push_back({k, static_cast<uint8_t>(v)});
    }
    plan.originals.push_back(info);
  }
  // Shuffled, so that copies are not written next to their originals.
  Shuffle(plan.order, rng);
  for (size_t slot = 0; slot < plan.order.size(); ++slot) {
    if (plan.order[slot].variant == 0) {
      plan.originals[plan.order[slot].original].slot = static_cast<uint32_t>(slot);
    }
  }
  return plan;
}

}  // namespace neardup::gen
