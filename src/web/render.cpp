// The layout and the machinery shared by every page; the error page; the stylesheet.
#include <stdexcept>

#include "web/assets.hpp"
#include "web/render_page.hpp"

namespace tfa::web {
namespace detail {
namespace {

std::string_view source(std::string_view name) {
  for (const auto& entry : assets::templates()) {
    if (entry.name == name) return entry.text;
  }
  throw std::logic_error("no console template named " + std::string(name));
}

mustache::partial partial_of(std::string_view text) {
  return [text] { return std::string(text); };
}

}  // namespace

void set_if_present(mustache::data& values, const std::string& key, const std::string& value) {
  if (!value.empty()) values.set(key, value);
}

std::string render_page(std::string_view page, const Layout& layout, mustache::data values) {
  values.set("page_title", layout.title);
  values.set("signed_in", layout.signed_in);
  values.set("signed_in_as", layout.username);
  values.set("csrf", layout.csrf);
  // Templates named "_x" are snippets shared by pages ({{> _csrf}}); the layout includes the
  // page itself as {{> _body}}. The leading underscore keeps them apart from value names.
  for (const auto& entry : assets::templates()) {
    if (entry.name.starts_with('_')) values.set(std::string(entry.name), partial_of(entry.text));
  }
  values.set("_body", partial_of(source(page)));

  // The library's default escape function replaces & < > " and ', which is what a value needs
  // in element text and in a quoted attribute alike.
  mustache::mustache layout_template{std::string(source("layout"))};
  if (!layout_template.is_valid()) throw std::logic_error(layout_template.error_message());
  std::string html = layout_template.render(values);
  if (!layout_template.is_valid()) {
    throw std::logic_error(std::string(page) + ": " + layout_template.error_message());
  }
  return html;
}

}  // namespace detail

std::string render(const ErrorView& view) {
  detail::mustache::data values;
  values.set("status", std::to_string(view.status));
  values.set("heading", view.heading);
  values.set("message", view.message);
  return detail::render_page("error", view.layout, std::move(values));
}

std::string_view stylesheet() { return assets::stylesheet(); }
std::string_view script() { return assets::script(); }

}  // namespace tfa::web
