// Serving a stored file (a case document, a received message): always as an
// attachment, never inline, so that a file a sender chose cannot run in the
// workspace's origin. Used by the page and API download routes.
#ifndef AMIABLE_WEB_DOWNLOAD_H_
#define AMIABLE_WEB_DOWNLOAD_H_

#include <string>
#include <string_view>

namespace httplib {
struct Response;
}

namespace amiable::web {

// Sets `res` (200) to `bytes` of `content_type` (application/octet-stream
// when empty) with Content-Disposition attachment under
// DownloadName(file_name, content_type) (web/upload.h: the name with the
// extension of the sniffed type), X-Content-Type-Options nosniff and a
// sandboxing Content-Security-Policy.
void SendDownload(httplib::Response& res, std::string_view file_name,
                  std::string_view content_type, std::string bytes);

}  // namespace amiable::web

#endif  // AMIABLE_WEB_DOWNLOAD_H_
