"""Filing reads: a unit's filings, submissions waiting for review, late and missing filers, filing gaps, and
the licence-suspension list (units that have not filed for months; the deadline pass tells about it)."""

from datetime import UTC, date, datetime

from django.db.models import Case, Exists, F, IntegerField, Max, Min, OuterRef, Q, Subquery, Value, When

from revive.core import bulk, calendar
from revive.core.scoping import Scope
from revive.filings.models import FilingSubmission, MonthlyFiling
from revive.registry.models import Band, ProductionUnit, UnitStatus


def last_due_month(today: date) -> tuple[int, int]:
    """The newest month whose filing deadline (the 10th of the next month) has passed."""
    month = calendar.add_months(calendar.month_of(today), -1)
    if calendar.filing_due_date(*month) >= today:
        month = calendar.add_months(month, -1)
    return month


def pending_submissions(*, scope: Scope):
    return (
        FilingSubmission.objects.visible_to(scope)
        .filter(status=FilingSubmission.Status.PENDING)
        .select_related("unit")
        .order_by("due_on", "id")
    )


# The filings page shows the first rows of each list (with the full count); its downloads have every row.
PAGE_ROWS = 100


def missing_filers(*, scope: Scope, month: tuple[int, int], limit: int | None = PAGE_ROWS):
    units = _missing_units(scope=scope, month=month).select_related("park__province")
    return units.count(), list(units[:limit])


def missing_filers_kept(*, scope: Scope, month: tuple[int, int]) -> tuple[int, list[ProductionUnit]]:
    """missing_filers for the filings page: the count and the first PAGE_ROWS units' ids kept once per data
    version (core/cache.py: every write leaves an audit row; key: scope, month), then those units read.
    Nationally the count looks up each of the 52,366 units in the month's ~45,000 filers."""
    from revive.core.cache import memoize_on_data

    def compute() -> tuple[int, list[int]]:
        units = _missing_units(scope=scope, month=month)
        return units.count(), list(units.values_list("pk", flat=True)[:PAGE_ROWS])

    count, ids = memoize_on_data("filings.missing_filers", (scope, month), compute)
    rows = ProductionUnit.objects.select_related("park__province").in_bulk(ids)
    return count, [rows[pk] for pk in ids]


def _missing_units(*, scope: Scope, month: tuple[int, int]):
    """Units of the scope not closed, with no filing for the month and none waiting for review, by business ID."""
    filed = MonthlyFiling.objects.filter(jyear=month[0], jmonth=month[1])
    waiting = FilingSubmission.objects.filter(
        jyear=month[0], jmonth=month[1], status=FilingSubmission.Status.PENDING
    )
    units = ProductionUnit.objects.visible_to(scope).exclude(current_band=Band.CLOSED)
    if scope.is_nation:
        # The month's filers read once from the (year, month, unit) index, then each unit looked up in them.
        units = units.exclude(pk__in=filed.values("unit_id")).exclude(pk__in=waiting.values("unit_id"))
    else:
        # A province's few thousand units: one probe of the (unit, year, month) unique index each.
        units = units.exclude(Exists(filed.filter(unit=OuterRef("pk")))).exclude(
            Exists(waiting.filter(unit=OuterRef("pk")))
        )
    return units.order_by("business_id")


def late_filings(*, scope: Scope, year: int, limit: int | None = PAGE_ROWS):
    late = (
        MonthlyFiling.objects.visible_to(scope)
        .filter(jyear=year, filed_on__gt=F("due_on"))
        .select_related("unit")
        .order_by("-period_start", "unit__business_id")
    )
    return late.count(), list(late[:limit])


def own_submissions(*, scope: Scope, limit: int = 24):
    return list(FilingSubmission.objects.visible_to(scope).order_by("-created_at", "-id")[:limit])


def last_filed(unit_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Each unit's newest filed Iranian month, (year, month); units that never filed are absent."""
    found: dict[int, tuple[int, int]] = {}
    for chunk in bulk.chunks(unit_ids):
        rows = (
            MonthlyFiling.objects.filter(unit_id__in=chunk)
            .order_by()
            .values("unit_id")
            .annotate(ym=Max(F("jyear") * 100 + F("jmonth")))
        )
        found |= {r["unit_id"]: divmod(r["ym"], 100) for r in rows}
    return found


MAX_MONTHS_LISTED = 12


def months_to_file(*, unit, today: date) -> list[tuple[int, int]]:
    """The months the unit still has to file, oldest first: from the month after its newest filing (or
    a year back) to last month; a month with a filing waiting for review counts as sent."""
    if unit.current_band == Band.CLOSED:
        return []
    last_month = calendar.add_months(calendar.month_of(today), -1)
    first = calendar.add_months(last_month, -(MAX_MONTHS_LISTED - 1))
    newest = last_filed([unit.pk]).get(unit.pk)
    if newest is not None and newest >= first:
        first = calendar.add_months(newest, 1)
    months = []
    ym = first
    while ym <= last_month:
        months.append(ym)
        ym = calendar.add_months(ym, 1)
    if not months:
        return []
    sent = set(
        FilingSubmission.objects.filter(
            unit=unit, status=FilingSubmission.Status.PENDING, jyear__gte=months[0][0]
        ).values_list("jyear", "jmonth")
    )
    return [m for m in months if m not in sent]


def returned_to_correct(unit) -> list[FilingSubmission]:
    """The unit's months an expert returned for correction and nothing newer was sent since (a pending or
    approved version of the month after the return settles it): the newest return of each month, oldest
    month first."""
    settled: dict[tuple[int, int], datetime] = {}
    for y, m, at in FilingSubmission.objects.filter(
        unit=unit, status__in=[FilingSubmission.Status.PENDING, FilingSubmission.Status.APPROVED]
    ).values_list("jyear", "jmonth", "created_at"):
        settled[(y, m)] = max(settled.get((y, m), at), at)
    out, seen = [], set()
    for s in FilingSubmission.objects.filter(unit=unit, status=FilingSubmission.Status.RETURNED).order_by(
        "jyear", "jmonth", "-created_at"
    ):
        ym = (s.jyear, s.jmonth)
        if ym in seen or (ym in settled and settled[ym] >= s.created_at):
            continue
        seen.add(ym)
        out.append(s)
    return out


def not_filed(month: tuple[int, int], *, known_before: date) -> list[dict]:
    """Units (not closed, known before that day) with no filing for the month and none waiting for review,
    nationally: whom the deadline pass reminds, then flags (as _missing_units counts them for the filings
    page). Each row as open_units_known_before gives it."""
    filed = set(
        MonthlyFiling.objects.filter(jyear=month[0], jmonth=month[1]).values_list("unit_id", flat=True)
    ) | set(
        FilingSubmission.objects.filter(
            jyear=month[0], jmonth=month[1], status=FilingSubmission.Status.PENDING
        ).values_list("unit_id", flat=True)
    )
    return [u for u in open_units_known_before(known_before) if u["id"] not in filed]


def returned_since(day: date):
    """Submissions an expert returned for correction since that day, with their senders."""
    return FilingSubmission.objects.filter(
        status=FilingSubmission.Status.RETURNED, reviewed_at__date__gte=day
    ).select_related("submitted_by")


def months_missing(last: tuple[int, int] | None, due: tuple[int, int]) -> int | None:
    """How many months past due since the last filing (None: the unit never filed)."""
    if last is None:
        return None
    return max(0, (due[0] - last[0]) * 12 + due[1] - last[1])


def filing_gap(*, unit: ProductionUnit, today: date) -> dict | None:
    """A unit that stopped filing: the months past due since its last filing, or None when up to date.

    A filing the owner sent that waits for review counts as sent."""
    if unit.current_band == Band.CLOSED:
        return None
    due = last_due_month(today)
    last = last_filed([unit.pk]).get(unit.pk)
    waiting = FilingSubmission.objects.filter(
        unit=unit, status=FilingSubmission.Status.PENDING, jyear=due[0], jmonth=due[1]
    ).exists()
    missing = months_missing(last, due)
    if waiting or missing == 0:
        return None
    return {"last": last, "due": due, "due_on": calendar.filing_due_date(*due), "missing": missing}


def unit_filings(*, scope: Scope, unit: ProductionUnit, months: int = 24) -> list[MonthlyFiling]:
    """A unit's newest filed months, oldest first."""
    rows = MonthlyFiling.objects.visible_to(scope).filter(unit=unit).order_by("-jyear", "-jmonth")[:months]
    return list(reversed(rows))


# --- the licence-suspension list ----------------------------------------------------------------------


def first_known(scope: Scope | None = None) -> dict[int, date]:
    """When the registry first knew each unit: its first status (the history an import brings)."""
    statuses = UnitStatus.objects.visible_to(scope) if scope is not None else UnitStatus.objects.all()
    return dict(
        statuses.order_by()
        .values("unit_id")
        .annotate(first=Min("effective_date"))
        .values_list("unit_id", "first")
    )


def open_units_known_before(day: date, scope: Scope | None = None) -> list[dict]:
    """Units not closed that the registry knew before `day` (by their first status, else their row)."""
    first = first_known(scope)
    units = ProductionUnit.objects.visible_to(scope) if scope is not None else ProductionUnit.objects.all()
    rows = units.exclude(current_band=Band.CLOSED).values(
        "id", "business_id", "name_fa", "name_en", "province_id", "park_id", "park__code", "created_at"
    )
    return [r for r in rows if first.get(r["id"], r["created_at"].date()) < day]


def _months_between(a: tuple[int, int], b: tuple[int, int]) -> int:
    return (b[0] - a[0]) * 12 + (b[1] - a[1])


SUSPENSION_FIELDS = ("id", "business_id", "name_fa", "name_en", "province_id", "park_id", "park__code")


def suspension_candidates(*, months: int, through: tuple[int, int], scope: Scope | None = None) -> list[dict]:
    """Units (not closed) whose last `months` monthly filings up to `through` (year, month) are all
    missing: the list for the licence-suspension warning. Each row: the unit's fields, its last filing's
    month start (or None: never filed) and how many months in a row are missing (None: never filed).

    One query, set-based: a unit that filed `through` is ruled out by one seek in the (unit, year, month)
    index, which leaves about one unit in seven of the national demo; only those are looked at further
    (any filing in the window, the last filing, the first status). Grouping every unit's statuses and
    reading 52,000 units into Python took 1.7 s nationally."""
    since = calendar.from_jalali(*calendar.add_months(through, 1 - months), 1)
    # Subqueries on the unit alone (the units are scoped): each is a seek in an index that starts with
    # the unit. A unit's filings and statuses are its own whichever province recorded them.
    filings = MonthlyFiling.objects.filter(unit_id=OuterRef("pk")).order_by()
    # The window's months, a range of months per year: each range one seek in the (unit, year, month) index.
    window: dict[int, list[int]] = {}
    for y, m in (calendar.add_months(through, -k) for k in range(months)):
        window.setdefault(y, []).append(m)
    after = calendar.add_months(through, 1)
    last = (
        filings.filter(Q(jyear__lt=after[0]) | Q(jyear=after[0], jmonth__lt=after[1]))
        .order_by("-jyear", "-jmonth")
        .values(ym=F("jyear") * 100 + F("jmonth"))[:1]
    )
    first = (
        UnitStatus.objects.filter(unit_id=OuterRef("pk")).order_by("effective_date").values("effective_date")
    )
    units = ProductionUnit.objects.visible_to(scope) if scope is not None else ProductionUnit.objects.all()
    # Known before the window: by the unit's first status (the history an import brings), else its row.
    before = datetime(since.year, since.month, since.day, tzinfo=UTC)
    known = Q(first__lt=since) | Q(first__isnull=True, created_at__lt=before)
    rows = (
        units.exclude(current_band=Band.CLOSED)
        .exclude(id__in=MonthlyFiling.objects.filter(jyear=through[0], jmonth=through[1]).values("unit_id"))
        .filter(
            *(~Exists(filings.filter(jyear=y, jmonth__range=(min(ms), max(ms)))) for y, ms in window.items())
        )
        .annotate(first=Subquery(first[:1]), last_ym=Subquery(last))
        .filter(known)
        .order_by("province_id", "park__code", "business_id")
        .values(*SUSPENSION_FIELDS, "last_ym")
    )
    out = list(rows)
    for row in out:
        ym = row.pop("last_ym")
        row["last"] = None if ym is None else calendar.from_jalali(ym // 100, ym % 100, 1)
        row["missing"] = None if ym is None else _months_between((ym // 100, ym % 100), through)
    return out


# The page reads the same list from UnitLastFiling, each unit's newest filed month (filings/lastfiled.py),
# instead of every unit's filings: the units listed first (ids, in the list's order), then one page of rows.
# suspension_candidates above reads the filings themselves (the deadline pass, and the test that holds the
# two equal).


def _ym(month: tuple[int, int]) -> int:
    return month[0] * 100 + month[1]


def suspension_ids(*, months: int, through: tuple[int, int], scope: Scope | None = None) -> list[int]:
    """The ids of the units suspension_candidates lists, in its order.

    A unit's newest filed month says it: never filed, or before the window, is silent through the window; a
    month after `through` (filed early, or `through` in the past) leaves the window to be looked at, one
    seek in the (unit, year, month) index. The units found are then checked as suspension_candidates
    checks them (known before the window) and sorted: national demo, 7,433 of 52,366 units."""
    since = calendar.add_months(through, 1 - months)
    start = calendar.from_jalali(*since, 1)
    filings = MonthlyFiling.objects.filter(unit_id=OuterRef("pk")).order_by()
    in_window = Q()
    for y in range(since[0], through[0] + 1):
        first_month = since[1] if y == since[0] else 1
        last_month = through[1] if y == through[0] else 12
        in_window |= Exists(filings.filter(jyear=y, jmonth__range=(first_month, last_month)))
    units = ProductionUnit.objects.visible_to(scope) if scope is not None else ProductionUnit.objects.all()
    silent = units.filter(
        Q(last_filing__isnull=True)
        | Q(last_filing__last_ym__lt=_ym(since))
        | Q(last_filing__last_ym__gt=_ym(through)) & ~in_window
    ).values("pk")
    # The silent units first, as a list the database holds, then the rest of the rule on those alone (on
    # SQLite a join would ask every unit's first status before its newest month: 140 ms against 45 ms).
    first = (
        UnitStatus.objects.filter(unit_id=OuterRef("pk")).order_by("effective_date").values("effective_date")
    )
    before = datetime(start.year, start.month, start.day, tzinfo=UTC)
    known = Q(first__lt=start) | Q(first__isnull=True, created_at__lt=before)
    return list(
        ProductionUnit.objects.filter(pk__in=silent)
        .exclude(current_band=Band.CLOSED)
        .annotate(first=Subquery(first[:1]))
        .filter(known)
        .order_by("province_id", "park__code", "business_id")
        .values_list("id", flat=True)
    )


def suspension_ids_kept(*, months: int, through: tuple[int, int], scope: Scope) -> list[int]:
    """suspension_ids once per data version (core/cache.py): every write leaves an audit row, and the list
    depends only on the rows, the window (months, through) and the scope, all in the key. The page reads
    it on every view (its count, its pages): the whole list was found and sorted each time."""
    from revive.core.cache import memoize_on_data

    return memoize_on_data(
        "filings.suspension_ids",
        (scope, months, through),
        lambda: suspension_ids(months=months, through=through, scope=scope),
    )


def suspension_rows(ids: list[int], *, through: tuple[int, int]) -> list[dict]:
    """The rows of suspension_candidates for these units (one page of the list: a few hundred ids at
    most), in the order given."""
    last_before = (
        MonthlyFiling.objects.filter(unit_id=OuterRef("pk"))
        .filter(Q(jyear__lt=through[0]) | Q(jyear=through[0], jmonth__lte=through[1]))
        .order_by("-jyear", "-jmonth")
        .values(ym=F("jyear") * 100 + F("jmonth"))[:1]
    )
    # The newest month filed, unless it is after `through`: then the newest up to `through`, from the filings.
    last = Case(
        When(last_filing__last_ym__lte=_ym(through), then=F("last_filing__last_ym")),
        When(last_filing__isnull=True, then=Value(None)),
        default=Subquery(last_before),
        output_field=IntegerField(),
    )
    rows = {
        r["id"]: r for r in ProductionUnit.objects.filter(pk__in=ids).values(*SUSPENSION_FIELDS, last_ym=last)
    }
    out = [rows[pk] for pk in ids]
    for row in out:
        ym = row.pop("last_ym")
        row["last"] = None if ym is None else calendar.from_jalali(ym // 100, ym % 100, 1)
        row["missing"] = None if ym is None else _months_between((ym // 100, ym % 100), through)
    return out


def suspension_through(today: date) -> tuple[int, int]:
    """The last month the licence-suspension list counts: the month before today's."""
    return calendar.add_months(calendar.month_of(today), -1)
