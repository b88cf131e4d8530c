"""The two database roles of a shared desk, and the check that the audit guards hold.

* The **owner** role owns every table, sequence and function: it runs the
  migrations (``store migrate``, a desk upgrade) and restores. Nobody works as it.
* The **desk** role is what every workstation's ``--store`` URL logs in as. It may
  read and write the workflow tables, but on the audit tables only:

  ============================  =====================================================
  ``audit_entries``             SELECT, INSERT (never UPDATE, DELETE, TRUNCATE)
  ``audit_checkpoints``         SELECT, INSERT, UPDATE of ``statement``, ``signature``,
                                ``signer`` (attach a signature once; the trigger refuses
                                everything else)
  ``audit_head``                SELECT, INSERT, UPDATE (the tip, rewritten with each
                                append; ``audit verify`` recomputes it from the entries)
  ``schema_version``            SELECT
  ============================  =====================================================

  Not being the owner, the desk role cannot ``ALTER TABLE ... DISABLE TRIGGER``,
  drop the triggers or change the grants: the append-only triggers (migration 1)
  and the grants are two independent guards.

:func:`init_roles` sets this up (idempotently) when run by a role that may create
roles (a superuser or ``CREATEROLE``); :func:`role_sql` prints the same statements
for a DBA who prefers to run them by hand. :func:`audit_guards` is what
``audit verify`` reports on PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from psycopg import sql

#: Tables no desk role may ever rewrite. A new append-only table goes here too.
APPEND_ONLY_TABLES = ("audit_entries",)
#: Tables whose rows the desk role may insert and only partly update.
_LIMITED_UPDATE = {
    "audit_checkpoints": ("statement", "signature", "signer"),
}
_READ_ONLY = ("schema_version",)
_TRIGGER_GUARDS = {
    "audit_entries": ("audit_entries_append_only", "audit_entries_no_truncate"),
    "audit_checkpoints": ("audit_checkpoints_immutable", "audit_checkpoints_no_truncate"),
}

DEFAULT_OWNER_ROLE = "custody_owner"
DEFAULT_DESK_ROLE = "custody_desk"


def _ident(name: str) -> str:
    return sql.Identifier(name).as_string(None)


def role_sql(
    tables: list[str], *, owner: str, desk: str, database: str, desk_password: str | None
) -> list[str]:
    """The statements :func:`init_roles` runs, in order (for review or by hand)."""
    o, d, db = _ident(owner), _ident(desk), _ident(database)
    password = (
        f" PASSWORD {sql.Literal(desk_password).as_string(None)}" if desk_password else ""
    )
    statements = [
        f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = {_lit(owner)})"
        f" THEN CREATE ROLE {o} NOLOGIN; END IF; END $$",
        f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = {_lit(desk)})"
        f" THEN CREATE ROLE {d} LOGIN; END IF; END $$",
        f"ALTER ROLE {d} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS{password}",
        # whoever runs this (the DBA) keeps acting as the owner: migrations, restores
        f"GRANT {o} TO CURRENT_USER",
        f"REVOKE ALL ON DATABASE {db} FROM PUBLIC",
        f"GRANT CONNECT, TEMPORARY ON DATABASE {db} TO {d}",
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
        f"GRANT USAGE ON SCHEMA public TO {d}",
    ]
    for table in tables:
        t = _ident(table)
        statements.append(f"ALTER TABLE {t} OWNER TO {o}")
        statements.append(f"REVOKE ALL ON TABLE {t} FROM PUBLIC, {d}")
        if table in APPEND_ONLY_TABLES:
            statements.append(f"GRANT SELECT, INSERT ON TABLE {t} TO {d}")
        elif table in _LIMITED_UPDATE:
            columns = ", ".join(_ident(c) for c in _LIMITED_UPDATE[table])
            statements.append(f"GRANT SELECT, INSERT ON TABLE {t} TO {d}")
            statements.append(f"GRANT UPDATE ({columns}) ON TABLE {t} TO {d}")
        elif table in _READ_ONLY:
            statements.append(f"GRANT SELECT ON TABLE {t} TO {d}")
        elif table == "audit_head":
            statements.append(f"GRANT SELECT, INSERT, UPDATE ON TABLE {t} TO {d}")
        else:
            statements.append(f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE {t} TO {d}")
    statements += [
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {d}",
        f"DO $$ DECLARE f record; BEGIN FOR f IN SELECT p.oid::regprocedure AS sig"
        f" FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace"
        f" AND p.proname LIKE 'desk\\_%' LOOP EXECUTE format('ALTER FUNCTION %s OWNER TO %I',"
        f" f.sig, {_lit(owner)}); END LOOP; END $$",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA public"
        f" GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {d}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA public"
        f" GRANT USAGE, SELECT ON SEQUENCES TO {d}",
    ]
    return statements


def _lit(value: str) -> str:
    return sql.Literal(value).as_string(None)


def desk_tables(raw: Any) -> list[str]:
    rows = raw.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
        " AND table_type = 'BASE TABLE' ORDER BY table_name"
    ).fetchall()
    return [str(r[0]) for r in rows]


def init_roles(
    raw: Any, *, owner: str = DEFAULT_OWNER_ROLE, desk: str = DEFAULT_DESK_ROLE,
    desk_password: str | None = None,
) -> list[str]:
    """Create/repair the owner and desk roles on the desk database ``raw`` is connected to.

    One transaction; returns the statements run (passwords redacted).
    """
    database = str(raw.execute("SELECT current_database()").fetchone()[0])
    statements = role_sql(
        desk_tables(raw), owner=owner, desk=desk, database=database, desk_password=desk_password
    )
    with raw.transaction():
        for statement in statements:
            raw.execute(statement.encode())
    redacted = role_sql(
        desk_tables(raw), owner=owner, desk=desk, database=database,
        desk_password="********" if desk_password else None,
    )
    return redacted


@dataclass(frozen=True, slots=True)
class GuardReport:
    """Whether the database itself keeps the audit trail append-only."""

    triggers_ok: bool
    role: str
    role_can_rewrite: tuple[str, ...]  # e.g. ("UPDATE audit_entries", ...)
    privileged: bool  # superuser or owner of the audit tables (can lift the triggers)
    missing: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """Triggers in place, and a desk role (not owner) has no rewrite privilege."""
        return self.triggers_ok and (self.privileged or not self.role_can_rewrite)

    def detail(self) -> str:
        if not self.triggers_ok:
            return "append-only triggers missing or disabled: " + ", ".join(self.missing)
        if self.privileged:
            return (
                f"append-only triggers in place; connected as {self.role}, which owns the "
                "tables and could lift them: workstations should use the desk role "
                "(store init-roles)"
            )
        if self.role_can_rewrite:
            return f"role {self.role} may " + ", ".join(self.role_can_rewrite)
        return (
            f"append-only triggers in place; role {self.role} may only INSERT into the "
            "audit log (no UPDATE, DELETE, TRUNCATE)"
        )


def audit_guards(raw: Any) -> GuardReport:
    """Inspect triggers and the current role's privileges on the audit tables."""
    missing: list[str] = []
    for table, names in _TRIGGER_GUARDS.items():
        for name in names:
            row = raw.execute(
                "SELECT tgenabled FROM pg_trigger WHERE tgname = %s"
                " AND tgrelid = to_regclass(%s)",
                (name, table),
            ).fetchone()
            if row is None or row[0] == "D":
                missing.append(f"{table}.{name}")
    role = str(raw.execute("SELECT current_user").fetchone()[0])
    privileged_row = raw.execute(
        "SELECT rolsuper OR pg_has_role(current_user, (SELECT relowner FROM pg_class"
        " WHERE oid = to_regclass('audit_entries')), 'USAGE') FROM pg_roles"
        " WHERE rolname = current_user"
    ).fetchone()
    privileged = bool(privileged_row and privileged_row[0])
    rewrite: list[str] = []
    for table in APPEND_ONLY_TABLES:
        for privilege in ("UPDATE", "DELETE", "TRUNCATE"):
            allowed = raw.execute(
                "SELECT has_table_privilege(current_user, %s, %s)", (table, privilege)
            ).fetchone()
            if allowed and allowed[0]:
                rewrite.append(f"{privilege} {table}")
    for table in ("audit_checkpoints",):
        for privilege in ("DELETE", "TRUNCATE"):
            allowed = raw.execute(
                "SELECT has_table_privilege(current_user, %s, %s)", (table, privilege)
            ).fetchone()
            if allowed and allowed[0]:
                rewrite.append(f"{privilege} {table}")
    return GuardReport(not missing, role, tuple(rewrite), privileged, tuple(missing))
