"""Read monthly lending figures from CSV or XLSX: every row is checked before anything is written."""

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext_lazy as _

from revive.core.errors import DomainError, lazy_message
from revive.core.text import normalize, to_ascii_digits
from revive.finance import services
from revive.registry.models import Organisation

# Column names people use, in English or Persian; the first is the one the template file carries.
COLUMNS = {
    "year": ("year", "سال"),
    "month": ("month", "ماه"),
    "bank": ("bank", "بانک"),
    "total": ("total", "کل", "کل تسهیلات"),
    "industry_mining": ("industry_mining", "صنعت و معدن", "industry"),
}
REQUIRED = ("year", "month", "total", "industry_mining")
SYSTEM = {"", "system", "all", "banking system", "کل", "شبکه بانکی", "نظام بانکی"}
MAX_ROWS = 20_000


@dataclass
class ImportResult:
    rows: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)  # {"row", "column", "value", "message"}

    @property
    def ok(self) -> bool:
        return not self.errors


def _read(content: bytes, filename: str) -> list[list]:
    """The same bounded reader as every import: sheet size and memory limited, encodings and control
    characters checked with their row and column."""
    from revive.imports.reading import read_table

    return read_table(content, filename or "")


def _header(row: list) -> dict[str, int]:
    names = [normalize(str(c or "")).casefold() for c in row]
    found = {}
    for key, aliases in COLUMNS.items():
        for alias in aliases:
            if alias in names:
                found[key] = names.index(alias)
                break
    return found


def _integer(value) -> int | None:
    """An integer cell: an int, a whole float from a spreadsheet, or digits as text; None if not one."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    return value  # text: the service parses it (Persian digits, thousands separators)


def parse_lending(content: bytes, filename: str, *, today: date | None = None) -> ImportResult:
    result = ImportResult()
    rows = _read(content, filename)
    rows = [r for r in rows if any(str(c or "").strip() for c in r)]
    if not rows:
        raise DomainError(_("The file is empty."), field="file")
    columns = _header(rows[0])
    missing = [k for k in REQUIRED if k not in columns]
    if missing:
        raise DomainError(
            lazy_message(
                _(
                    "The first row must name the columns year, month, bank, total, industry_mining; missing: %(missing)s."
                ),
                missing=", ".join(missing),
            ),
            field="file",
        )
    if len(rows) - 1 > MAX_ROWS:
        raise DomainError(lazy_message(_("At most %(n)s rows per file."), n=MAX_ROWS), field="file")
    banks = {o.code: o for o in Organisation.objects.filter(kind=Organisation.Kind.BANK)}
    by_name = {normalize(o.name_fa): o for o in banks.values()} | {
        o.name_en.casefold(): o for o in banks.values()
    }
    seen: dict[tuple, int] = {}
    for number, row in enumerate(rows[1:], start=2):

        def cell(key: str, row=row):
            i = columns.get(key)
            return row[i] if i is not None and i < len(row) else None

        def fail(column: str, value, message, number=number) -> None:
            result.errors.append(
                {
                    "row": number,
                    "column": column,
                    "value": "" if value is None else str(value),
                    "message": message,
                }
            )

        year, month = _integer(cell("year")), _integer(cell("month"))
        try:
            year = int(to_ascii_digits(str(year)).strip()) if year is not None else None
            month = int(to_ascii_digits(str(month)).strip()) if month is not None else None
        except ValueError:
            year = month = None
        if year is None:
            fail("year", cell("year"), _("Give the Iranian year, e.g. 1405."))
            continue
        if month is None:
            fail("month", cell("month"), _("Give the month as a number from 1 to 12."))
            continue
        raw_bank = normalize(str(cell("bank") or "")).strip()
        bank = None
        if raw_bank.casefold() not in SYSTEM:
            bank = banks.get(raw_bank.lower()) or by_name.get(raw_bank) or by_name.get(raw_bank.casefold())
            if bank is None:
                fail(
                    "bank",
                    raw_bank,
                    _("Unknown bank: give its code (e.g. melli) or leave it empty for the banking system."),
                )
                continue
        key = (year, month, bank.code if bank else "")
        if key in seen:
            fail("month", f"{year}/{month:02d}", lazy_message(_("Repeats row %(row)s."), row=seen[key]))
            continue
        seen[key] = number
        try:
            total, industry = services.check_lending_figure(
                year=year,
                month=month,
                total=_integer(cell("total")),
                industry_mining=_integer(cell("industry_mining")),
                today=today,
            )
        except DomainError as exc:
            column = exc.details.get("field", "")
            value = cell(column) if column in COLUMNS else f"{year}/{month}"
            fail(column, value, exc.message)
            continue
        result.rows.append(
            {"year": year, "month": month, "bank": bank, "total": total, "industry_mining": industry}
        )
    return result


def import_lending(content: bytes, filename: str, *, by) -> tuple[ImportResult, dict | None]:
    """Validate the whole file; write every row in one transaction only if no row has an error."""
    result = parse_lending(content, filename)
    if not result.ok:
        return result, None
    return result, services.lending_figures_import(rows=result.rows, by=by, source=filename)
