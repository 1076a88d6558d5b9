// A file the caller has already received into the document folder (a
// streamed upload: web/upload.h IncomingFile), handed to the case service,
// which checks it and decides whether to keep it. Not kept: the caller
// removes it (IncomingFile's destructor does).
#ifndef AMIABLE_SERVICE_RECEIVED_FILE_H_
#define AMIABLE_SERVICE_RECEIVED_FILE_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"

namespace amiable::service {

class ReceivedFile {
 public:
  virtual ~ReceivedFile() = default;
  // Bytes received (those past the caller's cap included: size() can be
  // larger than what was written).
  virtual uint64_t size() const = 0;
  // The first bytes (at least 4 KiB, or all when smaller): for sniffing.
  virtual std::string_view head() const = 0;
  // Lower-case hex SHA-256 of the bytes.
  virtual std::string sha256_hex() const = 0;
  // Makes the file durable under a storage key and returns the key.
  virtual Result<std::string> Keep() = 0;
};

}  // namespace amiable::service

#endif  // AMIABLE_SERVICE_RECEIVED_FILE_H_
