// For the report's tests only: the worked example's 50 cases
// (tests/fixtures/examples/cases-small.jsonl) and their funds' calendars.
#pragma once

#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "calendar/calendar.h"
#include "core/case.h"
#include "intake/interchange.h"

namespace amiable::report::fixture {

inline std::vector<Case> Fixture() {
  std::ifstream in(std::string(AMIABLE_SOURCE_DIR) + "/tests/fixtures/examples/cases-small.jsonl");
  std::vector<Case> cases;
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    auto c = ParseCaseLine(line, ++n);
    if (c) cases.push_back(*c);
  }
  return cases;
}

inline std::map<std::string, WorkCalendar> Calendars() {
  return {{"631", {Zone::kMetropole, false}},
          {"671", {Zone::kAlsaceMoselle, false}},
          {"974", {Zone::kReunion, false}}};
}

}  // namespace amiable::report::fixture
