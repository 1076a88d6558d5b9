// The guard of every page and the flash messages, without HTTP.
#include <httplib.h>
#include <gtest/gtest.h>

#include "web/pages_internal.h"

namespace amiable::web::pages {
namespace {

Signed Who(Role role) {
  User u;
  u.name = "marie";
  u.role = role;
  u.organismes = {"631"};
  WebSession s{"hash", "marie", "jeton-de-la-session", "", ""};
  return {u, u.ToActor(), s};
}

TEST(GuardTest, SessionRoleAndCsrf) {
  const Fields none;
  const Fields good{{"csrf", "jeton-de-la-session"}};
  const Fields bad{{"csrf", "autre"}};
  EXPECT_EQ(Judge(nullptr, Need::kAny, false, none), Verdict::kSignIn);
  EXPECT_EQ(Judge(nullptr, Need::kAny, true, good), Verdict::kSessionExpired);
  const Signed stats = Who(Role::kStatisticsReader);
  EXPECT_EQ(Judge(&stats, Need::kAny, false, none), Verdict::kPass);
  EXPECT_EQ(Judge(&stats, Need::kCases, false, none), Verdict::kRole);
  const Signed mediator = Who(Role::kMediator);
  EXPECT_EQ(Judge(&mediator, Need::kCases, false, none), Verdict::kPass);
  EXPECT_EQ(Judge(&mediator, Need::kAdmin, false, none), Verdict::kRole);
  EXPECT_EQ(Judge(&mediator, Need::kCases, true, none), Verdict::kCsrf);
  EXPECT_EQ(Judge(&mediator, Need::kCases, true, bad), Verdict::kCsrf);
  EXPECT_EQ(Judge(&mediator, Need::kCases, true, good), Verdict::kPass);
}

TEST(GuardTest, TheCsrfTokenIsReadFromTheBodyOnly) {
  httplib::Request req;
  req.method = "POST";
  req.params.emplace("csrf", "jeton-de-la-session");  // as the query string puts it
  req.set_header("Content-Type", "application/x-www-form-urlencoded");
  req.body = "text=note";
  const Signed who = Who(Role::kMediator);
  EXPECT_EQ(Judge(&who, Need::kCases, true, BodyFields(req)), Verdict::kCsrf);
  req.body = "text=note&csrf=jeton-de-la-session";
  EXPECT_EQ(Judge(&who, Need::kCases, true, BodyFields(req)), Verdict::kPass);
}

TEST(FlashTest, OnlyKnownKeysWithoutPlaceholders) {
  Data d;
  SetFlash("note.added", "<script>Texte libre</script>", d);
  EXPECT_EQ(d.get("flash_ok")->string_value(), "Note ajoutée.");
  EXPECT_EQ(d.get("flash_error"), nullptr);
  Data e;
  SetFlash("Texte libre", "event.not_allowed", e);  // unknown; needs arguments
  EXPECT_EQ(e.get("flash_ok"), nullptr);
  EXPECT_EQ(e.get("flash_error"), nullptr);
}

TEST(FlashTest, RedirectKeys) {
  EXPECT_EQ(WithFlash("/dossiers/631-2026-00001", true, "note.added"),
            "/dossiers/631-2026-00001?ok=note.added");
  EXPECT_EQ(WithFlash("/rapport/textes?annee=2025", true, "report.texts_saved"),
            "/rapport/textes?annee=2025&ok=report.texts_saved");
  EXPECT_EQ(FlashKey(msg::Invalid("note.empty")), "note.empty");
  // A key whose text needs arguments: the generic key of the class.
  EXPECT_EQ(FlashKey(msg::Conflict("event.not_allowed", "", {"close", "reçue", "…"})),
            "error.conflict");
  EXPECT_EQ(FlashKey(Error::Invalid("an English sentence")), "error.invalid");
}

TEST(FlashTest, RenderedErrorsAreFrench) {
  EXPECT_EQ(ErrorText(msg::Conflict("close.resolution_required")), "Clore demande une résolution.");
  EXPECT_EQ(ErrorText(Error::Conflict("cannot 'close' a case in state 'received'")),
            msg::Find("error.conflict"));
  EXPECT_EQ(ErrorStatus(Error::Conflict("x")), 409);
}

TEST(NamesTest, RolesInFrench) {
  EXPECT_STREQ(RoleLabel(Role::kMediator), "Médiateur");
  EXPECT_STREQ(RoleLabel(Role::kManager), "Responsable");
  EXPECT_STREQ(RoleLabel(Role::kAdministrator), "Administrateur");
  EXPECT_STREQ(RoleLabel(Role::kStatisticsReader), "Lecteur de statistiques");
}

}  // namespace
}  // namespace amiable::web::pages
