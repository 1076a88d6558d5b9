// `amiable calendar`: public holidays, working days and deadlines by zone.
// JSON output keeps the key order of the documented shapes (ordered_json).
#include <CLI/CLI.hpp>
#include <charconv>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "calendar/calendar.h"
#include "cli/commands.h"
#include "core/french_format.h"
#include "core/messages.h"

namespace amiable::cli {
namespace {

std::string ZoneList() {
  std::string out;
  for (Zone z : AllZones()) {
    if (!out.empty()) out += ", ";
    out += ZoneCode(z);
  }
  return out;
}

Result<Zone> ParseZone(const std::string& code) {
  if (auto z = ZoneFromCode(code)) return *z;
  return Fail(msg::Invalid("cli.zone_unknown", "--zone", {code, ZoneList()}));
}

std::string RangeText() {
  return std::to_string(kFirstCalendarYear) + "-" + std::to_string(kLastCalendarYear);
}

// A strict YYYY-MM-DD date within the supported years.
Result<Date> ParseDate(const std::string& text, const std::string& field) {
  auto d = Date::Parse(text);
  if (!d) return Fail(msg::Invalid("cli.date", field, {text}));
  if (!InCalendarRange(*d)) return Fail(msg::Invalid("cli.date_years", field, {text, RangeText()}));
  return *d;
}

// A decimal integer in [lo, hi], nothing else.
Result<int> ParseInt(const std::string& text, int lo, int hi, const std::string& field) {
  int v = 0;
  const char* end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, v);
  if (text.empty() || ec != std::errc() || p != end) {
    return Fail(msg::Invalid("cli.integer", field, {text}));
  }
  if (v < lo || v > hi) {
    return Fail(msg::Invalid("cli.range", field, {text, std::to_string(lo), std::to_string(hi)}));
  }
  return v;
}

const char* FrenchWeekday(Date d) {
  static constexpr const char* kNames[] = {"lundi",    "mardi",  "mercredi", "jeudi",
                                           "vendredi", "samedi", "dimanche"};
  return kNames[d.iso_weekday() - 1];
}

void PrintLine(const std::string& s) {
  std::fwrite(s.data(), 1, s.size(), stdout);
  std::fputc('\n', stdout);
}

std::string Dump(const nlohmann::ordered_json& j) {
  return j.dump(-1, ' ', /*ensure_ascii=*/false, nlohmann::ordered_json::error_handler_t::strict);
}

struct HolidaysArgs {
  std::string zone;
  std::string year;
  std::string to_year;
  bool json = false;
  bool whit_monday_worked = false;
};

Status RunHolidays(const HolidaysArgs& args) {
  auto zone = ParseZone(args.zone);
  if (!zone) return Fail(zone.error());
  auto year = ParseInt(args.year, kFirstCalendarYear, kLastCalendarYear, "--year");
  if (!year) return Fail(year.error());
  int last = *year;
  if (!args.to_year.empty()) {
    auto to = ParseInt(args.to_year, *year, kLastCalendarYear, "--to-year");
    if (!to) return Fail(to.error());
    last = *to;
  }
  for (int y = *year; y <= last; ++y) {
    const std::vector<Holiday> holidays = Holidays(*zone, y, args.whit_monday_worked);
    if (args.json) {
      nlohmann::ordered_json list = nlohmann::ordered_json::array();
      for (const Holiday& h : holidays) {
        list.push_back({{"date", h.date.ToString()}, {"name", h.name}});
      }
      nlohmann::ordered_json out = nlohmann::ordered_json::object();
      out["zone"] = ZoneCode(*zone);
      out["year"] = y;
      out["holidays"] = std::move(list);
      PrintLine(Dump(out));
      continue;
    }
    if (y != *year) PrintLine("");
    std::string title = "Jours fériés " + std::to_string(y) + ", zone " + ZoneCode(*zone);
    if (args.whit_monday_worked) title += " (lundi de Pentecôte travaillé)";
    PrintLine(title + " :");
    for (const Holiday& h : holidays) {
      char prefix[64];
      std::snprintf(prefix, sizeof prefix, "  %s  %-9s ", fr::ShortDate(h.date).c_str(),
                    FrenchWeekday(h.date));
      PrintLine(prefix + h.name);
    }
  }
  return {};
}

struct WorkingDaysArgs {
  std::string zone;
  std::string from;
  std::string to;
  bool json = false;
  bool whit_monday_worked = false;
};

Status RunWorkingDays(const WorkingDaysArgs& args) {
  auto zone = ParseZone(args.zone);
  if (!zone) return Fail(zone.error());
  auto from = ParseDate(args.from, "FROM");
  if (!from) return Fail(from.error());
  auto to = ParseDate(args.to, "TO");
  if (!to) return Fail(to.error());
  if (*to < *from) {
    return Fail(msg::Invalid("cli.date_order", "TO", {args.to, args.from}));
  }
  const int n = WorkingDays({*zone, args.whit_monday_worked}, *from, *to);
  if (args.json) {
    nlohmann::ordered_json out = nlohmann::ordered_json::object();
    out["zone"] = ZoneCode(*zone);
    out["from"] = from->ToString();
    out["to"] = to->ToString();
    out["working_days"] = n;
    PrintLine(Dump(out));
  } else {
    PrintLine(std::to_string(n));
  }
  return {};
}

struct DeadlineArgs {
  std::string zone;
  std::string from;
  std::string n = std::to_string(kTakeChargeTargetWorkingDays);
  bool json = false;
  bool whit_monday_worked = false;
};

Status RunDeadline(const DeadlineArgs& args) {
  auto zone = ParseZone(args.zone);
  if (!zone) return Fail(zone.error());
  auto from = ParseDate(args.from, "FROM");
  if (!from) return Fail(from.error());
  const WorkCalendar cal{*zone, args.whit_monday_worked};
  // The result must stay within the supported years.
  const int available = WorkingDays(cal, *from, Date::FromCivil(kLastCalendarYear, 12, 31));
  auto n = ParseInt(args.n, 0, available, "N");
  if (!n) return Fail(n.error());
  const Date deadline = AddWorkingDays(cal, *from, *n);
  if (args.json) {
    nlohmann::ordered_json out = nlohmann::ordered_json::object();
    out["zone"] = ZoneCode(*zone);
    out["from"] = from->ToString();
    out["working_days"] = *n;
    out["deadline"] = deadline.ToString();
    PrintLine(Dump(out));
  } else {
    PrintLine(deadline.ToString());
  }
  return {};
}

void Finish(Globals& g, const Status& s) {
  if (!s) g.exit_code = Report(s.error());
}

void AddZoneOption(CLI::App* cmd, std::string* zone) {
  cmd->add_option("--zone", *zone, "Zone du calendrier : " + ZoneList())->required();
}

}  // namespace

void RegisterCalendar(CLI::App& app, Globals& g) {
  CLI::App* cal = app.add_subcommand(
      "calendar",
      "Calendrier : jours fériés, jours ouvrés et délais par zone (" + RangeText() + ")");
  cal->require_subcommand(1);

  auto holidays = std::make_shared<HolidaysArgs>();
  CLI::App* h = cal->add_subcommand("holidays", "Liste les jours fériés d'une zone pour une année");
  AddZoneOption(h, &holidays->zone);
  h->add_option("--year", holidays->year, "Année (" + RangeText() + ")")->required();
  h->add_option("--to-year", holidays->to_year,
                "Dernière année d'un intervalle (incluse) ; avec --json, une ligne par année");
  h->add_flag(
      "--json", holidays->json,
      R"(Sortie JSON sur une ligne : {"zone":…,"year":…,"holidays":[{"date":…,"name":…}]})");
  h->add_flag("--whit-monday-worked", holidays->whit_monday_worked,
              "Le lundi de Pentecôte est travaillé (journée de solidarité)");
  h->callback([&g, holidays] { Finish(g, RunHolidays(*holidays)); });

  auto span = std::make_shared<WorkingDaysArgs>();
  CLI::App* w = cal->add_subcommand(
      "working-days", "Nombre de jours ouvrés d tels que FROM < d <= TO (même jour : 0)");
  AddZoneOption(w, &span->zone);
  w->add_option("FROM", span->from, "Date de départ AAAA-MM-JJ")->required();
  w->add_option("TO", span->to, "Date d'arrivée AAAA-MM-JJ, pas antérieure à FROM")->required();
  w->add_flag("--json", span->json, "Sortie JSON sur une ligne");
  w->add_flag("--whit-monday-worked", span->whit_monday_worked,
              "Le lundi de Pentecôte est travaillé (journée de solidarité)");
  w->callback([&g, span] { Finish(g, RunWorkingDays(*span)); });

  auto deadline = std::make_shared<DeadlineArgs>();
  CLI::App* d = cal->add_subcommand(
      "deadline", "Date du N-ième jour ouvré après FROM (délai de prise en charge : N = " +
                      std::to_string(kTakeChargeTargetWorkingDays) + ")");
  AddZoneOption(d, &deadline->zone);
  d->add_option("FROM", deadline->from, "Date de réception AAAA-MM-JJ")->required();
  d->add_option("N", deadline->n, "Nombre de jours ouvrés (entier >= 0)")->capture_default_str();
  d->add_flag("--json", deadline->json, "Sortie JSON sur une ligne");
  d->add_flag("--whit-monday-worked", deadline->whit_monday_worked,
              "Le lundi de Pentecôte est travaillé (journée de solidarité)");
  d->callback([&g, deadline] { Finish(g, RunDeadline(*deadline)); });
}

}  // namespace amiable::cli
