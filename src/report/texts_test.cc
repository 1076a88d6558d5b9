// Tests of the mediator's texts: the check every store runs (CheckText),
// signatures, commentaries, defaults, reading them back from a store, and
// where the assembly prints each of them.
#include "report/texts.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>

#include "calendar/calendar.h"
#include "figures/figures.h"
#include "report/assemble.h"
#include "report/writers.h"

namespace amiable::report {
namespace {

TEST(ReportTexts, SectionCodesAreStableAndRoundTrip) {
  std::vector<std::string> codes;
  for (TextSection s : kAllTextSections) {
    codes.push_back(TextSectionCode(s));
    EXPECT_EQ(TextSectionFromCode(TextSectionCode(s)), s);
    EXPECT_STRNE(TextSectionTitle(s), "");
  }
  std::sort(codes.begin(), codes.end());
  EXPECT_EQ(std::adjacent_find(codes.begin(), codes.end()), codes.end()) << "codes are unique";
  EXPECT_EQ(std::string(TextSectionCode(TextSection::kEditorial)), "editorial");
  EXPECT_EQ(std::string(TextSectionCode(TextSection::kCommentaries)), "commentaries");
  EXPECT_EQ(std::string(TextSectionCode(TextSection::kIntroConflict)), "intro_conflict");
  EXPECT_FALSE(TextSectionFromCode("commentary_channel").has_value());
}

TEST(ReportTexts, Signatures) {
  const Signature s = ParseSignature("Claire Martin\nDirectrice de la Caf");
  EXPECT_EQ(s.name, "Claire Martin");
  EXPECT_EQ(s.title, "Directrice de la Caf");
  EXPECT_EQ(SignatureToText(s), "Claire Martin\nDirectrice de la Caf");
  EXPECT_EQ(SignatureToText({" ", ""}), "");
  EXPECT_EQ(SignatureToText({"Nom", ""}), "Nom");
  EXPECT_TRUE(ParseSignature("").empty());
  EXPECT_TRUE(CheckText(TextSection::kDirectorSignature, "Nom\nFonction").has_value());
  auto three = CheckText(TextSection::kMediatorSignature, "a\nb\nc");
  ASSERT_FALSE(three.has_value());
  EXPECT_EQ(three.error().code, Error::Code::kInvalid);
  EXPECT_NE(three.error().message.find("Signature du médiateur"), std::string::npos)
      << three.error().message;
  EXPECT_FALSE(CheckText(TextSection::kMediatorSignature, std::string(201, 'x')).has_value());
}

TEST(ReportTexts, Commentaries) {
  EXPECT_TRUE(IsCommentedSection("channel"));
  EXPECT_TRUE(IsCommentedSection("requests"));
  EXPECT_FALSE(IsCommentedSection("fraud")) << "the fraud focus has its own text";
  EXPECT_FALSE(IsCommentedSection("quality"));
  const std::string j = CommentariesToJson({{"delays", "Délais **stables**."}, {"channel", "Courriel"},
                                            {"benefit", "  "}});
  EXPECT_LT(j.find("channel"), j.find("delays")) << "the report's order";
  EXPECT_EQ(j.find("benefit"), std::string::npos) << "blank texts are dropped";
  auto back = ParseCommentaries(j);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->size(), 2u);
  EXPECT_EQ(back->at("delays"), "Délais **stables**.");
  EXPECT_EQ(CommentariesToJson({}), "");
  EXPECT_TRUE(ParseCommentaries("")->empty());
  auto unknown = ParseCommentaries(R"({"annexes": "x"})");
  ASSERT_FALSE(unknown.has_value());
  EXPECT_NE(unknown.error().message.find("« annexes »"), std::string::npos);
  EXPECT_FALSE(ParseCommentaries(R"({"channel": 3})").has_value());
  EXPECT_FALSE(ParseCommentaries("[1]").has_value());
  EXPECT_FALSE(CheckText(TextSection::kCommentaries, "{").has_value());
}

TEST(ReportTexts, ChecksOfOtherSections) {
  EXPECT_TRUE(CheckText(TextSection::kFindings, "n'importe quoi <b> **").has_value());
  EXPECT_FALSE(CheckText(TextSection::kHighlights, "pas du JSON").has_value());
  EXPECT_TRUE(CheckText(TextSection::kHighlights,
                        HighlightsToJson(std::vector<Highlight>{{"T", "mars", "- a"}}))
                  .has_value());
  auto big = CheckText(TextSection::kPlan, std::string(kMaxTextBytes + 1, 'a'));
  ASSERT_FALSE(big.has_value());
  EXPECT_NE(big.error().message.find("60 000"), std::string::npos);
}

TEST(ReportTexts, DefaultIntroductionTexts) {
  for (TextSection s : {TextSection::kIntroMediation, TextSection::kIntroWho,
                        TextSection::kIntroNot, TextSection::kIntroConflict}) {
    EXPECT_TRUE(HasDefaultText(s));
    EXPECT_GT(DefaultText(s).size(), 300u) << TextSectionCode(s);
  }
  EXPECT_FALSE(HasDefaultText(TextSection::kFindings));
  EXPECT_NE(DefaultText(TextSection::kIntroConflict).find("déport"), std::string::npos);
  EXPECT_NE(DefaultText(TextSection::kIntroWho).find("caf.fr"), std::string::npos);
}

TEST(ReportTexts, FileStoreRefusesWhatCheckTextRefuses) {
  const std::string dir = std::filesystem::temp_directory_path() /
                          ("amiable-texts-" + std::to_string(::getpid()));
  FileReportStore store(dir);
  EXPECT_FALSE(store.PutText("631", 2025, TextSection::kCommentaries, R"({"x": "y"})"));
  EXPECT_FALSE(store.PutText("631", 2025, TextSection::kDirectorSignature, "a\nb\nc"));
  ASSERT_TRUE(store.PutText("631", 2025, TextSection::kDirectorSignature, "Nom\nDirecteur"));
  ASSERT_TRUE(store.PutText("631", 2025, TextSection::kCommentaries,
                            CommentariesToJson({{"channel", "Le courriel domine."}})));
  ASSERT_TRUE(store.PutText("631", 2025, TextSection::kFraudFocus, "Hausse des **fraudes**."));
  auto t = ReadMediatorTexts(store, "631", 2025);
  ASSERT_TRUE(t.has_value()) << t.error().message;
  EXPECT_EQ(t->director_signature.title, "Directeur");
  EXPECT_EQ(t->commentaries.at("channel"), "Le courriel domine.");
  EXPECT_EQ(t->fraud_focus, "Hausse des **fraudes**.");
  EXPECT_EQ(t->intro_mediation, "") << "stored as nothing: the default applies in the report";
  auto other = ReadMediatorTexts(store, "631", 2024);
  ASSERT_TRUE(other.has_value());
  EXPECT_TRUE(other->commentaries.empty());
  std::filesystem::remove_all(dir);
}

// The sections of a model in order, with their index.
std::vector<std::string> Ids(const ReportModel& m) {
  std::vector<std::string> ids;
  for (const Section& s : m.sections) ids.push_back(s.id);
  return ids;
}

const Section* Find(const ReportModel& m, const std::string& id) {
  for (const Section& s : m.sections) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

ReportInputs Inputs() {
  ReportInputs in;
  in.funds = {{"631", "Caf du Puy-de-Dôme", "metropole", "", false}};
  const Date as_of = Date::FromCivil(2026, 1, 15);
  const std::map<std::string, WorkCalendar> cal = {{"631", {Zone::kMetropole, false}}};
  in.current = ComputeFigures({}, cal, {"631"}, 2025, as_of);
  in.previous = ComputeFigures({}, cal, {"631"}, 2024, as_of);
  in.generated_on = as_of;
  return in;
}

size_t IndexOf(const std::vector<std::string>& ids, const std::string& id) {
  return static_cast<size_t>(std::find(ids.begin(), ids.end(), id) - ids.begin());
}

TEST(ReportTexts, EmptyTextsAreLeftOutButTheIntroductionIsThere) {
  const ReportModel m = AssembleReport(Inputs());
  const auto ids = Ids(m);
  for (const char* absent : {"editorials", "editorial_director", "editorial", "highlights",
                             "findings", "plan"}) {
    EXPECT_EQ(IndexOf(ids, absent), ids.size()) << absent;
  }
  const Section* intro = Find(m, "intro_conflict");
  ASSERT_NE(intro, nullptr);
  bool has_deport = false;
  for (const Block& b : intro->blocks) {
    has_deport = has_deport || b.text.find("déport") != std::string::npos;
    for (const std::string& i : b.items) has_deport = has_deport || i.find("déport") != std::string::npos;
  }
  EXPECT_TRUE(has_deport) << "the default text";
  EXPECT_LT(IndexOf(ids, "introduction"), IndexOf(ids, "key_figures"));
}

TEST(ReportTexts, EachTextAtItsPlace) {
  ReportInputs in = Inputs();
  in.texts.director_editorial = "Le mot du **directeur**.";
  in.texts.director_signature = {"Jean Exemple", "Directeur de la Caf"};
  in.texts.editorial = "Le mot de la médiatrice.";
  in.texts.mediator_signature = {"Anne Exemple", "Médiatrice administrative"};
  in.texts.highlights = {{"Communication", "mars", "**Article**\n- un\n- deux"}};
  in.texts.intro_who = "Notre texte à nous.";
  in.texts.commentaries = {{"channel", "Le courriel reste le premier mode."},
                           {"delays", "Délais tenus."}};
  in.texts.fraud_focus = "Les saisines liées à une fraude augmentent.";
  in.texts.findings = "# Thème\nUn constat.";
  in.texts.plan = "- Poursuivre";
  const ReportModel m = AssembleReport(in);
  const auto ids = Ids(m);
  // The reference's order: editos, highlights, introduction, key figures,
  // figures..., focuses, findings, plan, annexes.
  EXPECT_LT(IndexOf(ids, "editorials"), IndexOf(ids, "editorial_director"));
  EXPECT_LT(IndexOf(ids, "editorial_director"), IndexOf(ids, "editorial"));
  EXPECT_LT(IndexOf(ids, "editorial"), IndexOf(ids, "highlights"));
  EXPECT_LT(IndexOf(ids, "highlights"), IndexOf(ids, "introduction"));
  EXPECT_LT(IndexOf(ids, "intro_conflict"), IndexOf(ids, "key_figures"));
  EXPECT_LT(IndexOf(ids, "fraud"), IndexOf(ids, "findings"));
  EXPECT_LT(IndexOf(ids, "findings"), IndexOf(ids, "plan"));
  EXPECT_LT(IndexOf(ids, "plan"), IndexOf(ids, "annexes"));

  const Section* dir = Find(m, "editorial_director");
  ASSERT_NE(dir, nullptr);
  ASSERT_GE(dir->blocks.size(), 3u);
  EXPECT_EQ(dir->blocks[dir->blocks.size() - 2].kind, Block::Kind::kSignature);
  EXPECT_EQ(dir->blocks[dir->blocks.size() - 2].text, "**Jean Exemple**");
  EXPECT_EQ(dir->blocks.back().text, "Directeur de la Caf");
  const Section* plan = Find(m, "plan");
  ASSERT_NE(plan, nullptr);
  EXPECT_EQ(plan->blocks.back().text, "Médiatrice administrative");

  const Section* who = Find(m, "intro_who");
  ASSERT_NE(who, nullptr);
  ASSERT_EQ(who->blocks.size(), 1u);
  EXPECT_EQ(who->blocks[0].text, "Notre texte à nous.") << "the fund's text replaces the default";

  // Commentaries close their section, after its charts and tables.
  for (const auto& [id, text] : in.texts.commentaries) {
    const Section* s = Find(m, id);
    ASSERT_NE(s, nullptr) << id;
    EXPECT_EQ(s->blocks.back().kind, Block::Kind::kParagraph);
    EXPECT_EQ(s->blocks.back().text, text);
  }
  EXPECT_EQ(Find(m, "fraud")->blocks.back().text, in.texts.fraud_focus);
  const Section* cause = Find(m, "cause");
  ASSERT_NE(cause, nullptr);
  for (const Block& b : cause->blocks) EXPECT_NE(b.text, "Délais tenus.");

  const Section* hl = Find(m, "highlights");
  ASSERT_NE(hl, nullptr);
  ASSERT_EQ(hl->tables.size(), 1u);
  EXPECT_TRUE(hl->tables[0].rows[0][2].markup);
  const std::string html = RenderHtml(m);
  EXPECT_NE(html.find("<p><strong>Article</strong></p><ul><li>un</li><li>deux</li></ul>"),
            std::string::npos);
  auto pdf = RenderPdf(m);
  ASSERT_TRUE(pdf.has_value()) << pdf.error().message;
  auto xlsx = RenderXlsx(m);
  ASSERT_TRUE(xlsx.has_value()) << xlsx.error().message;
}

}  // namespace
}  // namespace amiable::report
