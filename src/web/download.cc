#include "web/download.h"

#include <httplib.h>

#include "web/upload.h"

namespace amiable::web {

void SendDownload(httplib::Response& res, std::string_view file_name,
                  std::string_view content_type, std::string bytes) {
  const std::string type =
      content_type.empty() ? std::string("application/octet-stream") : std::string(content_type);
  res.status = 200;
  res.set_header("Content-Disposition", AttachmentDisposition(DownloadName(file_name, type)));
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Content-Security-Policy", "sandbox; default-src 'none'");
  res.set_content(std::move(bytes), type);
}

}  // namespace amiable::web
