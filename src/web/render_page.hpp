#pragma once
// What the render() functions share: each turns its view into Mustache values and renders its
// page's template inside the layout.
#include <string>
#include <string_view>

#include <kainjow/mustache.hpp>

#include "web/views.hpp"

namespace tfa::web::detail {

namespace mustache = kainjow::mustache;

/// Sets `key` only when `value` is not empty: Mustache treats an empty string as true, and the
/// templates use `{{#error}}` and the like to show a box or attribute only for a real value.
void set_if_present(mustache::data& values, const std::string& key, const std::string& value);

/// Renders the template `page` (a file in templates/) inside the layout, with `values` plus the
/// layout's own (page_title, signed_in, signed_in_as, csrf). Every `{{value}}` is HTML-escaped;
/// a template error is a bug of this library and throws std::logic_error.
std::string render_page(std::string_view page, const Layout& layout, mustache::data values);

}  // namespace tfa::web::detail
