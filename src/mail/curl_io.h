// The libcurl callbacks the SMTP and IMAP clients share (not a public
// contract): reading an upload from memory, appending a download to a
// string.
#ifndef AMIABLE_MAIL_CURL_IO_H_
#define AMIABLE_MAIL_CURL_IO_H_

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>

namespace amiable::mail::curl_io {

// CURLOPT_READDATA of CURLOPT_READFUNCTION ReadChunk.
struct Upload {
  std::string_view data;
  size_t pos = 0;
};

inline size_t ReadChunk(char* buf, size_t size, size_t n, void* userp) {
  auto* u = static_cast<Upload*>(userp);
  const size_t len = std::min(size * n, u->data.size() - u->pos);
  std::memcpy(buf, u->data.data() + u->pos, len);
  u->pos += len;
  return len;
}

// CURLOPT_WRITEDATA (a std::string*) of CURLOPT_WRITEFUNCTION WriteChunk.
inline size_t WriteChunk(char* data, size_t size, size_t n, void* userp) {
  static_cast<std::string*>(userp)->append(data, size * n);
  return size * n;
}

}  // namespace amiable::mail::curl_io

#endif  // AMIABLE_MAIL_CURL_IO_H_
