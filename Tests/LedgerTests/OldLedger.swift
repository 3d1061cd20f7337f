import GRDB
@testable import Ledger

/// A ledger file as the migrations up to `version` left it, holding one accepted
/// file (id 1, `a.csv`, of `records` records) and what `fill` writes: what an
/// older uchet made, for a later migration to meet.
func oldLedger(at path: String, upTo version: String, records: Int, _ fill: (Database) throws -> Void) throws {
    let old = try DatabaseQueue(path: path)
    try Schema.migrator.migrate(old, upTo: version)
    try old.write { db in
        try db.execute(
            sql: """
                INSERT INTO file (id, sha256, name, format, profiles, source_kind, records, new_records, skipped_rows, warnings, run_id, received, stored_as)
                VALUES (1, 'aa', 'a.csv', 'CSV', '', 'journal', ?, ?, 0, 0, 'r', 't', 'a.csv')
                """, arguments: [records, records])
        try fill(db)
    }
    try old.close()
}
