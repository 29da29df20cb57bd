# Generates a .cpp that holds every migration script as a string, so the binary carries its
# schema. Called at build time with -DSOURCE_DIR=... -DOUTPUT=...
function(embed_dialect dialect out_var)
  file(GLOB scripts "${SOURCE_DIR}/${dialect}/V*.sql")
  list(SORT scripts)
  set(entries "")
  foreach(script ${scripts})
    get_filename_component(name ${script} NAME_WE)
    string(REGEX MATCH "^V([0-9]+)__(.*)$" _ ${name})
    math(EXPR version "${CMAKE_MATCH_1}")
    file(READ ${script} body)
    string(APPEND entries "    {${version}, \"${CMAKE_MATCH_2}\", R\"tfa_sql(${body})tfa_sql\"},\n")
  endforeach()
  set(${out_var} "${entries}" PARENT_SCOPE)
endfunction()

embed_dialect(sqlite SQLITE_ENTRIES)
embed_dialect(postgres POSTGRES_ENTRIES)
file(WRITE ${OUTPUT}.tmp "// Generated from src/storage/migrations/ by embed_migrations.cmake. Do not edit.
#include \"storage/sql/migrations.hpp\"

namespace tfa::storage::sql {
namespace {
constexpr Migration kSqlite[] = {
${SQLITE_ENTRIES}};
constexpr Migration kPostgres[] = {
${POSTGRES_ENTRIES}};
}  // namespace

std::span<const Migration> migrations_for(Dialect dialect) {
  if (dialect == Dialect::sqlite) return kSqlite;
  return kPostgres;
}

}  // namespace tfa::storage::sql
")
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different ${OUTPUT}.tmp ${OUTPUT})
