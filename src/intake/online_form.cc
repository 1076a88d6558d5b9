#include "intake/online_form.h"

#include <algorithm>
#include <cctype>

#include "core/messages.h"
#include "core/nomenclature.h"
#include "core/text.h"

namespace amiable::intake {
namespace {

// Valid UTF-8 without control characters (except \n \r \t when multiline).
bool CleanText(std::string_view s, bool multiline) {
  if (!Utf8Length(s)) return false;
  for (unsigned char c : s) {
    if (c == 0x7f) return false;
    if (c < 0x20) {
      if (!multiline) return false;
      if (c != '\n' && c != '\r' && c != '\t') return false;
    }
  }
  return true;
}

std::string DigitsOnly(std::string_view s, bool* other) {
  std::string out;
  *other = false;
  for (char ch : s) {
    if (std::isdigit(static_cast<unsigned char>(ch))) {
      out += ch;
    } else if (ch != ' ' && ch != '.' && ch != '-') {
      *other = true;
    }
  }
  return out;
}

bool ValidEmail(std::string_view e) {
  if (e.size() > 254) return false;
  const size_t at = e.find('@');
  if (at == std::string_view::npos || at == 0 || e.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  std::string_view domain = e.substr(at + 1);
  const size_t dot = domain.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 2 > domain.size()) return false;
  for (unsigned char c : e) {
    if (c <= ' ' || c == '<' || c == '>' || c == '"' || c == ',' || c == ';' || c == '\\') {
      return false;
    }
  }
  return true;
}

bool ValidPhone(std::string_view p) {
  std::string_view rest = p;
  bool international = false;
  if (!rest.empty() && rest[0] == '+') {
    international = true;
    rest.remove_prefix(1);
  }
  bool other = false;
  std::string digits = DigitsOnly(rest, &other);
  if (other) return false;
  if (international) return digits.size() >= 8 && digits.size() <= 15;
  return digits.size() == 10 && digits[0] == '0';
}

}  // namespace

std::optional<size_t> Utf8Length(std::string_view s) {
  size_t n = 0;
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    int len;
    uint32_t cp;
    if (c < 0x80) {
      len = 1;
      cp = c;
    } else if ((c & 0xe0) == 0xc0) {
      len = 2;
      cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      len = 3;
      cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return std::nullopt;
    }
    if (i + len > s.size()) return std::nullopt;
    for (int k = 1; k < len; ++k) {
      const unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xc0) != 0x80) return std::nullopt;
      cp = (cp << 6) | (cc & 0x3f);
    }
    // Overlong forms, surrogates and out-of-range code points are invalid.
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      return std::nullopt;
    }
    i += len;
    ++n;
  }
  return n;
}

const FieldError* OnlineFormResult::ErrorOf(std::string_view field) const {
  for (const FieldError& e : errors) {
    if (e.field == field) return &e;
  }
  return nullptr;
}

OnlineFormResult ValidateOnlineForm(const OnlineFormInput& in, std::string_view organisme,
                                    Date today) {
  OnlineFormResult r;
  // A problem of `field`: the catalogue key of its French message.
  auto fail = [&r](std::string field, std::string_view key,
                   std::initializer_list<std::string_view> args = {}) {
    if (!r.ErrorOf(field)) {
      r.errors.push_back({std::move(field), msg::Format(key, args), std::string(key)});
    }
  };
  r.spam = !in.honeypot.empty();

  // Single-line fields: valid text first, so that later checks see clean input.
  struct Line {
    const char* field;
    const std::string* value;
    size_t max;
  };
  const Line lines[] = {
      {"emitter", &in.emitter, 40},
      {"requester_name", &in.requester_name, 100},
      {"requester_organisation", &in.requester_organisation, 200},
      {"allocataire_number", &in.allocataire_number, 40},
      {"last_name", &in.last_name, 100},
      {"first_name", &in.first_name, 100},
      {"email", &in.email, 254},
      {"phone", &in.phone, 30},
      {"prior_complaint", &in.prior_complaint, 10},
      {"prior_complaint_on", &in.prior_complaint_on, 20},
      {"prior_complaint_reference", &in.prior_complaint_reference, 100},
  };
  for (const Line& l : lines) {
    if (!CleanText(*l.value, false)) {
      fail(l.field, "form.characters");
    } else if (Utf8Length(*l.value).value_or(0) > l.max) {
      fail(l.field, "form.too_long", {std::to_string(l.max)});
    }
  }

  const std::string emitter = Trim(in.emitter);
  if (emitter.empty()) {
    fail("emitter", "form.emitter_required");
  } else if (!nomenclature::Emitter().Contains(emitter) || emitter == "service_interne") {
    fail("emitter", "form.emitter_choice");
  }
  const bool is_beneficiary = emitter == "allocataire";
  const std::string requester = Trim(in.requester_name);
  if (!r.ErrorOf("emitter") && !is_beneficiary && requester.empty()) {
    fail("requester_name", "form.requester_name");
  }

  bool other = false;
  const std::string number = DigitsOnly(in.allocataire_number, &other);
  if (Trim(in.allocataire_number).empty()) {
    fail("allocataire_number", "form.allocataire_required");
  } else if (other || number.size() != 7) {
    fail("allocataire_number", "form.allocataire_digits");
  }
  const std::string last = Trim(in.last_name), first = Trim(in.first_name);
  if (last.empty()) fail("last_name", "form.last_name");
  if (first.empty()) fail("first_name", "form.first_name");

  const std::string email = Trim(in.email), phone = Trim(in.phone);
  if (email.empty() && phone.empty()) {
    fail("email", "form.contact_required");
  }
  if (!email.empty() && !ValidEmail(email)) {
    fail("email", "form.email");
  }
  if (!phone.empty() && !ValidPhone(phone)) {
    fail("phone", "form.phone");
  }

  const std::string prior = Trim(in.prior_complaint);
  std::optional<Date> prior_on;
  if (prior != "oui" && prior != "non") {
    fail("prior_complaint", "form.prior_required");
  } else if (prior == "oui") {
    const std::string on = Trim(in.prior_complaint_on);
    if (on.empty()) {
      fail("prior_complaint_on", "form.prior_date_required");
    } else {
      prior_on = Date::ParseTyped(on);  // ISO, or DD/MM/YYYY where no date picker exists
      if (!prior_on) {
        fail("prior_complaint_on", "form.prior_date");
      } else if (*prior_on > today) {
        fail("prior_complaint_on", "form.prior_date_future");
        prior_on.reset();
      }
    }
  }

  std::vector<std::string> benefits;
  for (const std::string& b : in.benefits) {
    if (!nomenclature::Benefit().Contains(b)) {
      fail("benefits", "form.benefits");
    } else if (std::find(benefits.begin(), benefits.end(), b) == benefits.end()) {
      benefits.push_back(b);
    }
  }

  std::string description = Trim(in.description);
  // Browsers send CRLF line ends: keep LF only.
  description.erase(std::remove(description.begin(), description.end(), '\r'), description.end());
  const auto len = Utf8Length(description);
  if (!CleanText(description, true)) {
    fail("description", "form.description_characters");
  } else if (description.empty()) {
    fail("description", "form.description_required");
  } else if (*len < kMinDescriptionChars) {
    fail("description", "form.description_short", {std::to_string(*len)});
  } else if (*len > kMaxDescriptionChars) {
    fail("description", "form.description_long", {std::to_string(*len)});
  }

  if (!in.consent) {
    fail("consent", "form.consent");
  }
  if (!r.errors.empty() || r.spam) return r;

  Case& c = r.c;
  c.organisme = std::string(organisme);
  c.received_on = today;
  c.channel = "teleprocedure";
  c.emitter = emitter;
  c.allocataire_number = number;
  c.prior_step = prior == "oui" ? "reclamation" : "aucune";
  c.prior_step_on = prior_on;
  if (!benefits.empty()) c.benefits = benefits;
  c.state = CaseState::kReceived;
  c.description = description;
  const std::string ref = Trim(in.prior_complaint_reference);
  if (prior == "oui" && !ref.empty()) {
    c.description += "\n\nRéférence de la réclamation : " + ref;
  }

  Person beneficiary;
  beneficiary.role = PersonRole::kBeneficiary;
  beneficiary.name = first + " " + last;
  if (is_beneficiary) {
    beneficiary.email = email;
    beneficiary.phone = phone;
  }
  r.people.push_back(beneficiary);
  if (!is_beneficiary) {
    Person p;
    p.role = PersonRole::kEmitter;
    p.name = requester;
    p.organisation = Trim(in.requester_organisation);
    p.email = email;
    p.phone = phone;
    r.people.push_back(p);
  }
  r.acknowledgement_email = email;
  return r;
}

}  // namespace amiable::intake
