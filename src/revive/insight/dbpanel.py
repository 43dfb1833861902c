"""The database's panel: every unit's monthly band, utilisation, filings, arrears and the interventions it
received, built with a handful of set-based queries and numpy (no query per unit or per month).

- band: the status in force at the end of the month (the registry's status history); closed = no record
- utilisation, filed, filed_late: the month's filing (late when filed after its due date)
- arrears: an instalment of one of the unit's loans due by the month's end and not paid in full by then
- obstacles: the obstacles on the unit's cases open at the month's end (from when their case's timeline
  records them added until it records their removal; 0 for a unit without a case). Unknown (empty) for
  every unit when the cases were written by the demo generator: it writes each case's timeline backwards
  from the unit's status today (a case for a unit below 50% of capacity exists only if the unit is still
  below 50% today), so its obstacles would tell a model how a unit's story ends, not what Revive knew
  then. On the national demo, producing units with an open obstacle never stopped within 6 months (0.0%,
  against 2.2% of the others), and reading them lifted the backtest's AUC from 0.857 to 0.898 for no
  true reason.
- park_shortfalls: the park's utilities short at the month's end (those insufficient or absent today, and
  those a completed project brought up to standard, until the month of its completion; empty outside a park)
- interventions: loans at their first disbursement (working / fixed capital, the amount granted), park
  infrastructure projects at completion (every unit of the park; the cost shared among them), and
  resolutions carried out (on their case's unit, when closed as done)
"""

from __future__ import annotations

from datetime import date

import numpy as np
from django.db.models import F, Q

from revive.core import calendar
from revive.insight.engine.panel import KINDS, SIZES, Panel

BAND_CODES = {"idle": 0, "below_50": 1, "50_70": 2, "above_70": 3, "closed": -1}
MONTHS = 60
DEMO_CASES_ACTION = "demo_cases"  # the audit row the demo generator writes with its cases (demo/cases.py)


def window(today: date | None = None, months: int = MONTHS) -> list[tuple[int, int]]:
    """The last `months` complete Iranian months before today's."""
    today = today or calendar.tehran_today()
    last = calendar.add_months(calendar.month_of(today), -1)
    return list(calendar.iter_months(calendar.add_months(last, -(months - 1)), last))


def _month_of_ordinals(bounds: np.ndarray, ordinals: np.ndarray) -> np.ndarray:
    """Column of the month each date falls in, from the window's month starts and the day after its end
    (`bounds`, T + 1 ordinals): -1 before the window, T on or after the day after it."""
    return np.searchsorted(bounds, ordinals, side="right") - 1


def build(*, province_id: int | None = None, today: date | None = None, months: int = MONTHS):
    """(panel, unit primary keys, park ids, sector ids, province ids) for the nation or one province."""
    from revive.cases.models import Resolution
    from revive.filings.models import MonthlyFiling
    from revive.finance.models import Installment, LoanRequest
    from revive.planning.models import InfraProject
    from revive.registry.models import ProductionUnit, UnitStatus

    ym = window(today, months)
    T = len(ym)
    starts = np.array([calendar.from_jalali(y, m, 1).toordinal() for y, m in ym], dtype=np.int64)
    after = calendar.add_months(ym[-1], 1)
    end_ord = calendar.from_jalali(after[0], after[1], 1).toordinal()  # first day after the window
    first_day, last_day = date.fromordinal(int(starts[0])), date.fromordinal(end_ord - 1)
    bounds = np.append(starts, end_ord)
    units = ProductionUnit.objects.all()
    if province_id is not None:
        units = units.filter(province_id=province_id)
    rows = list(
        units.order_by("id").values_list(
            "id", "business_id", "province__code", "sector__isic_division", "size_class", "employees",
            "park_id", "sector_id", "province_id",
        )
    )  # fmt: skip
    n = len(rows)
    pk = np.array([r[0] for r in rows], dtype=np.int64)
    pos = {p: i for i, p in enumerate(pk.tolist())}

    def index(unit_ids) -> np.ndarray:
        return np.array([pos.get(u, -1) for u in unit_ids], dtype=np.int64)

    # band at each month's end: the last status dated up to then, carried forward
    st = UnitStatus.objects.filter(effective_date__lt=date.fromordinal(end_ord))
    if province_id is not None:
        st = st.filter(unit__province_id=province_id)
    s = list(st.order_by("unit_id", "effective_date", "id").values_list("unit_id", "effective_date", "band"))
    band = np.full((n, T), -1, dtype=np.int8)
    if s:
        su = index([r[0] for r in s])
        sm = np.maximum(_month_of_ordinals(bounds, np.array([r[1].toordinal() for r in s])), 0)
        sb = np.array([BAND_CODES.get(r[2], -1) for r in s], dtype=np.int8)
        ok = su >= 0
        su, sm, sb = su[ok], sm[ok], sb[ok]
        # the last status of each (unit, month) wins: rows are sorted by date, so keep the last occurrence
        key = su * T + sm
        last = len(key) - 1 - np.unique(key[::-1], return_index=True)[1]
        has = np.zeros((n, T), dtype=bool)
        val = np.zeros((n, T), dtype=np.int8)
        has[su[last], sm[last]] = True
        val[su[last], sm[last]] = sb[last]
        cols = np.arange(T)[None, :]
        src = np.maximum.accumulate(np.where(has, cols, -1), axis=1)
        band = np.where(src >= 0, np.take_along_axis(val, np.maximum(src, 0), axis=1), -1).astype(np.int8)

    util = np.full((n, T), np.nan, dtype=np.float32)
    filed = np.zeros((n, T), dtype=np.int8)
    late = np.zeros((n, T), dtype=np.int8)
    fq = MonthlyFiling.objects.filter(period_start__gte=first_day, period_start__lte=last_day)
    if province_id is not None:
        fq = fq.filter(province_id=province_id)
    col_of = {m: i for i, m in enumerate(ym)}
    f = fq.values_list("unit_id", "jyear", "jmonth", "capacity_utilisation", "filed_on", "due_on")
    fu, fm, fv, fl = [], [], [], []
    for u, y, m, c, fo, du in f.iterator(chunk_size=20000):
        fu.append(u)
        fm.append(col_of.get((y, m), -1))
        fv.append(c)
        fl.append(fo > du)
    if fu:
        fu_i, fm_i = index(fu), np.array(fm)
        ok = (fu_i >= 0) & (fm_i >= 0)
        util[fu_i[ok], fm_i[ok]] = np.array(fv, dtype=np.float32)[ok]
        filed[fu_i[ok], fm_i[ok]] = 1
        late[fu_i[ok], fm_i[ok]] = np.array(fl, dtype=np.int8)[ok]

    # arrears: +1 from the month an instalment falls due, -1 from the month after it is paid in full
    inst = Installment.objects.filter(due_on__lt=date.fromordinal(end_ord)).filter(
        Q(paid_on__isnull=True) | (Q(paid_on__gt=F("due_on")) & Q(paid_on__gte=first_day))
    )
    if province_id is not None:
        inst = inst.filter(loan__province_id=province_id)
    diff = np.zeros((n, T + 1), dtype=np.int32)
    ins = list(inst.values_list("loan__unit_id", "due_on", "paid_on"))
    if ins:
        iu = index([r[0] for r in ins])
        due_ord = np.array([r[1].toordinal() for r in ins])
        # in arrears at a month's end when due by then and not paid by then
        first = _month_of_ordinals(bounds, due_ord)
        paid = np.array([r[2].toordinal() if r[2] else end_ord + 1 for r in ins])
        stop = _month_of_ordinals(bounds, paid)  # paid during this month: not in arrears at its end
        first = np.clip(first, 0, T)
        stop = np.clip(stop, 0, T)
        ok = (iu >= 0) & (stop > first)
        np.add.at(diff, (iu[ok], first[ok]), 1)
        np.add.at(diff, (iu[ok], stop[ok]), -1)
    arrears = (np.cumsum(diff[:, :T], axis=1) > 0).astype(np.int8)

    iv_u, iv_m, iv_k, iv_a = [], [], [], []

    def add(unit_idx, ordinals, kind, amounts):
        unit_idx = np.asarray(unit_idx, dtype=np.int64)
        m = _month_of_ordinals(bounds, np.asarray(ordinals, dtype=np.int64))
        ok = (unit_idx >= 0) & (m >= 0) & (m < T)
        iv_u.append(unit_idx[ok])
        iv_m.append(m[ok])
        iv_k.append(np.full(int(ok.sum()), KINDS.index(kind), dtype=np.int64))
        iv_a.append(np.asarray(amounts, dtype=np.int64)[ok])

    loans = LoanRequest.objects.filter(
        first_disbursed_on__gte=first_day, first_disbursed_on__lte=last_day,
        kind__in=["working_capital", "fixed_capital"],
    )  # fmt: skip
    if province_id is not None:
        loans = loans.filter(province_id=province_id)
    lr = list(loans.values_list("unit_id", "first_disbursed_on", "kind", "amount_paid", "amount"))
    for kind in ("working_capital", "fixed_capital"):
        sel = [r for r in lr if r[2] == kind]
        if sel:
            add(
                index([r[0] for r in sel]),
                [r[1].toordinal() for r in sel],
                kind,
                [r[3] or r[4] or 0 for r in sel],
            )

    projects = InfraProject.objects.filter(
        status="done", completed_on__gte=first_day, completed_on__lte=last_day
    )
    if province_id is not None:
        projects = projects.filter(province_id=province_id)
    pr = list(projects.values_list("park_id", "completed_on", "cost"))
    if pr:
        park_of = np.array([r[6] for r in rows], dtype=np.int64)
        order = np.argsort(park_of, kind="stable")
        sorted_parks = park_of[order]
        for park, done_on, cost in pr:
            lo, hi = np.searchsorted(sorted_parks, [park, park + 1])
            members = order[lo:hi]
            # the units of the park in the programme that month (a record that month)
            if len(members):
                share = int(cost // len(members))
                add(
                    members,
                    np.full(len(members), done_on.toordinal()),
                    "infrastructure",
                    np.full(len(members), share),
                )

    res = Resolution.objects.filter(
        status="done", closed_on__gte=first_day, closed_on__lte=last_day, case__isnull=False
    )
    if province_id is not None:
        res = res.filter(province_id=province_id)
    rr = list(res.values_list("case__unit_id", "closed_on"))
    if rr:
        add(index([r[0] for r in rr]), [r[1].toordinal() for r in rr], "resolution", np.zeros(len(rr)))

    obstacles = _obstacles(n, index, bounds, province_id)
    park_of = np.array([r[6] if r[6] is not None else -1 for r in rows], dtype=np.int64)
    park_shortfalls = _park_shortfalls(park_of, bounds, province_id)

    cat = lambda parts: np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)  # noqa: E731
    panel = Panel(
        unit_ids=[r[1] for r in rows],
        province=np.array([r[2] for r in rows], dtype=object),
        sector=np.array([r[3] for r in rows], dtype=object),
        size=np.array([SIZES.index(r[4]) if r[4] in SIZES else 1 for r in rows], dtype=np.int8),
        jobs=np.array([r[5] for r in rows], dtype=np.int64),
        start=ym[0][0] * 12 + ym[0][1] - 1,
        band=band,
        utilisation=util,
        filed=filed,
        late=late,
        arrears=arrears,
        iv_unit=cat(iv_u),
        iv_month=cat(iv_m),
        iv_kind=cat(iv_k),
        iv_amount=cat(iv_a),
        obstacles=obstacles,
        park_shortfalls=park_shortfalls,
    )
    meta = {
        "pk": pk,
        "park": np.array([r[6] for r in rows], dtype=np.int64),
        "sector": np.array([r[7] for r in rows], dtype=np.int64),
        "province": np.array([r[8] for r in rows], dtype=np.int64),
    }
    return panel, meta


def _columns(bounds: np.ndarray, ordinals) -> np.ndarray:
    """The month column each date falls in, clipped to 0..T (before the window: 0; after it: T)."""
    return np.clip(_month_of_ordinals(bounds, np.asarray(ordinals, dtype=np.int64)), 0, len(bounds) - 1)


def _obstacles(n: int, index, bounds: np.ndarray, province_id: int | None) -> np.ndarray:
    """Open obstacles on each unit's cases at each month's end. An obstacle is open from the day its case's
    timeline records it added (the event's text is the obstacle's label, in the language it was written
    in) until the last change of its status recorded there, when it is no longer open; without such events,
    from the case's opening until its revival."""
    from django.utils import translation

    from revive.cases.models import Case, CaseEvent, Obstacle, ObstacleKind
    from revive.core.models import AuditEvent
    from revive.core.text import normalize

    if AuditEvent.objects.filter(action=DEMO_CASES_ACTION).exists():
        return np.full((n, len(bounds) - 1), np.nan, dtype=np.float32)
    obstacles = Obstacle.objects.all()
    cases = Case.objects.all()
    events = CaseEvent.objects.filter(kind__in=("obstacle_add", "obstacle_update"))
    if province_id is not None:
        obstacles = obstacles.filter(province_id=province_id)
        cases = cases.filter(province_id=province_id)
        events = events.filter(case__province_id=province_id)
    case_rows = {c: (u, o, r) for c, u, o, r in cases.values_list("id", "unit_id", "opened_on", "revived_on")}
    # each kind's label in every language of the site, normalised as the event texts are
    label_kind: dict[str, str] = {}
    for lang in ("fa", "en"):
        with translation.override(lang):
            for kind, label in ObstacleKind.choices:
                label_kind[normalize(str(label))] = kind
    added: dict[tuple[int, str], date] = {}
    changed: dict[tuple[int, str], date] = {}
    for case_id, what, on, text in events.order_by("on", "id").values_list("case_id", "kind", "on", "text"):
        if what == "obstacle_add":
            kind = label_kind.get(normalize(text))
            if kind is not None:
                added.setdefault((case_id, kind), on)
        else:
            kind = label_kind.get(normalize(text.rsplit(":", 1)[0]))
            if kind is not None:
                changed[(case_id, kind)] = on  # the last change wins
    units, opened, closed = [], [], []
    for case_id, kind, status in obstacles.values_list("case_id", "kind", "status"):
        case = case_rows.get(case_id)
        if case is None:
            continue
        start = added.get((case_id, kind), case[1])
        end = None if status == Obstacle.Status.OPEN else (changed.get((case_id, kind)) or case[2] or start)
        units.append(case[0])
        opened.append(start.toordinal())
        closed.append(end.toordinal() if end is not None else date.max.toordinal())
    return _spells(n, index(units), _columns(bounds, opened), _columns(bounds, closed), len(bounds) - 1)


def _spells(n: int, u: np.ndarray, first: np.ndarray, stop: np.ndarray, T: int) -> np.ndarray:
    """Unit x month (float32) counts of the spells open at each month's end: a spell begun in column
    `first` and ended in column `stop` counts in first..stop-1 (ended in the month it began: never)."""
    diff = np.zeros((n, T + 1), dtype=np.int32)
    ok = (u >= 0) & (stop > first)
    np.add.at(diff, (u[ok], first[ok]), 1)
    np.add.at(diff, (u[ok], stop[ok]), -1)
    return np.cumsum(diff[:, :T], axis=1).astype(np.float32)


def _park_shortfalls(park_of: np.ndarray, bounds: np.ndarray, province_id: int | None) -> np.ndarray:
    """How many of each unit's park's utilities fall short at each month's end: those insufficient or
    absent today (all through the window: Revive does not know since when), and those adequate today
    that a completed project brought up to standard, until the month it was completed. NaN for a unit
    outside a park."""
    from revive.planning.models import InfraProject
    from revive.registry.models import ParkInfrastructure

    T = len(bounds) - 1
    items = ParkInfrastructure.objects.all()
    done = InfraProject.objects.filter(status=InfraProject.Status.DONE, infrastructure__isnull=False)
    if province_id is not None:
        items, done = items.filter(province_id=province_id), done.filter(province_id=province_id)
    completed: dict[int, date] = {}
    for item, on in done.values_list("infrastructure_id", "completed_on"):
        if on is not None and (item not in completed or on > completed[item]):
            completed[item] = on  # the last completion brought it to where it is
    parks = np.unique(park_of[park_of >= 0])
    row_of = {int(p): i for i, p in enumerate(parks.tolist())}
    pi, first, stop = [], [], []
    for item, park, status in items.values_list("id", "park_id", "status"):
        row = row_of.get(park)
        if row is None:
            continue
        if status != ParkInfrastructure.Status.ADEQUATE:
            pi.append(row), first.append(0), stop.append(T)
        elif item in completed:
            (
                pi.append(row),
                first.append(0),
                stop.append(int(_columns(bounds, [completed[item].toordinal()])[0])),
            )
    per_park = _spells(len(parks), np.array(pi, dtype=np.int64), np.array(first, dtype=np.int64),
                       np.array(stop, dtype=np.int64), T)  # fmt: skip
    out = np.full((len(park_of), T), np.nan, dtype=np.float32)
    inside = park_of >= 0
    if len(parks):
        out[inside] = per_park[np.searchsorted(parks, park_of[inside])]
    return out
