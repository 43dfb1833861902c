"""What an import kind is, and the one list of kinds the import engine reads.

A kind (parks, units, lending figures, ...) declares its columns in Persian and English and how one row
becomes an object; `revive.imports.engine` does the rest the same way for every kind. This module holds only
the types the two share, so each domain app declares its own kinds in its `importers.py` (importing this,
not the engine) and registers them from its AppConfig.ready():

    from revive.core import importing
    importing.register(Parks, Units)

The engine, the import command and the pages find kinds only through `kinds()` and `kind()`.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from types import MappingProxyType
from typing import Any

from django.utils.translation import gettext_lazy as _

from revive.core import cells
from revive.core.errors import DomainError, lazy_message
from revive.core.scoping import Scope, ScopeKind
from revive.core.text import search_key, too_long


@dataclass(frozen=True)
class Column:
    key: str
    fa: str
    en: str
    required: bool = False
    example: Any = ""
    note: Any = ""
    aliases: tuple[str, ...] = ()  # other headers people write for this column ("کل" for all facilities)
    # The most characters a text value may have. Left out, it is the max_length of the kind's model field
    # of the column's name (columns_of): a longer text is a row error, never cut to fit.
    max_length: int | None = None

    def names(self) -> set[str]:
        return {search_key(name) for name in (self.key, self.en, self.fa, *self.aliases)}


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
                "" if value is None else shown(cells.text(value)),
                message,
                col.fa,
                col.en,
            )
        )

    def fail_domain(self, exc: DomainError, fields: dict[str, str], default: str) -> None:
        """Put a service's refusal on the column it is about (its `field` detail, mapped by `fields`)."""
        self.fail(fields.get(str(exc.details.get("field", "")), default), exc.message)

    def get(self, key: str, parse: Callable = cells.text, default=None, **kwargs):
        value = self.raw(key)
        if cells.is_blank(value):
            if self.spec[key].required:
                self.fail(key, _("This column is required."), value="")
            return default
        try:
            result = parse(value, **kwargs)
        except DomainError as exc:
            self.fail(key, exc.message)
            return default
        except (ValueError, TypeError, ArithmeticError):
            self.fail(key, _("This value cannot be read; check the template's notes for this column."))
            return default
        limit = self.spec[key].max_length
        if limit is not None and isinstance(result, str) and len(result) > limit:
            # Cut to fit, the rest of what the person sent would be lost in silence.
            self.fail(key, too_long(limit, len(result)))
            return default
        return result


SHOWN_CHARS = 100  # of a value in an error row


def shown(text: str) -> str:
    """A cell's text as an error row shows it: a long one cut, with an ellipsis that says so."""
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


def in_scope(scope: Scope, province_id: int | None) -> bool:
    """May this scope import a record of this province (nation: any; a province: its own)."""
    if scope.kind == ScopeKind.NATION:
        return True
    return scope.kind == ScopeKind.PROVINCE and province_id == scope.province_id


class Kind:
    name: str
    label: Any
    model: type | None
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
        """The record's key as people read it: a composite key's parts ("P-20-001|gas") with spaces."""
        return key.replace("|", " ").strip()


_KINDS: dict[str, type[Kind]] = {}


def register(*kinds: type[Kind]) -> None:
    """Called by each domain app's ready() with the kinds it declares, in the order pages list them."""
    for k in kinds:
        if _KINDS.get(k.name, k) is not k:
            raise ValueError(f"two import kinds are named {k.name!r}: {_KINDS[k.name]!r} and {k!r}")
        _KINDS[k.name] = k


@cache
def columns_of(kind: type[Kind]) -> dict[str, Column]:
    """The kind's columns by key, each text column with the most characters its value may have: its own
    max_length, else that of the model's character field (without choices) of the same name (code, name_fa,
    purpose...). Row.get refuses a longer value, for every kind: no import cuts what people sent to fit."""
    fields = {}
    if getattr(kind, "model", None) is not None:
        fields = {  # a field with choices is read against them (cells.choice), not as free text
            f.name: f.max_length
            for f in kind.model._meta.get_fields()
            if getattr(f, "max_length", None) and not getattr(f, "choices", None)
        }
    spec = {}
    for col in kind.columns:
        if col.max_length is None and col.key in fields:
            col = replace(col, max_length=fields[col.key])
        spec[col.key] = col
    return spec


def kinds() -> Mapping[str, type[Kind]]:
    """Every registered kind by name (read-only)."""
    return MappingProxyType(_KINDS)


def kind(name: str) -> type[Kind]:
    """The kind of this name, or a DomainError a person can read."""
    try:
        return _KINDS[name]
    except KeyError:
        raise DomainError(
            lazy_message(_("Unknown import kind “%(kind)s”."), kind=name), field="kind"
        ) from None
