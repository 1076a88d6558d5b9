// Coverage-guided fuzz target of the MIME entry point (scripts/fuzz-mime;
// built only with -DAMIABLE_FUZZ=ON). The same function serves libFuzzer
// and AFL++ (through libAFLDriver.a).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "mail/parse.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  auto m = amiable::mail::ParseMessage(raw);
  if (m) {
    for (const auto& a : m->attachments) {
      if (a.name.empty() || a.extension.empty()) __builtin_trap();
    }
  }
  amiable::mail::SniffType(raw, "application/octet-stream", "x.bin");
  amiable::mail::HtmlToText(raw);
  return 0;
}
