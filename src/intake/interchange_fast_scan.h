// A fast scanner for the JSON of interchange lines, used by ParseInto
// (interchange_scan.cc).
//
// NOT A PUBLIC CONTRACT: internal to src/intake/interchange*.cc; may change
// without notice. The public interface is intake/interchange.h.
#ifndef AMIABLE_INTAKE_INTERCHANGE_FAST_SCAN_H_
#define AMIABLE_INTAKE_INTERCHANGE_FAST_SCAN_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace amiable::interchange_internal {

// A scanner for the JSON that interchange files are made of (no escapes in
// strings, integers of at most 18 digits, nesting up to 32), delivering the
// same SAX events as nlohmann's parser, several times faster. It accepts only
// valid JSON; on anything else, valid or not, it returns false and the line
// is read again by nlohmann's parser, which also words the syntax errors.
// Requires valid UTF-8.
template <typename Handler>
bool FastScan(std::string_view s, Handler* h, std::string* scratch) {
  const char* p = s.data();
  const char* const end = p + s.size();
  char stack[32];
  int depth = 0;
  auto skip_ws = [&] {
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) ++p;
  };
  // Reads a string at p (which is '"') into *scratch.
  auto read_string = [&]() -> bool {
    const char* q = ++p;
    while (q < end) {
      const unsigned char c = static_cast<unsigned char>(*q);
      if (c == '"') break;
      if (c == '\\' || c < 0x20) return false;
      ++q;
    }
    if (q == end) return false;
    scratch->assign(p, q);
    p = q + 1;
    return true;
  };
  enum class Next { kValue, kKey, kAfterValue };
  Next next = Next::kValue;
  for (;;) {
    switch (next) {
      case Next::kValue: {
        skip_ws();
        if (p == end) return false;
        const char c = *p;
        if (c == '{' || c == '[') {
          if (depth == static_cast<int>(sizeof stack)) return false;
          ++p;
          skip_ws();
          if (c == '{') {
            h->start_object(static_cast<std::size_t>(-1));
            if (p < end && *p == '}') {
              ++p;
              h->end_object();
              next = Next::kAfterValue;
            } else {
              stack[depth++] = c;
              next = Next::kKey;
            }
          } else {
            h->start_array(static_cast<std::size_t>(-1));
            if (p < end && *p == ']') {
              ++p;
              h->end_array();
              next = Next::kAfterValue;
            } else {
              stack[depth++] = c;
              next = Next::kValue;
            }
          }
          break;
        }
        if (c == '"') {
          if (!read_string()) return false;
          h->string(*scratch);
        } else if (c == 't' || c == 'f' || c == 'n') {
          const std::string_view rest(p, static_cast<size_t>(end - p));
          if (rest.starts_with("true")) {
            h->boolean(true);
            p += 4;
          } else if (rest.starts_with("false")) {
            h->boolean(false);
            p += 5;
          } else if (rest.starts_with("null")) {
            h->null();
            p += 4;
          } else {
            return false;
          }
        } else if (c == '-' || (c >= '0' && c <= '9')) {
          const bool negative = c == '-';
          if (negative) ++p;
          const char* digits = p;
          if (p < end && *p == '0') {
            ++p;
          } else if (p < end && *p >= '1' && *p <= '9') {
            while (p < end && *p >= '0' && *p <= '9') ++p;
          } else {
            return false;
          }
          if (p < end && (*p == '.' || *p == 'e' || *p == 'E')) return false;
          if (p - digits > 18) return false;
          int64_t v = 0;
          for (const char* d = digits; d < p; ++d) v = v * 10 + (*d - '0');
          if (negative) {
            h->number_integer(-v);
          } else {
            h->number_unsigned(static_cast<uint64_t>(v));
          }
        } else {
          return false;
        }
        next = Next::kAfterValue;
        break;
      }
      case Next::kKey:
        skip_ws();
        if (p == end || *p != '"' || !read_string()) return false;
        h->key(*scratch);
        skip_ws();
        if (p == end || *p != ':') return false;
        ++p;
        next = Next::kValue;
        break;
      case Next::kAfterValue:
        skip_ws();
        if (depth == 0) return p == end;
        if (p == end) return false;
        if (*p == ',') {
          ++p;
          next = stack[depth - 1] == '{' ? Next::kKey : Next::kValue;
        } else if (*p == '}' && stack[depth - 1] == '{') {
          ++p;
          --depth;
          h->end_object();
        } else if (*p == ']' && stack[depth - 1] == '[') {
          ++p;
          --depth;
          h->end_array();
        } else {
          return false;
        }
        break;
    }
  }
}

}  // namespace amiable::interchange_internal

#endif  // AMIABLE_INTAKE_INTERCHANGE_FAST_SCAN_H_
