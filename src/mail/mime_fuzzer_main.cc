// main() for the fuzz target when libAFLDriver.a cannot be used (AFL++'s
// classic GCC mode has no persistent-mode runtime): one input from the file
// named on the command line, or from stdin, per process; AFL++'s fork server
// keeps that cheap.
#include <gmime/gmime.h>

#include <cstdint>
#include <cstdio>
#include <iterator>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

// GMime's initialisation before the fork server starts (at the first
// instrumented code): a pointer to the library function itself in an early
// .init_array slot, so that no instrumented constructor runs first. The
// reader's own g_mime_init() then only counts a reference.
__attribute__((section(".init_array.00101"), used)) static void (*const kInitGMime)() = g_mime_init;

int main(int argc, char** argv) {
  FILE* in = argc > 1 ? std::fopen(argv[1], "rb") : stdin;
  if (!in) return 2;
  std::string data;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, in)) > 0) data.append(buf, n);
  if (in != stdin) std::fclose(in);
  LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(data.data()), data.size());
  return 0;
}
