// The received-mail pages (pages_mail.cc): the quarantine's view builder and
// template, the dashboard's flagged messages, and the .eml download on a
// real SQLite store (the fund's visibility decides).
#include <httplib.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "service/mail_intake.h"
#include "store/store_test_util.h"
#include "web/pages_internal.h"
#include "web/web_service.h"

namespace amiable::web::pages {
namespace {

std::string ReadTemplate(const std::string& name) {
  std::ifstream in(std::string(AMIABLE_SOURCE_DIR) + "/web/templates/" + name + ".mustache");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Render(const std::string& name, Data& d) {
  return kainjow::mustache::mustache(ReadTemplate(name)).render(d);
}

bool Has(const std::string& hay, const std::string& needle) {
  return hay.find(needle) != std::string::npos;
}

ReceivedMessageRow Quarantined(int64_t id) {
  ReceivedMessageRow r;
  r.id = id;
  r.organisme = "631";
  r.outcome = "quarantine";
  r.quarantine_state = "open";
  r.reason = "intake.automatic_unattached";
  r.reason_detail = "Auto-Submitted: auto-replied";
  r.subject = "Absence du bureau";
  r.from_name = "Paul Dupont";
  r.from_address = "paul@example.org";
  r.body_text = "Je suis absent jusqu'au 5.";
  r.received_at = "2026-12-02T09:15:00Z";
  r.automatic = "auto_reply";
  return r;
}

TEST(QuarantineViewTest, ListsEachEntryWithItsFrenchReasonAndActions) {
  QuarantineInput in;
  in.rows = {Quarantined(7)};
  in.fund_names["631"] = "631 — Caf du Puy-de-Dôme";
  Data d = QuarantineView(in);
  d.set("csrf", "jeton");
  EXPECT_EQ(d.get("count")->string_value(), "1");
  const std::string html = Render("quarantaine", d);
  EXPECT_TRUE(Has(html, "Paul Dupont &lt;paul@example.org&gt;"));
  EXPECT_TRUE(Has(html, "reçu le 02/12/2026 10:15"));
  EXPECT_TRUE(Has(html, "631 — Caf du Puy-de-Dôme"));
  EXPECT_TRUE(Has(html, "Absence du bureau"));
  EXPECT_TRUE(Has(html, "Réponse automatique non rattachée."));  // the catalogue's text
  EXPECT_TRUE(Has(html, "Auto-Submitted: auto-replied"));
  EXPECT_TRUE(Has(html, "réponse automatique"));
  EXPECT_TRUE(Has(html, R"(action="/courriel/quarantaine/7/relire")"));
  EXPECT_TRUE(Has(html, R"(action="/courriel/quarantaine/7/dossier")"));
  EXPECT_TRUE(Has(html, R"(action="/courriel/quarantaine/7/ecarter")"));
  EXPECT_TRUE(Has(html, R"(href="/courriel/messages/7/message.eml")"));
  EXPECT_TRUE(Has(html, R"(name="csrf" value="jeton")"));
  EXPECT_FALSE(Has(html, "aria-invalid"));
  EXPECT_FALSE(Has(html, "Aucun message en quarantaine."));

  Data empty = QuarantineView(QuarantineInput{});
  EXPECT_TRUE(Has(Render("quarantaine", empty), "Aucun message en quarantaine."));
}

TEST(QuarantineViewTest, ARefusedDiscardShowsItsMessageOnTheReasonField) {
  QuarantineInput in;
  in.rows = {Quarantined(7), Quarantined(8)};
  in.refused_id = 8;
  in.refused_message = "Indiquez pourquoi ce message est écarté.";
  in.refused_reason = "  ";
  Data d = QuarantineView(in);
  const std::string html = Render("quarantaine", d);
  EXPECT_TRUE(Has(html, R"(<p class="field-error" id="q-reason-8-err">Indiquez pourquoi ce message est écarté.</p>)"));
  EXPECT_TRUE(Has(html, R"(id="q-reason-8" name="reason" value="  " required aria-invalid="true" aria-describedby="q-reason-8-err")"));
  EXPECT_FALSE(Has(html, R"(id="q-reason-7" name="reason" value="" required aria-invalid)"));
  EXPECT_TRUE(Has(html, R"(<a href="#q-reason-8">)"));  // the summary links to the field
}

TEST(DashboardMailViewTest, FlaggedMessagesWithTheirSeenButtonAndTheQuarantineCount) {
  ReceivedMessageRow r = Quarantined(12);
  r.outcome = "thread";
  r.case_reference = "631-2025-00012";
  r.flagged = true;
  r.subject = "Encore une question";
  Data d;
  DashboardMailView({r}, 3, d);
  d.set("csrf", "jeton");
  EXPECT_EQ(d.get("flagged_mail_count")->string_value(), "1");
  EXPECT_EQ(d.get("quarantine_count")->string_value(), "3");
  const std::string html = Render("tableau", d);
  EXPECT_TRUE(Has(html, "Messages reçus sur des dossiers clos"));
  EXPECT_TRUE(Has(html, R"(href="/dossiers/631-2025-00012#correspondance">631-2025-00012</a>)"));
  EXPECT_TRUE(Has(html, "Encore une question"));
  EXPECT_TRUE(Has(html, "02/12/2026 10:15"));
  EXPECT_TRUE(Has(html, R"(action="/courriel/messages/12/vu")"));
  EXPECT_TRUE(Has(html, R"(href="/courriel/quarantaine")"));
  EXPECT_TRUE(Has(html, "3 courriel(s) en quarantaine"));

  Data none;
  DashboardMailView({}, 0, none);
  const std::string quiet = Render("tableau", none);
  EXPECT_FALSE(Has(quiet, "Messages reçus sur des dossiers clos"));
  EXPECT_FALSE(Has(quiet, "en quarantaine"));
}

TEST(DownloadNameTest, TheSniffedTypesExtensionInPlaceOfTheNamesOwn) {
  EXPECT_EQ(DownloadName("scan", "application/pdf"), "scan.pdf");
  EXPECT_EQ(DownloadName("photo.jpeg", "image/jpeg"), "photo.jpeg");
  EXPECT_EQ(DownloadName("PHOTO.JPG", "image/jpeg"), "PHOTO.JPG");
  EXPECT_EQ(DownloadName("facture.pdf", "image/png"), "facture.png");
  EXPECT_EQ(DownloadName("lettre", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            "lettre.docx");
  EXPECT_EQ(DownloadName("note.txt", "text/plain"), "note.txt");
  EXPECT_EQ(DownloadName("message transféré", "message/rfc822"), "message transféré.eml");
  EXPECT_EQ(DownloadName("setup.exe", "application/octet-stream"), "setup.bin");
  EXPECT_EQ(ExtensionOf("image/tiff"), "tif");
  EXPECT_EQ(ExtensionOf("text/html; charset=utf-8"), "html");
  EXPECT_EQ(AttachmentDisposition("relevé \"mai\".pdf"),
            "attachment; filename=\"relev__ _mai_.pdf\"; "
            "filename*=UTF-8''relev%C3%A9%20%22mai%22.pdf");
}

// The .eml download against a real store: the row's fund decides.
class ReceivedEmlTest : public SqliteStoreTest {
 protected:
  static void SetUpTestSuite() {
    // The server's document folder is read once per process.
    const std::string dir = (std::filesystem::temp_directory_path() /
                             ("amiable-mailpages-docs-" + std::to_string(::getpid())))
                                .string();
    setenv("AMIABLE_DOCUMENTS_DIR", dir.c_str(), 0);
  }
  static void TearDownTestSuite() {
    const std::string dir = ServerDocuments().dir();
    if (dir.find("amiable-mailpages-docs-") != std::string::npos) {
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
    }
  }
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(OpenStore("amiable-mailpages-test"));
    const Actor sys = Actor::System();
    ASSERT_TRUE(store_->UpsertOrganisme(sys, {"631", "Caf du Puy-de-Dôme", "metropole", "84", false}));
    ASSERT_TRUE(store_->UpsertOrganisme(sys, {"031", "Caf de l'Allier", "metropole", "84", false}));
    env_.web_root = std::string(AMIABLE_SOURCE_DIR) + "/web";
  }
  Signed Who(std::string fund) {
    User u;
    u.name = "marie";
    u.role = Role::kMediator;
    u.organismes = {std::move(fund)};
    WebSession s{"hash", "marie", "jeton", "", ""};
    return {u, u.ToActor(), s};
  }
  Env env_;
};

TEST_F(ReceivedEmlTest, TheOriginalMessageIsServedAsAnAttachmentOnlyToItsFund) {
  const std::string raw =
      "From: x@example.org\r\nSubject: Absence du bureau\r\nAuto-Submitted: auto-replied\r\n"
      "Message-ID: <o1@x>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
      "Je suis absente.\r\n";
  FixedClock clock(std::chrono::sys_days(std::chrono::year(2026) / 12 / 2));
  service::MailIntake intake(*store_, clock, ServerFiles());
  auto o = intake.TakeIn("631", raw, "import");
  ASSERT_TRUE(o) << o.error().message;
  ASSERT_EQ(o->outcome, "quarantine");

  Signed mine = Who("631");
  httplib::Response res;
  SendReceivedEml(env_, mine, *store_, o->row_id, res);
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, raw);
  EXPECT_EQ(res.get_header_value("Content-Type"), "message/rfc822");
  EXPECT_EQ(res.get_header_value("Content-Disposition"),
            "attachment; filename=\"message.eml\"; filename*=UTF-8''message.eml");
  EXPECT_EQ(res.get_header_value("X-Content-Type-Options"), "nosniff");

  Signed other = Who("031");
  httplib::Response refused;
  SendReceivedEml(env_, other, *store_, o->row_id, refused);
  EXPECT_EQ(refused.status, 404);
  EXPECT_FALSE(Has(refused.body, "Je suis absente."));
  EXPECT_TRUE(refused.get_header_value("Content-Disposition").empty());

  httplib::Response unknown;
  SendReceivedEml(env_, mine, *store_, o->row_id + 1000, unknown);
  EXPECT_EQ(unknown.status, 404);
}

httplib::Request Upload(std::string organisme, std::string file_name, std::string bytes) {
  httplib::Request req;
  req.method = "POST";
  req.files.emplace("organisme", httplib::MultipartFormData{"organisme", organisme, "", ""});
  req.files.emplace("eml", httplib::MultipartFormData{"eml", bytes, file_name, "message/rfc822"});
  return req;
}

TEST_F(ReceivedEmlTest, AnEmlDroppedOnTheRegistrationPageTakesTheMailboxsPath) {
  FixedClock clock(std::chrono::sys_days(std::chrono::year(2026) / 12 / 2));
  ServerOptions options;
  Context ctx;
  ctx.options = &options;
  ctx.clock = &clock;
  env_.ctx = &ctx;
  Signed who = Who("631");

  // A new message: a new case, with its acknowledgement.
  httplib::Response res;
  EmlUploadPost(env_, who, *store_,
                Upload("631", "demande.eml",
                       "From: Jeanne <jeanne@example.org>\r\nSubject: Mon indu\r\n"
                       "Message-ID: <u1@example.org>\r\n\r\nBonjour, je conteste.\r\n"),
                res);
  ASSERT_EQ(res.status, 303) << res.body;
  const std::string to = res.get_header_value("Location");
  ASSERT_TRUE(to.starts_with("/dossiers/631-")) << to;
  EXPECT_TRUE(to.ends_with("?ok=case.registered")) << to;
  const std::string ref = to.substr(10, to.find('?') - 10);
  auto rows = store_->CaseReceived(who.actor, ref);
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].source, "upload");

  // A message naming the case: its thread.
  httplib::Response joined;
  EmlUploadPost(env_, who, *store_,
                Upload("631", "suite.eml",
                       "From: jeanne@example.org\r\nSubject: Suite " + ref +
                           "\r\nMessage-ID: <u2@example.org>\r\n\r\nVoici la suite.\r\n"),
                joined);
  EXPECT_EQ(joined.get_header_value("Location"),
            "/dossiers/" + ref + "?ok=page.mail_joined_thread#correspondance");

  // The same file again: nothing added.
  httplib::Response twice;
  EmlUploadPost(env_, who, *store_,
                Upload("631", "suite.eml",
                       "From: jeanne@example.org\r\nSubject: Suite " + ref +
                           "\r\nMessage-ID: <u2@example.org>\r\n\r\nVoici la suite.\r\n"),
                twice);
  EXPECT_EQ(twice.get_header_value("Location"), "/dossiers/" + ref + "?erreur=page.mail_duplicate");

  // An auto-reply attached to nothing: the quarantine.
  httplib::Response ooo;
  EmlUploadPost(env_, who, *store_,
                Upload("631", "absence.eml",
                       "From: x@example.org\r\nSubject: Absence\r\nAuto-Submitted: auto-replied\r\n"
                       "Message-ID: <u3@x>\r\n\r\nJe suis absente.\r\n"),
                ooo);
  EXPECT_EQ(ooo.get_header_value("Location"), "/courriel/quarantaine?erreur=page.mail_quarantined");

  // Another fund, or no file: the form again, the message on its field.
  httplib::Response other;
  EmlUploadPost(env_, who, *store_, Upload("031", "a.eml", "From: a@b\r\n\r\nx\r\n"), other);
  EXPECT_EQ(other.status, 400);
  EXPECT_TRUE(Has(other.body, R"(id="r-eml-org-err">Caf inconnue ou hors de votre périmètre : 031.)"))
      << other.body.substr(0, 2000);
  httplib::Response empty;
  EmlUploadPost(env_, who, *store_, Upload("631", "", ""), empty);
  EXPECT_EQ(empty.status, 400);
  EXPECT_TRUE(Has(empty.body, R"(id="r-eml-err">Choisissez un fichier de courriel (.eml).)"));
  auto q = store_->QuarantinedMessages(who.actor, 0);
  ASSERT_TRUE(q);
  EXPECT_EQ(q->size(), 1u);
}

}  // namespace
}  // namespace amiable::web::pages
