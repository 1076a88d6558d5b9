// Role: letters from templates (issue 8, item 3; migration 12): the per-fund
// overrides of the default templates (letters/templates.h holds the
// defaults), the fund's orientation list (where an inadmissible request is
// sent), and the letters produced for a case.
//
// Authorization: the fund calls answer kInvalid "organisme" for a fund the
// actor does not see; the case calls answer kNotFound "case.not_found" for a
// case the actor does not see (the visible-case rule of store.h). Who may
// edit (the hierarchy) is the service's rule (service/letters_service.h).
// Every write joins the caller's transaction when one is open
// (InTransaction is reentrant). Defaults answer kInternal "not supported"
// so that test fakes need not implement them.
#ifndef AMIABLE_STORE_LETTERS_STORE_H_
#define AMIABLE_STORE_LETTERS_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "store/actor.h"

namespace amiable {

// A fund's own version of a template kind (letters::KindCode); without one
// the default of the product applies.
struct LetterTemplateOverride {
  std::string organisme;
  std::string kind;
  std::string subject;
  std::string body;
  std::string updated_by;
  std::string updated_at;  // ISO 8601 UTC
};

// One entry of the fund's orientation list ("Point conseil budget"...).
struct OrientationEntry {
  std::string organisme;
  std::string code;   // lower-case ASCII, stable
  std::string label;  // French, what the case's `orientation` keeps
  int position = 0;   // display order
};

// A letter sent by mail (mode "courriel", outbox_id set) or produced for
// post (mode "courrier", document_id: the PDF kept as a case document).
struct LetterRecord {
  int64_t id = 0;
  int64_t case_id = 0;
  std::string case_reference;  // filled when read
  std::string kind;
  std::string mode;
  std::string subject;
  std::string body_text;
  std::optional<int64_t> outbox_id;
  std::optional<int64_t> document_id;
  std::string created_by;
  std::string created_at;  // ISO 8601 UTC
};

class LettersStore {
 public:
  virtual ~LettersStore() = default;

  // The fund's overrides, by kind.
  virtual Result<std::vector<LetterTemplateOverride>> LetterTemplates(const Actor& actor,
                                                                      std::string_view organisme);
  // Inserts or replaces the override (organisme, kind).
  virtual Status SaveLetterTemplate(const Actor& actor, const LetterTemplateOverride& t);
  // Removes the override (none: not an error): the default applies again.
  virtual Status ResetLetterTemplate(const Actor& actor, std::string_view organisme,
                                     std::string_view kind);

  // The fund's orientation list, by position then code.
  virtual Result<std::vector<OrientationEntry>> Orientations(const Actor& actor,
                                                             std::string_view organisme);
  // Inserts or replaces the entry (organisme, code).
  virtual Status SaveOrientation(const Actor& actor, const OrientationEntry& e);
  virtual Status RemoveOrientation(const Actor& actor, std::string_view organisme,
                                   std::string_view code);

  // Records a letter of the case `reference` (r.case_id and
  // r.case_reference are ignored). Returns its id.
  virtual Result<int64_t> AddLetter(const Actor& actor, std::string_view reference,
                                    const LetterRecord& r);
  // The letters of a case, oldest first (the case thread shows those of
  // mode "courrier"; those by mail are outbox rows of kind "letter:...").
  virtual Result<std::vector<LetterRecord>> CaseLetters(const Actor& actor,
                                                        std::string_view reference);
};

}  // namespace amiable

#endif  // AMIABLE_STORE_LETTERS_STORE_H_
