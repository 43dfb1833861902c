"""Copy a Revive SQLite database (the national demo) into a migrated PostgreSQL database, table by table with COPY.

    .venv/bin/python bench/sqlite_to_postgres.py SQLITE_FILE POSTGRES_URL

Generating the national demo straight into PostgreSQL takes about 19 minutes (row-by-row writes of the demo
generator); copying the SQLite demo takes a few. The target must already be migrated to the same schema as
the source (`revive migrate`): every table but django_migrations is emptied, then filled with the source's rows
(columns matched by name), the identity sequences are moved past the largest id and the tables analysed.
Foreign keys are not checked during the copy (session_replication_role = replica): the source is a consistent
Django database, so they hold.
"""

import argparse
import sqlite3
import sys
import time

BATCH = 20_000
SKIPPED = {"django_migrations"}  # the target's own record of its schema


def copy(sqlite_file: str, postgres_url: str, log=print) -> dict[str, int]:
    """Rows copied per table."""
    import psycopg

    started = time.perf_counter()
    source = sqlite3.connect(f"file:{sqlite_file}?mode=ro", uri=True)
    counts: dict[str, int] = {}
    with psycopg.connect(postgres_url) as target:
        target.execute("SET TIME ZONE 'UTC'")  # Django keeps naive UTC datetimes in SQLite
        target.execute("SET session_replication_role = replica")
        tables = [
            row[0]
            for row in target.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
            if row[0] not in SKIPPED
        ]
        source_tables = {
            row[0] for row in source.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        if missing := [t for t in tables if t not in source_tables]:
            raise SystemExit(f"not in {sqlite_file}: {', '.join(missing)} (migrate both to the same schema)")
        target.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE")
        for table in tables:
            target_columns = [
                row[0]
                for row in target.execute(
                    "SELECT column_name FROM information_schema.columns"
                    " WHERE table_schema = 'public' AND table_name = %s ORDER BY ordinal_position",
                    [table],
                )
            ]
            source_columns = {row[1] for row in source.execute(f'PRAGMA table_info("{table}")')}
            if missing := [c for c in target_columns if c not in source_columns]:
                raise SystemExit(f"{table}: columns {', '.join(missing)} not in {sqlite_file}")
            names = ", ".join(f'"{c}"' for c in target_columns)
            cursor = source.execute(f'SELECT {names} FROM "{table}"')
            n = 0
            with target.cursor().copy(f'COPY "{table}" ({names}) FROM STDIN') as pipe:
                while rows := cursor.fetchmany(BATCH):
                    for row in rows:
                        pipe.write_row(row)
                    n += len(rows)
            counts[table] = n
            if n >= 100_000:
                log(f"  {time.perf_counter() - started:6.1f}s  {table}: {n:,} rows")
        # Identity columns start again after the largest id copied.
        for table, column in target.execute(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE table_schema = 'public' AND (is_identity = 'YES' OR column_default LIKE 'nextval%%')"
        ).fetchall():
            target.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, %s), COALESCE(MAX(\"{column}\"), 1),"
                f' MAX("{column}") IS NOT NULL) FROM "{table}"',
                [f'"{table}"', column],
            )
        target.commit()
    with psycopg.connect(postgres_url, autocommit=True) as target:
        target.execute("VACUUM ANALYZE")
    log(f"  {time.perf_counter() - started:6.1f}s  copied {sum(counts.values()):,} rows, analysed")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sqlite_file")
    parser.add_argument("postgres_url")
    args = parser.parse_args()
    copy(args.sqlite_file, args.postgres_url, log=lambda line: print(line, file=sys.stderr))


if __name__ == "__main__":
    main()
