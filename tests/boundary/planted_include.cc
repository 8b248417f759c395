// Compiled by the "boundary: normalize cannot include pipeline internals" test
// with the include paths of neardup::normalize, and expected not to compile:
// the first two includes are ones normalize may use (its own folder, a header
// core shares with it), the third is another stage's internal header that
// normalize does not declare. The test passes only on that third file's error.
#include "core/splitmix64.h"
#include "normalize/scan.h"
#include "pipeline/pipeline_internal.h"
