"""Demo revival cases, built on the national demo registry and consistent with every unit's status history.

Each idle or below-50% unit has one open case; each revival in the status history has a revived case
(sustained or relapsed as the history goes on), with obstacles, workgroup meetings and resolutions,
field visits and their timelines, in the services' own words (cases/timeline.py). Deterministic for a seed
and `today`; written with plain inserts in one transaction, because per-row services would take an hour.
"""

import functools
import math
import random
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import translation

from revive.cases import timeline
from revive.cases.models import (
    INFRASTRUCTURE_OBSTACLES,
    MONEY_OBSTACLES,
    OPEN_STATES,
    Case,
    CaseEvent,
    CaseState,
    FieldVisit,
    Meeting,
    Obstacle,
    ObstacleKind,
    Resolution,
    VisitPhoto,
)
from revive.cases.reference import agencies_load, agency_code
from revive.cases.services import SUSTAIN_AFTER
from revive.core import audit
from revive.core.calendar import TEHRAN, from_jalali, month_length, nowruz, tehran_today, to_jalali
from revive.core.errors import DomainError
from revive.core.text import normalize, to_persian_digits
from revive.demo.writing import indexes_dropped, insert_rows
from revive.registry.models import (
    PRODUCING_BANDS,
    Band,
    Organisation,
    ParkInfrastructure,
    ProductionUnit,
    Province,
    UnitStatus,
)

S = CaseState
K = ObstacleKind
Kind = Organisation.Kind
Progress = Callable[[str], None] | None

ACTOR = "demo"
FIRST_YEAR = 1398  # the registry demo's history, and the workgroups' meetings, start here
# Units idle or weak since before 1398 entered the programme's monitoring in its last two months of 1397.
INTAKE_DAYS = 60
OPEN_STATE_SHARES = {S.IN_PROGRESS: 0.40, S.DIAGNOSED: 0.35}  # the rest are identified

# Published causes of idleness (several per unit): the share of diagnosed cases with each obstacle.
PREVALENCE = {
    K.WORKING_CAPITAL: 0.65,
    K.BANK_DEBT: 0.50,
    K.RAW_MATERIALS: 0.20,
    K.MARKET: 0.17,
    K.SOCIAL_SECURITY_DEBT: 0.15,
    K.MACHINERY: 0.14,
    K.TAX_DEBT: 0.12,
    K.MANAGEMENT: 0.08,
    K.PERMIT: 0.07,
    K.SANCTIONS: 0.07,
    K.DISPUTE: 0.035,
}
# Utility obstacles only where the park's own infrastructure falls short: (if insufficient, if absent).
INFRASTRUCTURE_PREVALENCE = {
    K.ELECTRICITY: (0.30, 0.50),
    K.GAS: (0.25, 0.45),
    K.WATER: (0.20, 0.40),
    K.ROAD_LAND: (0.20, 0.35),
}
BANK = "bank"
# Who can remove each obstacle: the case's bank, or the province's agency of that kind.
REMOVED_BY: dict[str, str] = {
    K.WORKING_CAPITAL: BANK,
    K.BANK_DEBT: BANK,
    K.RAW_MATERIALS: Kind.CUSTOMS,
    K.MACHINERY: Kind.CUSTOMS,
    K.SANCTIONS: Kind.CUSTOMS,
    K.TAX_DEBT: Kind.TAX,
    K.SOCIAL_SECURITY_DEBT: Kind.SOCIAL_SECURITY,
    K.ELECTRICITY: Kind.ELECTRICITY,
    K.GAS: Kind.GAS,
    K.WATER: Kind.WATER,
    K.ROAD_LAND: Kind.PARKS_COMPANY,
    K.MARKET: Kind.PARKS_COMPANY,
    K.PERMIT: Kind.PARKS_COMPANY,
    K.MANAGEMENT: Kind.PARKS_COMPANY,  # the parks companies run the industrial clinics
    K.DISPUTE: Kind.JUDICIARY,
}
# Amounts in billion rials at 1398-1400 prices (low, high), drawn log-uniformly; the position in the
# range follows the unit's size. Prices rise about 40% a year from 1401 on.
AMOUNT_RANGE = {
    K.WORKING_CAPITAL: (10, 60),
    K.BANK_DEBT: (5, 60),
    K.RAW_MATERIALS: (5, 40),
    K.MACHINERY: (10, 80),
    K.TAX_DEBT: (0.5, 8),
    K.SOCIAL_SECURITY_DEBT: (0.3, 6),
}
SIZE_POSITION = {"micro": 0.2, "small": 0.45, "medium": 0.75, "large": 0.9}
PRICE_RISE = 1.40
# Which bank a unit deals with (the specialised Bank of Industry and Mine and the big state banks first).
BANK_WEIGHTS = {
    "sanat-madan": 16, "melli": 14, "mellat": 12, "sepah": 11, "tejarat": 10, "saderat": 10,
    "keshavarzi": 6, "refah": 5, "tosee-taavon": 5, "post-bank": 3, "pasargad": 3, "parsian": 2,
    "eghtesad-novin": 2, "tosee-saderat": 2, "maskan": 1,
}  # fmt: skip

# Workgroup resolutions: how likely an obstacle is put to its addressee at a meeting (banks more
# often: about 55% of resolutions go to banks), follow-up meetings, and how well each kind of
# addressee carries them out relative to the province's own rate.
ISSUE_PROBABILITY = {BANK: 0.95, "other": 0.50}
FOLLOW_UP = 0.55
MAX_MEETINGS_PER_CASE = 5
STILL_FOLLOWED = 0.55  # in-progress cases back on the agenda of a meeting in the last months
RECENT = timedelta(days=120)
UPCOMING_DAYS = (7, 21)  # each province's next meeting is called for this many days ahead
PROVINCE_EXECUTION = (0.50, 0.80)
EXECUTION_BY_KIND = {
    BANK: -0.04, Kind.TAX: 0.04, Kind.SOCIAL_SECURITY: 0.02, Kind.CUSTOMS: 0.0, Kind.ELECTRICITY: -0.02,
    Kind.GAS: 0.03, Kind.WATER: -0.03, Kind.PARKS_COMPANY: 0.08, Kind.JUDICIARY: -0.12,
}  # fmt: skip
ZWNJ = "\u200c"

RESOLUTION_TEXT = {
    K.WORKING_CAPITAL: "معرفی واحد به {org} برای تسهیلات سرمایه در گردش به مبلغ {amount} میلیارد ریال",
    K.BANK_DEBT: "امهال و تقسیط بدهی معوق واحد نزد {org} به مبلغ {amount} میلیارد ریال",
    K.RAW_MATERIALS: "تسریع ترخیص مواد اولیه وارداتی واحد",
    K.MACHINERY: f"ترخیص ماشین{ZWNJ}آلات و تجهیزات وارداتی واحد",
    K.SANCTIONS: "تسهیل تشریفات گمرکی کالای وارداتی واحد",
    K.TAX_DEBT: "تقسیط بدهی مالیاتی واحد به مبلغ {amount} میلیارد ریال و بخشودگی جرایم",
    K.SOCIAL_SECURITY_DEBT: f"تقسیط بدهی بیمه{ZWNJ}ای واحد به مبلغ {{amount}} میلیارد ریال و صدور مفاصاحساب",
    K.ELECTRICITY: "تأمین برق مورد نیاز واحد و افزایش قدرت انشعاب",
    K.GAS: "اتصال واحد به شبکه گاز و واگذاری انشعاب",
    K.WATER: "تأمین و واگذاری انشعاب آب مورد نیاز واحد",
    K.ROAD_LAND: "تکمیل راه دسترسی و تعیین تکلیف زمین واحد",
    K.MARKET: f"معرفی محصولات واحد در نمایشگاه{ZWNJ}ها و پیوند با خریداران عمده",
    K.PERMIT: f"پیگیری تمدید پروانه بهره{ZWNJ}برداری و مجوزهای واحد",
    K.DISPUTE: "رسیدگی خارج از نوبت به اختلاف شرکای واحد",
    K.MANAGEMENT: "ارائه خدمات مشاوره کلینیک صنعتی به مدیریت واحد",
}
DONE_RESPONSE = {
    K.WORKING_CAPITAL: "تسهیلات پرداخت شد.",
    K.BANK_DEBT: "بدهی امهال و تقسیط شد.",
    K.TAX_DEBT: "بدهی تقسیط شد.",
    K.SOCIAL_SECURITY_DEBT: "بدهی تقسیط و مفاصاحساب صادر شد.",
}
DONE_DEFAULT = "انجام شد."
NOT_DONE_RESPONSE = {
    BANK: ["وثیقه واحد کافی نیست.", "سقف تسهیلات استان تکمیل شده است.", "مدارک واحد ناقص است."],
    "other": ["اعتبار لازم تأمین نشده است.", "مدارک واحد ناقص است.", "در انتظار مصوبه مرجع بالاتر است."],
}
INSPECTORS = [
    "علی رضایی", "مریم احمدی", "حسین کریمی", "زهرا محمدی", "رضا حسینی", "فاطمه موسوی", "مهدی جعفری",
    "سارا نوری", "امیر قاسمی", "لیلا صادقی", "محمد عباسی", "نرگس رحیمی", "حمید یوسفی", "الهام کاظمی",
]  # fmt: skip
REVIVAL_FINDINGS = [
    "واحد دوباره در حال تولید است؛ خط تولید فعال است و {employees} نفر در محل کار می{z}کنند.",
    "تولید از سر گرفته شده است؛ مواد اولیه در انبار موجود است و {employees} نفر مشغول کارند.",
    "بازدید میدانی: ماشین{z}آلات در حال کار، {employees} نفر شاغل؛ احیای واحد تأیید می{z}شود.",
]
IDLE_FINDINGS = [
    "واحد تعطیل است؛ ماشین{z}آلات سالم است و با تأمین سرمایه در گردش قابل راه{z}اندازی است.",
    "واحد تعطیل است؛ کارکنان تعدیل شده{z}اند و انبار مواد اولیه خالی است.",
    "واحد تعطیل است؛ بخشی از تجهیزات نیاز به تعمیر دارد.",
]
WEAK_FINDINGS = [
    "واحد با ظرفیت پایین کار می{z}کند؛ کمبود سرمایه در گردش مانع افزایش تولید است.",
    "تنها یک خط تولید فعال است؛ فروش محصول با مشکل روبه{z}روست.",
]
OTHER_VISITS = 0.12  # share of diagnosed cases whose diagnosis included a field visit
UTILISATION = {Band.BELOW_50: (15, 49), Band.FROM_50_TO_70: (50, 70), Band.ABOVE_70: (71, 95)}

# Within one day, the timeline runs in the order the services write it.
OPENED, DIAGNOSIS, MEETING, RESOLUTION, ANSWER, OBSTACLE_UPDATE, VISIT, REVIVAL, LATER = range(9)


@dataclass(slots=True)
class _Obstacle:
    kind: str
    organisation_id: int
    amount: int | None
    infrastructure_id: int | None
    status: str = Obstacle.Status.OPEN
    changed_on: date | None = None
    removed_on: date | None = None  # by a resolution carried out
    refused_on: date | None = None


@dataclass(slots=True)
class _Meeting:
    province_id: int
    held_on: date
    cases: list = field(default_factory=list)
    resolutions: list = field(default_factory=list)
    number: int = 0
    id: int = 0


@dataclass(slots=True)
class _Resolution:
    meeting: _Meeting
    case: "_Case"
    obstacle: _Obstacle
    organisation_id: int
    text: str
    deadline: date
    status: str
    closed_on: date | None
    escalated: bool
    response: str
    id: int = 0


@dataclass(slots=True)
class _Visit:
    visited_on: date
    inspector_name: str
    findings: str
    capacity: int
    employees: int | None
    verifies: bool
    id: int = 0


@dataclass(slots=True)
class _Case:
    unit: tuple
    origin: str
    opened_on: date
    band_at_opening: str
    state: str
    bank_id: int
    revived_on: date | None = None
    jobs: int = 0
    revival_band: str = ""
    revival_by_filing: bool = False
    sustained_on: date | None = None
    relapsed_on: date | None = None
    diagnosed_on: date | None = None
    obstacles: list = field(default_factory=list)
    meetings: list = field(default_factory=list)
    resolutions: list = field(default_factory=list)
    visits: list = field(default_factory=list)
    officer: tuple | None = None  # (user id, username) of the officer it is assigned to
    id: int = 0

    @property
    def province_id(self) -> int:
        return self.unit[1]

    @property
    def park_id(self) -> int:
        return self.unit[2]


def _say(progress: Progress, message: str) -> None:
    if progress is not None:
        progress(message)


def cases_has_data() -> bool:
    return Case.objects.exists() or Meeting.objects.exists()


def cases_clear() -> None:
    """Delete every case, meeting, resolution, visit and timeline row (the registry stays).

    For replacing the demo data; photo files of recorded visits stay in the media folder.
    """
    models = [
        VisitPhoto,
        FieldVisit,
        CaseEvent,
        Resolution,
        Meeting.attendees.through,
        Meeting.cases.through,
        Meeting,
        Obstacle,
        Case,
    ]
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


@transaction.atomic
def generate(*, seed: int, today: date | None = None, progress: Progress = None) -> dict:
    """Create the demo cases for the registry already in the database; returns the counts.

    Needs the registry demo (`revive.demo.registry.generate`) and no cases yet.
    """
    today = today or tehran_today()
    if cases_has_data():
        raise DomainError("There are cases or workgroup meetings already; clear them first.")
    if not ProductionUnit.objects.exists():
        raise DomainError("There is no registry data yet: generate the demo registry first.")
    agencies_load()
    with translation.override(settings.LANGUAGE_CODE):
        _say(progress, "cases: reading the registry")
        world = _World(today)
        _say(progress, "cases: planning")
        planner = _Planner(seed, world, today)
        planner.run()
        _say(progress, "cases: writing")
        with indexes_dropped(Case, Obstacle, Resolution, FieldVisit, CaseEvent):  # built once at the end
            counts = _write(world, planner)
    audit.record(
        actor="demo-data command",
        obj=None,
        action="demo_cases",
        object_type="cases.demo",
        object_id=str(seed),
        after=counts,
    )
    return counts


class _World:
    """What the cases are built on: units, their status histories, park infrastructure, organisations."""

    def __init__(self, today: date) -> None:
        self.provinces = dict(Province.objects.order_by("code").values_list("id", "code"))
        orgs = list(
            Organisation.objects.order_by("code").values_list(
                "id", "code", "kind", "province_id", "name_fa", "name_en"
            )
        )
        self.org_names = {o[0]: (o[4], o[5]) for o in orgs}
        self.org_kind = {o[0]: o[2] for o in orgs}
        banks = [(o[0], o[1]) for o in orgs if o[2] == Kind.BANK]
        if not banks:
            raise DomainError("There are no banks: load the reference data first.")
        self.bank_ids = [b[0] for b in banks]
        self.bank_weights = [BANK_WEIGHTS.get(code, 1) for _id, code in banks]
        by_code = {o[1]: o[0] for o in orgs}
        self.agency: dict[tuple[int, str], int] = {}
        for province_id, code in self.provinces.items():
            for kind in REMOVED_BY.values():
                if kind != BANK:
                    self.agency[(province_id, kind)] = by_code[agency_code(kind, code)]
        self.infrastructure: dict[tuple[int, str], tuple[int, str]] = {
            (park_id, utility): (pk, status)
            for pk, park_id, utility, status in ParkInfrastructure.objects.filter(
                utility__in=INFRASTRUCTURE_OBSTACLES.values()
            ).values_list("id", "park_id", "utility", "status")
        }
        # (id, province_id, park_id, current_band, band_since, employees, size_class), by business ID.
        self.units = list(
            ProductionUnit.objects.order_by("business_id").values_list(
                "id", "province_id", "park_id", "current_band", "band_since", "employees", "size_class"
            )
        )
        self.histories: dict[int, list[tuple]] = defaultdict(list)
        rows = (
            UnitStatus.objects.filter(effective_date__lte=today)
            .order_by("unit_id", "effective_date", "id")
            .values_list("unit_id", "effective_date", "band", "event", "jobs", "source", "employees")
        )
        for row in rows.iterator(chunk_size=20_000):
            self.histories[row[0]].append(row[1:])


class _Planner:
    def __init__(self, seed: int, world: _World, today: date) -> None:
        self.world, self.today, self.seed = world, today, seed
        # One stream per concern, so that changing one leaves the others as they were.
        streams = ("cases", "states", "meetings", "obstacles", "resolutions", "visits")
        self.rnd = {name: random.Random(f"revive-demo-cases:{seed}:{name}") for name in streams}
        self.cases: list[_Case] = []
        self.meetings: dict[int, list[_Meeting]] = {}
        self.meeting_dates: dict[int, list[date]] = {}
        self.execution: dict[int, float] = {}
        self.intake = nowruz(FIRST_YEAR) - timedelta(days=INTAKE_DAYS)

    def run(self) -> None:
        self._cases()
        self._schedule_meetings()
        self._revival_diagnoses()
        self._open_states()
        for case in self.cases:
            if case.diagnosed_on is not None:
                self._obstacles(case)
                self._resolutions(case)
                self._obstacle_statuses(case)
            self._visits(case)
        self._number_meetings()
        self._upcoming_meetings()

    # Cases -------------------------------------------------------------------------------------------

    def _opened_on(self, on: date) -> date:
        if on >= self.intake:
            return on
        return self.intake + timedelta(days=self.rnd["cases"].randrange(INTAKE_DAYS))

    def _bank(self) -> int:
        return self.rnd["cases"].choices(self.world.bank_ids, self.world.bank_weights)[0]

    def _cases(self) -> None:
        """One case per revival in the status history, and one open case per idle or below-50% unit."""
        rnd, today = self.rnd["cases"], self.today
        for unit in self.world.units:
            unit_id, _province, _park, band, band_since = unit[:5]
            history = self.world.histories.get(unit_id, [])
            idle_since: tuple | None = None
            for i, (on, row_band, event, jobs, source, _employees) in enumerate(history):
                if event == UnitStatus.Event.WENT_IDLE:
                    idle_since = (on, source)
                    continue
                if event != UnitStatus.Event.REVIVED:
                    continue
                if idle_since is None:  # not in the history: a plausible stop some months before
                    idle_since = (on - timedelta(days=rnd.randint(60, 400)), UnitStatus.Source.OFFICER)
                case = _Case(
                    unit=unit,
                    origin=_origin(idle_since[1]),
                    opened_on=self._opened_on(idle_since[0]),
                    band_at_opening=Band.IDLE,
                    state=S.REVIVED,
                    bank_id=self._bank(),
                    revived_on=on,
                    jobs=jobs,
                    revival_band=row_band,
                    revival_by_filing=source == UnitStatus.Source.FILING,
                )
                later = history[i + 1 :]
                relapse = next((r[0] for r in later if r[2] == UnitStatus.Event.WENT_IDLE), None)
                due = on + SUSTAIN_AFTER
                if (
                    due <= today
                    and (relapse is None or relapse > due)
                    and _band_at(history, due) in PRODUCING_BANDS
                ):
                    case.sustained_on, case.state = due, S.SUSTAINED
                if relapse is not None:
                    case.relapsed_on, case.state = relapse, S.RELAPSED
                self.cases.append(case)
                idle_since = None
            if band in (Band.IDLE, Band.BELOW_50) and band_since is not None:
                source = history[-1][4] if history else UnitStatus.Source.OFFICER
                self.cases.append(
                    _Case(
                        unit=unit,
                        origin=_origin(source),
                        opened_on=min(self._opened_on(band_since), today),
                        band_at_opening=band,
                        state=S.IDENTIFIED,
                        bank_id=self._bank(),
                    )
                )

    def _schedule_meetings(self) -> None:
        """About one or two meetings a month per province since 1398, more where there are more cases."""
        rnd, today = self.rnd["meetings"], self.today
        per_province = Counter(case.province_id for case in self.cases)
        busiest = max(per_province.values(), default=1)
        for province_id in self.world.provinces:
            rate = 1.0 + (per_province[province_id] / busiest) ** 0.6
            self.execution[province_id] = rnd.uniform(*PROVINCE_EXECUTION)
            dates: list[date] = []
            year, month = FIRST_YEAR, 1
            while from_jalali(year, month, 1) <= today:
                n = 1 + (rnd.random() < rate - 1.0)
                first_day = 1
                if month == 1:  # Nowruz holidays
                    n, first_day = n - 1, 15
                length = month_length(year, month)
                for k in range(n):
                    lo = first_day if k == 0 else length // 2 + 1
                    hi = length - 2 if n == 1 else (length // 2 if k == 0 else length - 1)
                    held = from_jalali(year, month, rnd.randint(lo, max(lo, hi)))
                    while held.weekday() in (3, 4):  # Thursday and Friday are the Iranian weekend
                        held -= timedelta(days=1)
                    if held <= today:
                        dates.append(held)
                year, month = (year + 1, 1) if month == 12 else (year, month + 1)
            dates.sort()
            self.meeting_dates[province_id] = dates
            self.meetings[province_id] = [_Meeting(province_id, d) for d in dates]

    def _has_meeting(self, province_id: int, start: date, end: date) -> bool:
        dates = self.meeting_dates[province_id]
        i = bisect_left(dates, start)
        return i < len(dates) and dates[i] <= end

    def _revival_diagnoses(self) -> None:
        """Revived cases were diagnosed some weeks after they were opened, well before the revival."""
        rnd = self.rnd["obstacles"]
        for case in self.cases:
            if case.revived_on is None:
                continue
            gap = (case.revived_on - case.opened_on).days
            if gap >= 4:  # a unit that restarts within days revives before anyone diagnoses it
                days = min(int(rnd.lognormvariate(math.log(25), 0.7)), gap // 2)
                case.diagnosed_on = case.opened_on + timedelta(days=days)

    def _open_states(self) -> None:
        """Open cases: older ones further on (about 40% in progress, 35% diagnosed, 25% identified)."""
        rnd, today = self.rnd["states"], self.today
        open_cases = [c for c in self.cases if c.state == S.IDENTIFIED]
        scored = []
        for i, case in enumerate(open_cases):
            age = (today - case.opened_on).days
            scored.append((-(age + 1) * rnd.lognormvariate(0, 0.35), i, case))
        scored.sort(key=lambda item: (item[0], item[1]))
        quota = {state: round(share * len(open_cases)) for state, share in OPEN_STATE_SHARES.items()}
        for _score, _i, case in scored:
            days = int(rnd.lognormvariate(math.log(25), 0.7))
            diagnosed_on = min(case.opened_on + timedelta(days=days), today)
            if quota[S.IN_PROGRESS] and self._has_meeting(case.province_id, diagnosed_on, today):
                state = S.IN_PROGRESS
            elif quota[S.DIAGNOSED]:
                state = S.DIAGNOSED
            else:
                continue
            quota[state] -= 1
            case.state, case.diagnosed_on = state, diagnosed_on

    # Obstacles ---------------------------------------------------------------------------------------

    def _obstacles(self, case: _Case) -> None:
        rnd = self.rnd["obstacles"]
        kinds = [kind for kind, p in PREVALENCE.items() if rnd.random() < p]
        infrastructure: dict[str, int] = {}
        for kind, (p_insufficient, p_absent) in INFRASTRUCTURE_PREVALENCE.items():
            found = self.world.infrastructure.get((case.park_id, INFRASTRUCTURE_OBSTACLES[kind]))
            if found is None or found[1] == ParkInfrastructure.Status.ADEQUATE:
                continue
            p = p_absent if found[1] == ParkInfrastructure.Status.ABSENT else p_insufficient
            if rnd.random() < p:
                kinds.append(kind)
                infrastructure[kind] = found[0]
        if not kinds:  # a diagnosis finds something; working capital keeps its published share
            others = [k for k in PREVALENCE if k != K.WORKING_CAPITAL]
            kinds.append(rnd.choices(others, [PREVALENCE[k] for k in others])[0])
        year = _jalali(case.diagnosed_on)[0]
        rise = PRICE_RISE ** max(0, year - 1400)
        position = SIZE_POSITION.get(case.unit[6], 0.5)
        for kind in kinds:
            amount = None
            if kind in MONEY_OBSTACLES:
                lo, hi = AMOUNT_RANGE[kind]
                x = min(max(position + rnd.gauss(0, 0.22), 0.0), 1.0)
                billions = lo * (hi / lo) ** x * rise
                amount = round(billions * 10) * 10**8  # to a tenth of a billion rials
            case.obstacles.append(
                _Obstacle(
                    kind=kind,
                    organisation_id=self._addressee(case, kind),
                    amount=amount,
                    infrastructure_id=infrastructure.get(kind),
                )
            )

    def _addressee(self, case: _Case, kind: str) -> int:
        removed_by = REMOVED_BY[kind]
        return case.bank_id if removed_by == BANK else self.world.agency[(case.province_id, removed_by)]

    # Meetings and resolutions ------------------------------------------------------------------------

    def _resolutions(self, case: _Case) -> None:
        """Put an in-progress or revived case on the agenda of its province's meetings, with resolutions."""
        if case.state not in (S.IN_PROGRESS, S.REVIVED, S.SUSTAINED, S.RELAPSED):
            return
        rnd = self.rnd["resolutions"]
        end = self.today if case.revived_on is None else case.revived_on - timedelta(days=1)
        dates, meetings = self.meeting_dates[case.province_id], self.meetings[case.province_id]
        i = bisect_left(dates, case.diagnosed_on + timedelta(days=rnd.randint(0, 40)))
        if i >= len(dates) or dates[i] > end:
            i = bisect_left(dates, case.diagnosed_on)
        attended = 0
        while i < len(dates) and dates[i] <= end and attended < MAX_MEETINGS_PER_CASE:
            if not self._attend(case, meetings[i], first=attended == 0):
                break
            attended += 1
            if rnd.random() >= FOLLOW_UP:
                break
            i = bisect_left(dates, dates[i] + timedelta(days=rnd.randint(45, 180)))
        if case.state == S.IN_PROGRESS and case.meetings and rnd.random() < STILL_FOLLOWED:
            # The workgroup is still on it: the case is back on the agenda of a recent meeting.
            last = case.meetings[-1].held_on
            j = bisect_left(dates, max(last + timedelta(days=30), self.today - RECENT))
            if j < len(dates):
                self._attend(case, meetings[rnd.randrange(j, len(dates))], first=False)
        if case.state == S.IN_PROGRESS and not case.resolutions:  # cannot happen: it had a meeting
            case.state = S.DIAGNOSED

    def _attend(self, case: _Case, meeting: _Meeting, *, first: bool) -> bool:
        """The case on the meeting's agenda, with a resolution for some of its open obstacles."""
        rnd, day = self.rnd["resolutions"], meeting.held_on
        open_now = [
            o
            for o in case.obstacles
            if not (o.removed_on and o.removed_on <= day)
            and not any(
                r.obstacle is o and (r.closed_on is None or r.closed_on > day) for r in case.resolutions
            )
        ]
        chosen = []
        for obstacle in open_now:
            p = ISSUE_PROBABILITY[BANK if REMOVED_BY[obstacle.kind] == BANK else "other"]
            if rnd.random() < (p if first else 0.8 * p):
                chosen.append(obstacle)
        if not chosen and open_now:
            chosen.append(rnd.choice(open_now))
        if not chosen:
            return False
        meeting.cases.append(case)
        case.meetings.append(meeting)
        for obstacle in chosen:
            resolution = self._resolution(case, meeting, obstacle)
            meeting.resolutions.append(resolution)
            case.resolutions.append(resolution)
        return True

    def _resolution(self, case: _Case, meeting: _Meeting, obstacle: _Obstacle) -> _Resolution:
        rnd, today, held = self.rnd["resolutions"], self.today, meeting.held_on
        removed_by = REMOVED_BY[obstacle.kind]
        deadline = held + timedelta(days=rnd.randint(20, 60))
        p_done = self.execution[case.province_id] + EXECUTION_BY_KIND[removed_by]
        if case.revived_on is not None:
            p_done += 0.04  # the revived units are the ones whose resolutions were carried out
        recent = (today - held).days <= 365
        closed_on: date | None
        if rnd.random() < (0.10 if recent else 0.006):
            status, closed_on = Resolution.Status.PENDING, None  # never answered
        elif rnd.random() < min(max(p_done, 0.05), 0.97):
            status = Resolution.Status.DONE
            if rnd.random() < 0.8:
                closed_on = held + timedelta(
                    days=max(1, round((deadline - held).days * rnd.uniform(0.3, 1.0)))
                )
            else:
                closed_on = deadline + timedelta(days=rnd.randint(1, 45))
            if case.revived_on is not None and closed_on > case.revived_on:
                # what was carried out for a revived unit was carried out before it restarted
                closed_on = max(
                    case.revived_on - timedelta(days=rnd.randint(0, 10)), held + timedelta(days=1)
                )
        else:
            status = Resolution.Status.NOT_DONE
            closed_on = max(deadline + timedelta(days=rnd.randint(-10, 40)), held + timedelta(days=1))
        if closed_on is not None and closed_on > today:
            status, closed_on = Resolution.Status.PENDING, None  # not answered yet
        response = ""
        if status == Resolution.Status.DONE:
            response = DONE_RESPONSE.get(obstacle.kind, DONE_DEFAULT)
            if obstacle.removed_on is None or closed_on < obstacle.removed_on:
                obstacle.removed_on = closed_on
        elif status == Resolution.Status.NOT_DONE:
            response = rnd.choice(NOT_DONE_RESPONSE[BANK if removed_by == BANK else "other"])
            obstacle.refused_on = closed_on
        escalated = (
            status == Resolution.Status.PENDING and (today - deadline).days > 60 and rnd.random() < 0.5
        )
        org_fa = self.world.org_names[obstacle.organisation_id][0]
        amount = "" if obstacle.amount is None else _persian(_billions(obstacle.amount))
        text = _normal(RESOLUTION_TEXT[obstacle.kind]).format(org=_normal(org_fa), amount=amount)
        return _Resolution(
            meeting=meeting,
            case=case,
            obstacle=obstacle,
            organisation_id=obstacle.organisation_id,
            text=text,
            deadline=deadline,
            status=status,
            closed_on=closed_on,
            escalated=escalated,
            response=_normal(response),
        )

    def _obstacle_statuses(self, case: _Case) -> None:
        """Removed on revived cases; on open ones, removed when a resolution about it was carried out."""
        rnd = self.rnd["obstacles"]
        for obstacle in case.obstacles:
            if case.revived_on is not None:
                obstacle.status = Obstacle.Status.REMOVED
                if obstacle.removed_on is not None and obstacle.removed_on <= case.revived_on:
                    obstacle.changed_on = obstacle.removed_on
                else:
                    slack = (case.revived_on - case.diagnosed_on).days
                    obstacle.changed_on = case.revived_on - timedelta(days=rnd.randint(0, min(20, slack)))
            elif obstacle.removed_on is not None and rnd.random() < 0.85:
                obstacle.status, obstacle.changed_on = Obstacle.Status.REMOVED, obstacle.removed_on
            elif obstacle.refused_on is not None and rnd.random() < 0.08:
                obstacle.status, obstacle.changed_on = Obstacle.Status.CANNOT_REMOVE, obstacle.refused_on

    def _number_meetings(self) -> None:
        """Meetings with nothing of the demo's on their agenda are left out; the rest are numbered 1.."""
        for province_id, meetings in self.meetings.items():
            kept = [m for m in meetings if m.cases]
            for number, meeting in enumerate(kept, start=1):
                meeting.number = number
            self.meetings[province_id] = kept

    def _upcoming_meetings(self) -> None:
        """Each province's next meeting, called for the coming weeks: nothing on its agenda or decided yet.
        From its own random stream, so the rest of the demo stays as it was."""
        rnd = random.Random(f"revive-demo-cases:{self.seed}:upcoming")
        for province_id, meetings in self.meetings.items():
            held = self.today + timedelta(days=rnd.randint(*UPCOMING_DAYS))
            while held.weekday() in (3, 4):  # Thursday and Friday are the Iranian weekend
                held -= timedelta(days=1)
            upcoming = _Meeting(province_id, held)
            upcoming.number = len(meetings) + 1
            meetings.append(upcoming)

    # Visits ------------------------------------------------------------------------------------------

    def _visits(self, case: _Case) -> None:
        rnd = self.rnd["visits"]
        if case.diagnosed_on is not None and rnd.random() < OTHER_VISITS:
            idle = case.band_at_opening == Band.IDLE
            findings = rnd.choice(IDLE_FINDINGS if idle else WEAK_FINDINGS)
            case.visits.append(
                _Visit(
                    visited_on=case.diagnosed_on,
                    inspector_name=rnd.choice(INSPECTORS),
                    findings=_normal(findings.format(z=ZWNJ)),
                    capacity=0 if idle else rnd.randint(10, 45),
                    employees=None if idle else max(1, round(case.unit[5] * rnd.uniform(0.3, 0.7))),
                    verifies=False,
                )
            )
        if case.revived_on is not None:
            lo, hi = UTILISATION[case.revival_band]
            case.visits.append(
                _Visit(
                    visited_on=case.revived_on,
                    inspector_name=rnd.choice(INSPECTORS),
                    findings=_normal(
                        rnd.choice(REVIVAL_FINDINGS).format(z=ZWNJ, employees="{employees}")
                    ).format(employees=_persian(str(case.jobs))),
                    capacity=rnd.randint(lo, hi),
                    employees=case.jobs,
                    verifies=True,
                )
            )


def _origin(source: str) -> str:
    """As the services decide it: a case opened by a status change from a filing is from filings."""
    return Case.Origin.FILING if source == UnitStatus.Source.FILING else Case.Origin.OFFICER


def _band_at(history: list[tuple], on: date) -> str | None:
    band = None
    for row in history:
        if row[0] > on:
            break
        band = row[1]
    return band


def _persian(number: str) -> str:
    """A number inside Persian text, as a person writes it there: ۵۱٫۶, not 51.6."""
    return to_persian_digits(number.replace(".", "\u066b"))


def _billions(amount: int) -> str:
    """51.6, 12, 0.8: billion rials as written in a resolution."""
    return f"{amount / 10**9:.1f}".removesuffix(".0")


# Writing ---------------------------------------------------------------------------------------------


class _Events:
    """The timeline of one case, in the order the services would have written it."""

    def __init__(self) -> None:
        self.rows: list[tuple] = []

    def add(
        self, on: date, rank: int, kind: str, text: str = "", from_state: str = "", to_state: str = ""
    ) -> None:
        self.rows.append(
            (on, rank, len(self.rows), kind, str(from_state), str(to_state), timeline.clip(text))
        )


def _labels() -> dict[str, str]:
    """The labels the services store in timeline texts, in the active language, once."""
    labels = {
        str(v): str(label)
        for choices in (Case.Origin, ObstacleKind, Resolution.Status)
        for v, label in choices.choices
    }
    labels.update({f"obstacle:{v}": str(label) for v, label in Obstacle.Status.choices})
    labels["revival_by_filing"] = str(timeline.REVIVAL_BY_FILING)
    labels["relapse"] = str(timeline.RELAPSE)
    return labels


_jalali = functools.cache(to_jalali)  # a few thousand distinct days, tens of thousands of calls


@functools.lru_cache(maxsize=4096)
def _normal(text: str) -> str:
    return normalize(text)


def _timeline(case: _Case, world: _World, labels: dict[str, str]) -> tuple[list[tuple], int]:
    """The case's timeline rows and its version (one more for every save the services make)."""
    events = _Events()
    version = 1
    state = S.IDENTIFIED
    events.add(case.opened_on, OPENED, "opened", labels[case.origin], to_state=state)
    if case.officer is not None:
        events.add(case.opened_on, OPENED, "assigned", timeline.assigned("", case.officer[1]))
        version += 1
    if case.diagnosed_on is not None:
        for visit in case.visits:
            if not visit.verifies:
                events.add(visit.visited_on, DIAGNOSIS, "visit", timeline.visit(visit.findings))
        for obstacle in case.obstacles:
            events.add(case.diagnosed_on, DIAGNOSIS, "obstacle_add", labels[obstacle.kind])
            if state == S.IDENTIFIED:
                events.add(case.diagnosed_on, DIAGNOSIS, "transition", from_state=state, to_state=S.DIAGNOSED)
                state = S.DIAGNOSED
            version += 1
    for meeting in case.meetings:
        events.add(
            meeting.held_on,
            MEETING,
            "meeting",
            timeline.meeting(world.provinces[meeting.province_id], meeting.number),
        )
        for resolution in meeting.resolutions:
            if resolution.case is not case:
                continue
            name = world.org_names[resolution.organisation_id][0]
            events.add(meeting.held_on, RESOLUTION, "resolution", timeline.resolution(name, resolution.text))
            if state == S.DIAGNOSED:
                events.add(
                    meeting.held_on, RESOLUTION, "transition", from_state=state, to_state=S.IN_PROGRESS
                )
                state = S.IN_PROGRESS
                version += 1
    for resolution in case.resolutions:
        if resolution.closed_on is not None:
            name = world.org_names[resolution.organisation_id][0]
            label = labels[resolution.status]
            events.add(
                resolution.closed_on,
                ANSWER,
                "resolution_answer",
                timeline.resolution_answer(name, label, resolution.response),
            )
    for obstacle in case.obstacles:
        if obstacle.changed_on is not None:
            label = timeline.obstacle_update(labels[obstacle.kind], labels["obstacle:" + obstacle.status])
            events.add(obstacle.changed_on, OBSTACLE_UPDATE, "obstacle_update", label)
    if case.revived_on is not None:
        for visit in case.visits:
            if visit.verifies:
                events.add(visit.visited_on, VISIT, "visit", timeline.visit(visit.findings))
        note = labels["revival_by_filing"] if case.revival_by_filing else ""
        events.add(case.revived_on, REVIVAL, "transition", note, from_state=state, to_state=S.REVIVED)
        state = S.REVIVED
        version += 1
        if case.sustained_on is not None:
            events.add(case.sustained_on, LATER, "transition", from_state=state, to_state=S.SUSTAINED)
            state = S.SUSTAINED
            version += 1
        if case.relapsed_on is not None:
            note = labels["relapse"]
            events.add(case.relapsed_on, LATER, "transition", note, from_state=state, to_state=S.RELAPSED)
            state = S.RELAPSED
            version += 1
    if state != case.state:
        raise AssertionError(f"demo case of unit {case.unit[0]} ends {state}, planned {case.state}")
    events.rows.sort(key=lambda row: (row[0], row[1], row[2]))
    return events.rows, version


class _Writer:
    """Plain executemany inserts with ids given here, so related rows can point at them."""

    def __init__(self) -> None:
        self.ops = connection.ops
        self._dates: dict[date, Any] = {}
        self._times: dict[tuple[date, int], Any] = {}
        self.models: list[type] = []

    def day(self, value: date | None) -> Any:
        if value is None:
            return None
        adapted = self._dates.get(value)
        if adapted is None:
            adapted = self._dates[value] = self.ops.adapt_datefield_value(value)
        return adapted

    def at(self, value: date, seconds: int = 0) -> Any:
        """09:00 Tehran on that day (plus a few seconds to keep a day's timeline in order)."""
        key = (value, seconds)
        adapted = self._times.get(key)
        if adapted is None:
            moment = datetime.combine(value, time(9), TEHRAN) + timedelta(seconds=seconds)
            adapted = self._times[key] = self.ops.adapt_datetimefield_value(moment.astimezone(UTC))
        return adapted

    def first_id(self, model: type) -> int:
        last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
        return (last or 0) + 1

    def insert(self, model: type, fields: list[str], rows: list[tuple], *, explicit_ids: bool = True) -> None:
        if explicit_ids:
            self.models.append(model)
        insert_rows(model._meta.db_table, [model._meta.get_field(name).column for name in fields], rows)

    def reset_sequences(self) -> None:
        if connection.vendor == "postgresql" and self.models:
            with connection.cursor() as cursor:
                for sql in self.ops.sequence_reset_sql(no_style(), self.models):
                    cursor.execute(sql)


ASSIGNED_SHARE = 0.85  # of open cases; the rest wait for an officer, as in real offices
OFFICER_SKEW = 0.8  # the k-th officer of a province carries about 1/k^0.8 of the lead officer's load


def _officer_name(province_name_en: str) -> str:
    return "officer." + province_name_en.lower().replace(" ", "-")


def _assign_officers(cases: list[_Case], world: _World) -> int:
    """Each province's officers (created when missing, without a password: `revive demo` gives the
    demo ones theirs) and most open cases assigned among them, unevenly; returns the officers' count."""
    from django.contrib.auth.hashers import make_password

    from revive.accounts.models import User
    from revive.accounts.roles import Role

    open_by_province: dict[int, list[_Case]] = defaultdict(list)
    for case in cases:
        if case.state in OPEN_STATES:
            open_by_province[case.province_id].append(case)
    names = dict(Province.objects.values_list("id", "name_en"))
    rnd = random.Random(f"revive-demo-cases:{len(cases)}:officers")
    total = 0
    for province_id in sorted(open_by_province):
        lead = _officer_name(names[province_id])
        n = min(8, 2 + len(open_by_province[province_id]) // 150)
        usernames = [lead] + [f"{lead}.{k}" for k in range(2, n + 1)]
        existing = dict(User.objects.filter(username__in=usernames).values_list("username", "id"))
        for username in usernames:
            if username not in existing:
                user = User.objects.create(
                    username=username,
                    role=Role.PROVINCIAL_OFFICER,
                    province_id=province_id,
                    password=make_password(None),
                )
                existing[username] = user.pk
        staff = [(existing[u], u) for u in usernames]
        weights = [1 / (k + 1) ** OFFICER_SKEW for k in range(len(staff))]
        for case in open_by_province[province_id]:
            if rnd.random() < ASSIGNED_SHARE:
                case.officer = rnd.choices(staff, weights)[0]
        total += len(staff)
    return total


def _write(world: _World, planner: _Planner) -> dict:
    writer = _Writer()
    labels = _labels()
    cases = sorted(planner.cases, key=lambda c: (c.opened_on, c.unit[0], c.revived_on or date.max))
    next_id = writer.first_id(Case)
    for i, case in enumerate(cases):
        case.id = next_id + i
    meetings = sorted(
        (m for ms in planner.meetings.values() for m in ms),
        key=lambda m: (m.held_on, world.provinces[m.province_id]),
    )
    next_id = writer.first_id(Meeting)
    for i, meeting in enumerate(meetings):
        meeting.id = next_id + i

    officers = _assign_officers(cases, world)
    case_rows, event_rows, obstacle_rows, visit_rows = [], [], [], []
    obstacle_id, visit_id = writer.first_id(Obstacle), writer.first_id(FieldVisit)
    for case in cases:
        timeline, version = _timeline(case, world, labels)
        for on, rank, seq, kind, from_state, to_state, text in timeline:
            event_rows.append((on, rank * 100 + seq, case.id, kind, from_state, to_state, text))
        case_rows.append(
            (
                case.id,
                case.unit[0],
                case.province_id,
                case.park_id,
                str(case.state),
                str(case.origin),
                writer.day(case.opened_on),
                str(case.band_at_opening),
                case.officer[0] if case.officer else None,
                writer.day(case.revived_on),
                case.jobs,
                "",
                version,
                writer.at(case.opened_on),
                writer.at(timeline[-1][0], timeline[-1][1] * 100 + timeline[-1][2]),
            )
        )
        for obstacle in case.obstacles:
            obstacle_rows.append(
                (
                    obstacle_id,
                    case.id,
                    case.province_id,
                    str(obstacle.kind),
                    obstacle.organisation_id,
                    obstacle.amount,
                    str(obstacle.status),
                    obstacle.infrastructure_id,
                    "",
                    2 if obstacle.changed_on is not None else 1,
                )
            )
            obstacle_id += 1
        for visit in case.visits:
            visit_rows.append(
                (
                    visit_id,
                    case.id,
                    case.province_id,
                    writer.day(visit.visited_on),
                    None,
                    visit.inspector_name,
                    visit.findings,
                    visit.capacity,
                    visit.employees,
                    visit.verifies,
                )
            )
            visit_id += 1
    writer.insert(
        Case,
        ["id", "unit", "province", "park", "state", "origin", "opened_on", "band_at_opening", "officer",
         "revived_on", "jobs_restored", "closed_reason", "version", "created_at", "updated_at"],
        case_rows,
    )  # fmt: skip
    writer.insert(
        Obstacle,
        ["id", "case", "province", "kind", "organisation", "amount", "status", "infrastructure", "note", "version"],
        obstacle_rows,
    )  # fmt: skip

    meeting_rows, attendee_rows, agenda_rows, resolution_rows = [], [], [], []
    rnd = random.Random(f"revive-demo-cases:{len(cases)}:attendees")
    resolution_id = writer.first_id(Resolution)
    for meeting in meetings:
        meeting_rows.append(
            (meeting.id, meeting.province_id, meeting.number, writer.day(meeting.held_on), None)
        )
        attendees = {
            world.agency[(meeting.province_id, kind)]
            for kind in (
                Kind.PARKS_COMPANY,
                Kind.TAX,
                Kind.SOCIAL_SECURITY,
                Kind.ELECTRICITY,
                Kind.GAS,
                Kind.WATER,
            )
        }
        attendees.update(r.organisation_id for r in meeting.resolutions)
        attendees.update(rnd.choices(world.bank_ids, world.bank_weights, k=3))
        attendee_rows.extend((meeting.id, org_id) for org_id in sorted(attendees))
        agenda_rows.extend((meeting.id, case_id) for case_id in sorted({c.id for c in meeting.cases}))
        for resolution in meeting.resolutions:
            resolution.id = resolution_id
            resolution_id += 1
            resolution_rows.append(
                (
                    resolution.id,
                    meeting.id,
                    resolution.case.id,
                    meeting.province_id,
                    resolution.organisation_id,
                    resolution.text,
                    writer.day(resolution.deadline),
                    str(resolution.status),
                    writer.day(resolution.closed_on),
                    resolution.escalated,
                    resolution.response,
                    1 + (resolution.closed_on is not None) + resolution.escalated,
                )
            )
    writer.insert(Meeting, ["id", "province", "number", "held_on", "created_by"], meeting_rows)
    writer.insert(Meeting.attendees.through, ["meeting", "organisation"], attendee_rows, explicit_ids=False)
    writer.insert(Meeting.cases.through, ["meeting", "case"], agenda_rows, explicit_ids=False)
    writer.insert(
        Resolution,
        ["id", "meeting", "case", "province", "organisation", "text", "deadline", "status", "closed_on",
         "escalated", "response", "version"],
        resolution_rows,
    )  # fmt: skip
    writer.insert(
        FieldVisit,
        ["id", "case", "province", "visited_on", "inspector", "inspector_name", "findings", "capacity_observed",
         "employees_observed", "verifies_revival"],
        visit_rows,
    )  # fmt: skip

    # Timeline ids in the order the rows would have been written, day by day.
    event_rows.sort(key=lambda row: (row[0], row[1], row[2]))
    first = writer.first_id(CaseEvent)
    writer.insert(
        CaseEvent,
        ["id", "case", "at", "on", "actor", "actor_label", "kind", "from_state", "to_state", "text"],
        [
            (
                first + i,
                case_id,
                writer.at(on, order),
                writer.day(on),
                None,
                ACTOR,
                kind,
                from_state,
                to_state,
                text,
            )
            for i, (on, order, case_id, kind, from_state, to_state, text) in enumerate(event_rows)
        ],
    )
    writer.reset_sequences()

    states = Counter(str(c.state) for c in cases)
    statuses = Counter(str(r[7]) for r in resolution_rows)
    to_banks = sum(
        1 for m in meetings for r in m.resolutions if world.org_kind[r.organisation_id] == Kind.BANK
    )
    return {
        "cases": len(cases),
        "cases_open": sum(states[s] for s in OPEN_STATES),
        "cases_by_state": {str(s): states[str(s)] for s in CaseState.values if states[str(s)]},
        "obstacles": len(obstacle_rows),
        "meetings": len(meetings),
        "resolutions": len(resolution_rows),
        "resolutions_by_status": dict(sorted(statuses.items())),
        "resolutions_to_banks_pct": round(100 * to_banks / max(len(resolution_rows), 1), 1),
        "visits": len(visit_rows),
        "case_events": len(event_rows),
        "officers": officers,
        "cases_assigned": sum(1 for c in cases if c.officer is not None and c.state in OPEN_STATES),
    }
