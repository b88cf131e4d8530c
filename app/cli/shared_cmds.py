"""The shared desk's commands: ``store info``, ``store migrate --to URL``, ``store init-roles``.

``store migrate`` copies the command's store (``--store``/``CUSTODY_DESK_STORE``/the
data dir's SQLite file) into an **empty** PostgreSQL desk and then proves the copy:
the same row count in every table, the audit chain verifies on the target, both
heads equal. ``store init-roles`` (run with the owner's or a superuser's URL)
creates the owner and desk roles and sets the grants (``app.store.pg_roles``).
"""

from __future__ import annotations

import argparse
import os
from typing import Any

from app.cli.errors import CliError
from app.cli.store_cmds import EXIT_STORE_FAILED, EXIT_VERIFY_FAILED, opened_store, store_target
from app.store import StoreError
from app.store.url import BadStoreUrl, open_target, parse_store_url


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add the ``store`` group."""
    store = sub.add_parser("store", help="the shared desk: which store, migrate, database roles")
    actions = store.add_subparsers(dest="store_command", metavar="ACTION", required=True)

    info = actions.add_parser("info", help="which store this desk uses, its schema version")
    info.set_defaults(handler=cmd_info)

    migrate = actions.add_parser(
        "migrate", help="copy this desk into an empty PostgreSQL store and prove the copy"
    )
    migrate.add_argument("--to", required=True, metavar="URL", help="postgresql://... (empty)")
    migrate.set_defaults(handler=cmd_migrate)

    roles = actions.add_parser(
        "init-roles", help="create the owner and desk roles and their grants (PostgreSQL)"
    )
    roles.add_argument("--owner-role", default="custody_owner")
    roles.add_argument("--desk-role", default="custody_desk")
    roles.add_argument(
        "--desk-password-env", metavar="VAR",
        help="set the desk role's password from this environment variable",
    )
    roles.add_argument(
        "--print-sql", action="store_true", help="print the statements instead of running them"
    )
    roles.set_defaults(handler=cmd_init_roles)


def cmd_info(args: argparse.Namespace) -> int:
    target = store_target(args)
    with opened_store(args) as store:
        print(f"store: {target.display}")
        print(f"schema: v{store.schema_version()}")
        guards = getattr(store, "audit_guards", None)
        if guards is not None:
            report = guards()
            print(f"audit guards: {'ok' if report.ok else 'FAIL'}: {report.detail()}")
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    from app.store.copy import CopyRefused, copy_store, prove_copy

    try:
        destination = parse_store_url(args.to)
    except BadStoreUrl as exc:
        raise CliError(str(exc)) from exc
    if destination.dialect != "postgresql":
        raise CliError("store migrate --to needs a postgresql:// URL")
    source_target = store_target(args)
    if source_target.dialect != "sqlite":
        raise CliError(
            "store migrate copies a SQLite desk (--store sqlite:///PATH or the data dir)"
        )
    with opened_store(args) as source:
        try:
            target = open_target(destination)
        except StoreError as exc:
            raise CliError(f"cannot open {destination.display}: {exc}", EXIT_STORE_FAILED) from exc
        try:
            try:
                copied = copy_store(source, target)
            except CopyRefused as exc:
                raise CliError(f"refused: {exc}") from exc
            proof = prove_copy(source, target)
        finally:
            target.close()
    total = sum(copied.values())
    print(f"copied {total} rows in {len(copied)} tables from {source_target.display} "
          f"to {destination.display}")
    for table, count in sorted(proof.counts.items()):
        if count:
            print(f"  {table}: {count}")
    size, last_hash, root = proof.target_head
    print(f"audit head: {size} entries, last {last_hash or '-'}, root {root or '-'}")
    if not proof.ok:
        for problem in proof.problems:
            print(f"FAIL {problem}")
        return EXIT_VERIFY_FAILED
    print("ok: same counts, audit chain verifies on the target, heads equal")
    return 0


def cmd_init_roles(args: argparse.Namespace) -> int:
    import psycopg

    from app.store.pg_roles import desk_tables, init_roles, role_sql

    target = store_target(args)
    if target.dialect != "postgresql":
        raise CliError("store init-roles works on a PostgreSQL store (--store postgresql://...)")
    password: str | None = None
    if args.desk_password_env:
        password = os.environ.get(args.desk_password_env)
        if not password:
            raise CliError(f"${args.desk_password_env} is empty or not set")
    # Open through the store first: creates and migrates the schema (as this role).
    with opened_store(args):
        pass
    try:
        with psycopg.connect(target.url, autocommit=True) as raw:
            if args.print_sql:
                database = str(raw.execute("SELECT current_database()").fetchone()[0])  # type: ignore[index]
                for statement in role_sql(
                    desk_tables(raw), owner=args.owner_role, desk=args.desk_role,
                    database=database, desk_password="********" if password else None,
                ):
                    print(f"{statement};")
                return 0
            statements = init_roles(
                raw, owner=args.owner_role, desk=args.desk_role, desk_password=password
            )
    except psycopg.Error as exc:
        raise CliError(f"init-roles failed (needs a superuser or CREATEROLE): {exc}",
                       EXIT_STORE_FAILED) from exc
    print(f"{len(statements)} statements run: owner role {args.owner_role}, "
          f"desk role {args.desk_role} (INSERT-only on the audit log)")
    return 0
