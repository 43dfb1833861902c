"""The import engine: read a file, validate every row and across rows, preview, then write all or nothing.

Each kind (a `core.importing.Kind`, declared by its domain app in `importers.py` and registered there)
says its columns and how a row becomes an object; the engine finds it by name through `core.importing`
and does the rest the same way for all: headers in Persian or English, row-level errors with row, column,
value and reason, classification new / changed / unchanged, one transaction, audit rows.
"""

from collections.abc import Callable
from datetime import date

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from revive.core import audit, bulk, calendar, cells, importing
from revive.core.errors import DomainError, lazy_message
from revive.core.importing import Change, Column, Preview, Row
from revive.core.scoping import Scope, ScopeKind
from revive.core.text import search_key
from revive.imports.reading import read_table

MAX_ERRORS = 5000  # beyond this the file is clearly the wrong one; more would not help anyone


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
        if key is not None and key in columns:
            # Two columns for one field (the same name twice, or its Persian and its English name): which
            # one to read would be a guess, and the other's values would be lost in silence.
            col = spec[key]
            raise DomainError(
                lazy_message(
                    _(
                        "The column “%(column)s” appears twice in the header, in columns %(first)s and "
                        "%(second)s: keep one of them and send the file again."
                    ),
                    column=f"{col.fa} ({col.en})",
                    first=columns[key] + 1,
                    second=i + 1,
                ),
                field="file",
            )
        if key is not None:
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
    kind_class = importing.kind(kind)
    if scope.kind not in (ScopeKind.NATION, ScopeKind.PROVINCE):
        raise DomainError(_("Only national and provincial staff may import."))
    handler = kind_class(scope, today or calendar.tehran_today())
    if handler.national_only and scope.kind != ScopeKind.NATION:
        raise DomainError(_("Only the national administration may import this kind."), field="kind")
    spec = importing.columns_of(kind_class)  # with each text column's max_length
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
    for chunk in bulk.chunks(new_objects, WRITE_CHUNK):
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
    for chunk in bulk.chunks(preview.changed, WRITE_CHUNK):
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
