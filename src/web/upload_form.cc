#include <httplib.h>

#include "web/upload_form.h"

namespace amiable::web {

StreamedFile* StreamedForm::First(const std::string& field) {
  for (StreamedFile& f : files) {
    if (f.field == field && f.file) return &f;
  }
  return nullptr;
}

StreamedForm ReadStreamedForm(const httplib::Request& req, const httplib::ContentReader& reader,
                              const DocumentFolder& folder, const StreamLimits& limits,
                              const std::function<bool(const std::multimap<std::string, std::string>&)>&
                                  accept_files) {
  StreamedForm form;
  size_t field_bytes = 0;
  if (!req.is_multipart_form_data()) {
    std::string body;
    form.complete = reader([&](const char* data, size_t n) {
      if (body.size() + n > limits.max_field_bytes) {
        form.fields_too_large = true;
        return true;  // drained, not kept
      }
      body.append(data, n);
      return true;
    });
    if (!form.fields_too_large) {
      httplib::Params params;
      httplib::detail::parse_query_text(body, params);
      for (auto& [k, v] : params) form.fields.emplace(k, v);
    }
    return form;
  }
  // The part being read: a plain field (`field` set, `file` null) or a file.
  std::string name;
  bool is_file = false;
  std::string value;
  std::optional<bool> files_ok;
  size_t written_files = 0;
  auto finish_field = [&] {
    if (!is_file && !name.empty()) form.fields.emplace(name, std::move(value));
    value.clear();
    name.clear();
  };
  form.complete = reader(
      [&](const httplib::MultipartFormData& part) {
        finish_field();
        name = part.name;
        is_file = !part.filename.empty();
        if (!is_file) return true;
        if (!files_ok) files_ok = !accept_files || accept_files(form.fields);
        StreamedFile f;
        f.field = part.name;
        f.filename = part.filename;
        if (!*files_ok) {
          form.files_refused = true;
        } else if (written_files < limits.max_files) {
          auto in = folder.Receive(limits.max_file_bytes);
          if (in) {
            f.file = std::move(*in);
            ++written_files;
          } else {
            form.disk_failed = true;
          }
        }
        form.files.push_back(std::move(f));
        return true;
      },
      [&](const char* data, size_t n) {
        if (is_file) {
          StreamedFile& f = form.files.back();
          f.size += n;
          if (f.file && !f.file->Append(std::string_view(data, n))) form.disk_failed = true;
          return true;
        }
        if (field_bytes + n > limits.max_field_bytes) {
          form.fields_too_large = true;
          return true;
        }
        field_bytes += n;
        value.append(data, n);
        return true;
      });
  finish_field();
  return form;
}

std::unique_ptr<IncomingFile> ReadBodyToFile(const httplib::Request& req,
                                             const httplib::ContentReader& reader,
                                             const DocumentFolder& folder, uint64_t max_bytes,
                                             bool* complete) {
  auto in = folder.Receive(max_bytes);
  if (!in) {
    *complete = false;
    return nullptr;
  }
  IncomingFile& f = **in;
  if (req.is_multipart_form_data()) {
    // A form (curl -F): the first file part is the document.
    int part = 0;
    bool in_file = false;
    *complete = reader(
        [&](const httplib::MultipartFormData& p) {
          in_file = !p.filename.empty() && part++ == 0;
          return true;
        },
        [&](const char* data, size_t n) {
          if (in_file) f.Append(std::string_view(data, n));
          return true;
        });
  } else {
    *complete = reader([&](const char* data, size_t n) {
      f.Append(std::string_view(data, n));
      return true;
    });
  }
  return std::move(*in);
}

void DrainBody(const httplib::Request& req, const httplib::ContentReader& reader) {
  if (req.is_multipart_form_data()) {
    reader([](const httplib::MultipartFormData&) { return true; },
           [](const char*, size_t) { return true; });
  } else {
    reader([](const char*, size_t) { return true; });
  }
}

}  // namespace amiable::web
