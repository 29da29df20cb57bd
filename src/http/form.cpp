#include "http/form.hpp"

#include <boost/url/encoding_opts.hpp>
#include <boost/url/parse_query.hpp>

namespace tfa::http {

Result<FormFields> parse_form(std::string_view body_view) {
  FormFields fields;
  if (body_view.empty()) return fields;
  // Boost.URL 1.81's parse_query reads its argument up to a NUL byte (valgrind shows a
  // strlen inside it), so it gets a NUL-terminated copy, never a view into a larger buffer
  // such as the query of a request target.
  const std::string body(body_view);
  // parse_query checks the grammar, including every %XX escape, before anything is decoded.
  auto params = boost::urls::parse_query(body);
  if (!params) return fail(Errc::invalid_argument, "malformed form data");
  const boost::urls::encoding_opts form_encoding(/*space_as_plus=*/true);
  for (const auto& param : *params) {
    if (param.key.empty()) continue;
    if (fields.size() == kMaxFormFields) {
      return fail(Errc::invalid_argument,
                  "too many form fields (at most " + std::to_string(kMaxFormFields) + ")");
    }
    std::string name = param.key.decode(form_encoding);
    std::string value = param.has_value ? param.value.decode(form_encoding) : std::string();
    if (name.find('\0') != std::string::npos || value.find('\0') != std::string::npos) {
      return fail(Errc::invalid_argument, "form data contains a NUL byte");
    }
    // Rejected rather than first- or last-wins, so that no layer can read a different value
    // than another. The name is not echoed: it is client input and messages reach logs.
    if (fields.contains(name)) return fail(Errc::invalid_argument, "a form field is given twice");
    fields.emplace(std::move(name), std::move(value));
  }
  return fields;
}

std::string_view query_path(std::string_view target) {
  return target.substr(0, target.find('?'));
}

Result<FormFields> parse_target_query(std::string_view target) {
  const auto mark = target.find('?');
  if (mark == std::string_view::npos) return FormFields{};
  return parse_form(target.substr(mark + 1));
}

}  // namespace tfa::http
