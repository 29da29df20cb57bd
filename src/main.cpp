#include "cli/cli.hpp"

int main(int argc, char** argv) { return tfa::cli::run(argc, argv); }
