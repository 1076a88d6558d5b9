// The account rows of /administration and the /compte view: French states,
// no self-disable button, tokens with their state; every form of both
// templates carries the CSRF token.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "web/pages_internal.h"

namespace amiable::web::pages {
namespace {

std::string Render(const std::string& text, const Data& d) {
  Data copy = d;
  return kainjow::mustache::mustache(text).render(copy);
}

TEST(AccountRowsTest, StatesButtonsAndSignIn) {
  service::AccountView admin, off, sso;
  admin.user.name = "admin";
  admin.user.role = Role::kAdministrator;
  admin.user.all_funds = true;
  admin.last_sign_in_at = "2026-02-02T09:15:00Z";
  off.user.name = "off";
  off.user.organismes = {"631"};
  off.user.disabled = true;
  off.user.email = "off@caf.fr";
  sso.user.name = "sso";
  sso.user.organismes = {"631"};
  sso.user.sso_subject = "sub";
  Organisme o{"631", "Caf A", "metropole", "", false};
  Data d;
  d.set("users", AccountRows({admin, off, sso}, {o}, "admin", "2026-03-16T10:00:00Z"));
  EXPECT_EQ(Render("{{#users}}{{name}}:{{state}}:{{sign_in}}:{{last_sign_in}}:{{email}}:"
                   "{{#can_disable}}D{{/can_disable}}{{#can_enable}}E{{/can_enable}};{{/users}}",
                   d),
            "admin:actif:mot de passe:02/02/2026 10:15::;"
            "off:désactivé:mot de passe:—:off@caf.fr:E;"
            "sso:actif:authentification unique:—::D;");
}

TEST(AccountRowsTest, TokensShowTheirStateAndNeverAHash) {
  ApiTokenInfo live{7, "med", "script", "2026-01-05T08:00:00Z", "", ""};
  ApiTokenInfo dead{
      8, "med", "", "2026-01-05T08:00:00Z", "2026-01-06T08:00:00Z", "2026-01-07T08:00:00Z"};
  service::AccountView me;
  me.user.name = "med";
  me.user.role = Role::kMediator;
  Data d = AccountPageView(me, {live, dead});
  EXPECT_EQ(Render("{{role}}|{{email}}|{{#tokens}}{{id}}:{{label}}:{{last_used}}:{{state}}:"
                   "{{^revoked}}R{{/revoked}};{{/tokens}}",
                   d),
            "Médiateur|—|7:script:jamais:actif:R;"
            "8:—:06/01/2026 09:00:révoqué le 07/01/2026 09:00:;");
}

std::string Template(const char* name) {
  std::ifstream in(std::string(AMIABLE_SOURCE_DIR) + "/web/templates/" + name);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(AccountRowsTest, EveryFormOfTheAccountPagesCarriesTheCsrfToken) {
  for (const char* name : {"compte.mustache", "administration.mustache"}) {
    const std::string t = Template(name);
    size_t forms = 0, tokens = 0;
    for (size_t p = 0; (p = t.find("<form method=\"post\"", p)) != std::string::npos; ++p) ++forms;
    for (size_t p = 0; (p = t.find("name=\"csrf\"", p)) != std::string::npos; ++p) ++tokens;
    EXPECT_GT(forms, 0u) << name;
    EXPECT_EQ(tokens, forms) << name;
  }
  const std::string compte = Template("compte.mustache");
  EXPECT_NE(compte.find("name=\"current_password\""), std::string::npos);
  EXPECT_NE(compte.find("autocomplete=\"current-password\""), std::string::npos);
}

}  // namespace
}  // namespace amiable::web::pages
