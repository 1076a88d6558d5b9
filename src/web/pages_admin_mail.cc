// The "Courrier électronique" section of /administration: the view builder
// (the handlers are in pages_admin.cc, which renders the whole page).
#include "web/pages_internal.h"

namespace amiable::web::pages {

Data AdminMailView(const std::vector<Organisme>& funds, std::string_view organisme,
                   const std::optional<MailboxSettings>& mailbox,
                   const std::optional<SmtpFundSettings>& smtp,
                   const std::vector<EmitterRule>& rules, const Labels& l, const MailForm* form) {
  Data d;
  d.set("fund_options", FundOptions(funds, organisme));
  d.set("organisme", std::string(organisme));
  for (const Organisme& o : funds) {
    if (o.code == organisme) d.set("fund_name", o.name);
  }
  // The values shown: the refused post, else what is stored, else defaults.
  MailboxSettings m = mailbox.value_or(MailboxSettings{});
  if (form && form->which == "mailbox") m = form->mailbox;
  d.set("has_mailbox", mailbox.has_value());
  d.set("imap_url", m.imap_url);
  d.set("imap_user", m.user);
  d.set("imap_password_file", m.password_file);
  d.set("imap_password_env", m.password_env);
  d.set("inbox", m.inbox);
  d.set("archive", m.archive);
  d.set("quarantine", m.quarantine);
  d.set("enabled", m.enabled);
  SmtpFundSettings s = smtp.value_or(SmtpFundSettings{});
  if (form && form->which == "smtp") s = form->smtp;
  d.set("has_smtp", smtp.has_value());
  d.set("smtp_url", s.smtp_url);
  d.set("smtp_user", s.user);
  d.set("smtp_password_file", s.password_file);
  d.set("smtp_password_env", s.password_env);
  d.set("from", s.from);
  d.set("reply_to", s.reply_to);
  d.set("signature", s.signature);
  List rows;
  for (const EmitterRule& r : rules) {
    Data rd;
    rd.set("id", std::to_string(r.id));
    rd.set("match", r.match);
    rd.set("emitter", l.Of(nomenclature::Emitter(), r.emitter));
    rows.push_back(rd);
  }
  d.set("rules", rows);
  d.set("has_rules", !rules.empty());
  const std::string chosen = form && form->which == "emitter" ? form->rule.emitter : "";
  d.set("emitters", l.Options(nomenclature::Emitter(), {chosen}, false));
  if (form && form->which == "emitter") d.set("match", form->rule.match);
  if (form && !form->error.empty()) {
    d.set(form->which + "_error", form->error);
    if (!form->field.empty()) d.set(form->which + "_invalid_" + form->field, true);
  }
  return d;
}

}  // namespace amiable::web::pages
