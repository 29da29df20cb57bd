// Config: every kind of problem is reported, naming the file, key or variable to fix.
#include "config/config_test_fixture.hpp"

namespace tfa::config {
namespace {

using namespace test;  // NOLINT: the fixture and helpers of config_test_fixture.hpp

// ---- errors from the file ------------------------------------------------------------------

TEST_F(ConfigTest, MissingFileIsReported) {
  const fs::path path = dir_ / "absent.toml";
  auto config = load_config(path, environment_from({}));
  ASSERT_FALSE(config.has_value());
  EXPECT_EQ(config.error().message,
            "cannot read config file " + path.string() + ": No such file or directory");
}

TEST_F(ConfigTest, MissingFileNamedByTfaConfigSaysSo) {
  const fs::path path = dir_ / "absent.toml";
  auto config = load_config(std::nullopt, environment_from({{"TFA_CONFIG", path.string()}}));
  ASSERT_FALSE(config.has_value());
  EXPECT_EQ(config.error().message, "TFA_CONFIG: cannot read config file " + path.string() +
                                        ": No such file or directory");
}

TEST_F(ConfigTest, DirectoryIsNotAConfigFile) {
  auto config = load_config(dir_, environment_from({}));
  ASSERT_FALSE(config.has_value());
  EXPECT_EQ(config.error().message,
            "cannot read config file " + dir_.string() + ": Is a directory");
}

TEST_F(ConfigTest, SyntaxErrorNamesLineAndColumn) {
  const std::string message = error_of("issuer = \"ok\"\n\ndatabase_pool_size = = 4\n");
  EXPECT_TRUE(message.starts_with(file_.string() + ":3:")) << message;
  EXPECT_EQ(lines(message).size(), 1u) << message;
}

TEST_F(ConfigTest, UnknownKeysAreErrors) {
  const std::string message = error_of("databse = \"sqlite:x.db\"\n[password]\nmin_lenght = 3\n");
  EXPECT_EQ(lines(message), (std::vector<std::string>{
                                in_file() + "unknown key \"databse\"",
                                in_file() + "unknown key \"password.min_lenght\"",
                            }));
}

TEST_F(ConfigTest, UnknownSectionIsAnError) {
  EXPECT_EQ(error_of("[pasword]\nmin_length = 3\n"), in_file() + "unknown key \"pasword\"");
}

TEST_F(ConfigTest, SectionMustBeATable) {
  EXPECT_EQ(error_of("password = 3\n"), in_file() + "password: expected a table, got integer 3");
}

TEST_F(ConfigTest, WrongTypesNameKeyAndValue) {
  EXPECT_EQ(error_of("[password]\nargon2_ops = \"three\"\n"),
            in_file() + "password.argon2_ops: expected an integer, got string \"three\"");
  EXPECT_EQ(error_of("database_pool_size = 4.0\n"),
            in_file() + "database_pool_size: expected an integer, got floating-point 4.0");
  EXPECT_EQ(error_of("issuer = 7\n"), in_file() + "issuer: expected a string, got integer 7");
  EXPECT_EQ(error_of("data_dir = true\n"),
            in_file() + "data_dir: expected a string, got boolean true");
  EXPECT_EQ(error_of("database = [\"a\"]\n"),
            in_file() + "database: expected a string, got an array");
}

TEST_F(ConfigTest, FileIntegersOutOfRangeNameKeyAndBounds) {
  EXPECT_EQ(error_of("database_pool_size = 0\n"),
            in_file() + "database_pool_size: must be from 1 to 64, got 0");
  EXPECT_EQ(error_of("[password]\nargon2_memory_kib = -1\n"),
            in_file() + "password.argon2_memory_kib: must be from 8 to 4194304, got -1");
}

TEST_F(ConfigTest, FileValidationProblemsNameFileAndKey) {
  EXPECT_EQ(error_of("issuer = \"Acme: Console\"\n"),
            in_file() +
                "issuer: \"Acme: Console\" must not contain ':' (the Key URI format uses it to "
                "separate issuer and account)");
  EXPECT_EQ(error_of("issuer = \"\"\n"),
            in_file() + "issuer: must not be empty (authenticator apps show it)");
}

// ---- errors from the environment -----------------------------------------------------------

TEST_F(ConfigTest, VariableThatIsNotAWholeNumber) {
  for (const std::string bad : {"x", "3.0", " 3", "3 ", "+3", "0x10", ""}) {
    auto config = load_config(std::nullopt, environment_from({{"TFA_DATABASE_POOL_SIZE", bad}}));
    ASSERT_FALSE(config.has_value()) << bad;
    EXPECT_EQ(config.error().message,
              "TFA_DATABASE_POOL_SIZE: \"" + bad + "\" is not a whole number");
  }
}

TEST_F(ConfigTest, VariableOutOfRangeNamesVariableAndBounds) {
  auto config = load_config(std::nullopt, environment_from({{"TFA_PASSWORD_ARGON2_OPS", "0"}}));
  ASSERT_FALSE(config.has_value());
  EXPECT_EQ(config.error().message, "TFA_PASSWORD_ARGON2_OPS: must be from 1 to 100, got 0");

  config = load_config(std::nullopt,
                       environment_from({{"TFA_PASSWORD_MIN_LENGTH", "99999999999999999999"}}));
  ASSERT_FALSE(config.has_value());
  EXPECT_EQ(config.error().message,
            "TFA_PASSWORD_MIN_LENGTH: must be from 1 to 1024, got 99999999999999999999");
}

TEST_F(ConfigTest, VariableValidationProblemsNameTheVariable) {
  auto config = load_config(std::nullopt, environment_from({{"TFA_ISSUER", "a:b"}}));
  ASSERT_FALSE(config.has_value());
  EXPECT_TRUE(config.error().message.starts_with("TFA_ISSUER: \"a:b\" must not contain ':'"))
      << config.error().message;

  config = load_config(std::nullopt, environment_from({{"TFA_DATA_DIR", ""}}));
  ASSERT_FALSE(config.has_value());
  EXPECT_EQ(config.error().message,
            "TFA_DATA_DIR: must not be empty (use \".\" for the working directory)");
}

TEST_F(ConfigTest, VariableFixesAProblemInTheFileButTheFileIsStillReported) {
  const std::string message =
      error_of("[password]\nargon2_ops = \"three\"\n", {{"TFA_PASSWORD_ARGON2_OPS", "3"}});
  EXPECT_EQ(message, in_file() + "password.argon2_ops: expected an integer, got string \"three\"");
}

// ---- database URL --------------------------------------------------------------------------

TEST_F(ConfigTest, DatabaseUrlSchemes) {
  for (const std::string ok : {"", "sqlite:x.db", "sqlite:/var/lib/tfa/tfa.db",
                               "postgresql://tfa@db/tfa", "postgres://db/tfa"}) {
    Config config;
    config.database = ok;
    EXPECT_TRUE(validate(config).has_value()) << ok;
  }
  auto config = load_config(std::nullopt, environment_from({{"TFA_DATABASE", "sqlite:"}}));
  ASSERT_FALSE(config.has_value());
  EXPECT_EQ(config.error().message,
            "TFA_DATABASE: sqlite: needs a file path, as in sqlite:/var/lib/tfa/tfa.db");
}

TEST_F(ConfigTest, DatabaseErrorsDoNotEchoTheUrl) {
  const std::string message = error_of("database = \"mysql://tfa:hunter2@db/tfa\"\n");
  EXPECT_EQ(message, in_file() +
                         "database: unsupported scheme \"mysql\"; expected \"\" (SQLite in "
                         "data_dir), sqlite:PATH, postgresql://... or postgres://...");
  EXPECT_EQ(message.find("hunter2"), std::string::npos);
  EXPECT_EQ(error_of("database = \"tfa.db\"\n"),
            in_file() +
                "database: has no scheme; expected \"\" (SQLite in data_dir), sqlite:PATH, "
                "postgresql://... or postgres://...");
}

// ---- several problems at once --------------------------------------------------------------

TEST_F(ConfigTest, ReportsEveryProblemTogether) {
  const std::string message = error_of(R"(
databse = "x"
issuer = ""
database_pool_size = 100
[password]
argon2_ops = "three"
)",
                                       {{"TFA_PASSWORD_MIN_LENGTH", "x"},
                                        {"TFA_PASSWORD_ARGON2_MEMORY_KIB", "4"}});
  // In file order, then the variables; validation problems sit with the line they concern.
  const std::vector<std::string> expected = {
      in_file() + "unknown key \"databse\"",
      in_file() + "issuer: must not be empty (authenticator apps show it)",
      in_file() + "database_pool_size: must be from 1 to 64, got 100",
      in_file() + "password.argon2_ops: expected an integer, got string \"three\"",
      "TFA_PASSWORD_ARGON2_MEMORY_KIB: must be from 8 to 4194304, got 4",
      "TFA_PASSWORD_MIN_LENGTH: \"x\" is not a whole number",
  };
  EXPECT_EQ(lines(message), expected) << message;
}

TEST_F(ConfigTest, UnreadableFileDoesNotHideVariableProblems) {
  auto config = load_config(dir_ / "absent.toml",
                            environment_from({{"TFA_DATABASE_POOL_SIZE", "many"}}));
  ASSERT_FALSE(config.has_value());
  EXPECT_EQ(lines(config.error().message).size(), 2u) << config.error().message;
}

// ---- validate() on a Config built in code --------------------------------------------------

struct RangeCase {
  const char* key;
  void (*set)(Config&, std::int64_t);
  std::int64_t min;
  std::int64_t max;
};

TEST(ConfigValidate, IntegerBoundsAreInclusive) {
  const RangeCase cases[] = {
      {"database_pool_size", [](Config& c, std::int64_t v) { c.database_pool_size = int(v); }, 1,
       64},
      {"password.argon2_ops",
       [](Config& c, std::int64_t v) { c.password.argon2_ops = std::uint64_t(v); }, 1, 100},
      {"password.argon2_memory_kib",
       [](Config& c, std::int64_t v) { c.password.argon2_memory_kib = std::uint64_t(v); }, 8,
       4194304},
      {"password.min_length",
       [](Config& c, std::int64_t v) { c.password.min_length = std::size_t(v); }, 1, 1024},
  };
  for (const RangeCase& rc : cases) {
    for (std::int64_t ok : {rc.min, rc.max}) {
      Config config;
      rc.set(config, ok);
      EXPECT_TRUE(find_problems(config).empty()) << rc.key << " = " << ok;
    }
    for (std::int64_t bad : {rc.min - 1, rc.max + 1}) {
      Config config;
      rc.set(config, bad);
      const auto problems = find_problems(config);
      ASSERT_EQ(problems.size(), 1u) << rc.key << " = " << bad;
      EXPECT_EQ(problems[0].key, rc.key);
    }
  }
}

TEST(ConfigValidate, HugeUnsignedValueIsOutOfRange) {
  Config config;
  config.password.argon2_memory_kib = ~std::uint64_t{0};
  const auto problems = find_problems(config);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].key, "password.argon2_memory_kib");
}

TEST(ConfigValidate, ErrorListsKeyAndMessagePerLine) {
  Config config;
  config.database = "mysql://db";
  config.issuer = "";
  auto result = validate(config);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, Errc::invalid_argument);
  const auto got = lines(result.error().message);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_TRUE(got[0].starts_with("database: unsupported scheme \"mysql\"")) << got[0];
  EXPECT_EQ(got[1], "issuer: must not be empty (authenticator apps show it)");
}

// ---- [server] ------------------------------------------------------------------------------

TEST(ConfigListen, ParsesIpv4AndBracketedIpv6) {
  auto v4 = parse_listen_address("127.0.0.1:8080");
  ASSERT_TRUE(v4.has_value());
  EXPECT_EQ(v4->host, "127.0.0.1");
  EXPECT_EQ(v4->port, 8080);
  auto v6 = parse_listen_address("[::1]:0");
  ASSERT_TRUE(v6.has_value());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 0);
  EXPECT_TRUE(parse_listen_address("0.0.0.0:65535").has_value());
  EXPECT_TRUE(parse_listen_address("[::]:443").has_value());
}

TEST(ConfigListen, RefusesNamesMissingPortsAndBadNumbers) {
  for (const char* text : {"localhost:8080", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536",
                           "127.0.0.1:-1", "127.0.0.1:80x", "::1:8080", "[127.0.0.1]:80",
                           "[::1]", "1.2.3:80", ":8080", ""}) {
    auto parsed = parse_listen_address(text);
    ASSERT_FALSE(parsed.has_value()) << text;
    EXPECT_EQ(parsed.error().code, Errc::invalid_argument);
  }
}

TEST_F(ConfigTest, ServerSectionFromFileAndEnvironment) {
  write("[server]\nlisten = \"[::1]:9000\"\nthreads = 4\ntrusted_proxy = \"127.0.0.1\"\n"
        "public_url = \"https://auth.example.com\"\n");
  auto config = load_config(file_, environment_from({{"TFA_SERVER_READ_TIMEOUT_SECONDS", "2"}}));
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(config->server.listen, "[::1]:9000");
  EXPECT_EQ(config->server.threads, 4);
  EXPECT_EQ(config->server.read_timeout_seconds, 2);
  EXPECT_EQ(config->server.idle_timeout_seconds, 60);
  EXPECT_EQ(config->server.trusted_proxy, "127.0.0.1");
  EXPECT_EQ(config->server.public_url, "https://auth.example.com");
}

TEST(ConfigValidate, ServerTextSettingsAreChecked) {
  Config config;
  config.server.listen = "localhost:80";
  config.server.trusted_proxy = "proxy.internal";
  config.server.public_url = "auth.example.com";
  const auto problems = find_problems(config);
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_EQ(problems[0].key, "server.listen");
  EXPECT_EQ(problems[1].key, "server.trusted_proxy");
  EXPECT_EQ(problems[2].key, "server.public_url");
  config.server.trusted_proxy = "::1";
  config.server.listen = "[::]:8443";
  config.server.public_url = "https://auth.example.com/tfa";
  EXPECT_TRUE(find_problems(config).empty());
  config.server.public_url = "https:///path";
  EXPECT_EQ(find_problems(config).size(), 1u);
}

// ---- booleans --------------------------------------------------------------------------------

TEST_F(ConfigTest, BooleansComeFromTomlBooleansAndWordsInVariables) {
  write("signup = false\n[login]\ncode_in_password = true\n");
  auto config = load_config(file_, environment_from({}));
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_FALSE(config->signup);
  EXPECT_TRUE(config->login.code_in_password);
  for (const auto& [word, value] : std::vector<std::pair<std::string, bool>>{
           {"true", true}, {"1", true}, {"yes", true}, {"false", false}, {"0", false}, {"no", false}}) {
    auto from_env = load_config(std::nullopt, environment_from({{"TFA_SIGNUP", word}}));
    ASSERT_TRUE(from_env.has_value()) << word;
    EXPECT_EQ(from_env->signup, value) << word;
  }
}

TEST_F(ConfigTest, BadBooleansNameTheKeyOrVariable) {
  EXPECT_EQ(error_of("signup = \"no\"\n"), in_file() + "signup: expected true or false, got string \"no\"");
  auto config = load_config(std::nullopt, environment_from({{"TFA_LOGIN_CODE_IN_PASSWORD", "maybe"}}));
  ASSERT_FALSE(config.has_value());
  EXPECT_EQ(config.error().message, "TFA_LOGIN_CODE_IN_PASSWORD: \"maybe\" is not true or false");
}

}  // namespace
}  // namespace tfa::config
