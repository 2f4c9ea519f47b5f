#pragma once
// The project schema as ordered migrations, and the upgrade path that backs a project up first.

#include "core/result.h"

namespace annotune::core::store {

class Database;

inline constexpr int kSchemaVersion = 4;

// Brings a fresh or older database to kSchemaVersion. Before touching an existing project it
// writes an online backup beside it ("NAME.annotune.v1.bak"). Refuses a newer schema untouched.
// stopAt (tests) migrates only up to that version.
Status migrate(Database &db, int stopAt = kSchemaVersion);

// The SQL of migration n (1-based), for tests that build an old project.
const char *migrationSql(int n);

} // namespace annotune::core::store
