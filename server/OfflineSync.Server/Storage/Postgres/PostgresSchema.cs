namespace OfflineSync.Server.Storage.Postgres;

/// <summary>
/// The PostgreSQL schema as numbered migrations, applied in order by <see cref="PostgresMigrator"/> and recorded in
/// <c>schema_migrations</c>. A migration, once released, never changes: a change is a new one at the end.
/// </summary>
internal static class PostgresSchema
{
    public static IReadOnlyList<string> Migrations { get; } =
    [
        // 1: everything the SQLite schema 3 holds, with the feed counted per workspace.
        """
        -- One row per workspace. last_seq is the workspace's change counter: every transaction that adds change rows
        -- takes this row FOR UPDATE first, so writers of one workspace commit one after another and sequences are
        -- handed out in commit order (docs/sync-protocol.md, "Feed order on PostgreSQL"). horizon and epoch are the
        -- feed horizon raised by compaction (epoch 0: never).
        CREATE TABLE workspaces (
            workspace_id text PRIMARY KEY,
            last_seq     bigint NOT NULL DEFAULT 0,
            horizon      bigint NOT NULL DEFAULT 0,
            epoch        bigint NOT NULL DEFAULT 0
        );

        -- payload is the JSON text exactly as the client sent it (text, not jsonb, which would reformat it). Every
        -- command rewrites its entity's row: free space in each page lets that new row version stay on its page
        -- without touching the primary-key index (a HOT update).
        CREATE TABLE entities (
            workspace_id text    NOT NULL,
            entity_id    text    NOT NULL,
            version      bigint  NOT NULL,
            payload      text,
            deleted      boolean NOT NULL,
            updated_at   bigint  NOT NULL,
            PRIMARY KEY (workspace_id, entity_id)
        ) WITH (fillfactor = 80);

        CREATE TABLE changes (
            workspace_id text    NOT NULL,
            seq          bigint  NOT NULL,
            entity_id    text    NOT NULL,
            type         text    NOT NULL,
            version      bigint  NOT NULL,
            payload      text,
            deleted      boolean NOT NULL,
            changed_at   bigint  NOT NULL,
            PRIMARY KEY (workspace_id, seq)
        );

        CREATE TABLE idempotency (
            workspace_id    text   NOT NULL,
            user_id         text   NOT NULL,
            idempotency_key text   NOT NULL,
            command_id      text   NOT NULL,
            entity_id       text   NOT NULL,
            version         bigint NOT NULL,
            applied_at      bigint NOT NULL,
            PRIMARY KEY (workspace_id, user_id, idempotency_key)
        );
        CREATE INDEX idempotency_by_age ON idempotency (applied_at);

        CREATE TABLE blobs (
            workspace_id text   NOT NULL,
            sha256       text   NOT NULL,
            size         bigint NOT NULL,
            content      bytea  NOT NULL,
            stored_at    bigint NOT NULL,
            PRIMARY KEY (workspace_id, sha256)
        );
        -- Attachments are mostly compressed formats already: store them without trying to compress them again.
        ALTER TABLE blobs ALTER COLUMN content SET STORAGE EXTERNAL;

        -- A batch in one round trip: the commands in order, each seeing the effects of those before it, one result row
        -- per command. The caller runs it in its own transaction and answers only after the commit.
        CREATE FUNCTION sync_apply_batch(
            p_workspace text, p_user text, p_now bigint,
            p_command_ids text[], p_keys text[], p_types text[], p_entities text[], p_expected bigint[], p_payloads text[])
        RETURNS TABLE (result_status text, result_version bigint, server_payload text, server_deleted boolean)
        LANGUAGE plpgsql AS $$
        DECLARE
            v_seq bigint;
            v_recorded bigint;
            v_version bigint;
            v_payload text;
            v_deleted boolean;
            v_is_delete boolean;
        BEGIN
            -- Creates or locks the workspace's counter row until commit (see the workspaces table).
            INSERT INTO workspaces AS w (workspace_id) VALUES (p_workspace)
            ON CONFLICT (workspace_id) DO UPDATE SET last_seq = w.last_seq
            RETURNING w.last_seq INTO v_seq;

            FOR i IN 1 .. coalesce(array_length(p_keys, 1), 0) LOOP
                SELECT d.version INTO v_recorded FROM idempotency d
                WHERE d.workspace_id = p_workspace AND d.user_id = p_user AND d.idempotency_key = p_keys[i];
                IF FOUND THEN
                    result_status := 'duplicate'; result_version := v_recorded; server_payload := NULL; server_deleted := NULL;
                    RETURN NEXT;
                    CONTINUE;
                END IF;

                -- The version is checked by the write itself: an UPDATE … WHERE version = expected locks the row it
                -- changes (an INSERT the key it creates), and a command whose write matched no row is the conflict.
                -- One statement instead of a locking read and an upsert.
                v_is_delete := p_types[i] = 'document.delete.v1';
                v_version := NULL;
                IF p_expected[i] IS NULL OR p_expected[i] > 0 THEN
                    UPDATE entities e SET
                        version = e.version + 1, payload = p_payloads[i], deleted = v_is_delete, updated_at = p_now
                    WHERE e.workspace_id = p_workspace AND e.entity_id = p_entities[i]
                        AND (p_expected[i] IS NULL OR e.version = p_expected[i])
                    RETURNING e.version INTO v_version;
                END IF;

                IF v_version IS NULL AND (p_expected[i] IS NULL OR p_expected[i] = 0) THEN
                    INSERT INTO entities (workspace_id, entity_id, version, payload, deleted, updated_at)
                    VALUES (p_workspace, p_entities[i], 1, p_payloads[i], v_is_delete, p_now)
                    ON CONFLICT (workspace_id, entity_id) DO NOTHING
                    RETURNING 1 INTO v_version;
                END IF;

                IF v_version IS NULL THEN
                    SELECT e.version, e.payload, e.deleted INTO v_version, v_payload, v_deleted FROM entities e
                    WHERE e.workspace_id = p_workspace AND e.entity_id = p_entities[i];
                    IF NOT FOUND THEN
                        v_version := 0; v_payload := NULL; v_deleted := false;
                    END IF;

                    result_status := 'conflict'; result_version := v_version; server_payload := v_payload; server_deleted := v_deleted;
                    RETURN NEXT;
                    CONTINUE;
                END IF;

                v_seq := v_seq + 1;
                INSERT INTO changes (workspace_id, seq, entity_id, type, version, payload, deleted, changed_at)
                VALUES (p_workspace, v_seq, p_entities[i], p_types[i], v_version, p_payloads[i], v_is_delete, p_now);
                INSERT INTO idempotency (workspace_id, user_id, idempotency_key, command_id, entity_id, version, applied_at)
                VALUES (p_workspace, p_user, p_keys[i], p_command_ids[i], p_entities[i], v_version, p_now);
                result_status := 'applied'; result_version := v_version; server_payload := NULL; server_deleted := NULL;
                RETURN NEXT;
            END LOOP;

            UPDATE workspaces SET last_seq = v_seq WHERE workspace_id = p_workspace;
        END
        $$;

        -- An admin write, as another client would make it: version + 1 and a change row, no idempotency record.
        CREATE FUNCTION sync_write_directly(p_workspace text, p_entity text, p_type text, p_payload text, p_deleted boolean, p_now bigint)
        RETURNS bigint
        LANGUAGE plpgsql AS $$
        DECLARE
            v_seq bigint;
            v_version bigint;
        BEGIN
            INSERT INTO workspaces AS w (workspace_id, last_seq) VALUES (p_workspace, 1)
            ON CONFLICT (workspace_id) DO UPDATE SET last_seq = w.last_seq + 1
            RETURNING w.last_seq INTO v_seq;

            INSERT INTO entities AS e (workspace_id, entity_id, version, payload, deleted, updated_at)
            VALUES (p_workspace, p_entity, 1, p_payload, p_deleted, p_now)
            ON CONFLICT (workspace_id, entity_id) DO UPDATE SET
                version = e.version + 1, payload = excluded.payload, deleted = excluded.deleted, updated_at = excluded.updated_at
            RETURNING e.version INTO v_version;
            INSERT INTO changes (workspace_id, seq, entity_id, type, version, payload, deleted, changed_at)
            VALUES (p_workspace, v_seq, p_entity, p_type, v_version, p_payload, p_deleted, p_now);
            RETURN v_version;
        END
        $$;
        """,
    ];
}
