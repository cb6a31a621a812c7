import Foundation
import FluentKit
import SQLKit

/// `gallery_revisions`: per order, a number the database raises whenever one of the order's headshot
/// rows is inserted, changed or deleted, whoever writes it (a worker on another machine, retention, a
/// support re-run, a favourite). The gallery's listing is cached per order and served again only while
/// the order's revision is the one it was built at (`GalleryCache`).
///
/// Triggers rather than code: a revision raised in Swift would miss any write that forgets it. A table
/// of its own rather than a column of `orders`, so raising it never waits for (or deadlocks with) a
/// transaction holding the order's row, such as a refund. SQLite raises it per row (it has one writer
/// at a time); PostgreSQL once per statement, from the statement's transition tables.
package struct CreateGalleryRevision: AsyncMigration {
    package static let triggers = ["generated_assets_gallery_insert", "generated_assets_gallery_update", "generated_assets_gallery_delete"]

    package func prepare(on database: any Database) async throws {
        try await database.schema("gallery_revisions")
            .field("order_id", .uuid, .identifier(auto: false))
            .field("revision", .int64, .required)
            .create()
        let sql = try database.sql()
        if sql.dialect.name == "postgresql" {
            try await sql.raw("""
                CREATE OR REPLACE FUNCTION bump_gallery_revision() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'INSERT' THEN
                        INSERT INTO gallery_revisions (order_id, revision) SELECT DISTINCT order_id, 1 FROM changed_new
                            ON CONFLICT (order_id) DO UPDATE SET revision = gallery_revisions.revision + 1;
                    ELSIF TG_OP = 'DELETE' THEN
                        INSERT INTO gallery_revisions (order_id, revision) SELECT DISTINCT order_id, 1 FROM changed_old
                            ON CONFLICT (order_id) DO UPDATE SET revision = gallery_revisions.revision + 1;
                    ELSE
                        INSERT INTO gallery_revisions (order_id, revision)
                            SELECT order_id, 1 FROM changed_new UNION SELECT order_id, 1 FROM changed_old
                            ON CONFLICT (order_id) DO UPDATE SET revision = gallery_revisions.revision + 1;
                    END IF;
                    RETURN NULL;
                END
                $$
                """).run()
            let events = [("INSERT", "NEW TABLE AS changed_new"), ("UPDATE", "OLD TABLE AS changed_old NEW TABLE AS changed_new"),
                          ("DELETE", "OLD TABLE AS changed_old")]
            for (trigger, (event, tables)) in zip(Self.triggers, events) {
                try await sql.raw("""
                    CREATE TRIGGER \(unsafeRaw: trigger) AFTER \(unsafeRaw: event) ON generated_assets
                    REFERENCING \(unsafeRaw: tables) FOR EACH STATEMENT EXECUTE FUNCTION bump_gallery_revision()
                    """).run()
            }
        } else {
            let bump = "INSERT INTO gallery_revisions (order_id, revision) VALUES (%@, 1) ON CONFLICT (order_id) DO UPDATE SET revision = revision + 1;"
            let bodies = [bump.replacingOccurrences(of: "%@", with: "NEW.order_id"),
                          bump.replacingOccurrences(of: "%@", with: "OLD.order_id")
                              + " " + bump.replacingOccurrences(of: "%@", with: "NEW.order_id"),
                          bump.replacingOccurrences(of: "%@", with: "OLD.order_id")]
            for (trigger, (event, body)) in zip(Self.triggers, zip(["INSERT", "UPDATE", "DELETE"], bodies)) {
                try await sql.raw("CREATE TRIGGER \(unsafeRaw: trigger) AFTER \(unsafeRaw: event) ON generated_assets BEGIN \(unsafeRaw: body) END").run()
            }
        }
    }

    package func revert(on database: any Database) async throws {
        let sql = try database.sql()
        let postgres = sql.dialect.name == "postgresql"
        for trigger in Self.triggers {
            try await sql.raw("DROP TRIGGER IF EXISTS \(unsafeRaw: trigger)\(unsafeRaw: postgres ? " ON generated_assets" : "")").run()
        }
        if postgres { try await sql.raw("DROP FUNCTION IF EXISTS bump_gallery_revision()").run() }
        try await database.schema("gallery_revisions").delete()
    }
}
