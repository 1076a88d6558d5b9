// Versioned schema migrations, portable between SQLite and PostgreSQL.
// Each migration is a list of statements in which {ID} stands for the
// engine's auto-increment primary key and {BLOB} for its binary type.
// Migrations are append-only: never edit one that has shipped.
#ifndef AMIABLE_STORE_MIGRATIONS_H_
#define AMIABLE_STORE_MIGRATIONS_H_

#include <span>
#include <string_view>
#include <vector>

namespace amiable::store {

struct Migration {
  int version;
  std::string_view description;
  std::vector<std::string_view> statements;
  // Statements only for one engine (e.g. FTS5 or tsvector), may be empty.
  std::vector<std::string_view> sqlite_only;
  std::vector<std::string_view> postgresql_only;
};

std::span<const Migration> Migrations();

// The search index of cases is kept by a trigger per inserted case. Bulk
// imports switch it off inside their transaction, insert, index the new
// cases (id > :max, bound as the only parameter) in one statement, and
// switch it on again. These must match the trigger of the migrations.
std::span<const std::string_view> SqliteSearchTriggerOff();
std::span<const std::string_view> SqliteSearchBulkIndex();
std::span<const std::string_view> SqliteSearchTriggerOn();
std::span<const std::string_view> PostgresqlSearchTriggerOff();
std::span<const std::string_view> PostgresqlSearchBulkIndex();
std::span<const std::string_view> PostgresqlSearchTriggerOn();

}  // namespace amiable::store

#endif  // AMIABLE_STORE_MIGRATIONS_H_
