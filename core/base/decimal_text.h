// core/base/decimal_text.h -- a number as the summaries print it:
// decimal_text(2.5, 2) is "2.50".
//
// Thread tags: [thread-safe].
#ifndef TEST_RIG_CORE_BASE_DECIMAL_TEXT_H_
#define TEST_RIG_CORE_BASE_DECIMAL_TEXT_H_

#include <cstdio>
#include <string>

namespace rig {

inline std::string decimal_text(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof(text), "%.*f", decimals, value);
  return text;
}

}  // namespace rig

#endif  // TEST_RIG_CORE_BASE_DECIMAL_TEXT_H_
