// Role: the storage keys of the document folder that rows refer to, for the
// sweep of orphan files (web/upload.h FindOrphanFiles). Not restricted by
// actor: it is a system task of `serve`, and it returns keys only.
//
// Every table that holds a key of the document folder must be read here
// (documents.storage_key, received_messages.raw_key,
// received_documents.storage_key): a key missing from this list would let
// the sweep delete a live file once it is an hour old.
#ifndef AMIABLE_STORE_DOCUMENT_KEYS_H_
#define AMIABLE_STORE_DOCUMENT_KEYS_H_

#include <string>
#include <vector>

#include "core/error.h"

namespace amiable {

class DocumentKeys {
 public:
  virtual ~DocumentKeys() = default;
  // Every non-empty storage key some row refers to, without duplicates.
  // Default (fakes): kInternal, so that a sweep deletes nothing.
  virtual Result<std::vector<std::string>> ReferencedStorageKeys() {
    return Fail(Error::Internal("storage keys not available"));
  }
};

}  // namespace amiable

#endif  // AMIABLE_STORE_DOCUMENT_KEYS_H_
