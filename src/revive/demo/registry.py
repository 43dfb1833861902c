"""The national demo data set: parks, infrastructure, units, status histories and filings, calibrated to DOMAIN.md.

Deterministic: the same seed, scale and `today` give the same rows. The population is simulated month
by month with numpy (about 50k units over 90 months at scale 1) and written with plain executemany
(SQLite) or COPY (PostgreSQL), because several million filings through the ORM would take an hour.
"""

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

import numpy as np
from django.core.management.color import no_style
from django.db import connection, transaction

from revive.core import audit
from revive.core.calendar import (
    TEHRAN,
    filing_due_date,
    from_jalali,
    month_length,
    nowruz,
    tehran_today,
    to_jalali,
)
from revive.core.errors import DomainError
from revive.core.text import normalize, search_key
from revive.demo.writing import insert_rows, large_cache, secondary_indexes_dropped
from revive.filings.models import FilingTotal, MonthlyFiling, UnitLastFiling
from revive.registry.models import (
    Band,
    County,
    IndustrialPark,
    ParkInfrastructure,
    ProductionUnit,
    Province,
    Sector,
    SectorGroup,
    UnitStatus,
)
from revive.registry.reference import DEMO_UNITS_PER_PROVINCE, PROVINCE_GEO, reference_load
from revive.registry.services import derive_events

FIRST_YEAR = 1398  # the programme's published series start here; history before it is only a prologue

# Published revivals per Iranian year (DOMAIN.md); 1404 is an estimate and later years repeat it.
REVIVALS_PER_YEAR = {1398: 1185, 1399: 1557, 1400: 2067, 1401: 1650, 1402: 1811, 1403: 1344, 1404: 1500}
DEFAULT_REVIVALS = 1500
# Revivals lean towards the end of the year (Bahman and Esfand, when the year's target is counted).
REVIVAL_MONTH_WEIGHTS = np.array([0.055, 0.06, 0.065, 0.07, 0.07, 0.075, 0.08, 0.085, 0.09, 0.10, 0.12, 0.13])

PARKS_AT_SCALE_1 = 1000
OPERATING_SHARE = 0.85
UNITS_AT_START = 43_500  # operating units in parks at the end of 1397
NEW_UNITS_PER_YEAR = 1_150
CLOSURES_PER_YEAR = 0.003  # share of active units that close and leave the programme
RELAPSE_HAZARD = 0.0125  # per month, for units revived in the last 11 months: ~14% relapse within a year

SECTOR_MIX = {
    SectorGroup.METAL: 0.26,
    SectorGroup.CHEMICAL: 0.22,
    SectorGroup.FOOD: 0.17,
    SectorGroup.NON_METALLIC: 0.12,
    SectorGroup.CELLULOSE: 0.07,
    SectorGroup.SERVICES: 0.07,
    SectorGroup.TEXTILE: 0.05,
    SectorGroup.ELECTRICAL: 0.03,
}
DIVISION_WEIGHTS = {
    "10": 0.85, "11": 0.13, "12": 0.02, "13": 0.55, "14": 0.30, "15": 0.15, "16": 0.25, "17": 0.30,
    "18": 0.20, "31": 0.25, "19": 0.03, "20": 0.35, "21": 0.10, "22": 0.45, "32": 0.07, "23": 1.0,
    "24": 0.15, "25": 0.40, "28": 0.25, "29": 0.15, "30": 0.05, "26": 0.35, "27": 0.65, "33": 0.6,
    "52": 0.4,
}  # fmt: skip
SIZES = ("micro", "small", "medium", "large")
SIZE_MIX = (0.41, 0.52, 0.06, 0.01)

# Bands as small integers in the simulation.
NOT_YET, IDLE, B50, B70, B100, CLOSED = -1, 0, 1, 2, 3, 4
BAND_CODE = {
    IDLE: Band.IDLE,
    B50: Band.BELOW_50,
    B70: Band.FROM_50_TO_70,
    B100: Band.ABOVE_70,
    CLOSED: Band.CLOSED,
}
START_MIX = (0.32, 0.38, 0.30)  # producing units at the start of 1398
REVIVED_MIX = (0.55, 0.32, 0.13)  # a revived unit usually restarts below half capacity
GO_IDLE_WEIGHT = np.array([0.0, 3.0, 1.0, 0.5])  # which producing units stop: mostly the weak ones
# Monthly moves between producing bands; lifts from below 50% are about 3k a year at scale 1.
BAND_MOVES = np.array(
    [
        [0.0, 0.0, 0.0, 0.0],
        [0.0, 0.0, 0.0150, 0.0030],
        [0.0, 0.0125, 0.0, 0.0095],
        [0.0, 0.0030, 0.0120, 0.0],
    ]
)
UTILISATION_RANGE = {B50: (12, 49), B70: (50, 70), B100: (71, 97)}
# Decline shows before a unit stops (what the early-warning model of revive.insight can learn; it reads
# only the filings, never this simulation's state). In the DECLINE_MONTHS months before a producing
# unit goes idle: its utilisation slides towards the bottom of its band (DECLINE_SLIDE of the band's
# width per month nearer the stop), DECLINE_LATE of its filings come late and DECLINE_MISSING are never
# sent. Drawn from their own generator, so the rest of the demo is the same as without them.
DECLINE_MONTHS = 4
DECLINE_SLIDE = 0.2
DECLINE_LATE = 0.5
DECLINE_MISSING = 0.25
DECLINE_SEED = 16
# Not every slide ends in a stop: producing units also have dips they ride out (a lost buyer, raw
# materials late, a power cut in the park: DOMAIN.md's causes of idleness, most of them passing). A dip
# starts in DIP_START of a producing unit's months, the rate at which this simulation moves producing
# units down a band (BAND_MOVES: 1.25-1.5% a month); utilisation slides as in a decline for DIP_MONTHS
# months, then comes back. A dip leaves the unit's filing habits as they are: only a unit on its way out
# files late and skips filings (above). Its own generator, like the decline's.
DIP_START = 0.0125
DIP_MONTHS = DECLINE_MONTHS
DIP_SEED = 17


def _idle_share_target(months_since_1398: float) -> float:
    """The idle share the population drifts to: about 19.5% in 1398, 16-17% from 1402 on."""
    return float(np.interp(months_since_1398 / 12, [0, 2, 4, 6, 10], [0.195, 0.18, 0.17, 0.165, 0.16]))


# Company-name parts (Persian, English); names are stored normalised.
BRAND_WORDS = [
    ("آریا", "Arya"), ("پارس", "Pars"), ("البرز", "Alborz"), ("سپهر", "Sepehr"), ("نوین", "Novin"),
    ("پویا", "Pouya"), ("آسیا", "Asia"), ("کاوه", "Kaveh"), ("آرمان", "Arman"), ("سینا", "Sina"),
    ("مهر", "Mehr"), ("دنا", "Dena"), ("زاگرس", "Zagros"), ("کوثر", "Kowsar"), ("فجر", "Fajr"),
    ("بهار", "Bahar"), ("آفتاب", "Aftab"), ("ستاره", "Setareh"), ("سهند", "Sahand"), ("سبلان", "Sabalan"),
    ("دماوند", "Damavand"), ("کیان", "Kian"), ("نیکان", "Nikan"), ("پیشرو", "Pishro"), ("ایده‌آل", "Ideal"),
    ("تابان", "Taban"), ("رهنما", "Rahnama"), ("صبا", "Saba"), ("آتیه", "Atieh"), ("بنیان", "Bonyan"),
    ("مبین", "Mobin"), ("شایان", "Shayan"), ("امید", "Omid"), ("نگین", "Negin"), ("ارس", "Aras"),
    ("کارون", "Karun"), ("هیرمند", "Hirmand"), ("پرند", "Parand"), ("آذین", "Azin"), ("توس", "Toos"),
]  # fmt: skip
PRODUCT_WORDS: dict[str, list[tuple[str, str]]] = {
    SectorGroup.METAL: [("فولاد", "Steel"), ("ریخته‌گری", "Casting"), ("قطعه‌سازی", "Parts"),
                        ("ماشین‌سازی", "Machinery"), ("پروفیل", "Profile"), ("آلومینیوم", "Aluminium")],
    SectorGroup.CHEMICAL: [("پلاستیک", "Plastics"), ("شیمی", "Chemicals"), ("رنگ", "Paint"),
                           ("دارو", "Pharma"), ("لاستیک", "Rubber"), ("پلیمر", "Polymer")],
    SectorGroup.FOOD: [("غذایی", "Food"), ("لبنیات", "Dairy"), ("کنسرو", "Cannery"), ("شیرینی", "Confectionery"),
                       ("روغن", "Oil"), ("آرد", "Flour")],
    SectorGroup.NON_METALLIC: [("کاشی", "Tile"), ("سرامیک", "Ceramics"), ("شیشه", "Glass"), ("آجر", "Brick"),
                               ("سیمان", "Cement"), ("سنگ", "Stone")],
    SectorGroup.CELLULOSE: [("کاغذ", "Paper"), ("چوب", "Wood"), ("بسته‌بندی", "Packaging"), ("مبلمان", "Furniture"),
                            ("کارتن", "Carton")],
    SectorGroup.SERVICES: [("خدمات فنی", "Technical Services"), ("انبار", "Warehousing"), ("تعمیرات", "Repairs")],
    SectorGroup.TEXTILE: [("نساجی", "Textiles"), ("پوشاک", "Apparel"), ("ریسندگی", "Spinning"), ("چرم", "Leather"),
                          ("فرش", "Carpet")],
    SectorGroup.ELECTRICAL: [("الکتریک", "Electric"), ("الکترونیک", "Electronics"), ("لوازم خانگی", "Appliances"),
                             ("کابل", "Cable")],
}  # fmt: skip
CAPACITY_UNIT = {SectorGroup.ELECTRICAL: "دستگاه در سال", SectorGroup.SERVICES: "ساعت کار در سال"}
# Production per employee per month at 70% capacity, in rials of 1398, and kWh per employee per month.
VALUE_PER_EMPLOYEE = {
    SectorGroup.METAL: 3.2e8, SectorGroup.CHEMICAL: 3.5e8, SectorGroup.FOOD: 3.0e8, SectorGroup.NON_METALLIC: 2.5e8,
    SectorGroup.CELLULOSE: 2.0e8, SectorGroup.SERVICES: 1.2e8, SectorGroup.TEXTILE: 1.5e8,
    SectorGroup.ELECTRICAL: 2.8e8,
}  # fmt: skip
KWH_PER_EMPLOYEE = {
    SectorGroup.METAL: 3000, SectorGroup.CHEMICAL: 2500, SectorGroup.FOOD: 1500, SectorGroup.NON_METALLIC: 5000,
    SectorGroup.CELLULOSE: 1500, SectorGroup.SERVICES: 400, SectorGroup.TEXTILE: 1200, SectorGroup.ELECTRICAL: 800,
}  # fmt: skip
INFLATION_PER_YEAR = 1.40

# Park infrastructure: (status probabilities adequate/insufficient/absent for operating parks, for
# parks under development, capacity unit, capacity per hectare range).
INFRASTRUCTURE = {
    "electricity": ((0.78, 0.20, 0.02), (0.45, 0.35, 0.20), "MW", (0.15, 0.35)),
    "gas": ((0.76, 0.10, 0.14), (0.30, 0.15, 0.55), "m3/h", (40, 120)),
    "water": ((0.80, 0.17, 0.03), (0.50, 0.30, 0.20), "L/s", (0.2, 0.6)),
    "wastewater": ((0.40, 0.17, 0.43), (0.05, 0.10, 0.85), "m3/d", (5, 20)),
    "telecom": ((0.85, 0.12, 0.03), (0.50, 0.25, 0.25), "lines", (3, 10)),
    "road": ((0.82, 0.16, 0.02), (0.40, 0.40, 0.20), "km", (0.02, 0.05)),
}
NO_GAS_NETWORK = {"IR-11"}  # Sistan and Baluchestan has almost no gas grid

Progress = Callable[[str], None] | None


class _Row:
    """The fields of a UnitStatus that `derive_events` reads and writes, without a model instance."""

    __slots__ = ("band", "effective_date", "employees", "event", "jobs", "is_relapse")

    def __init__(self, band: str, effective_date: date, employees: int) -> None:
        self.band, self.effective_date, self.employees = band, effective_date, employees
        self.event, self.jobs, self.is_relapse = "", 0, False


def _say(progress: Progress, message: str) -> None:
    if progress is not None:
        progress(message)


def _allocate(total: int, weights: np.ndarray, minimum: int = 0) -> np.ndarray:
    """Split `total` into integer parts proportional to weights (largest remainder), each >= minimum."""
    weights = np.asarray(weights, dtype=float)
    base = np.full(len(weights), minimum, dtype=np.int64)
    rest = max(0, total - int(base.sum()))
    share = weights / weights.sum() * rest
    counts = np.floor(share).astype(np.int64)
    remainder = rest - int(counts.sum())
    if remainder > 0:
        order = np.argsort(-(share - counts), kind="stable")
        counts[order[:remainder]] += 1
    return base + counts


def _weighted_sample(rng: np.random.Generator, idx: np.ndarray, weights: np.ndarray, k: int) -> np.ndarray:
    """k distinct items of idx, drawn with probability proportional to weights (exponential keys)."""
    if k <= 0 or len(idx) == 0:
        return idx[:0]
    if k >= len(idx):
        return idx
    keys = rng.exponential(size=len(idx)) / np.maximum(weights, 1e-12)
    return idx[np.sort(np.argpartition(keys, k - 1)[:k])]


class _Writer:
    """Plain inserts: executemany on SQLite, COPY on PostgreSQL; dates and times adapted once each."""

    def __init__(self) -> None:
        self.ops = connection.ops
        self.postgres = connection.vendor == "postgresql"
        self._dates: dict[int, Any] = {}
        self._times: dict[int, Any] = {}

    def day(self, ordinal: int) -> Any:
        value = self._dates.get(ordinal)
        if value is None:
            value = self._dates[ordinal] = self.ops.adapt_datefield_value(date.fromordinal(ordinal))
        return value

    def at(self, ordinal: int) -> Any:
        """09:00 Tehran on that day, as the database wants an aware datetime."""
        value = self._times.get(ordinal)
        if value is None:
            moment = datetime.combine(date.fromordinal(ordinal), time(9), TEHRAN).astimezone(UTC)
            value = self._times[ordinal] = self.ops.adapt_datetimefield_value(moment)
        return value

    def insert(self, model: type, fields: list[str], rows: list[tuple]) -> None:
        insert_rows(model._meta.db_table, [model._meta.get_field(name).column for name in fields], rows)


def registry_has_data() -> bool:
    return ProductionUnit.objects.exists() or IndustrialPark.objects.exists()


def registry_clear() -> None:
    """Delete units, their history and filings, parks and infrastructure (reference data stays).

    Refuses while rows of other apps (users, cases, loans...) point at a park or unit: those belong
    to their own apps, which clear them first.
    """
    cleared = (UnitLastFiling, MonthlyFiling, UnitStatus, ProductionUnit, ParkInfrastructure, IndustrialPark)
    for model in cleared:
        for relation in model._meta.related_objects:
            related = relation.related_model
            if related in cleared or relation.many_to_many:
                continue
            linked = related._base_manager.filter(**{f"{relation.field.name}__isnull": False}).count()
            if linked:
                raise DomainError(
                    f"{linked} {related._meta.verbose_name_plural} still refer to a {model._meta.verbose_name}; "
                    "clear them before replacing the registry.",
                )
    with connection.cursor() as cursor:
        for model in (FilingTotal, *cleared):  # the totals of the filings go with them
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


@transaction.atomic
def generate(*, seed: int, scale: float = 1.0, today: date | None = None, progress: Progress = None) -> dict:
    """Create the national demo registry; returns the counts. Needs an empty registry."""
    if scale <= 0 or scale > 20:
        raise DomainError("The scale must be above 0 and at most 20.", scale=scale)
    today = today or tehran_today()
    if today < from_jalali(FIRST_YEAR, 3, 1):
        raise DomainError(
            "The demo history starts in 1398; `today` must be after Khordad 1398.", today=str(today)
        )
    if registry_has_data():
        raise DomainError("The registry already has parks or units; clear it first.")
    reference_load()
    writer = _Writer()
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(5)]
    rng_parks, rng_units, rng_sim, rng_files, rng_names = streams
    with large_cache():  # the filing indexes stay in memory
        provinces = list(Province.objects.order_by("code"))
        parks = _make_parks(rng_parks, provinces, scale, progress)
        units = _make_units(rng_units, rng_names, provinces, parks, scale, today, progress)
        history = _simulate(rng_sim, units, today, progress)
        counts = _write(writer, rng_files, parks, units, history, today, progress)
    counts = {
        "provinces": len(provinces),
        "sectors": Sector.objects.count(),
        "parks": len(parks["ids"]),
        "parks_operating": int(parks["operating"].sum()),
        **counts,
    }
    audit.record(
        actor="demo-data command",
        obj=None,
        action="demo_generate",
        object_type="registry.demo",
        object_id=str(seed),
        after={"seed": seed, "scale": scale, "today": today.isoformat(), **counts},
    )
    return counts


def _make_parks(
    rng: np.random.Generator, provinces: list[Province], scale: float, progress: Progress
) -> dict:
    _say(progress, "parks and infrastructure")
    weights = np.array([DEMO_UNITS_PER_PROVINCE[p.code] for p in provinces])
    per_province = _allocate(round(PARKS_AT_SCALE_1 * scale), weights**0.6, minimum=1)
    counties = {}
    for county in County.objects.order_by("id"):
        counties.setdefault(county.province_id, []).append(county)
    objects, province_idx, operating, areas, place = [], [], [], [], []
    for p_i, province in enumerate(provinces):
        n = int(per_province[p_i])
        n_operating = max(1, round(n * OPERATING_SHARE))
        lat0, lon0, extent = PROVINCE_GEO[province.code]
        places = counties[province.id]
        # The capital county has most parks.
        place_weights = np.array([2.0] + [1.0] * (len(places) - 1))
        seq_by_name: dict[tuple[int, str], int] = {}
        number = province.code[-2:]
        for i in range(n):
            stage_operating = i < n_operating  # older parks (lower codes) are the operating ones
            kind = rng.choice(["park", "zone", "special"], p=[0.72, 0.25, 0.03])
            c_i = int(rng.choice(len(places), p=place_weights / place_weights.sum()))
            county = places[c_i]
            seq = seq_by_name[(c_i, kind)] = seq_by_name.get((c_i, kind), 0) + 1
            if kind == "park":
                fa, en = f"شهرک صنعتی {county.name_fa} {seq}", f"{county.name_en} Industrial Park {seq}"
                area = np.exp(rng.normal(np.log(90), 0.8))
            elif kind == "zone":
                fa, en = f"ناحیه صنعتی {county.name_fa} {seq}", f"{county.name_en} Industrial Zone {seq}"
                area = np.exp(rng.normal(np.log(30), 0.6))
            else:
                fa, en = (
                    f"منطقه ویژه اقتصادی {county.name_fa} {seq}",
                    f"{county.name_en} Special Economic Zone {seq}",
                )
                area = np.exp(rng.normal(np.log(400), 0.6))
            area = float(np.clip(area * (1.0 if stage_operating else 0.6), 3, 4000))
            state = kind != "special" or rng.random() < 0.5
            state = state and rng.random() < 0.95
            fa = normalize(fa)
            objects.append(
                IndustrialPark(
                    code=f"P-{number}-{i + 1:03d}",
                    name_fa=fa,
                    name_en=en,
                    name_key=search_key(f"{fa} {en}"),
                    province=province,
                    county=county,
                    kind=kind,
                    ownership="state" if state else "non_state",
                    stage="operating" if stage_operating else "developing",
                    area_ha=Decimal(f"{area:.1f}"),
                    latitude=Decimal(f"{lat0 + extent * rng.uniform(-1, 1):.5f}"),
                    longitude=Decimal(f"{lon0 + 1.2 * extent * rng.uniform(-1, 1):.5f}"),
                )
            )
            province_idx.append(p_i)
            operating.append(stage_operating)
            areas.append(area)
            place.append((county.name_fa, county.name_en))
    created = IndustrialPark.objects.bulk_create(objects, batch_size=500)
    infra = []
    for park, area, is_operating in zip(created, areas, operating, strict=True):
        for utility, (p_operating, p_developing, unit, (lo, hi)) in INFRASTRUCTURE.items():
            p = p_operating if is_operating else p_developing
            if utility == "gas" and park.province.code in NO_GAS_NETWORK:
                p = (0.05, 0.05, 0.90)
            status = str(rng.choice(["adequate", "insufficient", "absent"], p=p))
            capacity = None
            if status != "absent":
                value = area * rng.uniform(lo, hi) * (1.0 if status == "adequate" else 0.5)
                capacity = Decimal(f"{value:.0f}" if unit == "lines" else f"{value:.2f}")
            infra.append(
                ParkInfrastructure(
                    park=park,
                    province_id=park.province_id,
                    utility=utility,
                    status=status,
                    capacity=capacity,
                    capacity_unit=unit if capacity is not None else "",
                )
            )
    ParkInfrastructure.objects.bulk_create(infra, batch_size=1000)
    return {
        "ids": np.array([p.pk for p in created]),
        "province_idx": np.array(province_idx),
        "operating": np.array(operating),
        "area": np.array(areas),
        "place": place,
        "infrastructure": len(infra),
    }


def _employees(rng: np.random.Generator, size_idx: np.ndarray) -> np.ndarray:
    """Heavy-tailed headcounts: about 20 a unit, the 1% large units holding about a fifth of the jobs."""
    n = len(size_idx)
    out = np.empty(n, dtype=np.int64)
    micro, small, medium, large = (np.flatnonzero(size_idx == i) for i in range(4))
    out[micro] = rng.integers(1, 10, size=len(micro))
    out[small] = np.minimum(10 + np.floor(rng.exponential(8.0, size=len(small))), 49)
    out[medium] = np.minimum(50 + np.floor(rng.exponential(20.0, size=len(medium))), 99)
    # Stratified quantiles keep the tail's total stable even with a few dozen large units.
    u = (rng.permutation(len(large)) + rng.random(len(large))) / max(len(large), 1)
    out[large] = np.minimum(100 * (1 - u) ** (-1 / 1.32), 8000).astype(np.int64)
    return out


def _make_units(
    rng: np.random.Generator,
    rng_names: np.random.Generator,
    provinces: list[Province],
    parks: dict,
    scale: float,
    today: date,
    progress: Progress,
) -> dict:
    _say(progress, "units")
    start = nowruz(FIRST_YEAR)
    days = (today - start).days
    n_start = round(UNITS_AT_START * scale)
    n_new = round(NEW_UNITS_PER_YEAR * scale * days / 365.25)
    n = n_start + n_new
    # Opening dates: units already there by 1398 opened from 1375 on, more of them recently.
    old_span = (start - from_jalali(1375, 1, 1)).days
    opened = np.empty(n, dtype=np.int64)
    opened[:n_start] = (
        start.toordinal() - 1 - np.floor(old_span * rng.random(n_start) ** 1.6).astype(np.int64)
    )
    opened[n_start:] = np.sort(start.toordinal() + rng.integers(0, days + 1, size=n_new))
    weights = np.array([DEMO_UNITS_PER_PROVINCE[p.code] for p in provinces])
    province_idx = rng.choice(len(provinces), size=n, p=weights / weights.sum())
    park_of = np.empty(n, dtype=np.int64)
    for p_i in range(len(provinces)):
        members = np.flatnonzero(province_idx == p_i)
        candidates = np.flatnonzero((parks["province_idx"] == p_i) & parks["operating"])
        w = parks["area"][candidates] ** 0.8 * np.exp(rng.normal(0, 0.5, size=len(candidates)))
        park_of[members] = candidates[rng.choice(len(candidates), size=len(members), p=w / w.sum())]
    sectors = list(Sector.objects.order_by("isic_division"))
    groups = list(SECTOR_MIX)
    group_p = np.array(list(SECTOR_MIX.values()))
    group_idx = rng.choice(len(groups), size=n, p=group_p / group_p.sum())
    sector_of = np.empty(n, dtype=np.int64)
    for g_i, group in enumerate(groups):
        members = np.flatnonzero(group_idx == g_i)
        in_group = [s for s in sectors if s.group == group]
        w = np.array([DIVISION_WEIGHTS[s.isic_division] for s in in_group])
        sector_of[members] = np.array([s.pk for s in in_group])[
            rng.choice(len(in_group), size=len(members), p=w / w.sum())
        ]
    size_idx = rng.choice(4, size=n, p=SIZE_MIX)
    employees = _employees(rng, size_idx)
    # Business IDs: 12 digits, unique, in a fixed order for a seed.
    ids = rng.integers(10**11, 10**12, size=int(n * 1.05) + 10)
    _, first = np.unique(ids, return_index=True)
    business_ids = ids[np.sort(first)][:n]
    late_filer = rng.random(n) < 0.05
    quality = np.exp(rng.normal(0, 0.35, size=n))
    position = rng.random(n)  # where in its band a unit usually sits

    # Names.
    brand = rng_names.integers(0, len(BRAND_WORDS), size=n)
    pattern = rng_names.choice(4, size=n, p=[0.3, 0.25, 0.25, 0.2])
    product_pick = rng_names.integers(0, 1000, size=n)
    capacity_size = np.exp(rng_names.normal(0, 0.6, size=n))
    names_fa, names_en, keys, capacities = [], [], [], []
    for u in range(n):
        group = groups[group_idx[u]]
        b_fa, b_en = BRAND_WORDS[brand[u]]
        products = PRODUCT_WORDS[group]
        p_fa, p_en = products[product_pick[u] % len(products)]
        place_fa, place_en = parks["place"][park_of[u]]
        kind = pattern[u]
        if kind == 0:
            fa, en = f"تولیدی {b_fa} {place_fa}", f"{b_en} {place_en} Manufacturing"
        elif kind == 1:
            fa, en = f"صنایع {p_fa} {b_fa}", f"{b_en} {p_en} Industries"
        elif kind == 2:
            fa, en = f"شرکت {p_fa} {b_fa} {place_fa}", f"{b_en} {p_en} {place_en} Co."
        else:
            fa, en = f"{p_fa} {b_fa}", f"{b_en} {p_en}"
        fa = normalize(fa)
        names_fa.append(fa)
        names_en.append(en)
        keys.append(search_key(f"{fa} {en}"))
        amount = float(employees[u] * 40 * capacity_size[u])
        amount = round(amount, -int(np.floor(np.log10(max(amount, 1)))) + 1)
        capacities.append(f"{int(amount)} {CAPACITY_UNIT.get(group, 'تن در سال')}")
    return {
        "n": n,
        "scale": scale,
        "n_start": n_start,
        "opened": opened,
        "province_idx": province_idx,
        "province_ids": np.array([p.pk for p in provinces])[province_idx],
        "province_number": [p.code[-2:] for p in provinces],
        "park_ids": parks["ids"][park_of],
        "sector_ids": sector_of,
        "group_idx": group_idx,
        "groups": groups,
        "size_idx": size_idx,
        "employees": employees,
        "business_ids": business_ids,
        "late_filer": late_filer,
        "quality": quality,
        "position": position,
        "names_fa": names_fa,
        "names_en": names_en,
        "keys": keys,
        "capacities": capacities,
    }


def _month_start(k: int) -> int:
    """The first day (as an ordinal) of the k-th Iranian month after Farvardin 1398 (k may be negative)."""
    years, month0 = divmod(k, 12)
    return from_jalali(FIRST_YEAR + years, month0 + 1, 1).toordinal()


def _months(today: date) -> tuple[list[tuple[int, int]], np.ndarray]:
    months, starts = [], []
    year, month = FIRST_YEAR, 1
    while True:
        begins = from_jalali(year, month, 1)
        if begins > today:
            break
        months.append((year, month))
        starts.append(begins.toordinal())
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months, np.array(starts + [from_jalali(year, month, 1).toordinal()])


def _revival_schedule(
    months: list[tuple[int, int]], starts: np.ndarray, today: date, scale: float
) -> np.ndarray:
    """Revivals per simulated month: the published yearly figures, spread with the year-end lean."""
    schedule = np.zeros(len(months), dtype=np.int64)
    years = sorted({y for y, _m in months})
    for year in years:
        idx = [t for t, (y, _m) in enumerate(months) if y == year]
        w = np.array([REVIVAL_MONTH_WEIGHTS[months[t][1] - 1] for t in idx])
        target = REVIVALS_PER_YEAR.get(year, DEFAULT_REVIVALS) * scale
        year_end = from_jalali(year, 12, month_length(year, 12))
        if today < year_end:  # year to date: proportionate to how far into the year we are
            elapsed = (today - nowruz(year)).days + 1
            target *= elapsed / ((year_end - nowruz(year)).days + 1)
            last = idx[-1]
            w[-1] *= (today.toordinal() - starts[last] + 1) / (starts[last + 1] - starts[last])
        schedule[idx] = _allocate(round(target), w)
    return schedule


def _simulate(rng: np.random.Generator, units: dict, today: date, progress: Progress) -> dict:
    """Month by month: closures, scheduled revivals, relapses, units going idle, moves between bands."""
    _say(progress, "status histories")
    months, starts = _months(today)
    T, n, n_start = len(months), units["n"], units["n_start"]
    schedule = _revival_schedule(months, starts, today, units["scale"])
    opened = units["opened"]
    # A unit that opens during month b is in force from month b + 1 (its first full month).
    entry = np.full(n, -1, dtype=np.int64)
    entry[n_start:] = np.searchsorted(starts, opened[n_start:], side="right")  # index of the next month
    cur = np.full(n, NOT_YET, dtype=np.int8)
    cur[:n_start] = rng.choice([B50, B70, B100], size=n_start, p=START_MIX)
    idle_at_start = rng.choice(n_start, size=round(_idle_share_target(0) * n_start), replace=False)
    opening_band = cur.copy()
    opening_band[n_start:] = rng.choice([B50, B70, B100], size=n - n_start, p=(0.45, 0.35, 0.20))
    cur[idle_at_start] = IDLE
    since = np.full(n, -1, dtype=np.int64)  # month index of the last change (negative: before 1398)
    since[idle_at_start] = -rng.integers(1, 48, size=len(idle_at_start))
    idle_before = since[idle_at_start].copy()
    # A unit idle at the start of 1398 opened at least a few months before it stopped.
    went_idle = np.array([_month_start(k) for k in idle_before.tolist()], dtype=np.int64)
    too_late = opened[idle_at_start] > went_idle - 90
    opened[idle_at_start[too_late]] = (
        went_idle[too_late] - 90 - rng.integers(0, 2000, size=int(too_late.sum()))
    )
    last_revival = np.full(n, -100, dtype=np.int64)
    state = np.full((n, T), NOT_YET, dtype=np.int8)
    ev_unit, ev_month, ev_band, ev_source = [], [], [], []

    def record(idx: np.ndarray, t: int, bands: np.ndarray | int, source: int) -> None:
        ev_unit.append(idx)
        ev_month.append(np.full(len(idx), t, dtype=np.int64))
        ev_band.append(np.broadcast_to(np.asarray(bands, dtype=np.int8), idx.shape).copy())
        ev_source.append(np.full(len(idx), source, dtype=np.int8))

    for t in range(T):
        born = np.flatnonzero(entry == t)
        cur[born] = opening_band[born]
        since[born] = t
        active = (cur >= IDLE) & (cur != CLOSED)
        eligible = active & (since < t)
        changed = np.zeros(n, dtype=bool)
        # Closures: mostly units idle for a long time.
        n_active = int(active.sum())
        closures = rng.binomial(n_active, CLOSURES_PER_YEAR / 12)
        long_idle = np.flatnonzero(eligible & (cur == IDLE) & (since <= t - 12))
        from_idle = _weighted_sample(rng, long_idle, np.ones(len(long_idle)), round(closures * 0.7))
        weak = np.flatnonzero(eligible & (cur == B50))
        from_weak = _weighted_sample(rng, weak, np.ones(len(weak)), closures - len(from_idle))
        closing = np.concatenate([from_idle, from_weak])
        cur[closing], since[closing], changed[closing] = CLOSED, t, True
        record(closing, t, CLOSED, 2)
        # Revivals, as scheduled; units idle for a long time are harder to bring back.
        idle = np.flatnonzero(eligible & (cur == IDLE) & ~changed)
        reviving = _weighted_sample(rng, idle, 1.0 / (1.0 + (t - since[idle]) / 24.0), int(schedule[t]))
        new_bands = rng.choice([B50, B70, B100], size=len(reviving), p=REVIVED_MIX).astype(np.int8)
        cur[reviving], since[reviving], changed[reviving] = new_bands, t, True
        last_revival[reviving] = t
        record(reviving, t, new_bands, 0)
        # Relapses: recently revived units that stop again.
        producing = eligible & (cur >= B50) & (cur <= B100) & ~changed
        recent = np.flatnonzero(producing & (last_revival >= t - 11))
        relapsing = recent[rng.random(len(recent)) < RELAPSE_HAZARD]
        cur[relapsing], since[relapsing], changed[relapsing] = IDLE, t, True
        record(relapsing, t, IDLE, 1)
        # Other units go idle so that the idle share drifts towards its target.
        n_idle = int(((cur == IDLE) & active).sum())
        n_active = int((active & (cur != CLOSED)).sum())
        gap = _idle_share_target(t) * n_active - n_idle
        stopping_n = max(0, round(0.35 * gap + rng.normal(0, 0.05 * (1 + abs(gap)) ** 0.5)))
        candidates = np.flatnonzero(producing & ~changed)
        stopping = _weighted_sample(rng, candidates, GO_IDLE_WEIGHT[cur[candidates]], stopping_n)
        cur[stopping], since[stopping], changed[stopping] = IDLE, t, True
        record(stopping, t, IDLE, 1)
        # Moves between producing bands.
        movers = np.flatnonzero(producing & ~changed)
        draw = rng.random(len(movers))
        moves = BAND_MOVES[cur[movers]]
        cumulative = np.cumsum(moves, axis=1)
        target = (draw[:, None] >= cumulative).sum(axis=1)
        moving = draw < cumulative[:, -1]
        idx, bands = movers[moving], target[moving].astype(np.int8)
        cur[idx], since[idx] = bands, t
        record(idx, t, bands, 3)
        state[:, t] = cur
    return {
        "months": months,
        "starts": starts,
        "state": state,
        "entry": entry,
        "opening_band": opening_band,
        "idle_at_start": idle_at_start,
        "idle_before": idle_before,
        "ev_unit": np.concatenate(ev_unit),
        "ev_month": np.concatenate(ev_month),
        "ev_band": np.concatenate(ev_band),
        "ev_source": np.concatenate(ev_source),
        "schedule": schedule,
    }


def _write(
    writer: _Writer,
    rng: np.random.Generator,
    parks: dict,
    units: dict,
    history: dict,
    today: date,
    progress: Progress,
) -> dict:
    months, starts, state = history["months"], history["starts"], history["state"]
    n = units["n"]
    today_ord = today.toordinal()
    # Filings exist for every month that is over (the last one only from units that filed early).
    t_last = int(np.searchsorted(starts, today_ord, side="right")) - 2
    first_id = (ProductionUnit.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    unit_ids = np.arange(first_id, first_id + n)

    # Status histories: the opening entry, a prologue "went idle" for units idle at the start of
    # 1398, then the simulated changes; events are whatever derive_events says they are.
    _say(progress, "deriving events")
    pre = history["idle_at_start"]
    pre_dates = np.array([_month_start(k) for k in history["idle_before"].tolist()], dtype=np.int64)
    ev_month = history["ev_month"]
    ev_source = history["ev_source"]
    no_filing_yet = ev_month > t_last
    visit = rng.random(len(ev_month)) < 0.25
    source = np.where(
        ev_source == 2,
        2,  # closures: officer
        np.where(ev_source == 1, np.where(visit, 1, 2), np.where(no_filing_yet | visit, 1, 0)),
    )
    all_unit = np.concatenate([np.arange(n), pre, history["ev_unit"]])
    all_date = np.concatenate([units["opened"], pre_dates, starts[ev_month]])
    all_band = np.concatenate(
        [history["opening_band"], np.full(len(pre), IDLE, dtype=np.int8), history["ev_band"]]
    )
    all_source = np.concatenate([np.full(n + len(pre), 2, dtype=np.int8), source.astype(np.int8)])
    order = np.lexsort((np.arange(len(all_unit)), all_date, all_unit))
    all_unit, all_date, all_band, all_source = (
        all_unit[order],
        all_date[order],
        all_band[order],
        all_source[order],
    )
    sources = ("filing", "visit", "officer")
    employees = units["employees"]
    rows: list[_Row] = []
    for u, d, b in zip(all_unit.tolist(), all_date.tolist(), all_band.tolist(), strict=True):
        rows.append(_Row(BAND_CODE[b], date.fromordinal(d), int(employees[u])))
    bounds = np.flatnonzero(np.diff(all_unit)) + 1
    cuts = [0, *bounds.tolist(), len(rows)]
    last_band, last_date = [], []
    for i in range(n):
        chunk = rows[cuts[i] : cuts[i + 1]]
        derive_events(chunk)
        last_band.append(chunk[-1].band)
        last_date.append(chunk[-1].effective_date)

    _say(progress, "writing units")
    number = units["province_number"]
    opened = units["opened"]
    unit_rows = []
    for u in range(n):
        start_year = to_jalali(date.fromordinal(int(opened[u])))[0]
        p_number = number[units["province_idx"][u]]
        unit_rows.append(
            (
                int(unit_ids[u]),
                f"{units['business_ids'][u]:012d}",
                units["names_fa"][u],
                units["names_en"][u],
                units["keys"][u],
                int(units["park_ids"][u]),
                int(units["province_ids"][u]),
                int(units["sector_ids"][u]),
                SIZES[units["size_idx"][u]],
                units["capacities"][u],
                int(employees[u]),
                f"{p_number}/{start_year}/{u + 1:06d}",
                f"{p_number}/{start_year - 1 - u % 3}/E{u + 1:06d}",
                str(last_band[u]),
                writer.day(last_date[u].toordinal()),
                writer.at(int(opened[u])),
                writer.at(last_date[u].toordinal()),
            )
        )
    writer.insert(
        ProductionUnit,
        [
            "id", "business_id", "name_fa", "name_en", "name_key", "park", "province", "sector", "size_class",
            "licensed_capacity", "employees", "operation_licence_no", "establishment_licence_no", "current_band",
            "band_since", "created_at", "updated_at",
        ],
        unit_rows,
    )  # fmt: skip
    if writer.postgres:
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [ProductionUnit]):
                cursor.execute(sql)

    _say(progress, "writing status histories")
    province_ids = units["province_ids"]
    status_rows = []
    revivals_by_year: dict[str, int] = {}
    jobs_restored = relapses = 0
    for row, u, s in zip(rows, all_unit.tolist(), all_source.tolist(), strict=True):
        if row.event == UnitStatus.Event.REVIVED:
            year = str(to_jalali(row.effective_date)[0])
            revivals_by_year[year] = revivals_by_year.get(year, 0) + 1
            jobs_restored += row.jobs
        relapses += row.is_relapse
        ordinal = row.effective_date.toordinal()
        status_rows.append(
            (
                int(unit_ids[u]),
                int(province_ids[u]),
                str(row.band),
                writer.day(ordinal),
                sources[s],
                row.employees,
                str(row.event),
                row.jobs,
                row.is_relapse,
                "",
                writer.at(ordinal),
            )
        )
    writer.insert(
        UnitStatus,
        ["unit", "province", "band", "effective_date", "source", "employees", "event", "jobs", "is_relapse", "note",
         "recorded_at"],
        status_rows,
    )  # fmt: skip
    del status_rows, rows

    _say(progress, "writing monthly filings")
    totals = _Totals(units, t_last + 1)
    with secondary_indexes_dropped(MonthlyFiling, unique=True):  # its unique key too, built once at the end
        filings = _write_filings(
            writer, rng, units, unit_ids, months[: t_last + 1], state[:, : t_last + 1], today_ord, totals
        )
        _say(progress, "rebuilding the filing indexes")
    from revive.filings import lastfiled

    totals.write(writer, months)  # the production totals the filings add up to (filings/totals.py)
    lastfiled.rebuild_all()  # each unit's newest filed month (filings/lastfiled.py)
    active = [b for b in last_band if b != Band.CLOSED]
    idle = sum(1 for b in active if b == Band.IDLE)
    return {
        "infrastructure": parks["infrastructure"],
        "units": n,
        "units_active": len(active),
        "units_idle": idle,
        "idle_share_pct": round(100 * idle / max(len(active), 1), 1),
        "employees": int(employees.sum()),
        "statuses": len(all_unit),
        "revivals": sum(revivals_by_year.values()),
        "revivals_by_year": dict(sorted(revivals_by_year.items())),
        "jobs_restored": jobs_restored,
        "relapses": relapses,
        "filings": filings,
    }


def _write_filings(
    writer: _Writer,
    rng: np.random.Generator,
    units: dict,
    unit_ids: np.ndarray,
    months: list[tuple[int, int]],
    state: np.ndarray,
    today_ord: int,
    totals: "_Totals",
) -> int:
    """Monthly filings of producing units, consistent with the band in force that month."""
    if not months:
        return 0
    years_of = np.array([y for y, _m in months], dtype=np.int64)
    months_of = np.array([m for _y, m in months], dtype=np.int64)
    period_start_of = np.empty(len(months), dtype=object)
    period_start_of[:] = [writer.day(from_jalali(y, m, 1).toordinal()) for y, m in months]
    due_ord = np.array([filing_due_date(y, m).toordinal() for y, m in months])
    due_of = np.empty(len(months), dtype=object)
    due_of[:] = [writer.day(int(d)) for d in due_ord]
    inflation = INFLATION_PER_YEAR ** (np.arange(len(months)) / 12)
    groups = units["groups"]
    value_per = np.array([VALUE_PER_EMPLOYEE[g] for g in groups])[units["group_idx"]] * units["quality"]
    kwh_per = np.array([KWH_PER_EMPLOYEE[g] for g in groups], dtype=float)[units["group_idx"]]
    lo = np.zeros(4, dtype=np.int64)
    hi = np.zeros(4, dtype=np.int64)
    for band, (a, b) in UTILISATION_RANGE.items():
        lo[band], hi[band] = a, b
    fields = [
        "unit", "province", "jyear", "jmonth", "period_start", "production_value", "capacity_utilisation",
        "employees", "energy_kwh", "filed_on", "due_on",
    ]  # fmt: skip
    total = 0
    chunk = 5000
    for c0 in range(0, units["n"], chunk):
        block = state[c0 : c0 + chunk]
        # months until the unit is next idle (a large number when it never is), counted backwards
        until = np.full(block.shape, 99, dtype=np.int16)
        nxt = np.full(block.shape[0], 99, dtype=np.int16)
        for t in range(block.shape[1] - 1, -1, -1):
            nxt = np.where(block[:, t] == IDLE, 0, np.minimum(nxt + 1, 99)).astype(np.int16)
            until[:, t] = nxt
        decline_rng = np.random.default_rng([DECLINE_SEED, c0])
        # months into a passing dip (0: none; 1..DIP_MONTHS), whatever the unit does next
        dip_start = np.random.default_rng([DIP_SEED, c0]).random(block.shape) < DIP_START
        dip = np.zeros(block.shape, dtype=np.int16)
        for k in range(DIP_MONTHS):
            dip[:, k:] = np.maximum(dip[:, k:], np.where(dip_start[:, : block.shape[1] - k], k + 1, 0))
        uu, tt = np.nonzero((block >= B50) & (block <= B100))
        declining_all = until[uu, tt] <= DECLINE_MONTHS
        uu = uu + c0
        late = units["late_filer"][uu]
        keep = rng.random(len(uu)) >= np.where(late, 0.12, 0.004)  # a few months are never filed
        uu, tt, late = uu[keep], tt[keep], late[keep]
        declining = declining_all[keep]
        steps = np.where(declining, DECLINE_MONTHS + 1 - (until[uu - c0, tt]), 0)
        steps = np.maximum(steps, dip[uu - c0, tt])
        band = state[uu, tt].astype(np.int64)
        x = np.clip(units["position"][uu] + rng.normal(0, 0.12, len(uu)) - DECLINE_SLIDE * steps, 0, 0.999)
        util = lo[band] + np.floor(x * (hi[band] - lo[band] + 1)).astype(np.int64)
        staff = units["employees"][uu]
        staff_now = np.clip(
            np.rint(staff * (0.6 + 0.4 * util / 100) * rng.uniform(0.95, 1.03, len(uu))), 1, staff
        )
        value = staff_now * value_per[uu] * (util / 70) * inflation[tt] * np.exp(rng.normal(0, 0.06, len(uu)))
        value = (np.rint(value / 1000) * 1000).astype(np.int64)
        energy = np.rint(staff_now * kwh_per[uu] * (util / 70) * np.exp(rng.normal(0, 0.1, len(uu)))).astype(
            np.int64
        )
        no_energy = rng.random(len(uu)) < 0.04
        is_late = rng.random(len(uu)) < np.where(late, 0.45, 0.04)
        is_late |= declining & (decline_rng.random(len(uu)) < DECLINE_LATE)
        offset = np.where(
            is_late,
            rng.integers(1, 41, len(uu)) // np.where(late, 1, 3),
            -rng.integers(0, 10, len(uu)),
        )
        filed = due_ord[tt] + offset
        filed_now = filed <= today_ord  # later filings have not arrived yet
        filed_now &= ~(declining & (decline_rng.random(len(uu)) < DECLINE_MISSING))
        sel = np.flatnonzero(filed_now)
        # Columns picked with numpy and zipped into rows: no Python loop over the rows' fields.
        t_sel, u_sel = tt[sel], uu[sel]
        energy_sel = energy[sel].astype(object)
        energy_sel[no_energy[sel]] = None
        filed_days, filed_at = np.unique(filed[sel], return_inverse=True)
        day = writer.day
        rows = list(
            zip(
                unit_ids[u_sel].tolist(),
                units["province_ids"][u_sel].tolist(),
                years_of[t_sel].tolist(),
                months_of[t_sel].tolist(),
                period_start_of[t_sel].tolist(),
                value[sel].tolist(),
                util[sel].tolist(),
                staff_now[sel].astype(np.int64).tolist(),
                energy_sel.tolist(),
                np.array([day(int(d)) for d in filed_days.tolist()], dtype=object)[filed_at].tolist(),
                due_of[t_sel].tolist(),
                strict=True,
            )
        )
        writer.insert(MonthlyFiling, fields, rows)
        totals.add(u_sel, t_sel, value[sel])
        total += len(rows)
    return total


class _Totals:
    """FilingTotal as `filings.totals.rebuild_all` makes it (the production value and count of the filings
    per province, the unit's sector and month, in that order), summed from the filings as they are written
    instead of read back: its GROUP BY over the national demo's 3.5M filings took 9 s of CPU."""

    def __init__(self, units: dict, n_months: int) -> None:
        self.provinces, province_of = np.unique(units["province_ids"], return_inverse=True)
        self.sectors, sector_of = np.unique(units["sector_ids"], return_inverse=True)
        self.n_months = max(n_months, 0)
        # each unit's first cell: (province, sector) in the order of their ids, then the month
        self.cell_of = (province_of * len(self.sectors) + sector_of) * self.n_months
        size = len(self.provinces) * len(self.sectors) * self.n_months
        self.value = np.zeros(size, dtype=np.int64)
        self.count = np.zeros(size, dtype=np.int64)

    def add(self, u: np.ndarray, t: np.ndarray, value: np.ndarray) -> None:
        cell = self.cell_of[u] + t
        np.add.at(self.value, cell, value)
        self.count += np.bincount(cell, minlength=len(self.count))

    def write(self, writer: _Writer, months: list[tuple[int, int]]) -> None:
        FilingTotal.objects.all().delete()
        cells = np.flatnonzero(self.count)
        pair, t = np.divmod(cells, max(self.n_months, 1))
        province, sector = np.divmod(pair, len(self.sectors))
        rows = [
            (int(self.provinces[p]), int(self.sectors[s]), *months[m], v, c)
            for p, s, m, v, c in zip(
                province.tolist(),
                sector.tolist(),
                t.tolist(),
                self.value[cells].tolist(),
                self.count[cells].tolist(),
                strict=True,
            )
        ]
        writer.insert(
            FilingTotal, ["province", "sector", "jyear", "jmonth", "production_value", "filings"], rows
        )
