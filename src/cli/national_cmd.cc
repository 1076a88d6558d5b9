// amiable report --national --year Y [--format pdf|xlsx|csv|html] -o FILE [--as-of D]
#include "cli/national_cmd.h"

#include <cstdio>

#include "calendar/clock.h"
#include "core/messages.h"
#include "report/national.h"
#include "store/store.h"

namespace amiable::cli {

int RunNationalReport(Globals& g, int year, report::ReportFormat format, const std::string& output,
                      std::optional<Date> as_of) {
  auto store = OpenStore(g);
  if (!store) return g.exit_code;
  const Date today = TodayForFunds(SystemClock(), store.get(), {});
  auto in = report::GatherNational(*store, year, as_of.value_or(today), today, CliCaller().actor);
  if (!in) return Report(in.error());
  if (!in->register_error.empty()) {
    std::fprintf(stderr, "amiable: %s\n",
                 msg::Format("cli.national_register_warning", {in->register_detail}).c_str());
  }
  const report::ReportModel model = report::AssembleNationalReport(*in);
  if (auto st = report::WriteReport(model, format, output); !st) return Report(st.error());
  if (auto s = store->Audit(CliCaller().actor, "report.national",
                            std::to_string(year) + " " + output);
      !s) {
    return Report(s.error());
  }
  return 0;
}

}  // namespace amiable::cli
