# Generates a .cpp holding src/api/openapi.json as a string, so the binary serves its own
# contract. Called at build time with -DINPUT=... -DOUTPUT=...
file(READ ${INPUT} body)
string(FIND "${body}" ")tfa_openapi\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw-string delimiter")
endif()
file(WRITE ${OUTPUT}.tmp "// Generated from src/api/openapi.json by embed_openapi.cmake. Do not edit.
#include <string_view>

namespace tfa::api {
extern const std::string_view kOpenApiDocument;
const std::string_view kOpenApiDocument = R\"tfa_openapi(${body})tfa_openapi\";
}  // namespace tfa::api
")
file(COPY_FILE ${OUTPUT}.tmp ${OUTPUT} ONLY_IF_DIFFERENT)
