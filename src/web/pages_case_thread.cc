// The case page's « Correspondance » (the thread of service/thread.h) and
// the French date-time of the pages (pages_internal.h).
#include <chrono>
#include <cstdio>

#include "web/pages_internal.h"

namespace amiable::web::pages {

std::string DateTimeFr(const std::string& at, Zone zone) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  char z = 0;
  if (std::sscanf(at.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &sec, &z) != 7 ||
      z != 'Z') {
    return at;
  }
  using namespace std::chrono;
  const year_month_day ymd{year(y), month(static_cast<unsigned>(mo)), day(static_cast<unsigned>(d))};
  if (!ymd.ok()) return at;
  const Instant t = sys_days(ymd) + hours(h) + minutes(mi) + seconds(sec);
  const auto local = t + UtcOffset(zone, t);
  const auto ld = floor<days>(local);
  const year_month_day lymd{ld};
  const hh_mm_ss hms{local - ld};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02u/%02u/%04d %02d:%02d", static_cast<unsigned>(lymd.day()),
                static_cast<unsigned>(lymd.month()), static_cast<int>(lymd.year()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()));
  return buf;
}

List CorrespondenceRows(const CasePageInput& in) {
  List mail;
  for (const service::ThreadEntry& m : in.thread) {
    Data md;
    const bool out = m.direction == "out";
    md.set("at", DateTimeFr(m.at, in.calendar.zone));
    md.set("incoming", !out);
    md.set("who", out ? m.to
                      : (m.from_name.empty() ? m.from_address
                                             : m.from_name + (m.from_address.empty()
                                                                  ? ""
                                                                  : " <" + m.from_address + ">")));
    const char* kind = m.kind == "letter"             ? "Courrier"
                       : m.kind == "internal_request" ? "Demande interne"
                                                      : "Message";
    md.set("kind", std::string(kind));
    md.set("subject", m.subject.empty() ? std::string("(sans objet)") : m.subject);
    md.set("body", m.body_text);
    md.set("has_body", !m.body_text.empty());
    md.set("message_id", m.message_id);
    md.set("sent", m.state == "sent");
    md.set("failed", m.state == "failed");
    md.set("flagged", m.flagged);
    md.set("received_id", std::to_string(m.received_id));
    // Reply from the case: the letters page, answer preselected, in reply
    // to this message (its Message-ID becomes the letter's In-Reply-To).
    md.set("has_reply", !out && m.received_id != 0);
    md.set("reply_url", CaseUrl(in.c.reference) + "/courriers?modele=answer&reponse_a=" +
                            std::to_string(m.received_id));
    std::string state;
    if (!out) {
      state = m.automatic == "delivery_report" ? "avis de non-remise"
              : m.automatic == "auto_reply"    ? "réponse automatique"
                                               : "reçu";
    } else if (m.state == "sent") {
      state = "envoyé";
    } else if (m.state == "failed") {
      state = "échec : " + (m.error.empty() ? std::string("erreur inconnue") : m.error);
    } else {
      state = "en attente d'envoi";
    }
    md.set("state", state);
    // A queued message that already failed: its attempts and the last reply.
    std::string retry;
    if (out && m.state == "queued" && m.attempts > 0) {
      retry = std::to_string(m.attempts) + (m.attempts > 1 ? " tentatives" : " tentative");
      if (!m.error.empty()) retry += ", dernière erreur : " + m.error;
    }
    md.set("retry", retry);
    md.set("has_retry", !retry.empty());
    List files;
    for (const DocumentMeta& a : m.attachments) {
      Data fd;
      fd.set("name", a.file_name);
      fd.set("url", CaseUrl(in.c.reference) + "/documents/" + std::to_string(a.id));
      files.push_back(fd);
    }
    md.set("files", files);
    md.set("has_files", !files.empty());
    md.set("has_eml", m.eml_document_id != 0);
    md.set("eml_url", CaseUrl(in.c.reference) + "/documents/" + std::to_string(m.eml_document_id));
    mail.push_back(md);
  }
  return mail;
}

}  // namespace amiable::web::pages
