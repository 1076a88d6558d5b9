// Files sent with requests (online form attachments, scans, documents added
// by mediators): what they are, judged by their content, and where they live.
//
// - SniffContentType recognises PDF, JPEG and PNG by their magic bytes (the
//   name and the declared type are ignored); anything else is refused.
// - DocumentFolder keeps the files in one folder outside anything served,
//   under random 32-hex-digit names: a stored name never comes from input,
//   and Read accepts only names of that shape (no path traversal).
// - Save is durable before it returns: the bytes go to a temporary file,
//   which is fsynced, renamed into place, and the folder fsynced. Callers
//   write the database row only after Save returned (a crash then leaves at
//   worst an orphan file, never a row without its file). Inside a
//   service::FileSyncBatch (service/file_sync_batch.h) the syncs are left to
//   the batch's Flush, which its owner calls before the commit.
//
// Thread safety: every function is thread-safe; DocumentFolder is immutable
// after construction.
#ifndef AMIABLE_WEB_UPLOAD_H_
#define AMIABLE_WEB_UPLOAD_H_

#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"

namespace amiable::web {

// "application/pdf", "image/jpeg", "image/png", or nullopt.
std::optional<std::string> SniffContentType(std::string_view bytes);

// The extension of a sniffed type ("pdf", "jpg", "png", "docx", "eml"...:
// the table of mail::SniffType, mail/parse.h ExtensionOfType), "bin" when
// unknown.
std::string_view ExtensionOf(std::string_view content_type);

// The name a document is downloaded under: SafeFileName(file_name), with
// ".<ExtensionOf(content_type)>" appended unless it already ends with an
// extension of that type ("scan" application/pdf -> "scan.pdf";
// "photo.jpeg" image/jpeg stays; "facture.pdf" sniffed image/png ->
// "facture.pdf.png").
std::string DownloadName(std::string_view file_name, std::string_view content_type);

// The Content-Disposition of a download: always attachment, never inline;
// an ASCII fallback filename="..." (other bytes as '_') and the UTF-8 name
// as filename*=UTF-8''... (RFC 6266, RFC 5987).
std::string AttachmentDisposition(std::string_view name);

// Lower-case hex SHA-256 of the bytes.
std::string Sha256Hex(std::string_view bytes);

// A file name fit for display and for Content-Disposition: the last path
// component, control characters, quotes and separators removed, at most 120
// bytes (cut on a UTF-8 boundary), "document" when nothing is left.
std::string SafeFileName(std::string_view name);

class DocumentFolder {
 public:
  // `dir` is created (with its parents) on first Save when missing.
  explicit DocumentFolder(std::string dir) : dir_(std::move(dir)) {}
  const std::string& dir() const { return dir_; }

  // Stores the bytes durably; returns the storage key. kInternal (message
  // names the system error) when the disk refuses.
  Result<std::string> Save(std::string_view bytes) const;
  // The bytes of a stored file. kNotFound when the key is malformed or absent.
  Result<std::string> Read(std::string_view key) const;
  // Removes a file (cleaning up after a failed transaction); best effort.
  void Remove(std::string_view key) const;

  static bool ValidKey(std::string_view key);

 private:
  std::string dir_;
};

}  // namespace amiable::web

#endif  // AMIABLE_WEB_UPLOAD_H_
