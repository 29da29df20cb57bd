#include "qr/qr_code.hpp"

#include <gtest/gtest.h>

#include <string>

namespace tfa::qr {
namespace {

constexpr std::string_view kUri =
    "otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example";

// Finder patterns (ISO/IEC 18004 §6.3.3) sit in three corners: a dark 7x7 ring around a light
// ring around a dark 3x3 square. Checking them proves the module matrix is laid out as read.
void expect_finder_at(const QrCode& code, int left, int top) {
  for (int y = 0; y < 7; ++y) {
    for (int x = 0; x < 7; ++x) {
      const bool ring = x == 0 || y == 0 || x == 6 || y == 6;
      const bool centre = x >= 2 && x <= 4 && y >= 2 && y <= 4;
      EXPECT_EQ(code.is_dark(left + x, top + y), ring || centre) << left + x << "," << top + y;
    }
  }
}

TEST(QrCode, EncodesAUriWithFinderPatternsInThreeCorners) {
  const auto code = QrCode::encode(kUri).value();
  ASSERT_GE(code.size(), 21);
  EXPECT_EQ((code.size() - 17) % 4, 0) << "sizes are 17 + 4 * version";
  expect_finder_at(code, 0, 0);
  expect_finder_at(code, code.size() - 7, 0);
  expect_finder_at(code, 0, code.size() - 7);
}

TEST(QrCode, RejectsEmptyAndOversizedText) {
  EXPECT_FALSE(QrCode::encode("").has_value());
  auto too_long = QrCode::encode(std::string(5000, 'a'));
  ASSERT_FALSE(too_long.has_value());
  EXPECT_NE(too_long.error().message.find("too long"), std::string::npos);
}

TEST(QrCode, SvgHasQuietZoneSizeAndAccessibleTitle) {
  const auto code = QrCode::encode(kUri).value();
  const std::string svg = code.to_svg(5, "Scan <this>");
  const int full = code.size() + 2 * kQuietZone;
  EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
  EXPECT_NE(svg.find("viewBox=\"0 0 " + std::to_string(full) + " " + std::to_string(full) + "\""),
            std::string::npos);
  EXPECT_NE(svg.find("width=\"" + std::to_string(full * 5) + "\""), std::string::npos);
  EXPECT_NE(svg.find("<title>Scan &lt;this&gt;</title>"), std::string::npos);
  // The top-left finder pattern's first row is a run of 7 dark modules at the quiet zone's edge.
  EXPECT_NE(svg.find("M4 4h7v1h-7z"), std::string::npos);
}

TEST(QrCode, TerminalTextHasOneCharacterPerModuleAndTwoRowsPerLine) {
  const auto code = QrCode::encode(kUri).value();
  const std::string text = code.to_terminal_text();
  const int full = code.size() + 2 * kQuietZone;
  int lines = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    ASSERT_NE(end, std::string::npos);
    const std::string line = text.substr(start, end - start);
    // Each module is one character: a 3-byte block glyph or a space.
    int characters = 0;
    for (std::size_t i = 0; i < line.size(); ++characters) i += line[i] == ' ' ? 1 : 3;
    EXPECT_EQ(characters, full);
    ++lines;
    start = end + 1;
  }
  EXPECT_EQ(lines, (full + 1) / 2);
  // The quiet zone is light, so the first line is all full blocks.
  EXPECT_EQ(text.substr(0, 3), "\u2588");
}

}  // namespace
}  // namespace tfa::qr
