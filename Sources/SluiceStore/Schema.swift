import GRDB

/// The store's schema, as GRDB migrations. A store whose applied migrations include one this
/// build does not know was written by a newer Sluice and is refused.
enum Schema {
    /// The store format this build writes; bumped with every migration.
    static let formatVersion = 3

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-queues-messages-idempotency-journal") { db in
            try db.execute(sql: v1)
        }
        migrator.registerMigration("v2-redrive-jobs") { db in
            try db.execute(sql: v2)
        }
        migrator.registerMigration("v3-queue-activity") { db in
            try db.execute(sql: v3)
        }
        return migrator
    }

    /// Three secondary indexes on messages, two of them used by every queue:
    /// - `messages_visible` drives receive (next visible message) and the in-flight/delayed counts;
    /// - `messages_sent` drives retention, oldest age and the edges of facet windows;
    /// - `messages_facet` (partial: DLQ rows only) drives filtered DLQ listing.
    /// `facet_buckets` keeps per-minute counts by error type for DLQ rows, maintained by triggers,
    /// so facet counts over a million messages read a few hundred bucket rows instead.
    static let v1 = """
    CREATE TABLE meta(key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
    CREATE TABLE queues(
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        visibility_ms INTEGER NOT NULL,
        retention_ms INTEGER NOT NULL,
        delay_ms INTEGER NOT NULL,
        dlq_name TEXT,
        max_receive_count INTEGER,
        is_dlq INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        depth INTEGER NOT NULL DEFAULT 0,
        sent INTEGER NOT NULL DEFAULT 0,
        received INTEGER NOT NULL DEFAULT 0,
        deleted INTEGER NOT NULL DEFAULT 0,
        failed INTEGER NOT NULL DEFAULT 0,
        dead_lettered INTEGER NOT NULL DEFAULT 0,
        expired INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE messages(
        seq INTEGER PRIMARY KEY,
        queue_id INTEGER NOT NULL,
        body BLOB NOT NULL,
        attrs BLOB,
        sent_at INTEGER NOT NULL,
        visible_at INTEGER NOT NULL,
        receive_count INTEGER NOT NULL DEFAULT 0,
        first_received_at INTEGER,
        dlq_at INTEGER,
        error_type TEXT,
        error_message TEXT,
        group_id TEXT,
        dedup_id TEXT,
        facet INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX messages_visible ON messages(queue_id, visible_at, receive_count);
    CREATE INDEX messages_sent ON messages(queue_id, sent_at);
    CREATE INDEX messages_facet ON messages(queue_id, error_type, sent_at) WHERE facet = 1;

    CREATE TABLE facet_buckets(
        queue_id INTEGER NOT NULL,
        error_type TEXT NOT NULL,
        bucket INTEGER NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY(queue_id, error_type, bucket)
    ) WITHOUT ROWID;
    CREATE TRIGGER facet_insert AFTER INSERT ON messages WHEN NEW.facet = 1 BEGIN
        INSERT INTO facet_buckets(queue_id, error_type, bucket, n)
        VALUES (NEW.queue_id, COALESCE(NEW.error_type, 'Unknown'), NEW.sent_at / 60000, 1)
        ON CONFLICT(queue_id, error_type, bucket) DO UPDATE SET n = n + 1;
    END;
    CREATE TRIGGER facet_delete AFTER DELETE ON messages WHEN OLD.facet = 1 BEGIN
        UPDATE facet_buckets SET n = n - 1
        WHERE queue_id = OLD.queue_id AND error_type = COALESCE(OLD.error_type, 'Unknown') AND bucket = OLD.sent_at / 60000;
    END;
    CREATE TRIGGER facet_update AFTER UPDATE OF queue_id, facet, error_type, sent_at ON messages
    WHEN OLD.facet = 1 OR NEW.facet = 1 BEGIN
        UPDATE facet_buckets SET n = n - 1
        WHERE OLD.facet = 1 AND queue_id = OLD.queue_id AND error_type = COALESCE(OLD.error_type, 'Unknown') AND bucket = OLD.sent_at / 60000;
        INSERT INTO facet_buckets(queue_id, error_type, bucket, n)
        SELECT NEW.queue_id, COALESCE(NEW.error_type, 'Unknown'), NEW.sent_at / 60000, 1 WHERE NEW.facet = 1
        ON CONFLICT(queue_id, error_type, bucket) DO UPDATE SET n = n + 1;
    END;

    CREATE TABLE idempotency(
        key TEXT PRIMARY KEY NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('INPROGRESS', 'COMPLETED')),
        result BLOB,
        expires_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
    ) WITHOUT ROWID;

    CREATE TABLE journal(
        seq INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        subject TEXT NOT NULL,
        details TEXT NOT NULL
    );
    CREATE INDEX journal_at ON journal(at);
    CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal BEGIN
        SELECT RAISE(ABORT, 'sluice: the audit journal is append-only');
    END;
    CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal BEGIN
        SELECT RAISE(ABORT, 'sluice: the audit journal is append-only');
    END;
    """

    /// Redrive jobs: the frozen selection (items), progress committed with every batch, leases so
    /// two redrives of one DLQ never run at once, and the job that last moved each message.
    static let v2 = """
    ALTER TABLE messages ADD COLUMN lineage_job TEXT;
    CREATE INDEX messages_lineage ON messages(lineage_job, queue_id) WHERE lineage_job IS NOT NULL;
    CREATE TABLE redrive_jobs(
        id TEXT PRIMARY KEY NOT NULL,
        dlq TEXT NOT NULL,
        destination TEXT NOT NULL,
        state TEXT NOT NULL,
        plan TEXT NOT NULL,
        actor TEXT NOT NULL,
        ack TEXT,
        reason TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        next_index INTEGER NOT NULL DEFAULT 0,
        total INTEGER NOT NULL,
        moved INTEGER NOT NULL DEFAULT 0,
        discarded INTEGER NOT NULL DEFAULT 0,
        gone INTEGER NOT NULL DEFAULT 0,
        failed INTEGER NOT NULL DEFAULT 0,
        skipped INTEGER NOT NULL DEFAULT 0,
        batches INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE redrive_items(
        job_id TEXT NOT NULL,
        idx INTEGER NOT NULL,
        message_id TEXT NOT NULL,
        error_type TEXT NOT NULL,
        sent_at INTEGER NOT NULL,
        strategy TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending',
        new_message_id TEXT,
        PRIMARY KEY(job_id, idx)
    ) WITHOUT ROWID;
    CREATE TABLE redrive_leases(
        dlq TEXT PRIMARY KEY NOT NULL,
        job_id TEXT NOT NULL,
        holder TEXT NOT NULL,
        expires_at INTEGER NOT NULL
    ) WITHOUT ROWID;
    """

    /// Per-minute activity of every queue (what its counters and depth changed by in that minute
    /// of the store's clock), kept by a trigger on the queue counters. With it an alarm evaluator
    /// that starts now — a command-line redrive, a console just opened — sees the last hour
    /// instead of INSUFFICIENT_DATA. `sluice_now()` is the store's injected clock, registered on
    /// every connection (see `Store.init`).
    static let v3 = """
    CREATE TABLE queue_minutes(
        queue_id INTEGER NOT NULL,
        minute INTEGER NOT NULL,
        depth INTEGER NOT NULL DEFAULT 0,
        sent INTEGER NOT NULL DEFAULT 0,
        received INTEGER NOT NULL DEFAULT 0,
        deleted INTEGER NOT NULL DEFAULT 0,
        failed INTEGER NOT NULL DEFAULT 0,
        dead_lettered INTEGER NOT NULL DEFAULT 0,
        expired INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY(queue_id, minute)
    ) WITHOUT ROWID;
    CREATE TRIGGER queue_minutes_track AFTER UPDATE OF depth, sent, received, deleted, failed, dead_lettered, expired ON queues
    BEGIN
        INSERT INTO queue_minutes(queue_id, minute, depth, sent, received, deleted, failed, dead_lettered, expired)
        VALUES (NEW.id, sluice_now() / 60000, NEW.depth - OLD.depth, NEW.sent - OLD.sent, NEW.received - OLD.received,
                NEW.deleted - OLD.deleted, NEW.failed - OLD.failed, NEW.dead_lettered - OLD.dead_lettered, NEW.expired - OLD.expired)
        ON CONFLICT(queue_id, minute) DO UPDATE SET
            depth = depth + excluded.depth, sent = sent + excluded.sent, received = received + excluded.received,
            deleted = deleted + excluded.deleted, failed = failed + excluded.failed,
            dead_lettered = dead_lettered + excluded.dead_lettered, expired = expired + excluded.expired;
    END;
    CREATE TRIGGER queue_minutes_drop AFTER DELETE ON queues
    BEGIN
        DELETE FROM queue_minutes WHERE queue_id = OLD.id;
    END;
    """
}
