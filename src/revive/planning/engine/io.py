"""The plain instance format (a folder of CSV files) and the SUKP benchmark format."""

from __future__ import annotations

import csv
import json
import math
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .compiled import InstanceError
from .model import Budgets, Instance, Project, Unit

__all__ = ["InstanceError", "load_instance", "load_periods", "load_sukp", "write_instance", "write_periods"]

UNITS, PROJECTS, REQUIREMENTS, BUDGETS = "units.csv", "projects.csv", "requirements.csv", "budgets.json"
PERIODS = "periods.csv"


def _rows(path: Path, required: list[str]) -> list[tuple[int, dict[str, str]]]:
    """Rows numbered as a spreadsheet shows them (the header is row 1)."""
    with path.open(newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        header = [h.strip() for h in reader.fieldnames or []]
        missing = [c for c in required if c not in header]
        if missing:
            raise InstanceError(
                f"missing column {missing[0]!r} (the header has: {', '.join(header) or 'nothing'})",
                file=path.name,
                row=1,
                column=missing[0],
            )
        reader.fieldnames = header
        return [
            (i, {k: (v or "").strip() for k, v in r.items() if k is not None})
            for i, r in enumerate(reader, 2)
        ]


def _int(text: str, *, file: str, row: int, column: str, what: str = "an amount") -> int:
    try:
        d = Decimal(text)
        if not d.is_finite() or d != d.to_integral_value():
            raise InvalidOperation
        value = int(d)
    except (InvalidOperation, ValueError):
        raise InstanceError(
            f"{text!r} is not a whole number ({what} in rials)", file=file, row=row, column=column
        ) from None
    if value < 0:
        raise InstanceError(f"{what} {value} is negative", file=file, row=row, column=column)
    return value


def _float(text: str, *, file: str, row: int, column: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise InstanceError(f"{text!r} is not a number", file=file, row=row, column=column) from None
    if not math.isfinite(value) or value < 0:
        raise InstanceError(f"{text!r} must be a number of zero or more", file=file, row=row, column=column)
    return value


def _budget(value: int | None, name: str) -> int | None:
    if value is None:
        return None
    if int(value) < 0:
        raise InstanceError(f"{name} is {value}, below zero", column=name)
    return int(value)


def load_instance(
    directory: str | Path,
    *,
    budget: int | None = None,
    loan_budget: int | None = None,
    infra_budget: int | None = None,
) -> Instance:
    """Read units.csv, projects.csv and requirements.csv (and budgets.json if present) from a folder."""
    d = Path(directory)
    if not (d / UNITS).is_file():
        raise InstanceError(f"no {UNITS} in {d}", file=UNITS)
    units: dict[str, dict] = {}
    for row, r in _rows(d / UNITS, ["unit_id", "value", "loan_amount"]):
        uid = r["unit_id"]
        if not uid:
            raise InstanceError("empty unit_id", file=UNITS, row=row, column="unit_id")
        if uid in units:
            raise InstanceError(f"duplicate unit_id {uid!r}", file=UNITS, row=row, column="unit_id")
        units[uid] = dict(
            id=uid,
            value=_float(r["value"], file=UNITS, row=row, column="value"),
            loan_amount=_int(
                r["loan_amount"] or "0", file=UNITS, row=row, column="loan_amount", what="loan amount"
            ),
            province=r.get("province") or None,
            banks=tuple(b.strip() for b in (r.get("banks") or "").split(";") if b.strip()),
            age_days=_int(
                r.get("age_days") or "0", file=UNITS, row=row, column="age_days", what="age in days"
            ),
            jobs=_int(r.get("jobs") or "0", file=UNITS, row=row, column="jobs", what="jobs"),
            sector=r.get("sector") or None,
            projects=[],
        )
    projects: dict[str, Project] = {}
    if (d / PROJECTS).is_file():
        for row, r in _rows(d / PROJECTS, ["project_id", "cost"]):
            pid = r["project_id"]
            if not pid:
                raise InstanceError("empty project_id", file=PROJECTS, row=row, column="project_id")
            if pid in projects:
                raise InstanceError(
                    f"duplicate project_id {pid!r}", file=PROJECTS, row=row, column="project_id"
                )
            projects[pid] = Project(
                id=pid,
                cost=_int(r["cost"], file=PROJECTS, row=row, column="cost", what="cost"),
                duration_months=_int(
                    r.get("duration_months") or "0",
                    file=PROJECTS,
                    row=row,
                    column="duration_months",
                    what="duration",
                ),
                province=r.get("province") or None,
            )
    if (d / REQUIREMENTS).is_file():
        for row, r in _rows(d / REQUIREMENTS, ["unit_id", "project_id"]):
            if r["unit_id"] not in units:
                raise InstanceError(
                    f"unknown unit {r['unit_id']!r} (not in {UNITS})",
                    file=REQUIREMENTS,
                    row=row,
                    column="unit_id",
                )
            if r["project_id"] not in projects:
                raise InstanceError(
                    f"unknown project {r['project_id']!r} (not in {PROJECTS})",
                    file=REQUIREMENTS,
                    row=row,
                    column="project_id",
                )
            if r["project_id"] not in units[r["unit_id"]]["projects"]:
                units[r["unit_id"]]["projects"].append(r["project_id"])
    budgets = Budgets()
    months_left = None
    if (d / BUDGETS).is_file():
        budgets, months_left = _read_budgets(d / BUDGETS)
    for name, value, attr in (
        ("--budget", budget, "total"),
        ("--loan-budget", loan_budget, "loan_total"),
        ("--infra-budget", infra_budget, "infra_total"),
    ):
        if value is not None:
            setattr(budgets, attr, _budget(value, name))
    return Instance(
        units=[Unit(**{**u, "projects": tuple(u["projects"])}) for u in units.values()],
        projects=list(projects.values()),
        budgets=budgets,
        months_left=months_left,
    )


def _read_budgets(path: Path) -> tuple[Budgets, int | None]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise InstanceError(f"not valid JSON: {e.msg}", file=path.name, row=e.lineno) from None
    b = Budgets(
        total=data.get("total"),
        loan_total=data.get("loan_total"),
        infra_total=data.get("infra_total"),
        infra_by_province=dict(data.get("infra_by_province", {})),
        bank_credit=dict(data.get("bank_credit", {})),
        bank_province_quota={
            (bank, prov): amount for bank, prov, amount in data.get("bank_province_quota", [])
        },
        min_share_by_province=dict(data.get("min_share_by_province", {})),
    )
    for name in ("total", "loan_total", "infra_total"):
        value = getattr(b, name)
        if value is not None and (not isinstance(value, int) or value < 0):
            raise InstanceError(
                f"{name} must be a whole number of rials, zero or more", file=path.name, column=name
            )
    for name in ("infra_by_province", "bank_credit", "bank_province_quota"):
        for key, value in getattr(b, name).items():
            if not isinstance(value, int) or value < 0:
                raise InstanceError(
                    f"{name} {key}: {value!r} must be a whole number of rials, zero or more",
                    file=path.name,
                    column=name,
                )
    return b, data.get("months_left")


def write_instance(instance: Instance, directory: str | Path) -> None:
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    with (d / UNITS).open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["unit_id", "value", "loan_amount", "province", "banks", "age_days", "jobs", "sector"])
        for u in instance.units:
            w.writerow(
                [
                    u.id,
                    repr(u.value),
                    u.loan_amount,
                    u.province or "",
                    ";".join(u.banks),
                    u.age_days,
                    u.jobs,
                    u.sector or "",
                ]
            )
    with (d / PROJECTS).open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["project_id", "cost", "duration_months", "province"])
        for p in instance.projects:
            w.writerow([p.id, p.cost, p.duration_months, p.province or ""])
    with (d / REQUIREMENTS).open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["unit_id", "project_id"])
        for u in instance.units:
            for p in u.projects:
                w.writerow([u.id, p])
    b = instance.budgets
    data = {
        "total": b.total,
        "loan_total": b.loan_total,
        "infra_total": b.infra_total,
        "infra_by_province": b.infra_by_province,
        "bank_credit": b.bank_credit,
        "bank_province_quota": [[k[0], k[1], v] for k, v in sorted(b.bank_province_quota.items())],
        "min_share_by_province": b.min_share_by_province,
        "months_left": instance.months_left,
    }
    (d / BUDGETS).write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")


def load_periods(directory: str | Path, months: int):
    """periods.csv: `month` (1..N), `loan_budget`, `infra_budget` in rials released that month.

    Every month 1..`months` must appear exactly once; later months are not part of the plan and are ignored.
    """
    from .schedule import Periods

    d = Path(directory)
    if months < 1:
        raise InstanceError(f"--months is {months}: a plan needs at least one month")
    if not (d / PERIODS).is_file():
        raise InstanceError(
            f"no {PERIODS} in {d} (a plan by month needs the money released each month)", file=PERIODS
        )
    loan: dict[int, int] = {}
    infra: dict[int, int] = {}
    for row, r in _rows(d / PERIODS, ["month", "loan_budget", "infra_budget"]):
        text = r["month"]
        if not text.isdecimal() or int(text) < 1:
            raise InstanceError(
                f"{text!r} is not a month number (1, 2, ...)", file=PERIODS, row=row, column="month"
            )
        month = int(text)
        if month in loan:
            raise InstanceError(f"month {month} appears twice", file=PERIODS, row=row, column="month")
        loan[month] = _int(r["loan_budget"], file=PERIODS, row=row, column="loan_budget", what="loan budget")
        infra[month] = _int(
            r["infra_budget"], file=PERIODS, row=row, column="infra_budget", what="infrastructure budget"
        )
    missing = [m for m in range(1, months + 1) if m not in loan]
    if missing:
        raise InstanceError(
            f"month {missing[0]} is missing (the plan has {months} months)", file=PERIODS, column="month"
        )
    return Periods(
        loan=[loan[m] for m in range(1, months + 1)], infra=[infra[m] for m in range(1, months + 1)]
    )


def write_periods(periods, directory: str | Path) -> None:
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    with (d / PERIODS).open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["month", "loan_budget", "infra_budget"])
        for i, (a, b) in enumerate(zip(periods.loan, periods.infra, strict=True), 1):
            w.writerow([i, a, b])


def load_sukp(path: str | Path) -> Instance:
    """A set-union knapsack instance: items become units (value = profit), elements become projects."""
    p = Path(path)
    try:
        nums = [int(t) for t in p.read_text().split()]
    except ValueError as e:
        raise InstanceError(f"not a SUKP file: {e}", file=p.name) from None
    m, n, cap = nums[0], nums[1], nums[2]
    if len(nums) < 3 + m + n + m * n:
        raise InstanceError(f"expected {3 + m + n + m * n} numbers, found {len(nums)}", file=p.name)
    profits = nums[3 : 3 + m]
    weights = nums[3 + m : 3 + m + n]
    matrix = nums[3 + m + n : 3 + m + n + m * n]
    projects = [Project(id=f"e{j}", cost=weights[j]) for j in range(n)]
    units = [
        Unit(
            id=f"i{i}",
            value=float(profits[i]),
            projects=tuple(f"e{j}" for j in range(n) if matrix[i * n + j]),
        )
        for i in range(m)
    ]
    return Instance(units=units, projects=projects, budgets=Budgets(total=cap))
