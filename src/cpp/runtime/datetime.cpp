// Calendar conversions of NumPy datetime64 values.
#include "runtime/datetime.h"

#include <limits>

namespace {

constexpr int64_t kNat = std::numeric_limits<int64_t>::min();

int64_t floorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

/// Days from 1970-01-01 to the first day of `month` (1-12) of `year` (proleptic Gregorian;
/// H. Hinnant's days_from_civil).
int64_t daysFromCivil(int64_t year, int64_t month) {
  year -= month <= 2;
  int64_t era = floorDiv(year, 400);
  int64_t yearOfEra = year - era * 400;
  int64_t dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5;
  int64_t dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

} // namespace

extern "C" int64_t nogil_rt_datetime_from_months(int64_t months, int32_t unit) {
  if (months == kNat)
    return kNat;
  int64_t year = 1970 + floorDiv(months, 12);
  int64_t month = months - floorDiv(months, 12) * 12 + 1;
  int64_t days = daysFromCivil(year, month);
  constexpr int32_t kWeek = 2, kDay = 4, kMinute = 6;
  if (unit == kWeek)
    return floorDiv(days, 7);
  // Wrapping, as NumPy's cast does not check for overflow either.
  auto value = static_cast<uint64_t>(days);
  for (int32_t code = kDay; code < unit; ++code)
    value *= code == kDay ? 24 : code <= kMinute ? 60 : 1000;
  return static_cast<int64_t>(value);
}
