#include "core/messages.h"

#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace amiable::msg {
namespace {

TEST(MessagesTest, KeysAreUniqueAndWellFormed) {
  std::set<std::string_view> seen;
  for (const Entry& e : All()) {
    EXPECT_TRUE(seen.insert(e.id).second) << "duplicate key " << e.id;
    EXPECT_NE(e.id.find('.'), std::string_view::npos) << e.id;
    for (char ch : e.id) EXPECT_TRUE(islower(ch) || ch == '.' || ch == '_') << e.id;
    EXPECT_FALSE(e.text.empty()) << e.id;
  }
}

TEST(MessagesTest, FindAndFormat) {
  EXPECT_STREQ(Find("close.resolution_required"), "Clore demande une résolution.");
  EXPECT_EQ(Find("nope.nothing"), nullptr);
  EXPECT_EQ(Format("user.wrong_fund", {"mdupont", "631"}),
            "« mdupont » ne traite pas les dossiers de la Caf 631.");
  Error e = Conflict("case.locked");
  EXPECT_EQ(e.code, Error::Code::kConflict);
  EXPECT_EQ(e.message_id, "case.locked");
  EXPECT_EQ(KeyOf(Error::Invalid("x")), "error.invalid");
  EXPECT_NE(Find(KeyOf(Error::Internal("x"))), nullptr);
}

}  // namespace
}  // namespace amiable::msg

namespace amiable::msg {
namespace {

// Words that give an English sentence away; catalogue texts are French (they
// may quote codes such as "beneficiary" or "true", never English prose).
constexpr std::string_view kEnglishWords[] = {
    " the ",    " must ",   " cannot ",  "unknown ", "invalid ", "missing ", " is ",
    " not ",    " should ", " already ", " only ",   " with ",   " and ",    " of ",
    " to ",     " at ",     " for ",     " be ",     " was ",    " has ",    " expected",
    " allowed", " failed",  " found",    " please ", " does ",   " no ",     " too ",
};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

TEST(MessagesTest, NoTextLooksEnglish) {
  for (const Entry& e : All()) {
    const std::string text = " " + Lower(e.text) + " ";
    for (std::string_view w : kEnglishWords) {
      EXPECT_EQ(text.find(w), std::string::npos)
          << e.id << " looks English (\"" << w << "\"): " << e.text;
    }
  }
}

TEST(MessagesTest, TheHeuristicCatchesEnglish) {
  for (std::string_view english :
       {"must be a string", "unknown field", "cannot be changed", "the actor is the user",
        "missing event", "invalid JSON", "not an object"}) {
    const std::string text = " " + Lower(english) + " ";
    bool caught = false;
    for (std::string_view w : kEnglishWords) caught = caught || text.find(w) != std::string::npos;
    EXPECT_TRUE(caught) << english;
  }
}

// Reads every source file of src/ (tests excepted).
std::vector<std::pair<std::string, std::string>> Sources() {
  std::vector<std::pair<std::string, std::string>> out;
  const std::filesystem::path root = std::filesystem::path(AMIABLE_SOURCE_DIR) / "src";
  for (const auto& f : std::filesystem::recursive_directory_iterator(root)) {
    const std::string name = f.path().filename().string();
    if (!f.is_regular_file() || !(name.ends_with(".cc") || name.ends_with(".h"))) continue;
    if (name.ends_with("_test.cc")) continue;
    std::ifstream in(f.path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    out.emplace_back(std::filesystem::relative(f.path(), root).string(), text.str());
  }
  return out;
}

TEST(MessagesTest, EveryKeyUsedInTheSourcesExists) {
  // msg::Invalid("key"..., msg::Make(code, "key"..., msg::Format("key"...
  const std::regex call(
      R"re(msg::(?:Invalid|Conflict|Forbidden|NotFound|Make|Format|Find)\(\s*(?:[^"();]*,\s*)?"([a-z_]+(?:\.[a-z_]+)+)")re");
  // Keys handed to a helper first (Add(field, "interchange.x"), fail("f", "form.x")): any
  // literal of a prefix only the catalogue uses.
  const std::regex literal(
      R"re("((?:interchange|form|cli|import|synthetic|http|server|auth|api)\.[a-z_]+)")re");
  int calls = 0;
  std::set<std::string> used;
  for (const auto& [path, text] : Sources()) {
    for (const std::regex* re : {&call, &literal}) {
      for (auto it = std::sregex_iterator(text.begin(), text.end(), *re);
           it != std::sregex_iterator(); ++it) {
        const std::string key = (*it)[1].str();
        if (re == &call) ++calls;
        used.insert(key);
        EXPECT_NE(Find(key), nullptr) << path << " uses \"" << key << "\", not in the catalogue";
      }
    }
  }
  // The scan itself works: the sources hold hundreds of keyed errors.
  EXPECT_GT(calls, 200);
  for (std::string_view k : {"api.field_unknown", "interchange.code_unknown", "cli.date",
                             "form.consent", "close.resolution_required"}) {
    EXPECT_TRUE(used.contains(std::string(k))) << k << " not found by the scan";
  }
}

}  // namespace
}  // namespace amiable::msg
