// Letter kinds, template sets, the compile check and the rendering with
// kainjow mustache (letters/templates.h).
#include "letters/templates.h"

#include <algorithm>
#include <kainjow/mustache.hpp>
#include <regex>

#include "core/french_format.h"
#include "core/messages.h"
#include "core/nomenclature.h"
#include "core/text.h"

namespace amiable::letters {
namespace {

using Data = kainjow::mustache::data;
using Mustache = kainjow::mustache::mustache;

constexpr KindInfo kKinds[] = {
    {"acknowledgement", "Accusé de réception", true},
    {"admissibility", "Notification de recevabilité", true},
    {"inadmissibility", "Irrecevabilité avec orientation", true},
    {"intermediate", "Notification intermédiaire (dossier en attente)", true},
    {"answer", "Réponse", true},
    {"opening", "Bloc : formule d'appel", false},
    {"closing", "Bloc : formule de politesse", false},
    {"signature", "Bloc : signature", false},
    {"letterhead", "Bloc : en-tête de la Caf (une ligne par ligne d'en-tête)", false},
    {"place", "Bloc : lieu de la date (« Clermont-Ferrand »)", false},
};

constexpr std::string_view kPartials[] = {"opening", "closing", "signature"};

constexpr Variable kVariables[] = {
    {"reference", "Référence du dossier (631-2025-00042)"},
    {"received_on", "Date de réception de la demande (12 mars 2025)"},
    {"today", "Date du jour (2 décembre 2026)"},
    {"deadline", "Date limite de prise en charge : 8 jours ouvrés après la réception"},
    {"fund_name", "Nom de la Caf (Caf du Puy-de-Dôme)"},
    {"fund_code", "Code de la Caf (631)"},
    {"requester_name", "Nom du demandeur (l'émetteur s'il est nommé, sinon l'allocataire)"},
    {"requester_email", "Adresse électronique du demandeur"},
    {"allocataire_number", "Numéro allocataire"},
    {"mediator_name", "Nom du médiateur en charge"},
    {"orientation", "Orientation choisie (libellé de la liste de la Caf)"},
    {"orientation_code", "Code de l'orientation choisie"},
    {"inadmissibility_reason", "Motif d'irrecevabilité"},
    {"waiting_for", "Ce que le dossier attend (commission, conseil départemental…)"},
    {"response", "Texte de la réponse saisi par le médiateur"},
    {"#amounts", "Lignes financières : {{label}} et {{amount}} (128 120,06 €)"},
    {"amounts_total", "Total des lignes financières"},
    {"> opening", "Bloc : formule d'appel"},
    {"> closing", "Bloc : formule de politesse"},
    {"> signature", "Bloc : signature"},
};

constexpr size_t kMaxTemplateBytes = 20000;

// Line and column (1-based) of byte `offset` of `text`, columns counted in
// characters (UTF-8 continuation bytes skipped).
std::pair<int, int> Position(std::string_view text, size_t offset) {
  int line = 1, col = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    const unsigned char ch = static_cast<unsigned char>(text[i]);
    if (ch == '\n') {
      ++line;
      col = 1;
    } else if ((ch & 0xC0) != 0x80) {
      ++col;
    }
  }
  return {line, col};
}

// Trailing spaces of lines removed, runs of blank lines made one, leading
// and trailing blank lines removed.
std::string Tidy(std::string_view text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (true) {
    size_t nl = text.find('\n', start);
    std::string line(text.substr(start, nl == std::string_view::npos ? nl : nl - start));
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) {
      line.pop_back();
    }
    lines.push_back(std::move(line));
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  std::string out;
  bool blank_pending = false;
  for (const std::string& l : lines) {
    if (l.empty()) {
      blank_pending = !out.empty();
      continue;
    }
    if (blank_pending) {
      out += "\n\n";
    } else if (!out.empty()) {
      out += '\n';
    }
    out += l;
    blank_pending = false;
  }
  return out;
}

std::vector<std::string> SplitLines(std::string_view text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t nl = text.find('\n', start);
    std::string line = Trim(text.substr(start, nl == std::string_view::npos ? nl : nl - start));
    if (!line.empty()) out.push_back(std::move(line));
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return out;
}

void SetIf(Data& d, const std::string& key, const std::string& v) {
  // A string is a true section in mustache, even empty: set only when shown.
  if (!v.empty()) d.set(key, v);
}

Data ToMustache(const LetterData& x, const TemplateSet& set) {
  Data d;
  SetIf(d, "reference", x.reference);
  SetIf(d, "received_on", x.received_on);
  SetIf(d, "today", x.today);
  SetIf(d, "deadline", x.deadline);
  SetIf(d, "fund_code", x.fund_code);
  SetIf(d, "fund_name", x.fund_name);
  SetIf(d, "requester_name", x.requester_name);
  SetIf(d, "requester_email", x.requester_email);
  SetIf(d, "allocataire_number", x.allocataire_number);
  SetIf(d, "mediator_name", x.mediator_name);
  SetIf(d, "orientation", x.orientation);
  SetIf(d, "orientation_code", x.orientation_code);
  SetIf(d, "inadmissibility_reason", x.inadmissibility_reason);
  SetIf(d, "waiting_for", x.waiting_for);
  SetIf(d, "response", x.response);
  SetIf(d, "amounts_total", x.amounts_total);
  kainjow::mustache::list amounts;
  for (const AmountLine& a : x.amounts) {
    Data row;
    row.set("label", a.label);
    row.set("amount", a.amount);
    amounts.push_back(row);
  }
  d.set("amounts", amounts);
  for (std::string_view p : kPartials) {
    std::string text = set.Get(p).body;
    d.set(std::string(p), kainjow::mustache::partial([text] { return text; }));
  }
  return d;
}

// Renders `text` as plain text (no escaping).
Result<std::string> RenderText(std::string_view text, Data& data, const std::string& field) {
  if (auto e = CheckTemplate(text, field)) return Fail(*e);
  Mustache m{std::string(text)};
  m.set_custom_escape([](const std::string& s) { return s; });
  std::string out = m.render(data);
  if (!m.is_valid()) {
    return Fail(msg::Invalid("letter.render_failed", field, {m.error_message()}));
  }
  return Tidy(out);
}

}  // namespace

std::span<const KindInfo> Kinds() { return kKinds; }

const KindInfo* FindKind(std::string_view code) {
  for (const KindInfo& k : kKinds) {
    if (k.code == code) return &k;
  }
  return nullptr;
}

std::span<const Variable> Variables() { return kVariables; }

TemplateSet::TemplateSet() {
  for (const KindInfo& k : kKinds) by_code_[std::string(k.code)] = DefaultTemplate(k.code);
}

void TemplateSet::Override(std::string_view code, TemplateText t) {
  auto it = by_code_.find(std::string(code));
  if (it == by_code_.end()) return;
  it->second = std::move(t);
  overridden_[std::string(code)] = true;
}

const TemplateText& TemplateSet::Get(std::string_view code) const {
  static const TemplateText kEmpty;
  auto it = by_code_.find(std::string(code));
  return it == by_code_.end() ? kEmpty : it->second;
}

std::optional<Error> CheckTemplate(std::string_view text, std::string field) {
  if (text.size() > kMaxTemplateBytes) return msg::Invalid("letter.template_too_long", field);
  Mustache m{std::string(text)};
  if (!m.is_valid()) {
    // kainjow's messages: "Unclosed tag at N", "Unclosed section \"x\" at N",
    // "Unopened section \"x\" at N", "Invalid set delimiter tag at N".
    static const std::regex kFault(
        R"(^(Unclosed tag|Unclosed section|Unopened section|Invalid set delimiter tag)(?: \"([^\"]*)\")? at ([0-9]+))");
    std::smatch mm;
    const std::string& em = m.error_message();
    if (std::regex_search(em, mm, kFault)) {
      auto [line, col] = Position(text, std::stoul(mm[3].str()));
      const std::string l = std::to_string(line), c = std::to_string(col), name = mm[2].str();
      const std::string what = mm[1].str();
      if (what == "Unclosed tag")
        return msg::Invalid("letter.template_unclosed_tag", field, {l, c});
      if (what == "Unclosed section") {
        return msg::Invalid("letter.template_unclosed_section", field, {name, l, c});
      }
      if (what == "Unopened section") {
        return msg::Invalid("letter.template_unopened_section", field, {name, l, c});
      }
      return msg::Invalid("letter.template_delimiter", field, {l, c});
    }
    return msg::Invalid("letter.template_invalid", field, {em});
  }
  static const std::regex kPartial(R"(\{\{>\s*([^}\s]*)\s*\}\})");
  std::string s(text);
  for (auto it = std::sregex_iterator(s.begin(), s.end(), kPartial); it != std::sregex_iterator();
       ++it) {
    const std::string name = (*it)[1].str();
    if (std::find(std::begin(kPartials), std::end(kPartials), name) == std::end(kPartials)) {
      return msg::Invalid("letter.template_partial_unknown", field, {name});
    }
  }
  return std::nullopt;
}

LetterData LetterDataFor(const Case& c, const Organisme& fund, const std::vector<Person>& people,
                         std::string mediator, Date today, std::optional<Date> deadline) {
  LetterData d;
  d.reference = c.reference;
  d.received_on = fr::LongDate(c.received_on);
  d.today = fr::LongDate(today);
  if (deadline) d.deadline = fr::LongDate(*deadline);
  d.fund_code = fund.code;
  d.fund_name = fund.name;
  // The requester: who wrote (an emitter person), else the beneficiary.
  const Person* who = nullptr;
  for (const Person& p : people) {
    if (p.role == PersonRole::kEmitter && !p.name.empty() && who == nullptr) who = &p;
  }
  for (const Person& p : people) {
    if (p.role == PersonRole::kBeneficiary && who == nullptr) who = &p;
  }
  if (who != nullptr) {
    d.requester_name = who->name;
    if (who->role == PersonRole::kEmitter && !who->organisation.empty()) {
      d.requester_address.push_back(who->organisation);
    }
    // One line per line; an address typed on one line ("12 rue des Gras,
    // 63000 Clermont-Ferrand") is cut at its commas.
    std::string address = who->address;
    if (address.find('\n') == std::string::npos) {
      for (size_t p; (p = address.find(", ")) != std::string::npos;) address.replace(p, 2, "\n");
    }
    for (std::string& l : SplitLines(address)) d.requester_address.push_back(std::move(l));
    d.requester_email = who->email;
    if (d.requester_email.empty()) {
      for (const Person& p : people) {
        if (!p.email.empty()) {
          d.requester_email = p.email;
          break;
        }
      }
    }
  }
  d.allocataire_number = c.allocataire_number.value_or("");
  d.mediator_name = std::move(mediator);
  d.orientation = c.orientation.value_or("");
  d.orientation_code = c.orientation_code.value_or("");
  if (c.inadmissibility_reason) {
    d.inadmissibility_reason =
        std::string(nomenclature::InadmissibilityReason().Label(*c.inadmissibility_reason));
  }
  if (c.financial && !c.financial->empty()) {
    int64_t total = 0;
    for (const FinancialLine& l : *c.financial) {
      std::string label(nomenclature::FinancialKind().Label(l.kind));
      d.amounts.push_back({label, fr::Euros(l.amount_cents)});
      total += l.amount_cents;
    }
    d.amounts_total = fr::Euros(total);
  }
  return d;
}

Result<Rendered> Render(const TemplateSet& set, std::string_view kind, const LetterData& d,
                        const std::optional<std::string>& edited_subject,
                        const std::optional<std::string>& edited_body) {
  const KindInfo* k = FindKind(kind);
  if (k == nullptr || !k->is_letter) {
    return Fail(msg::Invalid("letter.template_unknown", "kind", {kind}));
  }
  Data data = ToMustache(d, set);
  const TemplateText& t = set.Get(kind);
  Rendered r;
  r.kind = std::string(kind);
  auto subject = RenderText(edited_subject.value_or(t.subject), data, "subject");
  if (!subject) return Fail(subject.error());
  // One line.
  std::string one = *subject;
  std::replace(one.begin(), one.end(), '\n', ' ');
  r.subject = Trim(one);
  auto body = RenderText(edited_body.value_or(t.body), data, "body");
  if (!body) return Fail(body.error());
  r.body_text = *body;
  auto sig = RenderText(set.Get("signature").body, data, "signature");
  if (!sig) return Fail(sig.error());
  r.signature = *sig;
  auto head = RenderText(set.Get("letterhead").body, data, "letterhead");
  if (!head) return Fail(head.error());
  r.letterhead = SplitLines(*head);
  auto place = RenderText(set.Get("place").body, data, "place");
  if (!place) return Fail(place.error());
  r.place = Trim(*place);
  r.today = d.today;
  r.reference = d.reference;
  r.recipient_name = d.requester_name;
  r.recipient_address = d.requester_address;
  return r;
}

std::string Rendered::EmailText() const {
  std::string out = body_text;
  if (!signature.empty()) out += "\n\n" + signature;
  return out + "\n";
}

std::string Rendered::EmailHtml() const {
  std::string out = "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>" +
                    XmlEscape(subject) + "</title></head><body>";
  auto paragraphs = [&](const std::string& text) {
    size_t start = 0;
    while (start < text.size()) {
      size_t end = text.find("\n\n", start);
      std::string p = text.substr(start, end == std::string::npos ? end : end - start);
      std::string html;
      size_t s = 0;
      while (true) {
        size_t nl = p.find('\n', s);
        if (s) html += "<br>";
        html += XmlEscape(p.substr(s, nl == std::string::npos ? nl : nl - s));
        if (nl == std::string::npos) break;
        s = nl + 1;
      }
      out += "<p>" + html + "</p>";
      if (end == std::string::npos) break;
      start = end + 2;
    }
  };
  paragraphs(body_text);
  paragraphs(signature);
  return out + "</body></html>";
}

std::string Rendered::DateLine() const {
  if (place.empty()) return "Le " + today;
  return place + ", le " + today;
}

}  // namespace amiable::letters
