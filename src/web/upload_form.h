// A request body read as it arrives, for the routes that accept files (the
// public form, a case's documents, the registration page and its .eml, the
// API's documents): httplib's content-reader handlers hand the body over in
// chunks; file parts go straight into IncomingFiles of the document folder
// (web/upload.h), plain fields into memory under a cap. So a 60 MiB upload
// costs the server a few buffers, not 60 MiB (32 such uploads at once grew
// it by 1.7 GB when bodies were read whole).
//
// This header does not include httplib.h (the .cc files that call these
// functions do).
#ifndef AMIABLE_WEB_UPLOAD_FORM_H_
#define AMIABLE_WEB_UPLOAD_FORM_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "web/upload.h"

namespace httplib {
class ContentReader;
struct Request;
}  // namespace httplib

namespace amiable::web {

struct StreamLimits {
  uint64_t max_file_bytes = 10u << 20;  // written per file; more is counted, not written
  size_t max_files = 5;                 // files written; more are counted, not written
  size_t max_field_bytes = 1u << 20;    // all plain fields together
};

struct StreamedFile {
  std::string field;     // the form field ("attachments", "file"...)
  std::string filename;  // as sent (not yet SafeFileName'd)
  // Null when not written: over max_files, or files refused (accept_files).
  std::unique_ptr<IncomingFile> file;
  uint64_t size = 0;  // bytes received
};

struct StreamedForm {
  std::multimap<std::string, std::string> fields;  // plain fields
  std::vector<StreamedFile> files;                 // with a file name, in order
  bool complete = false;         // the whole body was read and well formed
  bool fields_too_large = false;  // plain fields over max_field_bytes (cut)
  bool files_refused = false;     // accept_files said no: nothing written
  bool disk_failed = false;       // a file could not be written
  // The first file of `field` that was written (maybe empty), else null.
  StreamedFile* First(const std::string& field);
};

// Reads the body of `req` through `reader`: a multipart/form-data body part
// by part, or any other body as urlencoded fields (capped at
// max_field_bytes). `accept_files` (may be empty: yes) is asked once, with
// the plain fields read so far, when the first file part starts (the forms
// put their token fields first): false drains every file unwritten.
// Files not kept by the caller are removed when the form goes.
StreamedForm ReadStreamedForm(const httplib::Request& req, const httplib::ContentReader& reader,
                              const DocumentFolder& folder, const StreamLimits& limits,
                              const std::function<bool(const std::multimap<std::string, std::string>&)>&
                                  accept_files = {});

// A raw body (the API's document upload) into one IncomingFile of `folder`
// (of a multipart/form-data body, its first file part): null on a disk
// error before anything was read; `complete` false when the body could not
// be read entirely.
std::unique_ptr<IncomingFile> ReadBodyToFile(const httplib::Request& req,
                                             const httplib::ContentReader& reader,
                                             const DocumentFolder& folder, uint64_t max_bytes,
                                             bool* complete);

// Reads and drops the body (a refused request: the client may keep
// sending, and the connection stays usable).
void DrainBody(const httplib::Request& req, const httplib::ContentReader& reader);

}  // namespace amiable::web

#endif  // AMIABLE_WEB_UPLOAD_FORM_H_
