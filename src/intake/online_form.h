// The public online request form (/demande): what a beneficiary, a relative
// or a partner types, checked field by field with French messages, turned
// into a case (channel teleprocedure, state received) and its people.
// Pure: no HTTP, no store; the page handler (web/pages_public.cc) reads the
// body into OnlineFormInput, calls ValidateOnlineForm, and on success stores
// the case with its files (Store::SubmitCase). Thread-safe (reentrant).
//
// Rules (each violation is one FieldError on that field, all reported at once):
// - emitter: a code of nomenclature::Emitter() other than service_interne.
// - requester_name: required unless the emitter is the beneficiary.
// - allocataire_number: exactly 7 digits (spaces are ignored).
// - last_name, first_name: required, at most 100 characters.
// - email or phone: at least one; email "x@y.z" at most 254 characters;
//   phone 10 digits (0X XX XX XX XX) or +33 / +262... international, spaces,
//   dots and dashes ignored.
// - prior_complaint: "oui" or "non". When "oui": prior_complaint_on
//   required, a valid date (YYYY-MM-DD as a date input sends it, or
//   DD/MM/YYYY), not after today; prior_complaint_reference optional (100).
// - benefits: codes of nomenclature::Benefit(), at most one of each.
// - description: 20 to 5,000 characters (Unicode code points, after trimming).
// - consent: must be given.
// - Every field is valid UTF-8 without control characters (newlines and tabs
//   allowed in the description).
// - honeypot: a hidden field humans leave empty; when filled the request is
//   flagged `spam` (the caller answers as if refused, stores nothing).
#ifndef AMIABLE_INTAKE_ONLINE_FORM_H_
#define AMIABLE_INTAKE_ONLINE_FORM_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/case.h"
#include "core/date.h"

namespace amiable::intake {

inline constexpr size_t kMinDescriptionChars = 20;
inline constexpr size_t kMaxDescriptionChars = 5000;
inline constexpr int kMaxAttachments = 5;
inline constexpr size_t kMaxAttachmentBytes = 10u << 20;

// The form as typed (field names are the HTML names).
struct OnlineFormInput {
  std::string emitter;
  std::string requester_name;          // who files, when not the beneficiary
  std::string requester_organisation;  // optional: association, CCAS, delegation...
  std::string allocataire_number;
  std::string last_name;
  std::string first_name;
  std::string email;
  std::string phone;
  std::string prior_complaint;  // "oui" / "non"
  std::string prior_complaint_on;
  std::string prior_complaint_reference;
  std::vector<std::string> benefits;
  std::string description;
  bool consent = false;
  std::string honeypot;
};

struct FieldError {
  std::string field;            // HTML name of the field
  std::string message;          // French, says what to do
  std::string message_id = {};  // its key in the catalogue (core/messages.h)
};

struct OnlineFormResult {
  std::vector<FieldError> errors;  // empty when valid
  bool spam = false;
  // When valid: the case to create (no reference yet, organisme and
  // received_on set) and its people (the beneficiary, then the requester
  // when not the beneficiary).
  Case c;
  std::vector<Person> people;
  std::string acknowledgement_email;  // where the acknowledgement goes ("" = none)

  bool ok() const { return errors.empty() && !spam; }
  // The message of a field, or nullptr.
  const FieldError* ErrorOf(std::string_view field) const;
};

OnlineFormResult ValidateOnlineForm(const OnlineFormInput& in, std::string_view organisme,
                                    Date today);

// Number of Unicode code points of valid UTF-8 text; nullopt when invalid.
std::optional<size_t> Utf8Length(std::string_view s);

}  // namespace amiable::intake

#endif  // AMIABLE_INTAKE_ONLINE_FORM_H_
