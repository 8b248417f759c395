// Choice of (bands, rows) for a similarity threshold: numerically integrate
// the S-curve's false-positive area below the threshold and false-negative
// area above it, and keep the pair with the smallest weighted sum (the same
// criterion as Leskovec et al. and datasketch's MinHashLSH).
#include <cmath>
#include <limits>

#include "neardup/index.h"

namespace neardup {
namespace {

// Simpson's rule over [lo, hi]; the integrands are smooth polynomials.
template <typename F>
double Integrate(F f, double lo, double hi) {
  constexpr int kSteps = 200;  // even
  const double h = (hi - lo) / kSteps;
  double sum = f(lo) + f(hi);
  for (int i = 1; i < kSteps; ++i) sum += f(lo + i * h) * (i % 2 == 1 ? 4.0 : 2.0);
  return sum * h / 3.0;
}

}  // namespace

double CandidateProbability(double s, const LshParams& p) {
  return 1.0 - std::pow(1.0 - std::pow(s, p.rows), p.bands);
}

LshParams OptimalLshParams(const LshOptions& options, int num_perm) {
  if (options.bands > 0 && options.rows > 0) return LshParams{options.bands, options.rows};
  const double t = options.threshold;
  LshParams best{1, num_perm};
  double best_error = std::numeric_limits<double>::infinity();
  for (int b = 1; b <= num_perm; ++b) {
    for (int r = 1; b * r <= num_perm; ++r) {
      const LshParams p{b, r};
      const double fp = Integrate([&](double s) { return CandidateProbability(s, p); }, 0.0, t);
      const double fn =
          Integrate([&](double s) { return 1.0 - CandidateProbability(s, p); }, t, 1.0);
      const double error = options.false_positive_weight * fp + options.false_negative_weight * fn;
      if (error < best_error) {
        best_error = error;
        best = p;
      }
    }
  }
  return best;
}

}  // namespace neardup
