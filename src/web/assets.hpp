#pragma once
// The console's templates and stylesheet, embedded at build time from src/web/templates/ and
// src/web/static/ (see embed_assets.cmake), so the binary needs no files beside it.
#include <span>
#include <string_view>

namespace tfa::web::assets {

struct Template {
  std::string_view name;  // the file name without ".mustache", e.g. "login"
  std::string_view text;
};

/// Every template, sorted by name.
std::span<const Template> templates();

/// The text of style.css.
std::string_view stylesheet();

/// The text of console.js: optional Copy and Print buttons for the backup codes.
std::string_view script();

}  // namespace tfa::web::assets
