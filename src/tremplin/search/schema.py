"""The search index in the database: tables, triggers, text search configurations.

PostgreSQL: one table per kind (``search_<kind>``: id, title, body, ``tsvector`` under a GIN
index) filled by a row trigger on the source table (insert, delete, update of the watched
columns) and emptied by a statement trigger on ``TRUNCATE`` (Django's ``flush``). The vector
holds each part twice: under ``tremplin_fr`` (French stemming after ``unaccent``: "cuisines"
finds "cuisine") and under ``tremplin_simple`` (``unaccent`` and lower case only, no stop
words), so that a prefix being typed ("événem", "la") still matches the unstemmed word.

SQLite: one FTS5 table per kind (rowid = the source row's id, ``unicode61 remove_diacritics 2``)
kept by three triggers. SQLite checks every trigger's body when Django rebuilds a table during
a migration (``ALTER TABLE … RENAME``: "error in trigger …: no such table"), and a trigger that
reads another table (a building's municipality name) would break other apps' migrations; so
on SQLite the triggers are dropped before ``migrate`` applies anything and installed again,
with a rebuild of the index, after it (``before_migrate``/``after_migrate``). PostgreSQL never
rebuilds tables, and its triggers are created by the migration; ``after_migrate`` there only
re-creates a trigger a later migration dropped (``DROP COLUMN … CASCADE``).
"""

# ruff: noqa: S608  (table and column names come from kinds.py; the user's text only
# ever reaches SQL as a query parameter)

from django.db import connections

from .kinds import KINDS, Kind

PG_SETUP = """
CREATE EXTENSION IF NOT EXISTS unaccent;
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'tremplin_fr') THEN
    CREATE TEXT SEARCH CONFIGURATION tremplin_fr (COPY = french);
    ALTER TEXT SEARCH CONFIGURATION tremplin_fr
      ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'tremplin_simple') THEN
    CREATE TEXT SEARCH CONFIGURATION tremplin_simple (COPY = simple);
    ALTER TEXT SEARCH CONFIGURATION tremplin_simple
      ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
  END IF;
END $$;
CREATE OR REPLACE FUNCTION search_vector(title text, body text, extra text)
RETURNS tsvector LANGUAGE sql IMMUTABLE AS $$
  SELECT setweight(to_tsvector('tremplin_fr', title), 'A')
      || setweight(to_tsvector('tremplin_fr', body), 'B')
      || setweight(to_tsvector('tremplin_fr', extra), 'C')
      || setweight(to_tsvector('tremplin_simple', title), 'A')
      || setweight(to_tsvector('tremplin_simple', body), 'B')
      || setweight(to_tsvector('tremplin_simple', extra), 'C')
$$;
CREATE OR REPLACE FUNCTION search_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- DELETE rather than TRUNCATE: cheaper on the small tables of a test's flush.
  EXECUTE format('DELETE FROM %I', TG_ARGV[0]);
  RETURN NULL;
END $$;
"""


def _pg_kind(kind: Kind) -> list[str]:
    title, body, extra = kind.expressions("NEW")
    watch = ", ".join(kind.watch)
    return [
        f"""CREATE TABLE IF NOT EXISTS {kind.index} (
              id bigint PRIMARY KEY, title text NOT NULL, body text NOT NULL,
              vector tsvector NOT NULL)""",
        f"CREATE INDEX IF NOT EXISTS {kind.index}_vector ON {kind.index} USING gin (vector)",
        f"""CREATE OR REPLACE FUNCTION {kind.index}_upkeep() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
              IF TG_OP = 'DELETE' THEN
                DELETE FROM {kind.index} WHERE id = OLD.id;
                RETURN OLD;
              END IF;
              INSERT INTO {kind.index} (id, title, body, vector)
              SELECT NEW.id, d.title, d.body, search_vector(d.title, d.body, d.extra)
              FROM (SELECT {title} AS title, {body} AS body, {extra} AS extra) d
              ON CONFLICT (id) DO UPDATE
                SET title = EXCLUDED.title, body = EXCLUDED.body, vector = EXCLUDED.vector;
              RETURN NEW;
            END $$""",
        f"""CREATE OR REPLACE TRIGGER {kind.index}_upkeep
            AFTER INSERT OR DELETE OR UPDATE OF {watch} ON {kind.table}
            FOR EACH ROW EXECUTE FUNCTION {kind.index}_upkeep()""",
        f"""CREATE OR REPLACE TRIGGER {kind.index}_truncate AFTER TRUNCATE ON {kind.table}
            FOR EACH STATEMENT EXECUTE FUNCTION search_truncate('{kind.index}')""",
    ]


def _pg_rebuild(kind: Kind) -> list[str]:
    title, body, extra = kind.expressions("r")
    return [
        f"TRUNCATE {kind.index}",
        f"""INSERT INTO {kind.index} (id, title, body, vector)
            SELECT d.id, d.title, d.body, search_vector(d.title, d.body, d.extra)
            FROM (SELECT r.id, {title} AS title, {body} AS body, {extra} AS extra
                  FROM {kind.table} r) d""",
    ]


def _pg_triggers(kind: Kind) -> set[str]:
    return {f"{kind.index}_upkeep", f"{kind.index}_truncate"}


SQLITE_TABLE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS {index} USING fts5("
    "title, body, extra, tokenize = 'unicode61 remove_diacritics 2')"
)


def _sqlite_triggers(kind: Kind) -> dict[str, str]:
    title, body, extra = kind.expressions("NEW")
    insert = (
        f"INSERT INTO {kind.index} (rowid, title, body, extra) "
        f"VALUES (NEW.id, {title}, {body}, {extra});"
    )
    delete = f"DELETE FROM {kind.index} WHERE rowid = OLD.id;"
    watch = ", ".join(kind.watch)
    on = kind.table
    return {
        f"{kind.index}_ai": f"CREATE TRIGGER {kind.index}_ai AFTER INSERT ON {on} BEGIN {insert} END",
        f"{kind.index}_ad": f"CREATE TRIGGER {kind.index}_ad AFTER DELETE ON {on} BEGIN {delete} END",
        f"{kind.index}_au": (
            f"CREATE TRIGGER {kind.index}_au AFTER UPDATE OF {watch} ON {on} "
            f"BEGIN {delete} {insert} END"
        ),
    }


def _sqlite_rebuild(kind: Kind) -> list[str]:
    title, body, extra = kind.expressions("r")
    return [
        f"DELETE FROM {kind.index}",
        f"""INSERT INTO {kind.index} (rowid, title, body, extra)
            SELECT r.id, {title}, {body}, {extra} FROM {kind.table} r""",
    ]


def _existing_triggers(cursor, vendor: str) -> set[str]:
    if vendor == "postgresql":
        cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'search%%'")
    else:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    return {row[0] for row in cursor.fetchall()}


def create(connection) -> None:
    """Everything, with the index filled from the rows already there (the migration)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(PG_SETUP)
            for kind in KINDS.values():
                for sql in _pg_kind(kind) + _pg_rebuild(kind):
                    cursor.execute(sql)
        elif connection.vendor == "sqlite":
            for kind in KINDS.values():
                cursor.execute(SQLITE_TABLE.format(index=kind.index))
            # Triggers: after_migrate, once every migration of the run has been applied.


def drop(connection) -> None:
    """Undo ``create`` (the migration's reverse)."""
    with connection.cursor() as cursor:
        for kind in KINDS.values():
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {kind.index}_upkeep ON {kind.table}")
                cursor.execute(f"DROP TRIGGER IF EXISTS {kind.index}_truncate ON {kind.table}")
                cursor.execute(f"DROP FUNCTION IF EXISTS {kind.index}_upkeep()")
            elif connection.vendor == "sqlite":
                for name in _sqlite_triggers(kind):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"DROP TABLE IF EXISTS {kind.index}")


def install(connection) -> list[str]:
    """Create the triggers that are missing and rebuild the index of their kinds; returns the
    kinds rebuilt. Cheap when nothing is missing (one query): it runs after every ``migrate``
    and every ``flush``."""
    if connection.vendor not in ("postgresql", "sqlite"):
        return []
    rebuilt = []
    with connection.cursor() as cursor:
        existing = _existing_triggers(cursor, connection.vendor)
        if connection.vendor == "postgresql" and not any(
            name.startswith("search_") for name in existing
        ):
            return []  # the migration has not run (or was reversed): nothing to heal
        for kind in KINDS.values():
            if connection.vendor == "postgresql":
                if _pg_triggers(kind) <= existing:
                    continue
                statements = _pg_kind(kind) + _pg_rebuild(kind)
            else:
                triggers = _sqlite_triggers(kind)
                if set(triggers) <= existing:
                    continue
                cursor.execute(SQLITE_TABLE.format(index=kind.index))
                for name in triggers:
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
                statements = list(triggers.values()) + _sqlite_rebuild(kind)
            for sql in statements:
                cursor.execute(sql)
            rebuilt.append(kind.name)
    return rebuilt


def rebuild(connection, kinds=None) -> None:
    """Refill the index from the tables (``tremplin search rebuild``)."""
    with connection.cursor() as cursor:
        for kind in KINDS.values():
            if kinds and kind.name not in kinds:
                continue
            steps = (
                _pg_rebuild(kind) if connection.vendor == "postgresql" else _sqlite_rebuild(kind)
            )
            for sql in steps:
                cursor.execute(sql)


def _applied(using: str) -> bool:
    from django.db.migrations.recorder import MigrationRecorder

    recorder = MigrationRecorder(connections[using])
    return recorder.has_table() and ("search", "0001_initial") in recorder.applied_migrations()


def before_migrate(sender, using="default", plan=None, **kwargs):
    connection = connections[using]
    if connection.vendor != "sqlite" or not plan:
        return
    with connection.cursor() as cursor:
        for kind in KINDS.values():
            for name in _sqlite_triggers(kind):
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def after_migrate(sender, using="default", **kwargs):
    connection = connections[using]
    if _applied(using):
        install(connection)
