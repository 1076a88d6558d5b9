#include "report/brand.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "report/writers.h"

namespace amiable::report {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

double Linear(double c) { return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4); }

double Luminance(Rgb c) {
  return 0.2126 * Linear(c.r) + 0.7152 * Linear(c.g) + 0.0722 * Linear(c.b);
}

constexpr Rgb kWhite{1, 1, 1};
constexpr Rgb kInk{0.16, 0.18, 0.22};  // the writers' body text

}  // namespace

std::optional<Rgb> ParseHexColour(std::string_view hex) {
  if (hex.size() != 7 || hex[0] != '#') return std::nullopt;
  double v[3];
  for (int i = 0; i < 3; ++i) {
    const int hi = HexDigit(hex[1 + 2 * i]);
    const int lo = HexDigit(hex[2 + 2 * i]);
    if (hi < 0 || lo < 0) return std::nullopt;
    v[i] = (hi * 16 + lo) / 255.0;
  }
  return Rgb{v[0], v[1], v[2]};
}

double Contrast(Rgb a, Rgb b) {
  const double la = Luminance(a);
  const double lb = Luminance(b);
  return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

Rgb ReadableOnWhite(Rgb c, double ratio) {
  for (int i = 0; i < 60 && Contrast(c, kWhite) < ratio; ++i) {
    c = {c.r * 0.92, c.g * 0.92, c.b * 0.92};
  }
  return c;
}

BrandColours BrandColoursOf(Rgb picked) {
  BrandColours b;
  b.band = picked;
  b.accent = picked;
  b.text = ReadableOnWhite(picked);
  b.on_band = Contrast(kWhite, picked) >= 4.5 ? kWhite : kInk;
  return b;
}

bool LogoTypeDrawable(std::string_view type) { return type == "image/png"; }

std::string BrandStyles(std::string_view colour) {
  const std::optional<Rgb> c = ParseHexColour(colour);
  if (!c) return "";
  const BrandColours b = BrandColoursOf(*c);
  return ".amiable-report{--amiable-brand:" + b.text.Hex() + ";--amiable-accent:" +
         b.accent.Hex() + "}\n";
}

}  // namespace amiable::report
