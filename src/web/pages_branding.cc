// The fund's logo and colour for its annual report (issue 10):
//   GET  /marque?organisme=          the form: the logo now, the colour, an upload
//   POST /marque                     (multipart: csrf, organisme, couleur,
//        couleur_defaut=oui, logo file, retirer_logo=oui) stores them with
//        ReportDataStore::PutBranding; redirects with a flash
//   GET  /marque/logo?organisme=     the stored logo (the report page's <img>)
//
// Who: managers and administrators of the fund (the page's rule; the store
// checks again that the actor writes that fund's report and validates the
// logo's type and size and the colour). The logo must be a PNG: the PDF
// writer draws PNG only (report::LogoTypeDrawable; JPEG would need
// gdk-pixbuf, not installed), so a JPEG is refused here with a message that
// says so, rather than stored and silently left out of the PDF.
#include <httplib.h>

#include <algorithm>

#include "report/writers.h"
#include "store/report_data.h"
#include "web/pages_internal.h"

namespace amiable::web::pages {
namespace {

constexpr const char* kUrl = "/marque";

bool MayBrand(const Signed& who) {
  return who.user.role == Role::kManager || who.user.role == Role::kAdministrator;
}

std::string Encode(const std::string& s) { return httplib::detail::encode_query_param(s); }

// The funds the user sees, and the one asked for (the first by default);
// nullopt when `wanted` is not one of them.
struct FundChoice {
  std::vector<Organisme> visible;
  std::string code;
};

Result<std::optional<FundChoice>> ChooseFund(Store& store, const Signed& who,
                                             const std::string& wanted) {
  auto orgs = store.ListOrganismes();
  if (!orgs) return Fail(orgs.error());
  FundChoice c;
  for (const Organisme& o : *orgs) {
    if (who.actor.CanSee(o.code)) c.visible.push_back(o);
  }
  if (wanted.empty()) {
    if (!c.visible.empty()) c.code = c.visible[0].code;
    return std::optional<FundChoice>(std::move(c));
  }
  if (std::none_of(c.visible.begin(), c.visible.end(),
                   [&](const Organisme& o) { return o.code == wanted; })) {
    return std::optional<FundChoice>();
  }
  c.code = wanted;
  return std::optional<FundChoice>(std::move(c));
}

// `error`/`field`: a refused post shown again (status 400...).
void SendForm(Env& env, Signed& who, Store& store, const httplib::Request& req,
              httplib::Response& res, const std::string& wanted, const std::string& error,
              const std::string& field, int status) {
  if (!MayBrand(who)) return SendErrorPage(env, res, 403, msg::Find("branding.role"), &who);
  ReportDataStore* rd = ReportDataOf(store);
  auto choice = ChooseFund(store, who, wanted);
  if (!choice || rd == nullptr) {
    LogError("branding page",
             choice ? Error::Internal("no report data store") : choice.error());
    return SendErrorPage(env, res, 500, msg::Find("report.read_failed"), &who);
  }
  if (!*choice) return SendErrorPage(env, res, 404, msg::Find("report.organisme_unknown"), &who);
  Data d;
  d.set("title", "Logo et couleur du rapport");
  d.set("funds", FundOptions((*choice)->visible, (*choice)->code));
  d.set("organisme", (*choice)->code);
  d.set("nothing", (*choice)->code.empty());
  if (error.empty()) {
    SetFlash(req, d);
  } else {
    d.set("flash_error", error);
    Data err;
    err.set(field, error);
    d.set("err", err);
  }
  std::string colour;
  if (!(*choice)->code.empty()) {
    auto b = rd->GetBranding((*choice)->code);
    if (!b) {
      LogError("branding page: cannot read the branding", b.error());
      return SendErrorPage(env, res, 500, msg::Find("report.read_failed"), &who);
    }
    if (*b) {
      colour = (*b)->colour;
      if (!(*b)->logo.empty()) {
        // The timestamp makes a new logo a new URL (no stale cached image).
        d.set("logo_url", std::string(kUrl) + "/logo?organisme=" + Encode((*b)->organisme) +
                              "&v=" + Encode((*b)->updated_at));
        d.set("logo_size", std::to_string(((*b)->logo.size() + 1023) / 1024));
      }
      d.set("updated_by", (*b)->updated_by);
      d.set("updated_at", DateTimeFr((*b)->updated_at));
    }
  }
  d.set("has_colour", !colour.empty());
  d.set("colour", colour.empty() ? "#1f4e7d" : colour);
  d.set("max_kib", std::to_string(kMaxLogoBytes / 1024));
  d.set("report_query", "organisme=" + Encode((*choice)->code));
  SendPage(env, res, "marque", d, &who, status);
}

void BrandingPage(Env& env, Signed& who, Store& store, const httplib::Request& req,
                  httplib::Response& res) {
  SendForm(env, who, store, req, res, Field(FormFields(req), "organisme"), "", "", 200);
}

void BrandingPost(Env& env, Signed& who, Store& store, const httplib::Request& req,
                  httplib::Response& res, StreamedForm& form) {
  if (!MayBrand(who)) return SendErrorPage(env, res, 403, msg::Find("branding.role"), &who);
  const Fields f = StreamedFields(req, form);
  const std::string code = Field(f, "organisme");
  auto refuse = [&](const std::string& text, const std::string& field, int status) {
    SendForm(env, who, store, req, res, code, text, field, status);
  };
  if (code.empty()) return refuse(msg::Find("branding.fund_required"), "organisme", 400);
  ReportDataStore* rd = ReportDataOf(store);
  if (rd == nullptr) {
    LogError("branding post", Error::Internal("no report data store"));
    return SendErrorPage(env, res, 500, msg::Find("report.read_failed"), &who);
  }
  auto current = rd->GetBranding(code);
  if (!current) {
    LogError("branding post: cannot read the branding", current.error());
    return SendErrorPage(env, res, 500, msg::Find("report.read_failed"), &who);
  }
  FundBranding b;
  b.organisme = code;
  if (*current) {
    b.logo = (*current)->logo;
    b.logo_type = (*current)->logo_type;
  }
  // The colour: the picked one, or the product's.
  if (Field(f, "couleur_defaut") != "oui") {
    std::string colour = Field(f, "couleur");
    std::transform(colour.begin(), colour.end(), colour.begin(), ::toupper);
    b.colour = colour;
  }
  if (Field(f, "retirer_logo") == "oui") {
    b.logo.clear();
    b.logo_type.clear();
  }
  StreamedFile* file = form.First("logo");
  if (file != nullptr && file->size > 0) {
    if (file->file == nullptr || file->file->over_limit()) {
      return refuse(msg::Format("branding.logo_too_large", {std::to_string(kMaxLogoBytes / 1024)}),
                    "logo", 413);
    }
    const std::optional<std::string> type = SniffContentType(file->file->head());
    if (!type || !report::LogoTypeDrawable(*type)) {
      return refuse(msg::Find("branding.logo_png_only"), "logo", 400);
    }
    auto bytes = file->file->ReadAll();
    if (!bytes) {
      LogError("branding post: cannot read the uploaded logo", bytes.error());
      return SendErrorPage(env, res, 500, msg::Find("page.upload_failed"), &who);
    }
    b.logo = std::move(*bytes);
    b.logo_type = *type;
  }
  if (auto s = rd->PutBranding(who.actor, b); !s) {
    const Error& e = s.error();
    if (e.code == Error::Code::kInvalid) {
      if (e.field == "colour") {
        return refuse(msg::Format("branding.colour_invalid", {b.colour}), "couleur", 400);
      }
      return refuse(ErrorText(e), e.field == "logo" ? "logo" : "organisme", 400);
    }
    if (e.code == Error::Code::kForbidden || e.code == Error::Code::kNotFound) {
      return refuse(ErrorText(e), "organisme", ErrorStatus(e));
    }
    LogError("branding post: cannot store the branding", e);
    return SendErrorPage(env, res, 500, msg::Find("report.read_failed"), &who);
  }
  Redirect(res, WithFlash(std::string(kUrl) + "?organisme=" + Encode(code), true, "branding.saved"));
}

// The logo of a fund the user sees (any role that sees the report).
void LogoImage(Env& env, Signed& who, Store& store, const httplib::Request& req,
               httplib::Response& res) {
  const std::string code = Field(FormFields(req), "organisme");
  ReportDataStore* rd = ReportDataOf(store);
  if (code.empty() || !who.actor.CanSee(code) || rd == nullptr) {
    return SendErrorPage(env, res, 404, msg::Find("report.organisme_unknown"), &who);
  }
  auto b = rd->GetBranding(code);
  if (!b) {
    LogError("branding logo", b.error());
    return SendErrorPage(env, res, 500, msg::Find("report.read_failed"), &who);
  }
  if (!*b || (*b)->logo.empty()) {
    return SendErrorPage(env, res, 404, msg::Find("error.not_found"), &who);
  }
  res.set_header("Cache-Control", "private, max-age=300");
  res.set_content((*b)->logo, (*b)->logo_type);
}

}  // namespace

void RegisterBrandingRoutes(httplib::Server& server, Env& env) {
  server.Get(kUrl, Guarded(env, Need::kAny, BrandingPage));
  StreamLimits limits;
  limits.max_file_bytes = kMaxLogoBytes;
  limits.max_files = 1;
  limits.max_field_bytes = 16 * 1024;
  PostUpload(server, kUrl, env, Need::kAny, limits, BrandingPost);
  server.Get(std::string(kUrl) + "/logo", Guarded(env, Need::kAny, LogoImage));
}

}  // namespace amiable::web::pages
