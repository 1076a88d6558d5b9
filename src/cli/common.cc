#include <cstdio>
#include <optional>
#include <string>

#include "cli/commands.h"
#include "core/messages.h"
#include "service/fund_today.h"
#include "store/store.h"

namespace amiable::cli {

std::string ReportText(const Error& e) {
  Error shown = e;
  if (shown.message_id.empty()) {
    // Not keyed (the store, the report): the French sentence of its class,
    // then its own words as a detail.
    const std::string generic = msg::Format(msg::KeyOf(e));
    shown.message = e.message.empty() ? generic : msg::Format("error.detail", {generic, e.message});
  }
  // One line, whatever the message (database drivers answer on several).
  std::string line = ToString(shown);
  for (char& ch : line) {
    if (ch == '\n' || ch == '\r' || ch == '\t') ch = ' ';
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line;
}

int Report(const Error& e) {
  std::fprintf(stderr, "amiable: %s\n", ReportText(e).c_str());
  switch (e.code) {
    case Error::Code::kInvalid:
    case Error::Code::kTooLarge:
      return 2;
    case Error::Code::kNotFound:
      return 3;
    case Error::Code::kConflict:
      return 4;
    case Error::Code::kUnavailable:
      return 5;
    default:
      return 1;
  }
}

Error OrganismeError(const Error& e, std::string_view code, std::string field) {
  if (e.code != Error::Code::kNotFound) return e;
  Error out = msg::NotFound("cli.organisme_unknown", {code});
  out.field = std::move(field);
  return out;
}

Error UserError(const Error& e, std::string_view name, std::string field) {
  if (e.code != Error::Code::kNotFound) return e;
  Error out = msg::NotFound("cli.user_unknown", {name});
  out.field = std::move(field);
  return out;
}

std::string UsageText(std::string_view name, std::string_view what) {
  // The options and arguments CLI11 names: the words starting with "-", or
  // else the words after its colon, or else the subject of "X is required".
  std::string dashed, listed;
  auto add = [](std::string& to, std::string_view w) {
    while (!w.empty() && std::string_view(",.:[]").find(w.back()) != std::string_view::npos) {
      w.remove_suffix(1);
    }
    while (!w.empty() && w.front() == '[') w.remove_prefix(1);
    if (w.empty() || w == "=") return;
    if (!to.empty()) to += ", ";
    to += w;
  };
  const size_t colon = what.find(": ");
  size_t i = 0;
  while (i < what.size()) {
    while (i < what.size() && what[i] == ' ') ++i;
    size_t j = i;
    while (j < what.size() && what[j] != ' ') ++j;
    const std::string_view w = what.substr(i, j - i);
    if (w.starts_with("-")) add(dashed, w);
    if (colon != std::string_view::npos && i > colon) add(listed, w);
    i = j;
  }
  std::string names = !dashed.empty() ? dashed : listed;
  constexpr std::string_view kRequired = " is required";
  if (names.empty() && what.ends_with(kRequired)) {
    names = what.substr(0, what.size() - kRequired.size());
  }
  std::string_view key = "cli.usage_other";
  if (name == "RequiredError") {
    const bool subcommand = names.empty() || names == "A subcommand" ||
                            what.find("subcommand") != std::string_view::npos;
    key = subcommand ? "cli.usage_subcommand" : "cli.usage_required";
  } else if (name == "ExtrasError") {
    key = "cli.usage_extra";
  } else if (name == "ConversionError" || name == "ValidationError") {
    key = "cli.usage_value";
  } else if (name == "ArgumentMismatch") {
    key = "cli.usage_count";
  } else if (name == "ExcludesError") {
    key = "cli.usage_excludes";
  } else if (name == "RequiresError") {
    key = "cli.usage_requires";
  }
  if (names.empty()) names = "?";
  return msg::Format("cli.usage", {msg::Format(key, {names})});
}

service::Caller CliCaller() { return service::Caller::Cli(service::UnixUserName()); }

std::string AuditScope(const std::vector<std::string>& organismes, int year) {
  std::string out;
  for (const std::string& o : organismes) out += (out.empty() ? "" : ",") + o;
  if (out.empty()) out = "tous organismes";
  return out + " " + std::to_string(year);
}

Date TodayForFunds(const Clock& clock, Store* store, const std::vector<std::string>& organismes) {
  return service::TodayForFunds(clock, store, organismes);
}

std::unique_ptr<Store> OpenStore(Globals& g) {
  auto s = Store::Open(g.db_url.empty() ? Store::DefaultUrl() : g.db_url);
  if (!s) {
    // The driver's own words stay as a detail; the reason is French.
    std::string detail = s.error().message;
    constexpr std::string_view kPrefix = "cannot open database: ";
    if (std::string_view(detail).starts_with(kPrefix)) detail.erase(0, kPrefix.size());
    Error e = msg::Make(s.error().code, "cli.db_open", s.error().field, {detail});
    g.exit_code = Report(e);
    return nullptr;
  }
  return std::move(*s);
}

}  // namespace amiable::cli
