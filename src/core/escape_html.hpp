#pragma once
// Escaping text for HTML and XML (the notices' HTML part, the QR code's SVG title): & < > " '
// become entities, so the text can stand in element content or a quoted attribute.
#include <string>
#include <string_view>

namespace tfa {

std::string escape_html(std::string_view text);

}  // namespace tfa
