// How the web handlers (API and pages) reach the case service: one object per
// request over the leased store, with the server's clock and the document
// folder. Thin: no rule lives here.
#ifndef AMIABLE_WEB_WEB_SERVICE_H_
#define AMIABLE_WEB_WEB_SERVICE_H_

#include <optional>

#include "calendar/clock.h"
#include "service/case_service.h"
#include "web/routes.h"
#include "web/upload.h"

namespace amiable::web {

// The document folder of the server: $AMIABLE_DOCUMENTS_DIR, else
// var/documents. Thread-safe, lives as long as the process.
const DocumentFolder& ServerDocuments();
// The files of ServerDocuments() as the service sees them.
const service::DocumentFiles& ServerFiles();

// DocumentFolder behind the service's DocumentFiles.
class FolderFiles final : public service::DocumentFiles {
 public:
  explicit FolderFiles(const DocumentFolder& folder) : folder_(folder) {}
  std::optional<std::string> Sniff(std::string_view bytes) const override;
  std::string Sha256Hex(std::string_view bytes) const override;
  Result<std::string> Save(std::string_view bytes) const override;
  void Remove(std::string_view key) const override;
  Result<std::string> Read(std::string_view key) const override;

 private:
  const DocumentFolder& folder_;
};

// The case service of one request, on the server's clock (ctx.clock, which
// `serve --today` shifts; the system clock when unset).
class WebService {
 public:
  WebService(const Context& ctx, Store& store);
  service::CaseService* operator->() { return &svc_; }
  service::CaseService& operator*() { return svc_; }
  const Clock& clock() const { return *clock_; }

 private:
  const Clock* clock_;
  service::CaseService svc_;
};

}  // namespace amiable::web

#endif  // AMIABLE_WEB_WEB_SERVICE_H_
