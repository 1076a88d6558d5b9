// Letters of a case and the fund's templates, on a real store (SQLite and,
// with AMIABLE_TEST_PG_URL, PostgreSQL): one transaction per letter, the
// rules of service/letters_service.h.
#include "service/letters_service.h"

#include <gtest/gtest.h>

#include <map>

#include "core/messages.h"
#include "store/store_test_util.h"

namespace amiable::service {
namespace {

// Files in memory; Save fails on demand.
class MemoryFiles final : public DocumentFiles {
 public:
  std::optional<std::string> Sniff(std::string_view b) const override {
    if (b.rfind("%PDF-", 0) == 0) return "application/pdf";
    return std::nullopt;
  }
  std::string Sha256Hex(std::string_view) const override { return std::string(64, 'a'); }
  Result<std::string> Save(std::string_view b) const override {
    std::string key = "k" + std::to_string(files.size() + removed.size() + 1);
    files[key] = std::string(b);
    return key;
  }
  void Remove(std::string_view key) const override {
    files.erase(std::string(key));
    removed.push_back(std::string(key));
  }
  mutable std::map<std::string, std::string> files;
  mutable std::vector<std::string> removed;
};

class LettersServiceTest : public StoreEngineTest {
 protected:
  void SetUp() override {
    if (GetParam() == "postgresql" && TestPgUrl().empty()) GTEST_SKIP() << "no PostgreSQL";
    ASSERT_NO_FATAL_FAILURE(OpenStore("amiable-letters-test"));
    const Actor sys = Actor::System();
    ASSERT_TRUE(
        store_->UpsertOrganisme(sys, {"631", "Caf du Puy-de-Dôme", "metropole", "84", false}));
    ASSERT_TRUE(
        store_->UpsertOrganisme(sys, {"671", "Caf du Bas-Rhin", "alsace_moselle", "44", false}));
    for (auto [name, role, fund] :
         {std::tuple{"alice", Role::kMediator, "631"}, std::tuple{"chef", Role::kManager, "631"},
          std::tuple{"dave", Role::kMediator, "671"},
          std::tuple{"stat", Role::kStatisticsReader, "631"}}) {
      User u;
      u.name = name;
      u.display_name = std::string(name) == "alice" ? "Alice Martin" : name;
      u.role = role;
      u.organismes = {fund};
      ASSERT_TRUE(store_->CreateUser(u));
    }
    Registration r;
    r.c.organisme = "631";
    r.c.received_on = *Date::Parse("2026-03-02");
    r.c.channel = "courriel";
    r.people.push_back({0, PersonRole::kBeneficiary, "Léa Dupont", "", "lea@example.fr", "",
                        "12 rue des Gras\n63000 Clermont-Ferrand", ""});
    auto ref = Cases().Register(Who("alice"), r);
    ASSERT_TRUE(ref) << ToString(ref.error());
    ref_ = *ref;
  }

  Caller Who(const char* name) {
    auto u = store_->GetUser(name);
    EXPECT_TRUE(u) << name;
    return Caller::OfUser(*u);
  }
  CaseService Cases() { return CaseService(*store_, clock_, &files_); }
  LettersService Svc() { return LettersService(*store_, clock_, &files_); }
  void Event(const char* event, std::map<std::string, std::string> params = {}) {
    EventCall c;
    c.request.event = event;
    c.request.params = std::move(params);
    auto r = Cases().Apply(Who("alice"), ref_, c);
    ASSERT_TRUE(r) << ToString(r.error());
  }

  FixedClock clock_{NoonOf(*Date::Parse("2026-03-16"))};
  MemoryFiles files_;
  std::string ref_;
};

std::string Key(const Status& s) { return s ? "ok" : s.error().message_id; }
template <typename T>
std::string Key(const Result<T>& r) {
  return r ? "ok" : r.error().message_id;
}

TEST_P(LettersServiceTest, PreviewUsesTheCaseAndWritesNothing) {
  auto p = Svc().Preview(Who("alice"), ref_, {.kind = "acknowledgement"}, true);
  ASSERT_TRUE(p) << ToString(p.error());
  EXPECT_NE(p->letter.subject.find(ref_), std::string::npos);
  EXPECT_NE(p->text.find("le 2 mars 2026"), std::string::npos) << p->text;
  EXPECT_NE(p->text.find("au plus tard le 12 mars 2026"), std::string::npos) << p->text;
  EXPECT_EQ(p->letter.recipient_name, "Léa Dupont");
  EXPECT_EQ(p->pdf.rfind("%PDF-", 0), 0u);
  auto letters = Svc().CaseLetters(Who("alice"), ref_);
  ASSERT_TRUE(letters);
  EXPECT_TRUE(letters->empty());
  EXPECT_EQ(Key(Svc().Preview(Who("stat"), ref_, {.kind = "acknowledgement"}, false)),
            "role.no_case_access");
  EXPECT_EQ(Key(Svc().Preview(Who("dave"), ref_, {.kind = "acknowledgement"}, false)),
            "case.not_found");
  EXPECT_EQ(Key(Svc().Preview(Who("alice"), ref_, {.kind = "opening"}, false)),
            "letter.template_unknown");
}

TEST_P(LettersServiceTest, SendByMailQueuesTheMessageWithTheLetterAndItsHistory) {
  auto s = Svc().Send(Who("alice"), ref_, {.kind = "acknowledgement"}, "courriel");
  ASSERT_TRUE(s) << ToString(s.error());
  ASSERT_TRUE(s->outbox);
  EXPECT_EQ(s->outbox->kind, "letter:acknowledgement");
  EXPECT_EQ(s->outbox->recipient, "lea@example.fr");
  EXPECT_NE(s->outbox->subject.find(ref_), std::string::npos);
  EXPECT_NE(s->outbox->body_html.find("<p>Madame, Monsieur,</p>"), std::string::npos);
  auto out = store_->CaseOutbox(Actor::System(), ref_);
  ASSERT_TRUE(out);
  ASSERT_EQ(out->size(), 1u);
  auto letters = Svc().CaseLetters(Who("alice"), ref_);
  ASSERT_TRUE(letters);
  ASSERT_EQ(letters->size(), 1u);
  EXPECT_EQ((*letters)[0].mode, "courriel");
  EXPECT_EQ((*letters)[0].outbox_id, (*out)[0].id);
  EXPECT_FALSE((*letters)[0].document_id);
  auto h = store_->History(Actor::System(), ref_);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->back().kind, "letter");
  EXPECT_NE(h->back().detail.find("envoyé par courriel à lea@example.fr"), std::string::npos);
}

TEST_P(LettersServiceTest, AReplyByMailCarriesTheReceivedMessagesIdAsInReplyTo) {
  ReceivedMessageRow in;
  in.organisme = "631";
  in.message_id = "<question@example.fr>";
  in.sha256 = std::string(64, 'b');
  in.case_reference = ref_;
  in.outcome = "thread";
  in.reason = "intake.reference_named";
  in.subject = "Une question";
  in.from_address = "lea@example.fr";
  in.source = "import";
  ASSERT_TRUE(store_->InsertReceived(Actor::System(), in));
  Event("take_in_charge");
  auto s = Svc().Send(Who("alice"), ref_,
                      {.kind = "answer", .response = "Voici la réponse.",
                       .in_reply_to = "<question@example.fr>"},
                      "courriel");
  ASSERT_TRUE(s) << ToString(s.error());
  auto out = store_->CaseOutbox(Actor::System(), ref_);
  ASSERT_TRUE(out);
  ASSERT_EQ(out->size(), 1u);
  EXPECT_EQ((*out)[0].in_reply_to, "<question@example.fr>");

  // A Message-ID that is not the case's: refused, nothing queued.
  auto other = Svc().Send(Who("alice"), ref_,
                          {.kind = "answer", .response = "Encore.", .in_reply_to = "<autre@x>"},
                          "courriel");
  EXPECT_EQ(Key(other), "letter.in_reply_to_unknown");
  EXPECT_EQ(other.error().field, "in_reply_to");
  out = store_->CaseOutbox(Actor::System(), ref_);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->size(), 1u);
}

TEST_P(LettersServiceTest, AnswerByPostStoresThePdfAndAppliesTheAnswer) {
  Event("take_in_charge");
  auto s = Svc().Send(Who("alice"), ref_,
                      {.kind = "answer", .response = "Votre droit est rétabli."}, "courrier");
  ASSERT_TRUE(s) << ToString(s.error());
  ASSERT_TRUE(s->document);
  EXPECT_GT(s->document->id, 0);
  EXPECT_EQ(s->document->content_type, "application/pdf");
  EXPECT_EQ(files_.files.count(s->document->storage_key), 1u);
  auto c = store_->GetCase(Actor::System(), ref_);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->state, CaseState::kAnswered);
  EXPECT_EQ(c->answered_on, *Date::Parse("2026-03-16"));
  ASSERT_TRUE(c->response_modes);
  EXPECT_EQ(*c->response_modes, std::vector<std::string>{"courrier"});
  auto docs = store_->Documents(Actor::System(), ref_);
  ASSERT_TRUE(docs);
  ASSERT_EQ(docs->size(), 1u);
  EXPECT_EQ((*docs)[0].file_name, "courrier-reponse-" + ref_ + "-2026-03-16.pdf");
  auto letters = Svc().CaseLetters(Who("alice"), ref_);
  ASSERT_TRUE(letters);
  ASSERT_EQ(letters->size(), 1u);
  EXPECT_EQ((*letters)[0].document_id, (*docs)[0].id);
  EXPECT_NE((*letters)[0].body_text.find("Votre droit est rétabli."), std::string::npos);
  // A second answer letter is recorded without a second event.
  auto again = Svc().Send(Who("alice"), ref_, {.kind = "answer"}, "courriel");
  ASSERT_TRUE(again) << ToString(again.error());
  auto c2 = store_->GetCase(Actor::System(), ref_);
  EXPECT_EQ(c2->state, CaseState::kAnswered);
}

TEST_P(LettersServiceTest, RefusalsWriteNothing) {
  // A mediator of another fund does not see the case at all.
  EXPECT_EQ(Key(Svc().Send(Who("dave"), ref_, {.kind = "answer"}, "courrier")), "case.not_found");
  EXPECT_EQ(Key(Svc().Send(Who("alice"), ref_, {.kind = "answer"}, "fax")), "letter.mode_unknown");
  // A template broken after the fact fails at rendering, before any write.
  ASSERT_TRUE(store_->SaveLetterTemplate(Actor::System(),
                                         {"631", "answer", "Objet", "{{#x}}", "chef", ""}));
  EXPECT_EQ(Key(Svc().Send(Who("alice"), ref_, {.kind = "answer"}, "courrier")),
            "letter.template_unclosed_section");
  EXPECT_TRUE(files_.files.empty());
  auto letters = Svc().CaseLetters(Who("alice"), ref_);
  ASSERT_TRUE(letters);
  EXPECT_TRUE(letters->empty());
}

TEST_P(LettersServiceTest, NoEmailMeansPost) {
  auto people = store_->People(Actor::System(), ref_);
  ASSERT_TRUE(people);
  Person p = (*people)[0];
  p.email.clear();
  ASSERT_TRUE(Cases().SavePerson(Who("alice"), ref_, p));
  EXPECT_EQ(Key(Svc().Send(Who("alice"), ref_, {.kind = "acknowledgement"}, "courriel")),
            "letter.no_email");
  EXPECT_TRUE(Svc().Send(Who("alice"), ref_, {.kind = "acknowledgement"}, "courrier"));
}

TEST_P(LettersServiceTest, InadmissibilitySetsTheOrientationFromTheFundsList) {
  Event("declare_inadmissible",
        {{"inadmissibility_reason", "absence_demarche_prealable"}, {"orientation", "à voir"}});
  EXPECT_EQ(Key(Svc().Send(Who("alice"), ref_, {.kind = "inadmissibility"}, "courriel")),
            "letter.orientation_required");
  EXPECT_EQ(
      Key(Svc().Send(Who("alice"), ref_,
                     {.kind = "inadmissibility", .orientation_code = "nulle_part"}, "courriel")),
      "letter.orientation_unknown");
  auto s = Svc().Send(Who("alice"), ref_,
                      {.kind = "inadmissibility", .orientation_code = "point_conseil_budget"},
                      "courriel");
  ASSERT_TRUE(s) << ToString(s.error());
  EXPECT_NE(s->record.body_text.find("nous vous orientons vers : Point conseil budget."),
            std::string::npos)
      << s->record.body_text;
  EXPECT_NE(s->record.body_text.find("Absence de démarche préalable"), std::string::npos)
      << s->record.body_text;
  auto c = store_->GetCase(Actor::System(), ref_);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->orientation, "Point conseil budget");
  EXPECT_EQ(c->orientation_code, "point_conseil_budget");
  EXPECT_EQ(c->state, CaseState::kInadmissible);
}

TEST_P(LettersServiceTest, TemplatesAreTheHierarchysAndMustCompile) {
  EXPECT_EQ(Key(Svc().SaveTemplate(Who("alice"), "631", "acknowledgement", "S {{reference}}", "B")),
            "role.manager_required");
  auto bad = Svc().SaveTemplate(Who("chef"), "631", "acknowledgement", "S", "a\n{{#amounts}}");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "body");
  EXPECT_NE(bad.error().message.find("ligne 2, colonne 1"), std::string::npos);
  EXPECT_EQ(Key(Svc().SaveTemplate(Who("chef"), "671", "acknowledgement", "S", "B")),
            "store.organisme_unknown");
  EXPECT_EQ(Key(Svc().SaveTemplate(Who("chef"), "631", "nope", "S", "B")),
            "letter.template_unknown");
  ASSERT_TRUE(
      Svc().SaveTemplate(Who("chef"), "631", "acknowledgement", "Reçu {{reference}}",
                         "{{> opening}}\n\nBien reçu, {{requester_name}}.\n\n{{> closing}}"));
  ASSERT_TRUE(Svc().SaveTemplate(Who("chef"), "631", "place", "ignored", "Clermont-Ferrand"));
  auto t = Svc().Templates(Who("alice"), "631");
  ASSERT_TRUE(t);
  auto ack =
      std::find_if(t->begin(), t->end(), [](auto& e) { return e.kind == "acknowledgement"; });
  ASSERT_NE(ack, t->end());
  EXPECT_TRUE(ack->overridden);
  EXPECT_EQ(ack->updated_by, "chef");
  auto p = Svc().Preview(Who("alice"), ref_, {.kind = "acknowledgement"}, false);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->letter.subject, "Reçu " + ref_);
  EXPECT_EQ(p->letter.body_text,
            "Madame, Monsieur,\n\nBien reçu, Léa Dupont.\n\nJe vous prie d'agréer, Madame, "
            "Monsieur, l'expression de mes salutations distinguées.");
  EXPECT_EQ(p->letter.DateLine(), "Clermont-Ferrand, le 16 mars 2026");
  ASSERT_TRUE(Svc().ResetTemplate(Who("chef"), "631", "acknowledgement"));
  auto back = Svc().Preview(Who("alice"), ref_, {.kind = "acknowledgement"}, false);
  ASSERT_TRUE(back);
  EXPECT_NE(back->letter.subject.find("Accusé de réception"), std::string::npos);
}

TEST_P(LettersServiceTest, OrientationListStartsFromTheDefaults) {
  auto l = Svc().Orientations(Who("alice"), "631");
  ASSERT_TRUE(l);
  EXPECT_EQ(l->size(), DefaultOrientations("631").size());
  EXPECT_EQ(Key(Svc().SaveOrientation(Who("alice"), {"631", "ccas", "CCAS", 9})),
            "role.manager_required");
  EXPECT_EQ(Key(Svc().SaveOrientation(Who("chef"), {"631", "Pas Bon", "CCAS", 9})),
            "letter.orientation_code");
  ASSERT_TRUE(Svc().SaveOrientation(Who("chef"), {"631", "ccas", "CCAS de Clermont-Ferrand", 99}));
  ASSERT_TRUE(Svc().RemoveOrientation(Who("chef"), "631", "defenseur_droits"));
  auto after = Svc().Orientations(Who("alice"), "631");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->size(), DefaultOrientations("631").size());
  EXPECT_EQ(after->back().code, "ccas");
  for (const auto& e : *after) EXPECT_NE(e.code, "defenseur_droits");
}

TEST_P(LettersServiceTest, IntermediateSaysWhatTheCaseWaitsOn) {
  Event("take_in_charge");
  Event("start_investigation");
  Event("put_on_hold", {{"reason", "la décision de la commission de recours amiable"}});
  auto p = Svc().Preview(Who("alice"), ref_, {.kind = "intermediate"}, false);
  ASSERT_TRUE(p) << ToString(p.error());
  EXPECT_NE(p->letter.body_text.find(
                "n'a pas encore été prise : la décision de la commission de recours amiable."),
            std::string::npos)
      << p->letter.body_text;
  EXPECT_NE(p->letter.signature.find("Alice Martin"), std::string::npos);
}

TEST(LettersSuggestions, TheStateCallsForItsLetter) {
  Case c;
  c.state = CaseState::kOnHold;
  EXPECT_EQ(SuggestedLetterKinds(c).front(), "intermediate");
  c.state = CaseState::kInadmissible;
  EXPECT_EQ(SuggestedLetterKinds(c).front(), "inadmissibility");
  c.state = CaseState::kInProgress;
  EXPECT_EQ(SuggestedLetterKinds(c).front(), "answer");
}

INSTANTIATE_TEST_SUITE_P(Engines, LettersServiceTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace amiable::service
