#include "qr/qr_code.hpp"

#include <memory>

#include <qrencode.h>

#include "core/escape_html.hpp"

namespace tfa::qr {
namespace {

struct QrcodeDeleter {
  void operator()(QRcode* code) const noexcept { QRcode_free(code); }
};

}  // namespace

Result<QrCode> QrCode::encode(std::string_view text) {
  if (text.empty()) return fail(Errc::invalid_argument, "nothing to encode: the text is empty");
  // QRcode_encodeData takes a length, so text with NUL bytes is encoded whole.
  std::unique_ptr<QRcode, QrcodeDeleter> code(
      QRcode_encodeData(static_cast<int>(text.size()),
                        reinterpret_cast<const unsigned char*>(text.data()), 0, QR_ECLEVEL_M));
  if (!code) {
    return fail(Errc::invalid_argument, "the text (" + std::to_string(text.size()) +
                                            " bytes) is too long for a QR code");
  }
  const int width = code->width;
  std::vector<bool> modules(static_cast<std::size_t>(width * width));
  for (std::size_t i = 0; i < modules.size(); ++i) modules[i] = (code->data[i] & 1) != 0;
  return QrCode(width, std::move(modules));
}

std::string QrCode::to_svg(int pixels_per_module, std::string_view title) const {
  const int full = size_ + 2 * kQuietZone;
  const int pixels = full * pixels_per_module;
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"" +
                    std::to_string(pixels) + "\" height=\"" + std::to_string(pixels) +
                    "\" viewBox=\"0 0 " + std::to_string(full) + " " + std::to_string(full) +
                    "\" shape-rendering=\"crispEdges\"><title>" + escape_html(title) +
                    "</title><rect width=\"" + std::to_string(full) + "\" height=\"" +
                    std::to_string(full) + "\" fill=\"#fff\"/><path fill=\"#000\" d=\"";
  // One horizontal run per path segment keeps the document small.
  for (int y = 0; y < size_; ++y) {
    for (int x = 0; x < size_;) {
      if (!is_dark(x, y)) {
        ++x;
        continue;
      }
      int run = 1;
      while (x + run < size_ && is_dark(x + run, y)) ++run;
      svg += "M" + std::to_string(x + kQuietZone) + " " + std::to_string(y + kQuietZone) + "h" +
             std::to_string(run) + "v1h-" + std::to_string(run) + "z";
      x += run;
    }
  }
  svg += "\"/></svg>\n";
  return svg;
}

std::string QrCode::to_terminal_text() const {
  const int full = size_ + 2 * kQuietZone;
  auto light = [&](int x, int y) {
    x -= kQuietZone;
    y -= kQuietZone;
    if (x < 0 || y < 0 || x >= size_ || y >= size_) return true;
    return !is_dark(x, y);
  };
  std::string text;
  for (int y = 0; y < full; y += 2) {
    for (int x = 0; x < full; ++x) {
      const bool top = light(x, y);
      const bool bottom = y + 1 < full ? light(x, y + 1) : false;
      if (top && bottom) text += "\u2588";   // full block
      else if (top) text += "\u2580";        // upper half block
      else if (bottom) text += "\u2584";     // lower half block
      else text += ' ';
    }
    text += '\n';
  }
  return text;
}

}  // namespace tfa::qr
