// /import: a fund's earlier cases from a spreadsheet (pages_import.h).
#include "web/pages_import.h"

#include <httplib.h>
#include <sodium.h>

#include "core/french_format.h"
#include "core/messages.h"

namespace amiable::web::pages {
namespace {

constexpr uint64_t kMaxImportFileBytes = 20u << 20;

bool MayImport(const Signed& who) {
  return who.user.role == Role::kManager || who.user.role == Role::kAdministrator;
}

std::string ToBase64(std::string_view bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

std::optional<std::string> FromBase64(std::string_view b64) {
  std::string out(b64.size() / 4 * 3 + 3, '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), b64.data(),
                        b64.size(), " \r\n", &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
    return std::nullopt;
  }
  out.resize(len);
  return out;
}

Data FiguresRows(const YearFigures& f) {
  Data d;
  d.set("year", std::to_string(f.year));
  List rows;
  const auto row = [&](std::string label, std::string value) {
    Data r;
    r.set("label", std::move(label));
    r.set("value", std::move(value));
    rows.push_back(r);
  };
  row("Demandes reçues", fr::Count(f.received));
  row("dont hors médiation (irrecevables)",
      fr::Count(f.inadmissible) + " (" + fr::Percent(f.inadmissible, f.received) + ")");
  row("Demandes recevables closes", fr::Count(f.closed));
  row("Délai moyen de prise en charge", fr::Days(f.delays.take_charge_working_days_avg) + " ouvrés");
  row("Prises en charge sous 8 jours ouvrés",
      fr::Percent(f.delays.within_target, f.delays.with_take_charge));
  row("Délai moyen de réponse", fr::Days(f.delays.answer_calendar_days_avg) + " calendaires");
  const CountRatio rev = f.RevisionRatio();
  row("Décisions révisées", fr::Percent(rev.num, rev.den));
  const Nomenclature& kinds = nomenclature::FinancialKind();
  for (const FinancialFigures& k : f.financial) {
    row(std::string(kinds.Label(k.kind)), fr::Count(k.count) + " — " + fr::Euros(k.amount_cents));
  }
  d.set("rows", rows);
  return d;
}

}  // namespace

Data ImportView(const ImportPageInput& in) {
  Data d;
  d.set("title", msg::Format("page.import_title"));
  List funds;
  for (const Organisme& o : in.funds) {
    Data f;
    f.set("code", o.code);
    f.set("label", o.code + " — " + o.name);
    f.set("selected", o.code == in.organisme);
    funds.push_back(f);
  }
  d.set("funds", funds);
  d.set("nothing", in.funds.empty());
  const auto options = [](std::initializer_list<std::pair<const char*, const char*>> opts,
                          const std::string& chosen) {
    List l;
    for (const auto& [value, label] : opts) {
      Data o;
      o.set("value", value);
      o.set("label", label);
      o.set("selected", chosen == value);
      l.push_back(o);
    }
    return l;
  };
  d.set("encodings", options({{"", "Détecté"}, {"utf-8", "UTF-8"},
                              {"windows-1252", "Windows-1252 (Excel)"}},
                             in.encoding));
  d.set("delimiters", options({{"", "Détecté"}, {";", "Point-virgule ;"}, {",", "Virgule ,"}},
                              in.delimiter));
  d.set("encoding", in.encoding);
  d.set("delimiter", in.delimiter);
  d.set("organisme", in.organisme);
  d.set("has_error", !in.error.empty());
  d.set("error", in.error);
  List problems;
  for (size_t i = 0; i < in.problems.size() && i < kShownImportProblems; ++i) {
    Data p;
    p.set("text", ToString(in.problems[i]));
    problems.push_back(p);
  }
  d.set("problems", problems);
  d.set("has_problems", !in.problems.empty());
  d.set("problem_count", fr::Count(static_cast<int64_t>(in.problems.size())));
  d.set("more_problems",
        in.problems.size() > kShownImportProblems
            ? msg::Format("cli.more_problems",
                          {std::to_string(in.problems.size() - kShownImportProblems)})
            : std::string());
  d.set("mapping_problems", in.mapping_problems);
  if (in.checked) {
    Data c;
    c.set("cases", fr::Count(in.checked->counts.cases));
    c.set("generated", fr::Count(in.checked->generated));
    c.set("read_as", msg::Format("cli.csv_read", {CsvEncodingName(in.checked->encoding),
                                                  std::string(1, in.checked->delimiter)}));
    List years;
    for (const YearFigures& f : in.checked->figures) years.push_back(FiguresRows(f));
    c.set("years", years);
    c.set("csv_b64", in.csv_b64);
    c.set("mapping_b64", in.mapping_b64);
    d.set("checked", c);
  }
  if (in.imported) {
    d.set("imported", msg::Format("page.import_done", {fr::Count(in.imported->counts.cases),
                                                       in.organisme}));
  }
  return d;
}

namespace {

ImportPageInput BaseInput(Store& store, const Signed& who) {
  ImportPageInput in;
  if (auto orgs = store.ListOrganismes()) {
    for (const Organisme& o : *orgs) {
      if (who.actor.CanSee(o.code)) in.funds.push_back(o);
    }
  }
  if (!in.funds.empty()) in.organisme = in.funds.front().code;
  return in;
}

void Send(Env& env, httplib::Response& res, const Signed& who, const ImportPageInput& in,
          int status = 200) {
  Data d = ImportView(in);
  SendPage(env, res, "import", d, &who, status);
}

void ImportGet(Env& env, Signed& who, Store& store, const httplib::Request&,
               httplib::Response& res) {
  if (!MayImport(who)) return SendErrorPage(env, res, 403, msg::Find("page.import_role"), &who);
  Send(env, res, who, BaseInput(store, who));
}

// The bytes of a file field, or of its base64 twin sent back by the dry run.
std::optional<std::string> Upload(StreamedForm& form, const Fields& f, const std::string& name) {
  if (StreamedFile* file = form.First(name); file != nullptr && file->file && file->size > 0) {
    auto read = file->file->ReadAll();
    if (read) return std::move(*read);
    return std::nullopt;
  }
  const std::string b64 = Field(f, name + "_b64");
  if (b64.empty()) return std::nullopt;
  return FromBase64(b64);
}

void ImportPost(Env& env, Signed& who, Store& store, const httplib::Request& req,
                httplib::Response& res, StreamedForm& form) {
  if (!MayImport(who)) return SendErrorPage(env, res, 403, msg::Find("page.import_role"), &who);
  const Fields f = StreamedFields(req, form);
  ImportPageInput in = BaseInput(store, who);
  in.organisme = Field(f, "organisme");
  in.encoding = Field(f, "encodage");
  in.delimiter = Field(f, "separateur");
  for (const StreamedFile& file : form.files) {
    if (file.file && file.file->over_limit()) {
      in.error = msg::Format("page.import_too_large", {"20 Mo"});
      return Send(env, res, who, in, 413);
    }
  }
  const std::optional<std::string> csv = Upload(form, f, "fichier");
  const std::optional<std::string> mapping = Upload(form, f, "correspondance");
  if (!csv || !mapping) {
    in.error = msg::Format("page.import_files");
    return Send(env, res, who, in, 400);
  }
  CsvImportOptions options;
  options.organisme = in.organisme;
  options.csv.encoding = CsvEncodingFromName(in.encoding);
  if (in.delimiter == ";" || in.delimiter == ",") options.csv.delimiter = in.delimiter[0];
  options.dry_run = Field(f, "action") != "importer";
  options.as_of = env.ctx->Today();
  auto r = ImportCsv(store, who.actor, *csv, *mapping, options, &in.problems);
  if (!r) {
    if (in.problems.empty()) {
      in.error = ErrorText(r.error());
      return Send(env, res, who, in, ErrorStatus(r.error()));
    }
    in.mapping_problems = r.error().message_id == "csv.mapping_problems";
    in.error = r.error().message;
    return Send(env, res, who, in, 422);
  }
  if (options.dry_run) {
    in.checked = &*r;
    in.csv_b64 = ToBase64(*csv);
    in.mapping_b64 = ToBase64(*mapping);
  } else {
    in.imported = &*r;
  }
  Send(env, res, who, in);
}

}  // namespace

void RegisterImportRoutes(httplib::Server& server, Env& env) {
  server.Get("/import", Guarded(env, Need::kCases, ImportGet));
  StreamLimits limits;
  limits.max_file_bytes = kMaxImportFileBytes;
  limits.max_files = 2;
  // The dry run's page posts both files back in base64 fields.
  limits.max_field_bytes = 3 * kMaxImportFileBytes;
  PostUpload(server, "/import", env, Need::kCases, limits, ImportPost);
}

}  // namespace amiable::web::pages
