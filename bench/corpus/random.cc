#include "random.h"

namespace neardup::gen {

// +, * and / alone: a Taylor series on x / 2^10, squared ten times. Each
// product is divided before it is added (a division by a power of two is
// exact), so fused multiply-adds, which compilers may emit, round alike.
double PortableExp(double x) {
  const double y = x / 1024;
  double term = 1;
  double sum = 1;
  for (int n = 1; n <= 8; ++n) {
    term = term * y / n;
    sum = sum + term;
  }
  for (int i = 0; i < 10; ++i) sum = sum * sum;
  return sum;
}

}  // namespace neardup::gen
