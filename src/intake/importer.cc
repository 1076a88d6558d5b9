#include "intake/importer.h"

#include <algorithm>
#include <set>
#include <string>
#include <unordered_set>
#include <utility>

#include "core/messages.h"

namespace amiable {
namespace {

// References are checked against the store in slices of this size, so that
// one query stays small whatever the file.
constexpr size_t kReferenceSlice = 5000;

// A problem of line `line`: the catalogue key of its reason and one argument.
Error Problem(int line, std::string field, std::string_view key, std::string_view arg) {
  Error e = msg::Invalid(key, std::move(field), {arg});
  e.line = line;
  return e;
}

// A value as shown inside a message (as the interchange parser shows them).
std::string Quoted(std::string_view s) { return "« " + std::string(s) + " »"; }

}  // namespace

Result<ImportCounts> ImportParsed(Store& store, const Actor& actor, ParsedFile parsed, bool dry_run,
                                  std::vector<Error>* problems) {
  problems->clear();
  // A read failure is not a problem of the file's content.
  for (const Error& e : parsed.errors) {
    if (e.code != Error::Code::kInvalid) return Fail(e);
  }
  *problems = std::move(parsed.errors);
  std::vector<Case>& cases = parsed.cases;
  const std::vector<int>& lines = parsed.lines;

  // Organismes: known to the store and visible to the actor.
  auto organismes = store.ListOrganismes();
  if (!organismes) return Fail(organismes.error());
  std::set<std::string, std::less<>> known;
  for (const Organisme& o : *organismes) {
    if (actor.CanSee(o.code)) known.insert(o.code);
  }
  std::set<std::string, std::less<>> used;
  const size_t parse_problems = problems->size();
  for (size_t i = 0; i < cases.size(); ++i) {
    if (known.contains(cases[i].organisme)) {
      used.insert(cases[i].organisme);
    } else {
      problems->push_back(
          Problem(lines[i], "organisme", "import.organisme_unknown", Quoted(cases[i].organisme)));
    }
  }

  // References already stored.
  std::unordered_set<std::string> existing;
  std::vector<std::string> slice;
  for (size_t start = 0; start < cases.size(); start += kReferenceSlice) {
    slice.clear();
    for (size_t i = start; i < std::min(cases.size(), start + kReferenceSlice); ++i) {
      slice.push_back(cases[i].reference);
    }
    auto found = store.ExistingReferences(slice);
    if (!found) return Fail(found.error());
    for (std::string& r : *found) existing.insert(std::move(r));
  }
  if (!existing.empty()) {
    for (size_t i = 0; i < cases.size(); ++i) {
      if (existing.contains(cases[i].reference)) {
        problems->push_back(
            Problem(lines[i], "reference", "import.reference_exists", Quoted(cases[i].reference)));
      }
    }
  }

  if (!problems->empty()) {
    if (problems->size() != parse_problems) {
      std::stable_sort(problems->begin(), problems->end(),
                       [](const Error& a, const Error& b) { return a.line < b.line; });
    }
    const size_t n = problems->size();
    return Fail(n == 1 ? msg::Invalid("import.problem")
                       : msg::Invalid("import.problems", {}, {std::to_string(n)}));
  }

  for (Case& c : cases) c.state = InferState(c);
  if (dry_run) {
    ImportCounts counts;
    counts.cases = static_cast<int64_t>(cases.size());
    counts.organismes = static_cast<int64_t>(used.size());
    for (const Case& c : cases) {
      if (c.financial) counts.financial_lines += static_cast<int64_t>(c.financial->size());
    }
    return counts;
  }
  return store.ImportCases(actor, cases);
}

Result<ImportCounts> ImportFile(Store& store, const Actor& actor, std::istream& in, bool dry_run,
                                std::vector<Error>* problems) {
  return ImportParsed(store, actor, ParseCaseStream(in), dry_run, problems);
}

}  // namespace amiable
