"""Setting up a team notes server: the schema, its migrations and the analysts' roles.

Run by an administrator (a role that may create schemas and roles), never by the reader:
:func:`server_init` creates or migrates the ``termbrief`` schema, its row-level security policies
and the ``termbrief_analyst`` group role; :func:`add_user` creates one analyst's login role, a
plain role that owns nothing, so the policies bind it. Role names are always quoted by psycopg
(:class:`psycopg.sql.Identifier`), never pasted into SQL. This module imports no Textual.
"""

from __future__ import annotations

from typing import Any, Final

import psycopg
from psycopg import sql

from termbrief.store.notes import NotesError, clean_text

__all__ = [
    "ANALYST_ROLE",
    "MIGRATIONS",
    "NOTIFY_CHANNEL",
    "SCHEMA_VERSION",
    "add_user",
    "add_user_statements",
    "server_init",
    "statements_text",
]

NOTIFY_CHANNEL: Final = "termbrief_notes"
"""The channel the server announces note changes on (JSON: op, id, brief_id, author)."""

ANALYST_ROLE: Final = "termbrief_analyst"
"""The group role every analyst's login role belongs to; the grants go to it."""

_INIT_LOCK: Final = 7_316_905_521
"""Advisory lock key held while migrating, so two administrators cannot migrate at once."""

MIGRATIONS: Final[tuple[str, ...]] = (
    # 1: the notes table, its version stamps, change announcements and row-level security.
    """
    DO $$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'termbrief_analyst') THEN
            CREATE ROLE termbrief_analyst NOLOGIN;
        END IF;
    END $$;

    CREATE SEQUENCE termbrief.note_version;

    CREATE TABLE termbrief.notes (
        id          text PRIMARY KEY CHECK (id <> '' AND octet_length(id) <= 200),
        brief_id    text NOT NULL CHECK (brief_id <> '' AND octet_length(brief_id) <= 1000),
        anchor      text NOT NULL CHECK (anchor <> ''),
        text        text NOT NULL,
        quote       text NOT NULL DEFAULT '',
        created     timestamptz NOT NULL DEFAULT statement_timestamp(),
        updated     timestamptz NOT NULL DEFAULT statement_timestamp(),
        author      text NOT NULL DEFAULT current_user,
        visibility  text NOT NULL DEFAULT 'team' CHECK (visibility IN ('private', 'team')),
        version     bigint NOT NULL,
        conflict_of text
    );
    CREATE INDEX notes_by_brief ON termbrief.notes (brief_id, anchor, created);

    -- The server, not the client, numbers every change: the last writer is the one it saw last.
    CREATE FUNCTION termbrief.stamp_version() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
    BEGIN
        NEW.version := nextval('termbrief.note_version');
        RETURN NEW;
    END $$;
    CREATE TRIGGER notes_version BEFORE INSERT OR UPDATE ON termbrief.notes
        FOR EACH ROW EXECUTE FUNCTION termbrief.stamp_version();

    -- Every listener gets every payload, whatever its role: a private note's brief and id are
    -- left out, so colleagues learn nothing of it.
    CREATE FUNCTION termbrief.announce_change() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
    DECLARE
        subject termbrief.notes;
        shared boolean;
    BEGIN
        IF TG_OP = 'DELETE' THEN subject := OLD; ELSE subject := NEW; END IF;
        shared := subject.visibility = 'team' OR (TG_OP = 'UPDATE' AND OLD.visibility = 'team');
        PERFORM pg_notify('termbrief_notes', json_build_object(
            'op', lower(TG_OP),
            'author', subject.author,
            'brief_id', CASE WHEN shared THEN subject.brief_id END,
            'id', CASE WHEN shared THEN subject.id END)::text);
        RETURN NULL;
    END $$;
    CREATE TRIGGER notes_announce AFTER INSERT OR UPDATE OR DELETE ON termbrief.notes
        FOR EACH ROW EXECUTE FUNCTION termbrief.announce_change();

    -- FORCE: the table's owner obeys the policies too (only superusers and BYPASSRLS roles
    -- do not, which is why analysts get plain roles).
    ALTER TABLE termbrief.notes ENABLE ROW LEVEL SECURITY;
    ALTER TABLE termbrief.notes FORCE ROW LEVEL SECURITY;
    CREATE POLICY read_own_and_team ON termbrief.notes FOR SELECT
        USING (author = current_user OR visibility = 'team');
    CREATE POLICY write_own ON termbrief.notes FOR INSERT
        WITH CHECK (author = current_user);
    CREATE POLICY change_own ON termbrief.notes FOR UPDATE
        USING (author = current_user) WITH CHECK (author = current_user);
    CREATE POLICY delete_own ON termbrief.notes FOR DELETE
        USING (author = current_user);

    GRANT USAGE ON SCHEMA termbrief TO termbrief_analyst;
    GRANT SELECT ON termbrief.schema_version TO termbrief_analyst;
    GRANT SELECT, INSERT, UPDATE, DELETE ON termbrief.notes TO termbrief_analyst;
    GRANT USAGE, SELECT ON SEQUENCE termbrief.note_version TO termbrief_analyst;
    """,
    # 2: anchors down to the words, as in the local store: the text before and after the quoted
    # words and where they began (NULL: a quote written before selectors).
    """
    ALTER TABLE termbrief.notes ADD COLUMN prefix text NOT NULL DEFAULT '',
        ADD COLUMN suffix text NOT NULL DEFAULT '',
        ADD COLUMN start integer CHECK (start >= 0);
    """,
)
"""Schema migrations; ``termbrief.schema_version`` holds one row per migration run."""

SCHEMA_VERSION: Final = len(MIGRATIONS)

_BOOTSTRAP: Final = """
    CREATE SCHEMA IF NOT EXISTS termbrief;
    CREATE TABLE IF NOT EXISTS termbrief.schema_version (
        version integer PRIMARY KEY,
        applied timestamptz NOT NULL DEFAULT now()
    );
"""


def _admin_connection(admin_url: str) -> psycopg.Connection[tuple[Any, ...]]:
    try:
        return psycopg.connect(admin_url, autocommit=True, connect_timeout=10)
    except psycopg.Error as error:
        raise NotesError(
            f"Cannot connect to the notes server as administrator: {clean_text(str(error))}"
        ) from None


def _failed(action: str, error: psycopg.Error) -> NotesError:
    message = (error.diag.message_primary if error.diag else None) or str(error)
    return NotesError(f"{action} failed: {clean_text(message)}")


def server_init(admin_url: str) -> tuple[int, int]:
    """Create or migrate the team notes schema, in one transaction; safe to run twice.

    Returns:
        The schema version before and after (equal when there was nothing to do).

    Raises:
        NotesError: the server cannot be reached, refused, or was set up by a newer termbrief.
    """
    with _admin_connection(admin_url) as connection:
        try:
            with connection.transaction():
                connection.execute("SELECT pg_advisory_xact_lock(%s)", (_INIT_LOCK,))
                connection.execute(_BOOTSTRAP)
                row = connection.execute(
                    "SELECT coalesce(max(version), 0) FROM termbrief.schema_version"
                ).fetchone()
                before = int(row[0]) if row else 0
                if before > SCHEMA_VERSION:
                    raise NotesError(
                        f"The server's notes schema is version {before}, newer than this "
                        f"termbrief knows ({SCHEMA_VERSION}): use a newer termbrief."
                    )
                for number in range(before, SCHEMA_VERSION):
                    connection.execute(MIGRATIONS[number])
                    connection.execute(
                        "INSERT INTO termbrief.schema_version (version) VALUES (%s)",
                        (number + 1,),
                    )
        except psycopg.Error as error:
            raise _failed("Setting up the notes schema", error) from error
    return before, max(before, SCHEMA_VERSION)


def _check_role_name(name: str) -> None:
    if not name or len(name.encode()) > 63:
        raise NotesError("A role name has 1 to 63 bytes.")
    if not name.isprintable():
        raise NotesError(f"A role name cannot contain control characters: {name!r}")
    if name.lower().startswith("pg_") or name == ANALYST_ROLE:
        raise NotesError(f"{name!r} is reserved; choose another role name.")


def add_user_statements(name: str, *, exists: bool = False) -> list[sql.Composed]:
    """The SQL that makes ``name`` an analyst: a plain login role (no superuser, no BYPASSRLS,
    owning nothing) in the analyst group. For an existing role, only the membership."""
    _check_role_name(name)
    role = sql.Identifier(name)
    statements = [sql.SQL("GRANT {} TO {}").format(sql.Identifier(ANALYST_ROLE), role)]
    if not exists:
        statements.insert(
            0,
            sql.SQL(
                "CREATE ROLE {} LOGIN INHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE"
                " NOREPLICATION NOBYPASSRLS"
            ).format(role),
        )
    return statements


def statements_text(statements: list[sql.Composed]) -> str:
    """The statements as SQL text, one per line (for ``add-user --print``)."""
    return "".join(f"{statement.as_string(None)};\n" for statement in statements)


def add_user(admin_url: str, name: str) -> bool:
    """Create the login role ``name`` for an analyst (or, if it exists, add it to the analyst
    group); returns whether the role was created.

    Raises:
        NotesError: the server is not set up, the role cannot be used (it is a superuser or
            bypasses row-level security, so the policies would not bind it), or it failed.
    """
    _check_role_name(name)
    with _admin_connection(admin_url) as connection:
        try:
            with connection.transaction():
                if (
                    connection.execute(
                        "SELECT FROM pg_roles WHERE rolname = %s", (ANALYST_ROLE,)
                    ).fetchone()
                    is None
                ):
                    raise NotesError(
                        "The server is not set up: run `termbrief notes server-init ADMIN_URL` "
                        "first."
                    )
                row = connection.execute(
                    "SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = %s", (name,)
                ).fetchone()
                if row is not None and row[0]:
                    raise NotesError(
                        f"{name} is a superuser or bypasses row-level security: the notes "
                        "policies would not bind it. Give the analyst a plain role."
                    )
                for statement in add_user_statements(name, exists=row is not None):
                    connection.execute(statement)
        except psycopg.Error as error:
            raise _failed(f"Adding the role {name}", error) from error
    return row is None
