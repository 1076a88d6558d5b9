// The administration page's view: French role names and nomenclature labels.
#include <gtest/gtest.h>

#include <algorithm>

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
            "Médiateur,Responsable,Administrateur,Lecteur de statistiques,");
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

}  // namespace
}  // namespace amiable::web::pages
