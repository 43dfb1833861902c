"""The plain panel format (units.csv, months.csv, interventions.csv) and its dense month-by-unit arrays.

Months are Iranian `YYYY/MM`; inside the engine a month is an integer index `year * 12 + month - 1`, and
the panel is held as unit x month arrays (band, utilisation, filings, arrears) so that every feature is
a vectorised slice, never a Python loop over units.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

UNITS, MONTHS, INTERVENTIONS = "units.csv", "months.csv", "interventions.csv"
BANDS = ("idle", "lt50", "50_70", "gt70")  # codes 0..3; -1 = no record that month
KINDS = ("working_capital", "fixed_capital", "infrastructure", "resolution")
SIZES = ("micro", "small", "medium", "large")
UNIT_COLUMNS = ["unit_id", "province", "sector", "size_class", "jobs"]
MONTH_COLUMNS = ["unit_id", "month", "band", "utilisation", "filed", "filed_late", "arrears"]
# Optional columns of months.csv (a panel made elsewhere may leave them out, or leave a cell empty: unknown):
# `obstacles`, the open obstacles on the unit's cases at the month's end, and `park_shortfalls`, how many of
# its park's utilities (electricity, gas, water, wastewater, telecom, road) fall short at the month's end.
OPTIONAL_MONTH_COLUMNS = ["obstacles", "park_shortfalls"]
OPTIONAL_LIMITS = {"obstacles": 100, "park_shortfalls": 6}
INTERVENTION_COLUMNS = ["unit_id", "month", "kind", "amount_rials"]
MISSING = -1


class PanelError(ValueError):
    """A bad panel file: which file, row (the header is row 1), column and what is wrong."""

    def __init__(self, reason: str, *, file: str = "", row: int | None = None, column: str = ""):
        self.reason, self.file, self.row, self.column = reason, file, row, column
        where = ", ".join(
            p
            for p in (file, f"row {row}" if row is not None else "", f"column {column}" if column else "")
            if p
        )
        super().__init__(f"{where}: {reason}" if where else reason)


def month_index(text: str) -> int:
    """'1403/07' -> 1403 * 12 + 6. Raises ValueError on anything else."""
    t = text.strip().translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789"))
    parts = t.replace("-", "/").split("/")
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        raise ValueError(text)
    year, month = int(parts[0]), int(parts[1])
    if not (1300 <= year <= 1500 and 1 <= month <= 12):
        raise ValueError(text)
    return year * 12 + month - 1


def month_label(index: int) -> str:
    return f"{index // 12:04d}/{index % 12 + 1:02d}"


@dataclass
class Panel:
    """Units in rows, months in columns (month index `start + column`)."""

    unit_ids: list[str]
    province: np.ndarray  # str, per unit
    sector: np.ndarray  # str, per unit
    size: np.ndarray  # int 0..3, per unit
    jobs: np.ndarray  # int, per unit
    start: int  # month index of column 0
    band: np.ndarray  # int8 U x T, -1 where the unit has no record that month
    utilisation: np.ndarray  # float32 U x T, NaN when empty
    filed: np.ndarray  # int8 U x T
    late: np.ndarray  # int8 U x T
    arrears: np.ndarray  # int8 U x T
    # interventions: parallel arrays
    iv_unit: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    iv_month: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # column index
    iv_kind: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # index into KINDS
    iv_amount: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    # optional columns: float32 U x T, NaN where unknown (the whole array when the panel has no such column)
    obstacles: np.ndarray | None = None
    park_shortfalls: np.ndarray | None = None

    def __post_init__(self) -> None:
        for name in OPTIONAL_MONTH_COLUMNS:
            if getattr(self, name) is None:
                setattr(self, name, np.full(self.band.shape, np.nan, dtype=np.float32))
        # A month without a record says nothing, as in the files (months.csv has no row for it): however the
        # panel was built, the database's (an instalment due while the unit was closed) or the files', the
        # model reads the same arrays.
        unrecorded = self.band < 0
        if unrecorded.any():
            for name in ("filed", "late", "arrears"):
                getattr(self, name)[unrecorded] = 0
            for name in ("utilisation", *OPTIONAL_MONTH_COLUMNS):
                getattr(self, name)[unrecorded] = np.nan

    @property
    def n_units(self) -> int:
        return len(self.unit_ids)

    @property
    def n_months(self) -> int:
        return self.band.shape[1]

    def label(self, column: int) -> str:
        return month_label(self.start + column)


def _rows(path: Path, required: list[str]):
    if not path.is_file():
        raise PanelError("the file is missing", file=path.name)
    try:
        with path.open(newline="", encoding="utf-8-sig") as f:
            reader = csv.reader(f)
            header = [h.strip() for h in next(reader, [])]
            missing = [c for c in required if c not in header]
            if missing:
                raise PanelError(
                    f"missing column {missing[0]!r} (the header has: {', '.join(header) or 'nothing'})",
                    file=path.name,
                    row=1,
                    column=missing[0],
                )
            pos = [header.index(c) for c in required]
            for i, r in enumerate(reader, 2):
                if not r or all(not c.strip() for c in r):
                    continue
                if len(r) < len(header):
                    r = r + [""] * (len(header) - len(r))
                yield i, [r[p].strip() for p in pos]
    except UnicodeDecodeError:
        raise PanelError("the file is not UTF-8 text", file=path.name) from None


def _int(text: str, *, file: str, row: int, column: str, lo: int = 0, hi: int | None = None) -> int:
    try:
        value = int(text)
    except ValueError:
        raise PanelError(f"{text!r} is not a whole number", file=file, row=row, column=column) from None
    if value < lo or (hi is not None and value > hi):
        rng = f"{lo} to {hi}" if hi is not None else f"{lo} or more"
        raise PanelError(f"{value} is out of range ({rng})", file=file, row=row, column=column)
    return value


def load_panel(directory: str | Path) -> Panel:
    """Read and check the three files; the first bad cell raises PanelError."""
    d = Path(directory)
    if not d.is_dir():
        raise PanelError(f"{d} is not a folder")
    ids: dict[str, int] = {}
    province, sector, size, jobs = [], [], [], []
    for row, (uid, prov, sec, sz, jb) in _rows(d / UNITS, UNIT_COLUMNS):
        if not uid:
            raise PanelError("empty unit_id", file=UNITS, row=row, column="unit_id")
        if uid in ids:
            raise PanelError(f"unit {uid!r} appears twice", file=UNITS, row=row, column="unit_id")
        if sz not in SIZES:
            raise PanelError(
                f"{sz!r} is not a size class ({', '.join(SIZES)})", file=UNITS, row=row, column="size_class"
            )
        ids[uid] = len(ids)
        province.append(prov or "?")
        sector.append(sec or "?")
        size.append(SIZES.index(sz))
        jobs.append(_int(jb, file=UNITS, row=row, column="jobs", hi=1_000_000))
    if not ids:
        raise PanelError("no units", file=UNITS, row=2)

    band_a, util_a, filed_a, late_a, arr_a, optional, start, end = _load_months(d / MONTHS, ids)
    n_units, n_months = band_a.shape

    iv = []
    iv_path = d / INTERVENTIONS
    if iv_path.is_file():
        for row, (uid, mon, kind, amount) in _rows(iv_path, INTERVENTION_COLUMNS):
            if uid not in ids:
                raise PanelError(
                    f"unit {uid!r} is not in {UNITS}", file=INTERVENTIONS, row=row, column="unit_id"
                )
            try:
                m = month_index(mon)
            except ValueError:
                raise PanelError(
                    f"{mon!r} is not an Iranian month YYYY/MM", file=INTERVENTIONS, row=row, column="month"
                ) from None
            if not start <= m <= end:
                raise PanelError(
                    f"{mon} is outside the months of {MONTHS} ({month_label(start)} to {month_label(end)})",
                    file=INTERVENTIONS,
                    row=row,
                    column="month",
                )
            if kind not in KINDS:
                raise PanelError(
                    f"{kind!r} is not a kind ({', '.join(KINDS)})", file=INTERVENTIONS, row=row, column="kind"
                )
            a = (
                0
                if amount == ""
                else _int(amount, file=INTERVENTIONS, row=row, column="amount_rials", hi=10**18)
            )
            iv.append((ids[uid], m - start, KINDS.index(kind), a))
    iva = np.array(iv, dtype=np.int64).reshape(-1, 4)
    return Panel(
        unit_ids=list(ids),
        province=np.array(province, dtype=object),
        sector=np.array(sector, dtype=object),
        size=np.array(size, dtype=np.int8),
        jobs=np.array(jobs, dtype=np.int64),
        start=start,
        band=band_a,
        utilisation=util_a,
        filed=filed_a,
        late=late_a,
        arrears=arr_a,
        iv_unit=iva[:, 0],
        iv_month=iva[:, 1],
        iv_kind=iva[:, 2],
        iv_amount=iva[:, 3],
        **optional,
    )


def _load_months(path: Path, ids: dict[str, int]):
    """months.csv, checked column by column. Every column is read as a categorical (few distinct values
    but for unit_id), so each check runs on the distinct values and reaches the rows through their codes:
    3 million rows in a few seconds."""
    if not path.is_file():
        raise PanelError("the file is missing", file=MONTHS)
    try:
        df = pd.read_csv(
            path, dtype="category", keep_default_na=False, encoding="utf-8-sig", skipinitialspace=True
        )
    except (UnicodeDecodeError, pd.errors.ParserError) as e:
        raise PanelError(f"cannot be read as CSV ({str(e).splitlines()[0]})", file=MONTHS) from None
    except pd.errors.EmptyDataError:
        raise PanelError("the file is empty", file=MONTHS, row=1) from None
    df.columns = [str(c).strip() for c in df.columns]
    missing = [c for c in MONTH_COLUMNS if c not in df.columns]
    if missing:
        raise PanelError(
            f"missing column {missing[0]!r} (the header has: {', '.join(df.columns) or 'nothing'})",
            file=MONTHS,
            row=1,
            column=missing[0],
        )
    if df.empty:
        raise PanelError("no months", file=MONTHS, row=2)

    def column(name, convert, bad_value: float):
        """(values per row, text per category) with `convert` applied once per distinct text."""
        cat = df[name].cat
        texts = [str(c).strip() for c in cat.categories]
        values = np.array([convert(t) for t in texts], dtype=np.float64)
        codes = cat.codes.to_numpy()
        # code -1: a row too short to have this cell, which takes the bad value
        return np.append(values, bad_value)[codes], texts, codes

    def fail(mask, name, texts, codes, reason):
        if mask.any():
            i = int(np.argmax(mask))
            text = texts[codes[i]] if codes[i] >= 0 else ""  # -1: the row is short of this cell
            raise PanelError(reason(text), file=MONTHS, row=i + 2, column=name)

    def lookup(table):
        return lambda t: table.get(t, -1)

    def month_or_bad(t):
        try:
            return month_index(t)
        except ValueError:
            return -1

    def number(t):
        if t == "":
            return np.nan
        try:
            x = float(t)
        except ValueError:
            return -2.0
        return x if math.isfinite(x) else -2.0

    ui, t_u, c_u = column("unit_id", lookup(ids), -1)
    fail(ui < 0, "unit_id", t_u, c_u, lambda v: f"unit {v!r} is not in {UNITS}")
    mi, t_m, c_m = column("month", month_or_bad, -1)
    fail(mi < 0, "month", t_m, c_m, lambda v: f"{v!r} is not an Iranian month YYYY/MM")
    band, t_b, c_b = column("band", lookup({b: i for i, b in enumerate(BANDS)}), -1)
    fail(band < 0, "band", t_b, c_b, lambda v: f"{v!r} is not a band ({', '.join(BANDS)})")
    util, t_x, c_x = column("utilisation", number, -2.0)
    fail(util == -2.0, "utilisation", t_x, c_x, lambda v: f"{v!r} is not a number")
    fail((util < 0) | (util > 100), "utilisation", t_x, c_x, lambda v: f"{v} is outside 0-100")
    flags = []
    for name in ("filed", "filed_late", "arrears"):
        flag, t_f, c_f = column(name, lookup({"0": 0, "1": 1}), -1)
        fail(flag < 0, name, t_f, c_f, lambda v: f"{v!r} must be 0 or 1")
        flags.append(flag.astype(np.int8))
    extra = {}
    for name in OPTIONAL_MONTH_COLUMNS:
        if name not in df.columns:
            continue
        hi = OPTIONAL_LIMITS[name]
        count, t_o, c_o = column(name, number, -2.0)
        fail(count == -2.0, name, t_o, c_o, lambda v: f"{v!r} is not a number")
        bad = ~np.isnan(count) & ((count < 0) | (count > hi) | (count != np.floor(count)))
        fail(bad, name, t_o, c_o, lambda v, hi=hi: f"{v} is not a whole number from 0 to {hi}")
        extra[name] = count
    ui, mi = ui.astype(np.int64), mi.astype(np.int64)
    start, end = int(mi.min()), int(mi.max())
    n_units, n_months = len(ids), end - start + 1
    mi = mi - start
    flat = ui * n_months + mi
    order = np.argsort(flat, kind="stable")
    dup = np.nonzero(np.diff(flat[order]) == 0)[0]
    if len(dup):
        i = int(order[dup[0] + 1])
        raise PanelError("the same unit and month appear twice", file=MONTHS, row=i + 2, column="month")
    band_a = np.full((n_units, n_months), MISSING, dtype=np.int8)
    util_a = np.full((n_units, n_months), np.nan, dtype=np.float32)
    filed_a = np.zeros((n_units, n_months), dtype=np.int8)
    late_a = np.zeros((n_units, n_months), dtype=np.int8)
    arr_a = np.zeros((n_units, n_months), dtype=np.int8)
    band_a[ui, mi] = band.astype(np.int8)
    util_a[ui, mi] = util
    filed_a[ui, mi], late_a[ui, mi], arr_a[ui, mi] = flags
    optional = {}
    for name, values in extra.items():
        a = np.full((n_units, n_months), np.nan, dtype=np.float32)
        a[ui, mi] = values
        optional[name] = a
    return band_a, util_a, filed_a, late_a, arr_a, optional, start, end


def write_panel(panel: Panel, directory: str | Path) -> None:
    """Write the three files (months only where the unit has a record; the optional columns empty where
    unknown)."""
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    with (d / UNITS).open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(UNIT_COLUMNS)
        for i, uid in enumerate(panel.unit_ids):
            w.writerow([uid, panel.province[i], panel.sector[i], SIZES[panel.size[i]], int(panel.jobs[i])])
    labels = [panel.label(c) for c in range(panel.n_months)]
    ui, mi = np.nonzero(panel.band >= 0)
    with (d / MONTHS).open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(MONTH_COLUMNS + OPTIONAL_MONTH_COLUMNS)
        util = panel.utilisation[ui, mi]
        obst, short = panel.obstacles[ui, mi], panel.park_shortfalls[ui, mi]
        whole = lambda x: "" if math.isnan(x) else int(x)  # noqa: E731
        band, filed, late, arr = (
            panel.band[ui, mi],
            panel.filed[ui, mi],
            panel.late[ui, mi],
            panel.arrears[ui, mi],
        )
        ids = panel.unit_ids
        w.writerows(
            (
                ids[u],
                labels[m],
                BANDS[b],
                "" if math.isnan(x) else int(round(x)),
                fi,
                la,
                ar,
                whole(o),
                whole(p),
            )
            for u, m, b, x, fi, la, ar, o, p in zip(  # noqa: B905
                ui.tolist(),
                mi.tolist(),
                band.tolist(),
                util.tolist(),
                filed.tolist(),
                late.tolist(),
                arr.tolist(),
                obst.tolist(),
                short.tolist(),
            )
        )
    with (d / INTERVENTIONS).open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(INTERVENTION_COLUMNS)
        w.writerows(
            (panel.unit_ids[u], labels[m], KINDS[k], a)
            for u, m, k, a in zip(  # noqa: B905
                panel.iv_unit.tolist(),
                panel.iv_month.tolist(),
                panel.iv_kind.tolist(),
                panel.iv_amount.tolist(),
            )
        )
