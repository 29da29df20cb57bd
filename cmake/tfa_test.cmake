# tfa_add_test(NAME SOURCES... LIBS...) builds one GoogleTest binary and registers its
# cases with CTest. Does nothing when tests are off, so src/ can list tests beside the code.
function(tfa_add_test name)
  if(NOT TFA_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest_main GTest::gmock)
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60)
endfunction()
include(GoogleTest)
