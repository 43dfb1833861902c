"""The import engine: read a file, validate every row and across rows, preview, then write all or nothing.

Each kind (parks, infrastructure, units, filings) declares its columns and how a row becomes an object;
the engine does the rest the same way for all: headers in Persian or English, row-level errors with
row, column, value and reason, classification new / changed / unchanged, one transaction, audit rows.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from revive.core import audit, bulk, calendar
from revive.core.errors import DomainError, lazy_message
from revive.core.scoping import Scope, ScopeKind
from revive.core.text import search_key
from revive.imports import cells
from revive.imports.reading import read_table

MAX_ERRORS = 5000  # beyond this the file is clearly the wrong one; more would not help anyone


@dataclass(frozen=True)
class Column:
    key: str
    fa: str
    en: str
    required: bool = False
    example: Any = ""
    note: Any = ""

    def names(self) -> set[str]:
        return {search_key(self.key), search_key(self.en), search_key(self.fa)}


@dataclass
class RowError:
    row: int
    column: str  # both languages, "کد شهرک (Park code)", for the command line
    value: str
    message: Any
    column_fa: str = ""  # the column in one language, for pages
    column_en: str = ""

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "value": self.value, "message": str(self.message)}


@dataclass
class Change:
    row: int
    key: str
    obj: Any
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # field -> (before, after)


@dataclass
class Preview:
    kind: str
    filename: str
    rows: int = 0
    new: list[Change] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    truncated: bool = False
    handler: Any = None

    @property
    def ok(self) -> bool:
        return not self.errors

    def counts(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            "new": len(self.new),
            "changed": len(self.changed),
            "unchanged": self.unchanged,
        }


class Row:
    """One data row: typed access to its cells, collecting errors instead of stopping at the first."""

    def __init__(self, number: int, values: list, columns: dict[str, int], spec: dict[str, Column], preview):
        self.number, self.values, self.columns, self.spec, self.preview = (
            number,
            values,
            columns,
            spec,
            preview,
        )
        self.failed = False

    def has(self, key: str) -> bool:
        return key in self.columns

    def raw(self, key: str):
        i = self.columns.get(key)
        return self.values[i] if i is not None and i < len(self.values) else None

    def fail(self, key: str, message, value=None) -> None:
        self.failed = True
        value = self.raw(key) if value is None else value
        col = self.spec[key]
        self.preview.errors.append(
            RowError(
                self.number,
                f"{col.fa} ({col.en})",
                "" if value is None else cells.text(value)[:100],
                message,
                col.fa,
                col.en,
            )
        )

    def get(self, key: str, parse: Callable = cells.text, default=None, **kwargs):
        value = self.raw(key)
        if cells.is_blank(value):
            if self.spec[key].required:
                self.fail(key, _("This column is required."), value="")
            return default
        try:
            return parse(value, **kwargs)
        except DomainError as exc:
            self.fail(key, exc.message)
            return default
        except (ValueError, TypeError, ArithmeticError):
            self.fail(key, _("This value cannot be read; check the template's notes for this column."))
            return default


def _in_scope(scope: Scope, province_id: int | None) -> bool:
    if scope.kind == ScopeKind.NATION:
        return True
    return scope.kind == ScopeKind.PROVINCE and province_id == scope.province_id


def _header(rows: list[list], spec: dict[str, Column]) -> tuple[int, dict[str, int]]:
    """Find the header row (the first non-empty one) and a second header row in the other language."""
    lookup = {name: col.key for col in spec.values() for name in col.names()}
    start = 0
    while start < len(rows) and all(cells.is_blank(c) for c in rows[start]):
        start += 1
    if start == len(rows):
        raise DomainError(_("The file is empty."), field="file")
    columns: dict[str, int] = {}
    unknown = []
    for i, cell in enumerate(rows[start]):
        key = lookup.get(search_key(cells.text(cell)))
        if key is not None and key not in columns:
            columns[key] = i
        elif not cells.is_blank(cell):
            unknown.append(cells.text(cell))
    if unknown:
        # A misspelt column ("Employes") would otherwise be skipped and its values lost in silence.
        raise DomainError(
            lazy_message(
                _("Unknown column “%(column)s”. The columns of this kind are: %(expected)s."),
                column=unknown[0],
                expected=", ".join(f"{c.fa} ({c.en})" for c in spec.values()),
            ),
            field="file",
        )
    missing = [f"{c.fa} ({c.en})" for c in spec.values() if c.required and c.key not in columns]
    if missing:
        raise DomainError(
            lazy_message(
                _(
                    "The first row must name the columns; missing: %(missing)s. Download the template for this kind."
                ),
                missing=", ".join(missing),
            ),
            field="file",
        )
    body = start + 1
    # The template carries a Persian header row and an English one under it.
    if (
        body < len(rows)
        and rows[body]
        and all(cells.is_blank(c) or search_key(cells.text(c)) in lookup for c in rows[body])
        and any(not cells.is_blank(c) for c in rows[body])
    ):
        body += 1
    return body, columns


class Kind:
    name: str
    label: Any
    model: type
    key_columns: tuple[str, ...]
    columns: list[Column]
    compare: tuple[str, ...]
    perm: str = "registry.edit"  # who may import this kind (a Perm value)
    national_only: bool = False  # national staff only (lending figures, targets)
    natural_key: tuple[str, ...] = ()  # unique database fields the engine reads new rows' keys back by
    audited: tuple[str, ...] = ()  # fields set on new records only, written into their audit rows too

    def __init__(self, scope: Scope, today: date):
        self.scope, self.today = scope, today

    def prepare(self, rows: list[Row]) -> None:
        """Load what the rows refer to, in a few queries."""

    def parse(self, row: Row) -> tuple[str, dict] | None:
        raise NotImplementedError

    def existing(self, keys: list[str]) -> dict[str, Any]:
        raise NotImplementedError

    def build(self, key: str, values: dict) -> Any:
        raise NotImplementedError

    def derived(self, obj) -> dict[str, Any]:
        """Fields computed from others (a search key), set on new objects and on changed ones."""
        return {}

    def check_all(self, parsed: dict[str, tuple[int, dict]], preview: Preview) -> None:
        """Checks across the whole file, after every row was read; add errors to the preview."""

    def write(
        self, preview: Preview, by, report: Callable[[int, int], None] = lambda done, total: None
    ) -> bool:
        """Write through the domain's own services (which audit each object), calling report(done, total)
        as it goes; False: the engine bulk-writes."""
        return False

    def after_write(self, preview: Preview, by) -> None:
        pass

    def key_label(self, key: str) -> str:
        return key


_chunks = bulk.chunks  # the kinds read their referenced rows in chunks too


PROGRESS_EVERY = 5000  # rows between two progress reports


def preview_file(
    *,
    kind: str,
    content: bytes,
    filename: str,
    scope: Scope,
    today: date | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> Preview:
    """Validate the whole file against the database; nothing is written.

    on_progress(done, total) is called as the rows are checked (reading the file counts as none)."""
    report = on_progress or (lambda done, total: None)
    from revive.imports.kinds import KINDS

    if kind not in KINDS:
        raise DomainError(lazy_message(_("Unknown import kind “%(kind)s”."), kind=kind), field="kind")
    if scope.kind not in (ScopeKind.NATION, ScopeKind.PROVINCE):
        raise DomainError(_("Only national and provincial staff may import."))
    handler = KINDS[kind](scope, today or calendar.tehran_today())
    if handler.national_only and scope.kind != ScopeKind.NATION:
        raise DomainError(_("Only the national administration may import this kind."), field="kind")
    spec = {c.key: c for c in handler.columns}
    table = read_table(content, filename)
    body, columns = _header(table, spec)
    preview = Preview(kind=kind, filename=filename, handler=handler)
    rows = [
        Row(n, values, columns, spec, preview)
        for n, values in enumerate(table[body:], start=body + 1)
        if any(not cells.is_blank(c) for c in values)
    ]
    del table
    preview.rows = len(rows)
    if not rows:
        raise DomainError(_("The file has a header but no rows to import."), field="file")
    handler.prepare(rows)
    total = len(rows) * 5 // 4  # the comparison with the database is the last fifth
    report(0, total)
    parsed: dict[str, tuple[int, dict]] = {}
    for i, row in enumerate(rows):
        if i % PROGRESS_EVERY == 0 and i:
            report(i, total)
        result = handler.parse(row)
        if row.failed or result is None:
            if len(preview.errors) >= MAX_ERRORS:
                preview.truncated = True
                break
            continue
        key, values = result
        if key in parsed:
            first_key = next(iter(handler.key_columns))
            row.fail(
                first_key,
                lazy_message(
                    _("Repeats row %(row)s: each record may appear once per file."), row=parsed[key][0]
                ),
                value=handler.key_label(key),
            )
            continue
        parsed[key] = (row.number, values)
    if preview.errors:
        return preview
    handler.check_all(parsed, preview)
    if preview.errors:
        return preview
    existing = handler.existing(list(parsed))
    report(len(rows) + len(rows) // 8, total)
    for key, (number, values) in parsed.items():
        obj = existing.get(key)
        if obj is None:
            obj = handler.build(key, values)
            for name, value in handler.derived(obj).items():
                setattr(obj, name, value)
            preview.new.append(Change(number, key, obj))
            continue
        diff = {}
        for name, value in values.items():
            if name in handler.compare and getattr(obj, name) != value:
                diff[name] = (getattr(obj, name), value)
        if diff:
            for name, (_before, after) in diff.items():
                setattr(obj, name, after)
            for name, value in handler.derived(obj).items():
                if getattr(obj, name) != value:
                    diff[name] = (getattr(obj, name), value)
                    setattr(obj, name, value)
            preview.changed.append(Change(number, key, obj, diff))
        else:
            preview.unchanged += 1
    return preview


def _jsonable(value):
    if isinstance(value, date):
        return value.isoformat()
    if value is None or isinstance(value, int | str | bool):
        return value
    return str(value)


@transaction.atomic
def import_write(
    *, preview: Preview, by, scope: Scope, on_progress: Callable | None = None
) -> dict[str, int]:
    """Write a clean preview in one transaction: new rows created, changed rows updated, audit rows."""
    if not preview.ok:
        raise DomainError(_("Nothing was imported: the file has errors."), field="file")
    handler = preview.handler
    if getattr(by, "is_authenticated", False):
        from revive.accounts.roles import has_perm

        if not has_perm(by, handler.perm):
            raise DomainError(_("You may not import this kind."), field="kind")
    report = on_progress or (lambda done, total: None)
    if not handler.write(preview, by, report):
        _bulk_write(preview, handler, by, report)
    counts = preview.counts()
    if preview.new or preview.changed:
        audit.record_many(
            actor=by,
            events=[
                {
                    "action": "import",
                    "object_type": "imports.batch",
                    "object_id": preview.kind,
                    "object_repr": preview.filename,
                    "province_id": scope.province_id if scope.kind == ScopeKind.PROVINCE else None,
                    "after": {"kind": preview.kind, **counts},
                    "note": preview.filename,
                }
            ],
        )
    handler.after_write(preview, by)
    return counts


WRITE_CHUNK = 5000


def _bulk_write(preview: Preview, handler, by, report: Callable) -> None:
    """New objects and changed fields as plain INSERTs and UPDATEs, then one audit row per record as
    plain rows: Django's per-value SQL building in bulk_create was most of the write time."""
    model = handler.model
    note = preview.filename[:500]
    total = len(preview.new) + len(preview.changed)
    done = 0
    new_objects = [c.obj for c in preview.new]
    for chunk in _chunks(new_objects, WRITE_CHUNK):
        bulk.create_objects(model, chunk, natural_key=handler.natural_key)
        audit.record_many(
            actor=by,
            events=(
                {
                    "action": f"import_{preview.kind}_create",
                    "obj": obj,
                    "after": {k: _jsonable(getattr(obj, k)) for k in handler.compare + handler.audited},
                    "note": note,
                }
                for obj in chunk
            ),
        )
        done += len(chunk)
        report(done, total)
    changed_fields = sorted({name for c in preview.changed for name in c.fields})
    for chunk in _chunks(preview.changed, WRITE_CHUNK):
        bulk.update_rows(
            model,
            changed_fields,
            ([getattr(c.obj, name) for name in changed_fields] + [c.obj.pk] for c in chunk),
        )
        audit.record_many(
            actor=by,
            events=(
                {
                    "action": f"import_{preview.kind}_update",
                    "obj": c.obj,
                    "before": {k: _jsonable(b) for k, (b, _a) in c.fields.items()},
                    "after": {k: _jsonable(a) for k, (_b, a) in c.fields.items()},
                    "note": note,
                }
                for c in chunk
            ),
        )
        done += len(chunk)
        report(done, total)


def import_file(
    *, kind: str, content: bytes, filename: str, scope: Scope, by, dry_run: bool = False
) -> tuple[Preview, dict | None]:
    preview = preview_file(kind=kind, content=content, filename=filename, scope=scope)
    if not preview.ok or dry_run:
        return preview, None
    return preview, import_write(preview=preview, by=by, scope=scope)
