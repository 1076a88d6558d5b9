#include "core/conflict.h"

#include <algorithm>
#include <string>

namespace amiable {
namespace {

// Folding of the two-byte UTF-8 sequences C3 80..C3 BF (Latin-1 letters),
// indexed by the second byte minus 0x80; "" makes a separator.
constexpr const char* kLatin1[64] = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",   // C3 80
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "ss",  // C3 90
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",   // C3 A0
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "y",   // C3 B0
};

std::string NameKey(std::string_view name) {
  const std::string folded = FoldForMatching(name);
  std::vector<std::string> words;
  size_t start = 0;
  while (start < folded.size()) {
    size_t sp = folded.find(' ', start);
    if (sp == std::string::npos) sp = folded.size();
    words.push_back(folded.substr(start, sp - start));
    start = sp + 1;
  }
  std::sort(words.begin(), words.end());
  std::string key;
  for (const std::string& w : words) {
    if (!key.empty()) key += ' ';
    key += w;
  }
  return key;
}

std::string Digits(std::string_view s) {
  std::string out;
  for (char ch : s) {
    if (ch >= '0' && ch <= '9') out += ch;
  }
  return out;
}

// The day `years` years before `d` (29 February goes to the 28th).
Date YearsBefore(Date d, int years) {
  const int y = d.year() - years;
  return Date::FromCivil(y, d.month(), std::min(d.day(), DaysInMonth(y, d.month())));
}

const char* RoleLabel(PersonRole r) {
  switch (r) {
    case PersonRole::kBeneficiary:
      return "l'allocataire";
    case PersonRole::kEmitter:
      return "l'émetteur de la demande";
    case PersonRole::kLandlord:
      return "le bailleur";
  }
  return "une personne";
}

Intensity IntensityOf(PersonRole r) {
  return r == PersonRole::kEmitter ? Intensity::kModerate : Intensity::kStrong;
}

std::string Explain(const InterestLink& link, const std::string& party, Intensity intensity) {
  std::string s = "Intérêt : lien déclaré";
  if (!link.relation.empty()) s += " « " + link.relation + " »";
  s += " avec " + link.value + " ; interférence : " + party + " du dossier";
  s += link.organisme.empty() ? "" : ", sur le territoire de la Caf " + link.organisme;
  s += link.ended_on ? ", lien terminé le " + link.ended_on->ToFrench() : ", lien en cours";
  s += intensity == Intensity::kStrong
           ? " ; intensité forte : la décision concerne directement cette personne."
           : " ; intensité modérée : cette personne a transmis la demande sans en être "
             "l'objet, à examiner.";
  return s;
}

}  // namespace

std::string FoldForMatching(std::string_view text) {
  std::string out;
  bool pending_space = false;
  auto put = [&](std::string_view piece) {
    if (piece.empty()) {
      pending_space = true;
      return;
    }
    if (pending_space && !out.empty()) out += ' ';
    pending_space = false;
    out += piece;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char ch = static_cast<unsigned char>(text[i]);
    if (ch >= 'a' && ch <= 'z') {
      put(std::string_view(&text[i], 1));
    } else if (ch >= '0' && ch <= '9') {
      put(std::string_view(&text[i], 1));
    } else if (ch >= 'A' && ch <= 'Z') {
      const char lower = static_cast<char>(ch - 'A' + 'a');
      put(std::string_view(&lower, 1));
    } else if (ch == 0xC3 && i + 1 < text.size()) {
      const unsigned char next = static_cast<unsigned char>(text[i + 1]);
      if (next >= 0x80 && next <= 0xBF) {
        put(kLatin1[next - 0x80]);
        ++i;
      } else {
        put("");
      }
    } else if (ch == 0xC5 && i + 1 < text.size() &&
               (text[i + 1] == '\x92' || text[i + 1] == '\x93')) {  // Œ œ
      put("oe");
      ++i;
    } else if (ch == 0xC5 && i + 1 < text.size() && text[i + 1] == '\xB8') {  // Ÿ
      put("y");
      ++i;
    } else {
      put("");
    }
  }
  return out;
}

ConflictAssessment AssessConflict(const Case& c, std::span<const Person> people,
                                  std::span<const InterestLink> links, Date today) {
  ConflictAssessment out;
  const Date memory_start = YearsBefore(today, kInterestMemoryYears);
  for (size_t i = 0; i < links.size(); ++i) {
    const InterestLink& link = links[i];
    // Geographic and temporal interference.
    if (!link.organisme.empty() && link.organisme != c.organisme) continue;
    if (link.ended_on && *link.ended_on < memory_start) continue;

    auto add = [&](std::string party, Intensity intensity) {
      ConflictFinding f;
      f.link_index = i;
      f.intensity = intensity;
      f.explanation = Explain(link, party, intensity);
      f.party = std::move(party);
      out.findings.push_back(std::move(f));
    };

    // Material interference: the link designates a party of the case.
    switch (link.subject) {
      case InterestLink::Subject::kAllocataireNumber: {
        const std::string number = Digits(link.value);
        if (!number.empty() && c.allocataire_number && Digits(*c.allocataire_number) == number) {
          add("l'allocataire n° " + *c.allocataire_number, Intensity::kStrong);
        }
        break;
      }
      case InterestLink::Subject::kPerson:
      case InterestLink::Subject::kOrganisation: {
        const std::string key = NameKey(link.value);
        if (key.empty()) break;
        for (const Person& p : people) {
          const bool by_name = NameKey(p.name) == key;
          const bool by_organisation = !p.organisation.empty() && NameKey(p.organisation) == key;
          if (!by_name && !by_organisation) continue;
          std::string party = RoleLabel(p.role);
          party += " (" + (by_name ? p.name : p.name + ", " + p.organisation) + ")";
          add(party, IntensityOf(p.role));
        }
        break;
      }
    }
  }

  size_t strong = 0;
  for (const ConflictFinding& f : out.findings) strong += f.intensity == Intensity::kStrong;
  out.recusal_suggested = strong > 0;
  if (strong > 0) {
    out.summary = "Déport conseillé : " + std::to_string(strong) +
                  (strong == 1 ? " lien d'intérêts déclaré concerne directement"
                               : " liens d'intérêts déclarés concernent directement") +
                  " ce dossier.";
  } else if (!out.findings.empty()) {
    out.summary = "Pas de déport conseillé d'office : " + std::to_string(out.findings.size()) +
                  (out.findings.size() == 1 ? " lien à examiner." : " liens à examiner.");
  } else {
    out.summary = "Aucun lien d'intérêts déclaré ne concerne ce dossier.";
  }
  return out;
}

}  // namespace amiable
