// The storage keys rows refer to (store/document_keys.h).
#include "store/sql_store_internal.h"

namespace amiable::sql {

Result<std::vector<std::string>> SqlStore::ReferencedStorageKeys() {
  try {
    std::vector<std::string> out;
    Query q;
    q << "SELECT storage_key FROM documents UNION SELECT raw_key FROM received_messages "
         "UNION SELECT storage_key FROM received_documents";
    Fetch(q, [&](const soci::row& r) {
      std::string k = GetString(r, 0);
      if (!k.empty()) out.push_back(std::move(k));
      return true;
    });
    return out;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

}  // namespace amiable::sql
