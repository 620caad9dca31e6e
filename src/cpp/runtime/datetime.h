// Calendar conversions of NumPy datetime64 values compiled code calls (the linear ones are
// inline multiplications).
#pragma once

#include <cstdint>

extern "C" {

/// A datetime64 count of months since 1970-01 as a count of `unit` (NumPy's unit code: W, D
/// or finer) at the start of that month, as NumPy casts M8[M] to M8[unit]; NaT stays NaT.
int64_t nogil_rt_datetime_from_months(int64_t months, int32_t unit);
}
