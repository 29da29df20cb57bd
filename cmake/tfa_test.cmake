# tfa_add_test(NAME SOURCES... LIBS... [PROPERTIES ...]) builds one GoogleTest binary and
# registers its cases with CTest, each with the given test PROPERTIES (e.g. FIXTURES_REQUIRED).
# Does nothing when tests are off, so src/ can list tests beside the code.
function(tfa_add_test name)
  if(NOT TFA_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS;PROPERTIES" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest_main GTest::gmock)
  if(ARG_PROPERTIES)
    gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES ${ARG_PROPERTIES})
  else()
    gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60)
  endif()
endfunction()
include(GoogleTest)
