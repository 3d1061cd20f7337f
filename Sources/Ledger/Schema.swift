import GRDB

/// The ledger's schema, as migrations from the first version on: a new
/// version adds a migration, never edits one that shipped.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE run (
                        id TEXT PRIMARY KEY,
                        started TEXT NOT NULL,
                        finished TEXT,
                        status TEXT NOT NULL,            -- running, done, failed
                        accepted INTEGER NOT NULL DEFAULT 0,
                        rejected INTEGER NOT NULL DEFAULT 0,
                        duplicates INTEGER NOT NULL DEFAULT 0
                    );
                    CREATE TABLE file (
                        id INTEGER PRIMARY KEY,
                        sha256 TEXT NOT NULL UNIQUE,     -- a file merged once, whatever its name
                        name TEXT NOT NULL,
                        format TEXT NOT NULL,
                        profiles TEXT NOT NULL,
                        source_kind TEXT,
                        records INTEGER NOT NULL,
                        new_records INTEGER NOT NULL,
                        skipped_rows INTEGER NOT NULL,
                        warnings INTEGER NOT NULL,
                        run_id TEXT NOT NULL,
                        received TEXT NOT NULL,
                        stored_as TEXT NOT NULL
                    );
                    CREATE TABLE rejection (
                        id INTEGER PRIMARY KEY,
                        sha256 TEXT NOT NULL,
                        name TEXT NOT NULL,
                        run_id TEXT NOT NULL,
                        errors INTEGER NOT NULL,
                        report TEXT NOT NULL,
                        at TEXT NOT NULL
                    );
                    CREATE TABLE student (
                        id TEXT PRIMARY KEY,
                        surname TEXT NOT NULL,
                        name TEXT NOT NULL,
                        patronymic TEXT,
                        birth_date TEXT NOT NULL,
                        sex TEXT,
                        snils TEXT,
                        journal_id TEXT,
                        file_id INTEGER NOT NULL REFERENCES file(id),
                        sheet TEXT,
                        row INTEGER
                    );
                    CREATE TABLE enrolment (
                        student_id TEXT NOT NULL REFERENCES student(id),
                        year INTEGER NOT NULL,
                        class TEXT NOT NULL,
                        grade INTEGER NOT NULL,
                        enrolled TEXT,
                        left_date TEXT,
                        file_id INTEGER NOT NULL REFERENCES file(id),
                        sheet TEXT,
                        row INTEGER,
                        PRIMARY KEY (student_id, year)
                    );
                    CREATE INDEX enrolment_class ON enrolment(year, class);
                    -- Marks are most of the ledger: kept clustered by student (WITHOUT ROWID), so a
                    -- file's marks go in as runs and a student's dossier reads one stretch of pages.
                    CREATE TABLE mark (
                        student_id TEXT NOT NULL,
                        fact INTEGER NOT NULL,           -- the fact's identity: the same mark from two files is one
                        subject TEXT NOT NULL,
                        year INTEGER NOT NULL,
                        class TEXT,
                        kind TEXT NOT NULL,
                        period TEXT,
                        value TEXT NOT NULL,
                        date TEXT,
                        work TEXT,
                        weight REAL,
                        file_id INTEGER NOT NULL,
                        sheet TEXT,
                        row INTEGER,
                        col INTEGER,
                        PRIMARY KEY (student_id, fact)
                    ) WITHOUT ROWID;
                    CREATE INDEX mark_key ON mark(student_id, subject, year, period) WHERE kind <> 'current';
                    CREATE TABLE exam (
                        id INTEGER PRIMARY KEY,
                        fact INTEGER NOT NULL UNIQUE,
                        student_id TEXT NOT NULL,
                        subject TEXT NOT NULL,
                        form TEXT NOT NULL,
                        level TEXT,
                        primary_score REAL,
                        test_score REAL,
                        mark TEXT,
                        date TEXT,
                        year INTEGER NOT NULL,
                        retake INTEGER NOT NULL,
                        file_id INTEGER NOT NULL,
                        sheet TEXT,
                        row INTEGER
                    );
                    CREATE INDEX exam_student ON exam(student_id, year);
                    CREATE TABLE achievement (
                        id INTEGER PRIMARY KEY,
                        fact INTEGER NOT NULL UNIQUE,
                        student_id TEXT NOT NULL,
                        grp TEXT NOT NULL,
                        category TEXT NOT NULL,
                        event TEXT NOT NULL,
                        level TEXT,
                        result TEXT,
                        date TEXT,
                        year INTEGER NOT NULL,
                        subject TEXT,
                        organiser TEXT,
                        doc_kind TEXT,
                        doc_number TEXT,
                        scan_name TEXT,
                        scan_sha256 TEXT,
                        gir INTEGER NOT NULL,
                        other_org TEXT,
                        consent TEXT,
                        file_id INTEGER NOT NULL,
                        sheet TEXT,
                        row INTEGER
                    );
                    CREATE INDEX achievement_student ON achievement(student_id, year);
                    CREATE TABLE encouragement (
                        id INTEGER PRIMARY KEY,
                        fact INTEGER NOT NULL UNIQUE,
                        student_id TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        area TEXT NOT NULL,
                        order_number TEXT,
                        order_date TEXT,
                        year INTEGER NOT NULL,
                        basis TEXT,
                        file_id INTEGER NOT NULL,
                        sheet TEXT,
                        row INTEGER
                    );
                    CREATE INDEX encouragement_student ON encouragement(student_id, year);
                    CREATE TABLE development (
                        id INTEGER PRIMARY KEY,
                        fact INTEGER NOT NULL UNIQUE,
                        student_id TEXT NOT NULL,
                        kind TEXT NOT NULL,              -- personal, metasubject
                        category TEXT NOT NULL,
                        indicator TEXT,
                        value TEXT NOT NULL,
                        date TEXT,
                        year INTEGER NOT NULL,
                        basis TEXT,
                        file_id INTEGER NOT NULL,
                        sheet TEXT,
                        row INTEGER
                    );
                    CREATE INDEX development_student ON development(student_id, year);
                    CREATE TABLE conflict (
                        id INTEGER PRIMARY KEY,
                        student_id TEXT NOT NULL,
                        subject TEXT NOT NULL,
                        year INTEGER NOT NULL,
                        period TEXT NOT NULL,
                        status TEXT NOT NULL,            -- open, resolved
                        rule TEXT,                       -- the policy rule that decided
                        winner_fact INTEGER,             -- the deciding mark (mark.fact of this student)
                        detected_run TEXT NOT NULL,
                        updated_run TEXT NOT NULL,
                        UNIQUE (student_id, subject, year, period)
                    );
                    CREATE TABLE scan (
                        sha256 TEXT PRIMARY KEY,
                        name TEXT NOT NULL,
                        size INTEGER NOT NULL
                    );
                    CREATE TABLE pending_emit (
                        student_id TEXT PRIMARY KEY      -- dossiers to write again: set with the merge, cleared after writing
                    );
                    """)
        }
        migrator.registerMigration("v2-outputs") { db in
            try db.execute(
                sql: """
                    CREATE TABLE output (
                        kind TEXT NOT NULL,              -- dossier, attestat, …
                        owner TEXT NOT NULL,             -- the student id, or year|class
                        path TEXT NOT NULL,              -- relative to the outbox
                        sha256 TEXT NOT NULL,
                        PRIMARY KEY (kind, owner)
                    );
                    """)
        }
        migrator.registerMigration("v3-register-numbers") { db in
            try db.execute(
                sql: """
                    CREATE TABLE register_number (
                        year INTEGER NOT NULL,
                        student_id TEXT NOT NULL,
                        number INTEGER NOT NULL,
                        PRIMARY KEY (year, student_id),
                        UNIQUE (year, number)            -- a number is never given twice in a year
                    );
                    """)
        }
        migrator.registerMigration("v4-pending-marks") { db in
            // A pending output remembers which merge asked for it, so an emit
            // clears only the requests it has seen: a merge committed while
            // another process writes outputs is not forgotten.
            try db.execute(
                sql: """
                    ALTER TABLE pending_emit ADD COLUMN mark INTEGER NOT NULL DEFAULT 0;
                    CREATE TABLE emit_counter (value INTEGER NOT NULL);
                    INSERT INTO emit_counter (value) VALUES (0);
                    """)
        }
        migrator.registerMigration("v5-sign-and-source") { db in
            // «5-», «4+»: the base mark counts, the sign the teacher wrote is kept.
            // A file's source kind is declared by the folder it was put in: why, in words.
            try db.execute(
                sql: """
                    ALTER TABLE mark ADD COLUMN sign TEXT;
                    ALTER TABLE file ADD COLUMN source_reason TEXT;
                    """)
        }
        migrator.registerMigration("v6-exam-no-result") { db in
            // A registration without a result (не явился, аннулирован): the word the row carried;
            // and the column of the result's cell, so a final mark cites the cell, not the row.
            try db.execute(sql: "ALTER TABLE exam ADD COLUMN no_result TEXT")
            try db.execute(sql: "ALTER TABLE exam ADD COLUMN col INTEGER")
        }
        migrator.registerMigration("v7-fact-identity") { db in
            try FactIdentityMigration.run(db)
        }
        migrator.registerMigration("v8-decisions") { db in
            // A person's decision of a conflict: the value chosen among the values seen, who,
            // when and why; undone or reopened (a later file brought a value it did not see),
            // never deleted. A conflict a decision settles has status 'decided'; one whose
            // differing values went with a withdrawn file, 'closed'.
            // A withdrawal: an accepted file's facts taken out of the ledger, the file row kept.
            // fact_copy: every file that carries a fact another file brought first (the fact row
            // cites one of them), so a withdrawal keeps the facts the other files still carry.
            try db.execute(
                sql: """
                    CREATE TABLE decision (
                        id INTEGER PRIMARY KEY,
                        conflict_id INTEGER NOT NULL REFERENCES conflict(id),
                        value TEXT NOT NULL,             -- the mark's code
                        seen_values TEXT NOT NULL,       -- the codes in conflict when decided, '|'-joined, sorted
                        reason TEXT NOT NULL,
                        decided_by TEXT NOT NULL,
                        decided_at TEXT NOT NULL,
                        undone_at TEXT,
                        undone_by TEXT,
                        reopened_run TEXT,               -- a run whose file brought a value the decision did not see
                        reopened_values TEXT
                    );
                    CREATE INDEX decision_conflict ON decision(conflict_id);
                    CREATE TABLE withdrawal (
                        id INTEGER PRIMARY KEY,
                        file_id INTEGER NOT NULL UNIQUE REFERENCES file(id),
                        sha256 TEXT NOT NULL,
                        name TEXT NOT NULL,
                        reason TEXT NOT NULL,
                        withdrawn_by TEXT NOT NULL,
                        withdrawn_at TEXT NOT NULL,
                        facts_removed INTEGER NOT NULL,
                        facts_kept INTEGER NOT NULL      -- facts another file also carries: they stay, citing it
                    );
                    CREATE TABLE fact_copy (
                        tbl TEXT NOT NULL,               -- mark, exam, achievement, encouragement, development
                        student_id TEXT NOT NULL,
                        fact INTEGER NOT NULL,
                        file_id INTEGER NOT NULL,
                        sheet TEXT,
                        row INTEGER,
                        col INTEGER,
                        PRIMARY KEY (tbl, student_id, fact, file_id)
                    ) WITHOUT ROWID;
                    CREATE INDEX fact_copy_file ON fact_copy(file_id);
                    """)
        }
        migrator.registerMigration("v9-attestat-issues") { db in
            // The school's record of attestats handed out (blank, date of issue), for the ФИС ФРДО
            // upload; values as written, checked by the export. Two rows of one student and year
            // that differ are both kept: the export names both files.
            try db.execute(
                sql: """
                    CREATE TABLE attestat_issue (
                        id INTEGER PRIMARY KEY,
                        fact INTEGER NOT NULL UNIQUE,
                        identity BLOB NOT NULL UNIQUE,   -- FactIdentity of the row
                        student_id TEXT NOT NULL,
                        year INTEGER NOT NULL,
                        register_number TEXT,
                        blank_series TEXT,
                        blank_number TEXT,
                        issue_date TEXT,
                        status TEXT,
                        loss_confirmation TEXT,
                        exchange_confirmation TEXT,
                        destruction_confirmation TEXT,
                        snils TEXT,
                        citizenship TEXT,
                        study_form TEXT,
                        file_id INTEGER NOT NULL,
                        sheet TEXT,
                        row INTEGER,
                        col INTEGER
                    );
                    CREATE INDEX attestat_issue_student ON attestat_issue(student_id, year);
                    """)
        }
        migrator.registerMigration("v10-current-mark-packs") { db in
            // Current marks packed by student, subject, year and file (`MarkPack`): one row for
            // what was a row a mark. Period and year marks stay rows: conflicts are found among them.
            try db.execute(
                sql: """
                    CREATE TABLE current_marks (
                        id INTEGER PRIMARY KEY,
                        student_id TEXT NOT NULL,
                        subject TEXT NOT NULL,
                        year INTEGER NOT NULL,
                        file_id INTEGER NOT NULL,        -- the file every mark of the pack cites
                        count INTEGER NOT NULL,
                        identities BLOB NOT NULL,        -- the marks' identities, 32 bytes each, in identity order
                        entries BLOB NOT NULL,           -- the marks' fields, in the same order
                        UNIQUE (student_id, subject, year, file_id)
                    );
                    CREATE INDEX current_marks_file ON current_marks(file_id);
                    """)
            try CurrentMarks.packRows(db)
        }
        return migrator
    }
}
