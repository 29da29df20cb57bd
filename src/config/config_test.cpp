// Config: embedded defaults, the file and environment layers, and the table of keys.
#include "config/config_test_fixture.hpp"

namespace tfa::config {
namespace {

using namespace test;  // NOLINT: the fixture and helpers of config_test_fixture.hpp

// ---- defaults, layers and resolution -------------------------------------------------------

TEST_F(ConfigTest, DefaultsApplyWithoutFileOrEnvironment) {
  auto config = load_config(std::nullopt, environment_from({}));
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(config->data_dir, fs::path("tfa-data"));
  EXPECT_EQ(config->database, "");
  EXPECT_EQ(config->database_pool_size, 4);
  EXPECT_EQ(config->server_key_file, fs::path());
  EXPECT_EQ(config->issuer, "tfa");
  EXPECT_EQ(config->password.argon2_ops, 3u);
  EXPECT_EQ(config->password.argon2_memory_kib, 12288u);
  EXPECT_EQ(config->password.min_length, 8u);
  EXPECT_EQ(config->database_url(), "sqlite:tfa-data/tfa.db");
  EXPECT_EQ(config->key_file(), fs::path("tfa-data/secret.key"));
}

TEST_F(ConfigTest, EmbeddedDefaultsAreValid) { EXPECT_TRUE(find_problems(Config{}).empty()); }

TEST_F(ConfigTest, AppliesEveryFileValue) {
  const fs::path path = write(R"(
data_dir = "/var/lib/tfa"
database = "postgresql://tfa@db/tfa"
database_pool_size = 16
server_key_file = "/etc/tfa/secret.key"
issuer = "Example Cloud"

[password]
argon2_ops = 4
argon2_memory_kib = 65536
min_length = 12
)");
  auto config = load_config(path, environment_from({}));
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(config->data_dir, fs::path("/var/lib/tfa"));
  EXPECT_EQ(config->database, "postgresql://tfa@db/tfa");
  EXPECT_EQ(config->database_pool_size, 16);
  EXPECT_EQ(config->server_key_file, fs::path("/etc/tfa/secret.key"));
  EXPECT_EQ(config->issuer, "Example Cloud");
  EXPECT_EQ(config->password.argon2_ops, 4u);
  EXPECT_EQ(config->password.argon2_memory_kib, 65536u);
  EXPECT_EQ(config->password.min_length, 12u);
  EXPECT_EQ(config->database_url(), "postgresql://tfa@db/tfa");
  EXPECT_EQ(config->key_file(), fs::path("/etc/tfa/secret.key"));
}

TEST_F(ConfigTest, TheTotpWindowAndItsDriftLimitAreRead) {
  auto defaults = load_config(std::nullopt, environment_from({}));
  ASSERT_TRUE(defaults.has_value());
  EXPECT_EQ(defaults->login.totp_window_steps, 1);
  EXPECT_EQ(defaults->login.totp_max_drift_steps, 4);
  auto config = load_config(write("[login]\ntotp_window_steps = 0\ntotp_max_drift_steps = 2\n"),
                            environment_from({{"TFA_LOGIN_TOTP_MAX_DRIFT_STEPS", "3"}}));
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(config->login.totp_window_steps, 0);
  EXPECT_EQ(config->login.totp_max_drift_steps, 3);
  EXPECT_FALSE(load_config(write("[login]\ntotp_max_drift_steps = 11\n"), environment_from({})).has_value());
}

TEST_F(ConfigTest, TheCodeLengthOfNewFactorsIsSixToEight) {
  EXPECT_EQ(load_config(std::nullopt, environment_from({})).value().login.totp_digits, 6);
  auto eight = load_config(write("[login]\ntotp_digits = 8\n"), environment_from({}));
  ASSERT_TRUE(eight.has_value()) << eight.error().message;
  EXPECT_EQ(eight->login.totp_digits, 8);
  EXPECT_EQ(load_config(std::nullopt, environment_from({{"TFA_LOGIN_TOTP_DIGITS", "7"}})).value().login.totp_digits, 7);
  EXPECT_FALSE(load_config(write("[login]\ntotp_digits = 9\n"), environment_from({})).has_value());
  EXPECT_FALSE(load_config(write("[login]\ntotp_digits = 5\n"), environment_from({})).has_value());
}

TEST_F(ConfigTest, KeysLeftOutOfTheFileKeepTheirDefaults) {
  auto config = load_config(write("issuer = \"Acme\"\n"), environment_from({}));
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(config->issuer, "Acme");
  EXPECT_EQ(config->database_pool_size, 4);
  EXPECT_EQ(config->password.min_length, 8u);
}

TEST_F(ConfigTest, EnvironmentOverridesFile) {
  const fs::path path = write(R"(
data_dir = "from-file"
issuer = "File"
database_pool_size = 2
[password]
min_length = 10
argon2_ops = 5
)");
  auto config = load_config(path, environment_from({{"TFA_DATA_DIR", "from-env"},
                                                    {"TFA_ISSUER", "Env"},
                                                    {"TFA_DATABASE_POOL_SIZE", "8"},
                                                    {"TFA_PASSWORD_MIN_LENGTH", "14"},
                                                    {"TFA_PASSWORD_ARGON2_MEMORY_KIB", "32768"},
                                                    {"TFA_SERVER_KEY_FILE", "k.key"},
                                                    {"TFA_DATABASE", "sqlite:/tmp/x.db"}}));
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(config->data_dir, fs::path("from-env"));
  EXPECT_EQ(config->issuer, "Env");
  EXPECT_EQ(config->database_pool_size, 8);
  EXPECT_EQ(config->password.min_length, 14u);
  EXPECT_EQ(config->password.argon2_ops, 5u);  // from the file: no variable set
  EXPECT_EQ(config->password.argon2_memory_kib, 32768u);
  EXPECT_EQ(config->key_file(), fs::path("k.key"));
  EXPECT_EQ(config->database_url(), "sqlite:/tmp/x.db");
}

TEST_F(ConfigTest, EmptyVariableOverridesFileToo) {
  // TFA_DATABASE="" means "back to the default", even when the file names a database.
  const fs::path path = write("database = \"postgres://db/tfa\"\n");
  auto config = load_config(path, environment_from({{"TFA_DATABASE", ""}}));
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(config->database_url(), "sqlite:tfa-data/tfa.db");
}

TEST_F(ConfigTest, TfaConfigNamesTheFileWhenNoneIsGiven) {
  const fs::path path = write("issuer = \"Via TFA_CONFIG\"\n");
  auto config = load_config(std::nullopt, environment_from({{"TFA_CONFIG", path.string()}}));
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(config->issuer, "Via TFA_CONFIG");

  // An empty path counts as "no file given" too.
  config = load_config(fs::path(), environment_from({{"TFA_CONFIG", path.string()}}));
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(config->issuer, "Via TFA_CONFIG");
}

TEST_F(ConfigTest, GivenFileWinsOverTfaConfig) {
  const fs::path given = write("issuer = \"Given\"\n", "given.toml");
  const fs::path named = write("issuer = \"Named\"\n", "named.toml");
  auto config = load_config(given, environment_from({{"TFA_CONFIG", named.string()}}));
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(config->issuer, "Given");
}

TEST_F(ConfigTest, EmptyTfaConfigMeansNoFile) {
  auto config = load_config(std::nullopt, environment_from({{"TFA_CONFIG", ""}}));
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(config->issuer, "tfa");
}

TEST_F(ConfigTest, ProcessEnvironmentReadsGetenv) {
  ::setenv("TFA_TEST_CONFIG_VARIABLE", "value", 1);
  const Environment env = process_environment();
  EXPECT_EQ(env("TFA_TEST_CONFIG_VARIABLE"), "value");
  ::unsetenv("TFA_TEST_CONFIG_VARIABLE");
  EXPECT_EQ(env("TFA_TEST_CONFIG_VARIABLE"), std::nullopt);
}

TEST(ConfigResolution, EmptyDatabaseAndKeyFileResolveUnderDataDir) {
  Config config;
  config.data_dir = "/srv/tfa";
  EXPECT_EQ(config.database_url(), "sqlite:/srv/tfa/tfa.db");
  EXPECT_EQ(config.key_file(), fs::path("/srv/tfa/secret.key"));
  config.database = "sqlite:elsewhere.db";
  config.server_key_file = "keys/k";
  EXPECT_EQ(config.database_url(), "sqlite:elsewhere.db");
  EXPECT_EQ(config.key_file(), fs::path("keys/k"));  // relative to the working directory
}

TEST(ConfigFields, EnvironmentNamesFollowTheRule) {
  EXPECT_EQ(detail::env_name("data_dir"), "TFA_DATA_DIR");
  EXPECT_EQ(detail::env_name("password.argon2_memory_kib"), "TFA_PASSWORD_ARGON2_MEMORY_KIB");
}

TEST(ConfigFields, IntegerBoundsFitTheirMembers) {
  for (const detail::Field& field : detail::fields()) {
    if (field.kind != detail::FieldKind::integer) continue;
    Config config;
    field.set_integer(config, field.min);
    EXPECT_EQ(field.get_integer(config), field.min) << field.key;
    field.set_integer(config, field.max);
    EXPECT_EQ(field.get_integer(config), field.max) << field.key;
  }
}

TEST(ConfigFields, DocumentationNamesEveryKeyAndVariable) {
  std::ifstream in(TFA_CONFIGURATION_DOC);
  ASSERT_TRUE(in) << TFA_CONFIGURATION_DOC;
  const std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (const detail::Field& field : detail::fields()) {
    const std::string key(field.key.substr(field.key.rfind('.') + 1));
    EXPECT_NE(doc.find("`" + key + "`"), std::string::npos) << field.key;
    EXPECT_NE(doc.find("`" + detail::env_name(field.key) + "`"), std::string::npos) << field.key;
  }
}

}  // namespace
}  // namespace tfa::config
