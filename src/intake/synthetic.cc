#include "intake/synthetic.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <random>
#include <string_view>
#include <utility>

#include "core/messages.h"

namespace amiable {
namespace {

// ---------------------------------------------------------------------------
// Randomness: std::mt19937_64 is specified bit for bit by the standard; the
// std:: distributions are not, so we draw with our own.

uint64_t SplitMix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

class Rng {
 public:
  explicit Rng(uint64_t seed) : engine_(seed) {}

  // Uniform in [0, 1).
  double Uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  // Uniform in [lo, hi] (the modulo bias is below 2^-40 for our ranges).
  int Int(int lo, int hi) {
    const uint64_t span = static_cast<uint64_t>(static_cast<int64_t>(hi) - lo + 1);
    return lo + static_cast<int>(engine_() % span);
  }
  bool Chance(double p) { return Uniform() < p; }
  // Standard normal (Box-Muller, one value per call).
  double Normal() {
    const double u1 = 1.0 - Uniform();  // (0, 1]
    const double u2 = Uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
  }
  // A log-normal amount in cents with the given mean in euros and spread,
  // clamped to [min_euros, max_euros].
  int64_t AmountCents(double mean_euros, double sigma, double min_euros, double max_euros) {
    const double mu = std::log(mean_euros) - sigma * sigma / 2.0;
    const double euros = std::clamp(std::exp(mu + sigma * Normal()), min_euros, max_euros);
    return static_cast<int64_t>(std::llround(euros * 100.0));
  }

 private:
  std::mt19937_64 engine_;
};

struct Weighted {
  std::string_view code;
  double weight;
};

// Picks an index of `table` with probability proportional to its weight.
template <size_t N>
size_t PickIndex(Rng& rng, const std::array<Weighted, N>& table) {
  double total = 0;
  for (const Weighted& w : table) total += w.weight;
  double x = rng.Uniform() * total;
  for (size_t i = 0; i < N; ++i) {
    x -= table[i].weight;
    if (x < 0) return i;
  }
  return N - 1;
}

template <size_t N>
std::string_view Pick(Rng& rng, const std::array<Weighted, N>& table) {
  return table[PickIndex(rng, table)].code;
}

// Picks one code, then with probability `p_more` one more distinct code (and
// again with p_more^2 a third), by the same weights.
template <size_t N>
std::vector<std::string> PickSeveral(Rng& rng, const std::array<Weighted, N>& table,
                                     double p_more) {
  std::vector<std::string> out;
  out.emplace_back(Pick(rng, table));
  double p = p_more;
  while (out.size() < N && rng.Chance(p)) {
    std::array<Weighted, N> rest = table;
    for (Weighted& w : rest) {
      if (std::find(out.begin(), out.end(), w.code) != out.end()) w.weight = 0;
    }
    out.emplace_back(Pick(rng, rest));
    p *= p_more;
  }
  return out;
}

// ---------------------------------------------------------------------------
// The distributions, from the reference report (domain.md §6).

constexpr std::array<Weighted, 8> kEmitter = {{
    {"allocataire", 62.7},
    {"tiers", 16.9},
    {"defenseur_droits", 7.3},
    {"service_interne", 5.7},
    {"caf_cnaf", 2.9},
    {"partenaire", 2.3},
    {"mediateur_externe", 1.2},
    {"institution", 1.0},
}};

// Channel by emitter: beneficiaries use the online form, partners email.
// Overall about 52% email, 38% online form, 9% post, a little internal,
// phone and front desk.
constexpr std::array<Weighted, 6> kChannelOfBeneficiary = {{
    {"teleprocedure", 58},
    {"courriel", 32},
    {"courrier", 8},
    {"telephone", 1},
    {"accueil", 1},
    {"interne", 0},
}};
constexpr std::array<Weighted, 6> kChannelOfThirdParty = {{
    {"teleprocedure", 20},
    {"courriel", 72},
    {"courrier", 7},
    {"telephone", 1},
    {"accueil", 0},
    {"interne", 0},
}};
constexpr std::array<Weighted, 6> kChannelOfInternal = {{
    {"teleprocedure", 0},
    {"courriel", 70},
    {"courrier", 0},
    {"telephone", 0},
    {"accueil", 0},
    {"interne", 30},
}};
constexpr std::array<Weighted, 6> kChannelOfPartner = {{
    {"teleprocedure", 0},
    {"courriel", 91},
    {"courrier", 9},
    {"telephone", 0},
    {"accueil", 0},
    {"interne", 0},
}};

constexpr std::array<Weighted, 10> kInadmissibilityReason = {{
    {"absence_demarche_prealable", 48.5},
    {"demande_renseignement", 11},
    {"envoi_pieces", 8},
    {"hors_champ", 9},
    {"litige_prive", 5},
    {"mediation_familiale", 2},
    {"recours_contentieux", 3},
    {"remise_dette", 6},
    {"denonciation", 1.5},
    {"autre", 6},
}};

// Of 175 closed cases: 74, 53, 32, 22, 10 (about 1.09 motives per case).
constexpr std::array<Weighted, 5> kMotive = {{
    {"absence_paiement", 74},
    {"incomprehension_decision", 53},
    {"incomprehension_indu", 32},
    {"non_prise_en_compte", 22},
    {"absence_reponse", 10},
}};

// Housing 50, RSA 48, activity bonus 46, disability 29, Paje 10, and a few
// of the others (about 1.2 benefits per case).
constexpr std::array<Weighted, 8> kBenefit = {{
    {"logement", 50},
    {"rsa", 48},
    {"ppa", 46},
    {"handicap", 29},
    {"paje", 10},
    {"famille", 12},
    {"asf_aripa", 8},
    {"autre", 5},
}};

constexpr std::array<Weighted, 7> kCause = {{
    {"pas_erreur_caf", 72.3},
    {"reponse_inadaptee", 7.9},
    {"delai_traitement", 5.1},
    {"erreur_legislation", 4.0},
    {"absence_reponse", 4.0},
    {"erreur_liquidation", 3.4},
    {"dysfonctionnement_informatique", 3.3},
}};

// Resolution by cause: a Caf error is mostly revised. Overall about 61%
// confirmed, 38% revised, under 1% oriented or withdrawn.
constexpr std::array<Weighted, 4> kResolutionNoError = {{
    {"confirmee", 78.0},
    {"revisee", 20.6},
    {"orientation_externe", 0.7},
    {"desistement", 0.7},
}};
constexpr std::array<Weighted, 4> kResolutionCafError = {{
    {"confirmee", 14},
    {"revisee", 85},
    {"orientation_externe", 0.5},
    {"desistement", 0.5},
}};

constexpr std::array<Weighted, 4> kHousehold = {{
    {"isole", 82},
    {"monoparentale", 40},
    {"couple_avec_enfants", 33},
    {"couple_sans_enfant", 18},
}};

constexpr std::array<Weighted, 4> kActivity = {{
    {"salarie_eti", 76},
    {"chomeur", 46},
    {"inactif", 37},
    {"handicap_invalide", 14},
}};

constexpr std::array<Weighted, 3> kQfBracket = {{
    {"0_500", 38.2},
    {"501_1000", 40.3},
    {"1001_plus", 21.5},
}};

constexpr std::array<Weighted, 3> kResponseMode = {{
    {"courriel", 80},
    {"courrier", 15},
    {"telephone", 5},
}};

// Working days from reception to taking in charge (mean about 1.65).
constexpr std::array<int, 11> kTakeChargeDays = {0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12};
constexpr std::array<Weighted, 11> kTakeChargeWeights = {{
    {"0", 12},
    {"1", 48},
    {"2", 24},
    {"3", 8},
    {"4", 3},
    {"5", 2},
    {"6", 1},
    {"7", 0.6},
    {"8", 0.4},
    {"10", 0.5},
    {"12", 0.5},
}};

// Working days from reception to the answer of an inadmissible request.
constexpr std::array<Weighted, 4> kInadmissibleAnswerDays = {{
    {"0", 35},
    {"1", 40},
    {"2", 15},
    {"3", 10},
}};

// Receptions by month (the reference fund's 2025).
constexpr std::array<double, 12> kMonthWeight = {25, 20, 23, 22, 24, 21, 19, 18, 27, 26, 25, 22};
// A non-working day receives this fraction of a working day's requests
// (about 3% of receptions fall on weekends and holidays).
constexpr double kNonWorkingDayWeight = 0.07;

// Probability that an optional field is unknown.
constexpr double kUnknown = 0.02;

// ---------------------------------------------------------------------------

Date NextWorkingDay(WorkCalendar cal, Date d) {
  while (!IsWorkingDay(cal, d)) d = d + 1;
  return d;
}

std::optional<std::string> Maybe(Rng& rng, std::string_view code, double p_unknown = kUnknown) {
  if (rng.Chance(p_unknown)) return std::nullopt;
  return std::string(code);
}

const std::array<Weighted, 6>& ChannelTable(std::string_view emitter) {
  if (emitter == "allocataire") return kChannelOfBeneficiary;
  if (emitter == "tiers") return kChannelOfThirdParty;
  if (emitter == "service_interne") return kChannelOfInternal;
  return kChannelOfPartner;
}

std::string AllocataireNumber(Rng& rng) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%07d", rng.Int(1000000, 9999999));
  return buf;
}

// Fills the fields every request has (who, what about, the household).
void FillIntake(Rng& rng, Case& c) {
  const std::string_view emitter = Pick(rng, kEmitter);
  const std::string_view channel = Pick(rng, ChannelTable(emitter));
  c.emitter = Maybe(rng, emitter);
  c.channel = Maybe(rng, channel, 0.015);
  if (!rng.Chance(0.04)) c.allocataire_number = AllocataireNumber(rng);
  if (!rng.Chance(kUnknown)) c.motives = PickSeveral(rng, kMotive, 0.09);
  if (!rng.Chance(kUnknown)) c.benefits = PickSeveral(rng, kBenefit, 0.18);
  c.household = Maybe(rng, Pick(rng, kHousehold), 0.012);
  const bool disabled = c.benefits && std::find(c.benefits->begin(), c.benefits->end(),
                                                "handicap") != c.benefits->end();
  c.activity =
      Maybe(rng, disabled && rng.Chance(0.3) ? "handicap_invalide" : Pick(rng, kActivity), 0.012);
  if (!rng.Chance(0.04)) {
    const std::string_view bracket = Pick(rng, kQfBracket);
    c.quotient_familial = bracket == "0_500"      ? rng.Int(0, 500)
                          : bracket == "501_1000" ? rng.Int(501, 1000)
                                                  : rng.Int(1001, 2600);
  }
  if (!rng.Chance(kUnknown)) c.fraud = rng.Chance(0.17);
}

void FillInadmissible(Rng& rng, const SyntheticSpec& spec, Case& c) {
  c.admissibility = "irrecevable";
  const std::string_view reason = Pick(rng, kInadmissibilityReason);
  c.inadmissibility_reason = std::string(reason);
  if (reason == "absence_demarche_prealable") {
    if (rng.Chance(0.75)) {
      c.prior_step = "aucune";
    } else {  // a complaint sent the same day as the mediation request
      c.prior_step = "reclamation";
      c.prior_step_on = c.received_on;
    }
  } else if (reason == "recours_contentieux") {
    c.prior_step = "recours_contentieux";
    c.prior_step_on = c.received_on - rng.Int(10, 120);
  } else if (rng.Chance(0.4)) {
    c.prior_step = "reclamation";
    c.prior_step_on = c.received_on - rng.Int(1, 60);
  } else if (rng.Chance(0.5)) {
    c.prior_step = "aucune";
  }
  const int days = static_cast<int>(PickIndex(rng, kInadmissibleAnswerDays));
  Date answered = AddWorkingDays(spec.calendar, c.received_on, days);
  if (answered > spec.until) return;
  c.answered_on = answered;
  c.response_modes = std::vector<std::string>{rng.Chance(0.88) ? "courriel" : "courrier"};
  const Date closed = rng.Chance(0.8) ? answered : AddWorkingDays(spec.calendar, answered, 1);
  if (closed > spec.until) return;
  c.closed_on = closed;
}

void FillAdmissible(Rng& rng, const SyntheticSpec& spec, Case& c) {
  c.admissibility = "recevable";
  if (!rng.Chance(kUnknown)) {
    c.prior_step = rng.Chance(0.9) ? "reclamation" : "recours_amiable";
    if (!rng.Chance(0.05)) c.prior_step_on = c.received_on - (1 + rng.Int(0, 30) + rng.Int(0, 45));
  }
  const WorkCalendar cal = spec.calendar;
  int wd = kTakeChargeDays[PickIndex(rng, kTakeChargeWeights)];
  // The online form's requests come complete and are taken a little faster.
  if (wd > 0 && c.channel == "teleprocedure" && rng.Chance(0.3)) --wd;
  if (wd == 0 && !IsWorkingDay(cal, c.received_on)) wd = 1;
  const Date taken = AddWorkingDays(cal, c.received_on, wd);
  if (taken > spec.until) return;
  c.taken_in_charge_on = taken;

  // Calendar days to the answer: mostly 2 to 26 (mean about 14), sometimes a
  // long wait on a commission or a council decision.
  int days = 2 + rng.Int(0, 12) + rng.Int(0, 12);
  if (rng.Chance(0.04)) days += rng.Int(15, 60);
  if (rng.Chance(0.01)) days += rng.Int(60, 150);
  Date answered = NextWorkingDay(cal, std::max(c.received_on + days, taken));
  if (answered > spec.until) return;
  c.answered_on = answered;
  if (!rng.Chance(kUnknown)) {
    c.response_modes = PickSeveral(rng, kResponseMode, 0.15);
  }
  const Date closed = rng.Chance(0.7) ? answered : AddWorkingDays(cal, answered, rng.Int(1, 3));
  if (closed > spec.until) return;
  c.closed_on = closed;

  const std::string_view cause = Pick(rng, kCause);
  c.cause = Maybe(rng, cause);
  const std::string_view resolution =
      Pick(rng, cause == "pas_erreur_caf" ? kResolutionNoError : kResolutionCafError);
  c.resolution = Maybe(rng, resolution, 0.01);

  std::vector<FinancialLine> lines;
  if (resolution == "revisee" && rng.Chance(0.76)) {
    lines.push_back({"rappel", rng.AmountCents(2500, 1.0, 15, 30000)});
  }
  if (rng.Chance(0.006)) lines.push_back({"indu_detecte", rng.AmountCents(600, 0.8, 20, 8000)});
  if (rng.Chance(0.006)) lines.push_back({"indu_annule", rng.AmountCents(900, 0.8, 20, 8000)});
  if (rng.Chance(0.023)) lines.push_back({"indu_remis", rng.AmountCents(6000, 0.9, 100, 40000)});
  if (!lines.empty()) c.financial = std::move(lines);
}

// Internal requests (G@ci): about one case taken in charge in ten asks a
// service of the fund (the reference year: 17 requests for 175 closed
// cases), a few working days after taking it in charge; the answer comes in
// 1 to 6 working days (about 3.5 on average; 3.4 in the reference year), a
// few never come, and none after `until`.
void FillInternalRequests(Rng& rng, const SyntheticSpec& spec, Case& c) {
  if (!c.taken_in_charge_on || !rng.Chance(0.1)) return;
  const WorkCalendar cal = spec.calendar;
  std::vector<InternalRequestDates> requests;
  Date sent = AddWorkingDays(cal, *c.taken_in_charge_on, rng.Int(0, 3));
  const int n = rng.Chance(0.15) ? 2 : 1;
  for (int i = 0; i < n && sent <= spec.until; ++i) {
    InternalRequestDates r{sent, std::nullopt};
    if (!rng.Chance(0.05)) {
      const Date answered = AddWorkingDays(cal, sent, rng.Int(1, 3) + rng.Int(0, 3));
      if (answered <= spec.until) r.answered_on = answered;
    }
    requests.push_back(r);
    sent = AddWorkingDays(cal, sent, rng.Int(2, 6));
  }
  if (!requests.empty()) c.internal_requests = std::move(requests);
}

int64_t DaysInYear(int year) {
  return Date::FromCivil(year + 1, 1, 1) - Date::FromCivil(year, 1, 1);
}

}  // namespace

Status CheckSpec(const SyntheticSpec& spec) {
  if (spec.organisme.size() != 3 || !std::all_of(spec.organisme.begin(), spec.organisme.end(),
                                                 [](char ch) { return ch >= '0' && ch <= '9'; })) {
    return Fail(msg::Invalid("synthetic.organisme", "organisme", {spec.organisme}));
  }
  if (!InCalendarRange(spec.from) || !InCalendarRange(spec.until)) {
    return Fail(msg::Invalid("synthetic.dates", "from"));
  }
  if (spec.from > spec.until) return Fail(msg::Invalid("synthetic.order", "from"));
  if (spec.cases_per_year < 0 || spec.cases_per_year > 1000000) {
    return Fail(msg::Invalid("synthetic.cases_per_year", "cases_per_year"));
  }
  if (!(spec.yearly_growth > -1.0 && spec.yearly_growth <= 10.0)) {
    return Fail(msg::Invalid("synthetic.growth", "yearly_growth"));
  }
  for (int y = spec.from.year(); y <= spec.until.year(); ++y) {
    if (SyntheticCasesInYear(spec, y) > 99999) {
      return Fail(msg::Invalid("synthetic.year_too_full", "cases_per_year", {std::to_string(y)}));
    }
  }
  return {};
}

int64_t SyntheticCasesInYear(const SyntheticSpec& spec, int year) {
  if (year < spec.from.year() || year > spec.until.year()) return 0;
  const Date first = std::max(spec.from, Date::FromCivil(year, 1, 1));
  const Date last = std::min(spec.until, Date::FromCivil(year, 12, 31));
  if (last < first) return 0;
  const int base = spec.base_year != 0 ? spec.base_year : spec.until.year();
  const double rate = spec.cases_per_year * std::pow(1.0 + spec.yearly_growth, year - base);
  const double share =
      static_cast<double>(last - first + 1) / static_cast<double>(DaysInYear(year));
  return std::llround(rate * share);
}

Status GenerateCases(const SyntheticSpec& spec, std::vector<Case>* out) {
  if (Status s = CheckSpec(spec); !s) return s;
  Rng rng(SplitMix64(spec.seed ^ SplitMix64(std::stoull(spec.organisme) + 0x5eed)));
  // Internal requests draw from their own stream, so that adding them left
  // every other field of the cases as it was.
  Rng side(SplitMix64(spec.seed ^ SplitMix64(std::stoull(spec.organisme) + 0x9ac1)));
  std::vector<double> cumulative;
  std::vector<Date> dates;
  for (int year = spec.from.year(); year <= spec.until.year(); ++year) {
    const int64_t n = SyntheticCasesInYear(spec, year);
    if (n == 0) continue;
    // Reception days, weighted by month and by working day.
    const Date first = std::max(spec.from, Date::FromCivil(year, 1, 1));
    const Date last = std::min(spec.until, Date::FromCivil(year, 12, 31));
    cumulative.clear();
    double total = 0;
    for (Date d = first; d <= last; d = d + 1) {
      const double w = kMonthWeight[static_cast<size_t>(d.month() - 1)] /
                       DaysInMonth(year, d.month()) *
                       (IsWorkingDay(spec.calendar, d) ? 1.0 : kNonWorkingDayWeight);
      total += w;
      cumulative.push_back(total);
    }
    dates.clear();
    for (int64_t i = 0; i < n; ++i) {
      const double x = rng.Uniform() * total;
      const size_t k = static_cast<size_t>(
          std::upper_bound(cumulative.begin(), cumulative.end(), x) - cumulative.begin());
      dates.push_back(first + static_cast<int>(std::min(k, cumulative.size() - 1)));
    }
    std::sort(dates.begin(), dates.end());

    out->reserve(out->size() + static_cast<size_t>(n));
    char ref[32];
    for (int64_t i = 0; i < n; ++i) {
      Case& c = out->emplace_back();
      std::snprintf(ref, sizeof ref, "%s-%04d-%05lld", spec.organisme.c_str(), year,
                    static_cast<long long>(i + 1));
      c.reference = ref;
      c.organisme = spec.organisme;
      c.received_on = dates[static_cast<size_t>(i)];
      // Decided before the intake fields so that the online form's
      // inadmissibility rate is a little higher (39% against 34%).
      const double draw = rng.Uniform();
      FillIntake(rng, c);
      const double p_inadmissible = c.channel == "teleprocedure" ? 0.39 : 0.34;
      if (draw < p_inadmissible) {
        // Inadmissible requests are less documented.
        c.household.reset();
        c.activity.reset();
        c.quotient_familial.reset();
        if (rng.Chance(0.5)) c.motives.reset();
        FillInadmissible(rng, spec, c);
      } else {
        FillAdmissible(rng, spec, c);
        FillInternalRequests(side, spec, c);
      }
      c.state = InferState(c);
    }
  }
  return {};
}

// ---------------------------------------------------------------------------
// The funds.

namespace {

struct FundRow {
  const char* code;
  const char* name;
  const char* zone;
  const char* region;  // INSEE region code (nomenclature::Region())
};

// The reference fund first, then one fund of Alsace-Moselle and one overseas
// (the three demo funds), then the others by code.
constexpr FundRow kFunds[] = {
    {"631", "Caf du Puy-de-Dôme", "metropole", "84"},
    {"671", "Caf du Bas-Rhin", "alsace_moselle", "44"},
    {"974", "Caf de La Réunion", "reunion", "04"},
    {"011", "Caf de l'Ain", "metropole", "84"},
    {"021", "Caf de l'Aisne", "metropole", "32"},
    {"031", "Caf de l'Allier", "metropole", "84"},
    {"041", "Caf des Alpes-de-Haute-Provence", "metropole", "93"},
    {"051", "Caf des Hautes-Alpes", "metropole", "93"},
    {"061", "Caf des Alpes-Maritimes", "metropole", "93"},
    {"071", "Caf de l'Ardèche", "metropole", "84"},
    {"081", "Caf des Ardennes", "metropole", "44"},
    {"091", "Caf de l'Ariège", "metropole", "76"},
    {"101", "Caf de l'Aube", "metropole", "44"},
    {"111", "Caf de l'Aude", "metropole", "76"},
    {"121", "Caf de l'Aveyron", "metropole", "76"},
    {"131", "Caf des Bouches-du-Rhône", "metropole", "93"},
    {"141", "Caf du Calvados", "metropole", "28"},
    {"151", "Caf du Cantal", "metropole", "84"},
    {"161", "Caf de la Charente", "metropole", "75"},
    {"171", "Caf de la Charente-Maritime", "metropole", "75"},
    {"181", "Caf du Cher", "metropole", "24"},
    {"191", "Caf de la Corrèze", "metropole", "75"},
    {"201", "Caf de la Corse-du-Sud", "metropole", "94"},
    {"202", "Caf de la Haute-Corse", "metropole", "94"},
    {"211", "Caf de la Côte-d'Or", "metropole", "27"},
    {"221", "Caf des Côtes-d'Armor", "metropole", "53"},
    {"231", "Caf de la Creuse", "metropole", "75"},
    {"241", "Caf de la Dordogne", "metropole", "75"},
    {"251", "Caf du Doubs", "metropole", "27"},
    {"261", "Caf de la Drôme", "metropole", "84"},
    {"271", "Caf de l'Eure", "metropole", "28"},
    {"281", "Caf d'Eure-et-Loir", "metropole", "24"},
    {"291", "Caf du Finistère", "metropole", "53"},
    {"301", "Caf du Gard", "metropole", "76"},
    {"311", "Caf de la Haute-Garonne", "metropole", "76"},
    {"321", "Caf du Gers", "metropole", "76"},
    {"331", "Caf de la Gironde", "metropole", "75"},
    {"341", "Caf de l'Hérault", "metropole", "76"},
    {"351", "Caf d'Ille-et-Vilaine", "metropole", "53"},
    {"361", "Caf de l'Indre", "metropole", "24"},
    {"371", "Caf d'Indre-et-Loire", "metropole", "24"},
    {"381", "Caf de l'Isère", "metropole", "84"},
    {"391", "Caf du Jura", "metropole", "27"},
    {"401", "Caf des Landes", "metropole", "75"},
    {"411", "Caf du Loir-et-Cher", "metropole", "24"},
    {"421", "Caf de la Loire", "metropole", "84"},
    {"431", "Caf de la Haute-Loire", "metropole", "84"},
    {"441", "Caf de la Loire-Atlantique", "metropole", "52"},
    {"451", "Caf du Loiret", "metropole", "24"},
    {"461", "Caf du Lot", "metropole", "76"},
    {"471", "Caf du Lot-et-Garonne", "metropole", "75"},
    {"481", "Caf de la Lozère", "metropole", "76"},
    {"491", "Caf de Maine-et-Loire", "metropole", "52"},
    {"501", "Caf de la Manche", "metropole", "28"},
    {"511", "Caf de la Marne", "metropole", "44"},
    {"521", "Caf de la Haute-Marne", "metropole", "44"},
    {"531", "Caf de la Mayenne", "metropole", "52"},
    {"541", "Caf de Meurthe-et-Moselle", "metropole", "44"},
    {"551", "Caf de la Meuse", "metropole", "44"},
    {"561", "Caf du Morbihan", "metropole", "53"},
    {"571", "Caf de la Moselle", "alsace_moselle", "44"},
    {"581", "Caf de la Nièvre", "metropole", "27"},
    {"591", "Caf du Nord", "metropole", "32"},
    {"601", "Caf de l'Oise", "metropole", "32"},
    {"611", "Caf de l'Orne", "metropole", "28"},
    {"621", "Caf du Pas-de-Calais", "metropole", "32"},
    {"641", "Caf des Pyrénées-Atlantiques", "metropole", "75"},
    {"651", "Caf des Hautes-Pyrénées", "metropole", "76"},
    {"661", "Caf des Pyrénées-Orientales", "metropole", "76"},
    {"681", "Caf du Haut-Rhin", "alsace_moselle", "44"},
    {"691", "Caf du Rhône", "metropole", "84"},
    {"701", "Caf de la Haute-Saône", "metropole", "27"},
    {"711", "Caf de Saône-et-Loire", "metropole", "27"},
    {"721", "Caf de la Sarthe", "metropole", "52"},
    {"731", "Caf de la Savoie", "metropole", "84"},
    {"741", "Caf de la Haute-Savoie", "metropole", "84"},
    {"751", "Caf de Paris", "metropole", "11"},
    {"761", "Caf de la Seine-Maritime", "metropole", "28"},
    {"771", "Caf de Seine-et-Marne", "metropole", "11"},
    {"781", "Caf des Yvelines", "metropole", "11"},
    {"791", "Caf des Deux-Sèvres", "metropole", "75"},
    {"801", "Caf de la Somme", "metropole", "32"},
    {"811", "Caf du Tarn", "metropole", "76"},
    {"821", "Caf de Tarn-et-Garonne", "metropole", "76"},
    {"831", "Caf du Var", "metropole", "93"},
    {"841", "Caf de Vaucluse", "metropole", "93"},
    {"851", "Caf de la Vendée", "metropole", "52"},
    {"861", "Caf de la Vienne", "metropole", "75"},
    {"871", "Caf de la Haute-Vienne", "metropole", "75"},
    {"881", "Caf des Vosges", "metropole", "44"},
    {"891", "Caf de l'Yonne", "metropole", "27"},
    {"901", "Caf du Territoire de Belfort", "metropole", "27"},
    {"911", "Caf de l'Essonne", "metropole", "11"},
    {"921", "Caf des Hauts-de-Seine", "metropole", "11"},
    {"931", "Caf de la Seine-Saint-Denis", "metropole", "11"},
    {"941", "Caf du Val-de-Marne", "metropole", "11"},
    {"951", "Caf du Val-d'Oise", "metropole", "11"},
    {"971", "Caf de la Guadeloupe", "guadeloupe", "01"},
    {"972", "Caf de la Martinique", "martinique", "02"},
    {"973", "Caf de la Guyane", "guyane", "03"},
    {"976", "Caf de Mayotte", "mayotte", "06"},
};

}  // namespace

int AllFrenchFundsCount() { return static_cast<int>(std::size(kFunds)); }

std::vector<SyntheticFund> FrenchFunds(int count, uint64_t seed) {
  count = std::clamp(count, 0, AllFrenchFundsCount());
  std::vector<SyntheticFund> out;
  Rng rng(SplitMix64(seed ^ 0xf0d5f0d5ULL));
  double total = 0;
  for (int i = 0; i < count; ++i) {
    const FundRow& r = kFunds[i];
    SyntheticFund f;
    f.organisme = Organisme{r.code, r.name, r.zone, r.region, false};
    f.weight = std::exp(0.6 * std::clamp(rng.Normal(), -2.0, 2.0));
    total += f.weight;
    out.push_back(std::move(f));
  }
  for (SyntheticFund& f : out) f.weight *= count / total;
  return out;
}

}  // namespace amiable
