#include "web/web_service.h"

#include <cstdlib>

#include "web/server.h"

namespace amiable::web {
namespace {

const Clock* ClockFor(const Context& ctx) {
  return ctx.clock != nullptr ? ctx.clock : &SystemClock();
}

}  // namespace

const DocumentFolder& ServerDocuments() {
  static const DocumentFolder kFolder = [] {
    const char* d = std::getenv("AMIABLE_DOCUMENTS_DIR");
    return DocumentFolder(d != nullptr && *d != '\0' ? d : "var/documents");
  }();
  return kFolder;
}

std::optional<std::string> FolderFiles::Sniff(std::string_view bytes) const {
  return SniffContentType(bytes);
}
std::string FolderFiles::Sha256Hex(std::string_view bytes) const {
  return web::Sha256Hex(bytes);
}
Result<std::string> FolderFiles::Save(std::string_view bytes) const { return folder_.Save(bytes); }
void FolderFiles::Remove(std::string_view key) const { folder_.Remove(key); }
Result<std::string> FolderFiles::Read(std::string_view key) const { return folder_.Read(key); }

const service::DocumentFiles& ServerFiles() {
  static const FolderFiles kFiles(ServerDocuments());
  return kFiles;
}

WebService::WebService(const Context& ctx, Store& store)
    : clock_(ClockFor(ctx)), svc_(store, *clock_, &ServerFiles()) {}

}  // namespace amiable::web
