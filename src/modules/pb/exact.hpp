// Exact arithmetic shared by the rules (internal to the pb module): big integers from
// Boost.Multiprecision (header-only) and the few conversions the rules need.
#pragma once
#include <boost/multiprecision/cpp_int.hpp>
#include <cmath>
#include <cstdint>
#include <string>

namespace cp::pb::detail {

using Int = boost::multiprecision::cpp_int;

inline Int from_i128(__int128 v) {
  bool neg = v < 0;
  unsigned __int128 u = neg ? static_cast<unsigned __int128>(-(v + 1)) + 1 : static_cast<unsigned __int128>(v);
  Int r = static_cast<std::uint64_t>(u >> 64);
  r <<= 64;
  r += static_cast<std::uint64_t>(u);
  return neg ? Int(-r) : r;
}

// num/den as a double, den > 0, within one unit in the last place: the quotient is taken with 62
// to 64 significant bits, so the only error is the final rounding to 53 bits plus less than one
// unit of the 64th bit.
inline double ratio_to_double(const Int& num, const Int& den) {
  if (num == 0) return 0.0;
  bool neg = num < 0;
  Int a = neg ? Int(-num) : num;
  long nb = static_cast<long>(boost::multiprecision::msb(a)), db = static_cast<long>(boost::multiprecision::msb(den));
  long shift = 63 + db - nb;
  Int q = shift >= 0 ? Int((a << shift) / den) : Int(a / (den << -shift));
  double r = std::ldexp(static_cast<double>(q.convert_to<std::uint64_t>()), static_cast<int>(-shift));
  return neg ? -r : r;
}

// num/den units of 1/scale as a decimal with at most `places` places, rounded half up, trailing
// zeros dropped ("12.5", "3", "0.33").
inline std::string ratio_to_decimal(const Int& num, const Int& den, std::int64_t scale, int places) {
  Int p10 = 1;
  for (int i = 0; i < places; ++i) p10 *= 10;
  bool neg = num < 0;
  Int a = neg ? Int(-num) : num;
  Int d = den * scale;
  Int r = (a * p10 * 2 + d) / (d * 2);
  Int whole = r / p10, frac = r % p10;
  std::string s;
  if (neg && r != 0) s += '-';
  s += whole.str();
  if (frac != 0) {
    std::string f = frac.str();
    f.insert(0, static_cast<std::size_t>(places) - f.size(), '0');
    while (f.back() == '0') f.pop_back();
    s += "." + f;
  }
  return s;
}

}  // namespace cp::pb::detail
