#pragma once
// Every sealed value in the schema, for key rotation.
#include <cstdint>

#include "core/random.hpp"
#include "crypto/sealer.hpp"
#include "storage/sql/database.hpp"

namespace tfa::storage::sql {

/// The authenticated contexts of the other sealed columns (see factor_secret_context).
std::string yubikey_secret_context(std::string_view public_id);
std::string yubico_client_secret_context(std::int64_t client_id);

/// Opens every sealed value with any key `sealer` holds and seals it again under its primary
/// key, all in one transaction: either every value moves to the new key or none does.
/// Returns how many values were re-sealed. A value that does not open aborts the rotation
/// with an error naming it, and nothing is changed.
Result<std::int64_t> reseal_all(Database& database, const crypto::Sealer& sealer, Random& random);

}  // namespace tfa::storage::sql
