#pragma once
// QR codes (via libqrencode) of an otpauth URI, drawn for a web page or a terminal.
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace tfa::qr {

class QrCode {
 public:
  /// Encodes `text` as bytes with error correction level M (15% of the symbol may be damaged),
  /// in the smallest version that fits. Fails for empty text or text too long for any version.
  static Result<QrCode> encode(std::string_view text);

  /// Modules per side, without the quiet zone.
  int size() const noexcept { return size_; }
  bool is_dark(int x, int y) const noexcept { return modules_[static_cast<std::size_t>(y * size_ + x)]; }

  /// A standalone SVG document: black modules on white, with the 4-module quiet zone the
  /// standard asks for, `pixels_per_module` pixels per module (width and height attributes) and
  /// a viewBox so it scales. Labelled for screen readers with `title`.
  std::string to_svg(int pixels_per_module = 6, std::string_view title = "QR code") const;

  /// The code as UTF-8 text for a terminal: two module rows per line with half-block
  /// characters, light modules drawn and dark ones left blank (as `qrencode -t UTF8` does), so
  /// it reads on the usual light-on-dark terminal. Includes the quiet zone.
  std::string to_terminal_text() const;

 private:
  QrCode(int size, std::vector<bool> modules) : size_(size), modules_(std::move(modules)) {}

  int size_;
  std::vector<bool> modules_;  // row-major, true = dark
};

inline constexpr int kQuietZone = 4;

}  // namespace tfa::qr
