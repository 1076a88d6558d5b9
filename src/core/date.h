// A local calendar date (no time, no zone), stored as days since 1970-01-01.
// Valid range for parsing: years 0001-9999. Cheap to copy and compare.
#ifndef AMIABLE_CORE_DATE_H_
#define AMIABLE_CORE_DATE_H_

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace amiable {

class Date {
 public:
  constexpr Date() = default;  // 1970-01-01
  static constexpr Date FromDays(int days) {
    Date d;
    d.days_ = days;
    return d;
  }
  // Requires a valid civil date (month 1-12, day within month).
  static Date FromCivil(int year, int month, int day);
  // Strict "YYYY-MM-DD"; nullopt for anything else or an impossible date.
  static std::optional<Date> Parse(std::string_view iso);
  // As typed in a form: "YYYY-MM-DD" or, where no date picker exists,
  // "DD/MM/YYYY"; nullopt for anything else or an impossible date.
  static std::optional<Date> ParseTyped(std::string_view s);
  // (There is no Date::Today(): "today" depends on a zone and on the one
  // clock of the process, see calendar/clock.h TodayIn.)

  int days() const { return days_; }
  int year() const;
  int month() const;  // 1-12
  int day() const;    // 1-31
  // ISO weekday: 1 = Monday ... 7 = Sunday.
  int iso_weekday() const;
  bool is_weekend() const { return iso_weekday() >= 6; }

  std::string ToString() const;        // "2025-01-06"
  std::string ToFrench() const;        // "06/01/2025"

  Date operator+(int n) const { return FromDays(days_ + n); }
  Date operator-(int n) const { return FromDays(days_ - n); }
  int operator-(Date o) const { return days_ - o.days_; }
  Date& operator++() {
    ++days_;
    return *this;
  }
  friend constexpr auto operator<=>(Date, Date) = default;
  friend constexpr bool operator==(Date, Date) = default;

 private:
  int days_ = 0;
};

// Days in a month of a proleptic Gregorian year.
int DaysInMonth(int year, int month);

}  // namespace amiable

#endif  // AMIABLE_CORE_DATE_H_
