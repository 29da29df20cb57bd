# Generates a .cpp that holds every page template and the stylesheet as strings, so the binary
# carries its console. Called at build time with -DSOURCE_DIR=src/web -DOUTPUT=...
set(delimiter tfa_web)

function(embed_text file out_var)
  file(READ ${file} body)
  string(FIND "${body}" ")${delimiter}\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${file} contains the raw-string delimiter )${delimiter}\"")
  endif()
  set(${out_var} "R\"${delimiter}(${body})${delimiter}\"" PARENT_SCOPE)
endfunction()

file(GLOB templates "${SOURCE_DIR}/templates/*.mustache")
list(SORT templates)
set(entries "")
foreach(template ${templates})
  get_filename_component(name ${template} NAME_WE)
  embed_text(${template} text)
  string(APPEND entries "    {\"${name}\", ${text}},\n")
endforeach()
embed_text(${SOURCE_DIR}/static/style.css STYLESHEET)
embed_text(${SOURCE_DIR}/static/console.js SCRIPT)

file(WRITE ${OUTPUT}.tmp "// Generated from src/web/templates/ and src/web/static/ by embed_assets.cmake. Do not edit.
#include \"web/assets.hpp\"

namespace tfa::web::assets {
namespace {
constexpr Template kTemplates[] = {
${entries}};
constexpr std::string_view kStylesheet = ${STYLESHEET};
constexpr std::string_view kScript = ${SCRIPT};
}  // namespace

std::span<const Template> templates() { return kTemplates; }
std::string_view stylesheet() { return kStylesheet; }
std::string_view script() { return kScript; }

}  // namespace tfa::web::assets
")
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different ${OUTPUT}.tmp ${OUTPUT})
