// The administration page's view: French role names and nomenclature labels.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "web/pages_internal.h"

namespace amiable::web::pages {
namespace {

std::string Render(const std::string& text, const Data& d) {
  Data copy = d;
  return kainjow::mustache::mustache(text).render(copy);
}

TEST(AdminViewTest, NamesRolesFundsAndNomenclaturesInFrench) {
  User stats;
  stats.name = "stat";
  stats.role = Role::kStatisticsReader;
  stats.organismes = {"631"};
  User admin;
  admin.name = "admin";
  admin.role = Role::kAdministrator;
  admin.all_funds = true;
  Organisme o;
  o.code = "631";
  o.name = "Caf du Puy-de-Dôme";
  o.zone = "alsace_moselle";
  Labels labels(std::map<std::string, std::string>{{"channel.courrier", "Courrier postal"}});
  Data d = AdminView({stats, admin}, {o}, labels, "2026-03-16T10:00:00Z");
  EXPECT_EQ(Render("{{#users}}{{role}}|{{funds}};{{/users}}", d),
            "Lecteur de statistiques|Caf du Puy-de-Dôme (631);Administrateur|toutes les Caf;");
  EXPECT_EQ(Render("{{#funds}}{{zone}}{{/funds}}", d), "Alsace-Moselle");
  const std::string noms =
      Render("{{#nomenclatures}}{{title}}:{{#entries}}{{code}}={{label}},{{/entries}}\n{{/nomenclatures}}", d);
  EXPECT_NE(noms.find("Mode de saisine:"), std::string::npos) << noms;
  EXPECT_NE(noms.find("courrier=Courrier postal,"), std::string::npos) << noms;
  EXPECT_EQ(noms.find("channel:"), std::string::npos);
  EXPECT_EQ(Render("{{#roles}}{{label}},{{/roles}}", d),
            "Médiateur,Responsable,Administrateur,Lecteur de statistiques,"
            "Délégué à la protection des données,Partenaire,Pôle national,");
}

TEST(AdminViewTest, TheRegionIsASelectOfTheInseeRegionsAndErrorsAreTiedToTheirField) {
  Organisme o;
  o.code = "631";
  o.name = "Caf du Puy-de-Dôme";
  o.zone = "metropole";
  o.region = "84";
  Data d = AdminView({}, {o}, Labels(), "2026-03-16T10:00:00Z");
  EXPECT_EQ(Render("{{#funds}}{{region}}{{/funds}}", d), "Auvergne-Rhône-Alpes");
  const std::string options = Render("{{#regions}}{{code}}={{label}};{{/regions}}", d);
  EXPECT_EQ(std::count(options.begin(), options.end(), '='), 19) << options;  // 18 + none
  EXPECT_NE(options.find("84=Auvergne-Rhône-Alpes (84);"), std::string::npos) << options;
  EXPECT_NE(options.find("04=La Réunion (04);"), std::string::npos) << options;
  FundForm form{o, "Région inconnue.", "region"};
  form.posted.region = "ARA";
  d = AdminView({}, {o}, Labels(), "2026-03-16T10:00:00Z", &form);
  EXPECT_EQ(Render("{{fund_error_region}}|{{fund_error}}|{{form_code}}", d), "Région inconnue.||631");
  EXPECT_EQ(Render("{{#regions}}{{#selected}}{{code}}{{/selected}}{{/regions}}", d), "");
}

TEST(AdminViewTest, EveryNomenclatureHasAFrenchTitle) {
  for (const Nomenclature* n : nomenclature::All()) {
    EXPECT_NE(NomenclatureTitle(n->name), std::string(n->name)) << n->name;
  }
}

TEST(AdminViewTest, TheMailSectionShowsWhereThePasswordIsNeverThePasswordAndRefusals) {
  Organisme a{"631", "Caf A", "metropole", "", false};
  Organisme b{"974", "Caf B", "reunion", "", false};
  MailboxSettings m;
  m.organisme = "974";
  m.imap_url = "imaps://imap.caf-b.example:993";
  m.user = "mediation974";
  m.password_file = "/etc/amiable/imap-974.pass";
  m.archive = "Archive amiable";
  SmtpFundSettings s;
  s.organisme = "974";
  s.smtp_url = "smtp://smtp.caf-b.example:587";
  s.from = "Médiation <m@caf-b.example>";
  s.signature = "Le médiateur";
  std::vector<EmitterRule> rules{{7, "974", "@defenseurdesdroits.fr", "defenseur_droits"}};
  Data d = AdminMailView({a, b}, "974", m, s, rules, Labels());
  EXPECT_EQ(Render("{{#fund_options}}{{#selected}}{{code}}{{/selected}}{{/fund_options}}", d), "974");
  EXPECT_EQ(Render("{{imap_url}}|{{imap_user}}|{{imap_password_file}}|{{inbox}}|{{archive}}|"
                   "{{quarantine}}|{{#enabled}}oui{{/enabled}}",
                   d),
            "imaps://imap.caf-b.example:993|mediation974|/etc/amiable/imap-974.pass|INBOX|"
            "Archive amiable|Quarantine|oui");
  EXPECT_EQ(Render("{{smtp_url}}|{{from}}|{{signature}}|{{#has_smtp}}1{{/has_smtp}}", d),
            "smtp://smtp.caf-b.example:587|Médiation &lt;m@caf-b.example&gt;|Le médiateur|1");
  EXPECT_EQ(Render("{{#rules}}{{id}}:{{match}}={{emitter}};{{/rules}}", d),
            "7:@defenseurdesdroits.fr=Défenseur des droits;");
  const std::string emitters = Render("{{#emitters}}{{code}},{{/emitters}}", d);
  EXPECT_NE(emitters.find("defenseur_droits,"), std::string::npos) << emitters;

  // No settings yet: the defaults of a mailbox, no relay of its own.
  d = AdminMailView({a, b}, "631", std::nullopt, std::nullopt, {}, Labels());
  EXPECT_EQ(Render("{{inbox}}|{{archive}}|{{quarantine}}|{{#has_mailbox}}x{{/has_mailbox}}|"
                   "{{#has_smtp}}x{{/has_smtp}}|{{#has_rules}}x{{/has_rules}}",
                   d),
            "INBOX|Archive|Quarantine|||");

  // A refused post: the values posted, the error tied to its form and field.
  MailForm form;
  form.which = "smtp";
  form.smtp = s;
  form.smtp.reply_to = "x@";
  form.error = "Adresse électronique invalide : « x@ ».";
  form.field = "reply_to";
  d = AdminMailView({a, b}, "974", m, s, rules, Labels(), &form);
  EXPECT_EQ(Render("{{reply_to}}|{{smtp_error}}|{{#smtp_invalid_reply_to}}!{{/smtp_invalid_reply_to}}|"
                   "{{mailbox_error}}",
                   d),
            "x@|Adresse électronique invalide : « x@ ».|!|");
}

TEST(AdminViewTest, TheTemplateHasTheMailSectionWithCsrfOnEveryForm) {
  std::ifstream in(std::string(AMIABLE_SOURCE_DIR) + "/web/templates/administration.mustache");
  std::stringstream text;
  text << in.rdbuf();
  const std::string t = text.str();
  const size_t section = t.find("Courrier électronique");
  ASSERT_NE(section, std::string::npos);
  size_t forms = 0, tokens = 0;
  for (size_t p = section; (p = t.find("<form method=\"post\"", p)) != std::string::npos; ++p) ++forms;
  for (size_t p = section; (p = t.find("name=\"csrf\"", p)) != std::string::npos; ++p) ++tokens;
  EXPECT_EQ(forms, 4u);
  EXPECT_EQ(tokens, forms);
  EXPECT_EQ(t.find("type=\"password\"", section), std::string::npos);  // no password typed here
}

}  // namespace
}  // namespace amiable::web::pages
