"""Demo programmes of the ministry's plan (7 axes, 40 programmes a year), indicators, yearly targets
1398 onwards split by province in proportion to idle units, and hand-reported figures with approvals."""

from datetime import date
from decimal import Decimal

import numpy as np
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from revive.core import audit, calendar
from revive.core.errors import DomainError
from revive.indicators import services
from revive.indicators.models import Axis, Metric, Programme, ReportedValue
from revive.registry.models import Band, ProductionUnit, Province

ACTOR = "demo"
FIRST_YEAR = 1398

AXES: list[tuple[str, str, list[tuple[str, str]]]] = [
    ("رونق تولید و رفع موانع تولید", "Surge in production and removal of obstacles", [
        ("احیای واحدهای تولیدی راکد", "Reviving idle production units"),
        ("افزایش ظرفیت واحدهای کم‌کار", "Raising the output of units below half capacity"),
        ("کارگروه‌های تسهیل و رفع موانع تولید استان‌ها", "Provincial production facilitation workgroups"),
        ("پایش ماهانه تولید واحدها", "Monthly monitoring of unit production"),
        ("حل اختلافات شرکا و مالکیت", "Settling partner and ownership disputes"),
        ("تأمین مواد اولیه واحدهای کوچک", "Raw materials for small units"),
        ("حمایت از واحدهای در معرض توقف", "Support for units at risk of stopping"),
    ]),
    ("تأمین مالی تولید", "Financing production", [
        ("هدایت تسهیلات بانکی به تولید", "Directing bank facilities to production"),
        ("سرمایه در گردش واحدهای کوچک و متوسط", "Working capital for small and medium units"),
        ("تسهیلات سرمایه ثابت طرح‌های بالای ۶۰ درصد", "Fixed capital for projects over 60% built"),
        ("استمهال بدهی‌های بانکی", "Rescheduling bank debts"),
        ("صندوق‌های ضمانت", "Guarantee funds"),
        ("تأمین مالی زنجیره‌ای", "Supply-chain financing"),
    ]),
    ("توسعه زیرساخت شهرک‌ها و نواحی صنعتی", "Infrastructure of industrial parks and zones", [
        ("توسعه شهرک‌های صنعتی و حمایت از واحدهای مستقر", "Development of industrial parks and support of their units"),
        ("تأمین برق شهرک‌ها", "Electricity for industrial parks"),
        ("گازرسانی به شهرک‌ها", "Gas connection of industrial parks"),
        ("آب و تصفیه‌خانه فاضلاب", "Water and wastewater treatment"),
        ("واگذاری زمین صنعتی", "Allocation of industrial land"),
        ("راه و ارتباطات شهرک‌ها", "Roads and telecommunications"),
    ]),
    ("توسعه صادرات و بازار", "Exports and markets", [
        ("صادرات واحدهای کوچک و متوسط", "Exports of small and medium units"),
        ("کنسرسیوم‌های صادراتی", "Export consortia"),
        ("نمایشگاه‌ها و بازاریابی", "Fairs and marketing"),
        ("خوشه‌های صنعتی", "Industrial clusters"),
        ("جایگزینی واردات", "Import substitution"),
        ("بازارهای همسایگان", "Neighbouring markets"),
    ]),
    ("فناوری، نوسازی و دانش‌بنیان", "Technology, renewal and knowledge-based firms", [
        ("نوسازی ماشین‌آلات", "Renewal of machinery"),
        ("شرکت‌های دانش‌بنیان در شهرک‌ها", "Knowledge-based firms in industrial parks"),
        ("مراکز نوآوری شهرک‌ها", "Innovation centres in parks"),
        ("بهره‌وری انرژی", "Energy efficiency"),
        ("استانداردسازی و کیفیت", "Standards and quality"),
        ("آموزش مهارت نیروی کار", "Workforce skills"),
    ]),
    ("بهبود محیط کسب‌وکار", "Business environment", [
        ("درگاه ملی مجوزها", "National licensing portal"),
        ("کاهش بدهی‌های مالیاتی و تأمین اجتماعی", "Tax and social-security debts"),
        ("شناسه یکتای کسب‌وکار", "Unique business ID"),
        ("هماهنگی دستگاه‌های اجرایی", "Coordination of government agencies"),
        ("بیمه تولید", "Production insurance"),
    ]),
    ("معدن و صنایع معدنی", "Mining and mineral industries", [
        ("احیای معادن کوچک راکد", "Reviving small idle mines"),
        ("فرآوری مواد معدنی", "Mineral processing"),
        ("اکتشاف", "Exploration"),
        ("زنجیره فولاد و مس", "Steel and copper value chains"),
    ]),
]  # fmt: skip

# (programme number, code, Persian, English, metric or "" for hand-reported, unit fa, unit en, headline)
INDICATORS = [
    (1, "revived_units", "واحدهای راکد احیا شده", "Idle units revived", Metric.REVIVED_UNITS, "واحد", "units", True),
    (1, "jobs_restored", "اشتغال بازگشته", "Jobs restored", Metric.JOBS_RESTORED, "نفر", "jobs", True),
    (2, "lifted_above_50", "واحدهای ارتقا یافته به بالای ۵۰٪ ظرفیت", "Units lifted above 50% capacity",
     Metric.LIFTED_ABOVE_50, "واحد", "units", True),
    (3, "resolutions_executed", "اجرای مصوبات کارگروه‌ها", "Workgroup resolutions executed",
     Metric.RESOLUTIONS_EXECUTED, "درصد", "%", False),
    (8, "industry_share", "سهم صنعت و معدن از تسهیلات بانکی", "Industry share of bank facilities",
     Metric.INDUSTRY_SHARE, "درصد", "%", True),
    (9, "loans_paid", "تسهیلات پرداخت‌شده به واحدها", "Loans paid to units", Metric.LOANS_PAID, "فقره", "loans", False),
    (14, "parks_gas_electricity", "شهرک‌های دارای برق و گاز کافی", "Parks with adequate gas and electricity",
     Metric.PARKS_GAS_ELECTRICITY, "شهرک", "parks", False),
    (18, "land_allocated", "زمین صنعتی واگذار شده", "Industrial land allocated", "", "هکتار", "hectares", False),
    (20, "sme_exports", "صادرات واحدهای کوچک و متوسط", "Exports of small and medium units", "",
     "میلیون دلار", "million USD", False),
    (27, "knowledge_firms", "شرکت‌های دانش‌بنیان مستقر شده", "Knowledge-based firms established", "",
     "شرکت", "firms", False),
]  # fmt: skip

# National revival targets: 1,500 in 1398, raised to 2,000 in 1399; around the published pace since.
REVIVAL_TARGETS = {
    1398: 1500,
    1399: 2000,
    1400: 2000,
    1401: 2000,
    1402: 2000,
    1403: 1800,
    1404: 1800,
    1405: 1800,
}
LIFTED_TARGETS = {
    1398: 2000,
    1399: 2000,
    1400: 2200,
    1401: 2500,
    1402: 3000,
    1403: 3200,
    1404: 3200,
    1405: 3300,
}
JOBS_PER_UNIT = 19


def has_data() -> bool:
    return Axis.objects.exists()


def allocate(total: int, weights: list[float]) -> list[int]:
    """Split a whole number in proportion to weights, largest remainders first, so the parts add up."""
    w = np.asarray(weights, dtype=float)
    if w.sum() <= 0:
        w = np.ones_like(w)
    raw = total * w / w.sum()
    parts = np.floor(raw).astype(int)
    for i in np.argsort(-(raw - parts), kind="stable")[: total - int(parts.sum())]:
        parts[i] += 1
    return parts.tolist()


def generate(*, seed: int, today: date | None = None) -> dict:
    """Create the programmes, indicators, targets and reported figures; needs the registry demo first."""
    today = today or calendar.tehran_today()
    if has_data():
        raise DomainError("There are programmes already; clear them first.")
    provinces = list(Province.objects.order_by("code"))
    if not provinces:
        raise DomainError("There is no registry data yet: generate the demo registry first.")
    rng = np.random.default_rng(seed)
    current = calendar.current_jalali_year(today)
    idle = dict(
        ProductionUnit.objects.filter(current_band=Band.IDLE)
        .order_by()
        .values_list("province_id")
        .annotate(n=Count("id"))
    )
    weights = [idle.get(p.pk, 0) + 1 for p in provinces]
    served = _parks_served()
    counts = {"axes": 0, "programmes": 0, "indicators": 0, "targets": 0, "reported_values": 0}
    with transaction.atomic():
        for year in range(FIRST_YEAR, current + 1):
            programmes = _programmes(year)
            counts["axes"] += len(AXES)
            counts["programmes"] += len(programmes)
            for number, code, fa, en, metric, unit_fa, unit_en, head in INDICATORS:
                indicator = services.indicator_create(
                    programme=programmes[number], code=code, name_fa=fa, name_en=en, metric=metric,
                    unit_fa=unit_fa, unit_en=unit_en, is_headline=head, by=ACTOR,
                )  # fmt: skip
                counts["indicators"] += 1
                counts["targets"] += _target(indicator, year, provinces, weights, served, rng)
                if not metric and year == current:
                    counts["reported_values"] += _reported(indicator, year, today, provinces, rng)
    return counts


def _programmes(year: int) -> dict[int, Programme]:
    out = {}
    number = 0
    for a, (axis_fa, axis_en, programmes) in enumerate(AXES, start=1):
        axis = Axis.objects.create(jyear=year, number=a, name_fa=axis_fa, name_en=axis_en)
        for fa, en in programmes:
            number += 1
            out[number] = Programme.objects.create(
                axis=axis, jyear=year, number=number, name_fa=fa, name_en=en
            )
    audit.record(actor=ACTOR, obj=None, action="demo_programmes", object_type="indicators.programme",
                 object_id=str(year), after={"axes": len(AXES), "programmes": number})  # fmt: skip
    return out


def _parks_served() -> int:
    from revive.core.scoping import NATION
    from revive.indicators.selectors import parks_served

    return parks_served(scope=NATION)


def _target(indicator, year, provinces, weights, served, rng) -> int:
    metric = indicator.metric
    split = True
    if metric == Metric.REVIVED_UNITS:
        national = REVIVAL_TARGETS.get(year, 1800)
    elif metric == Metric.JOBS_RESTORED:
        national = REVIVAL_TARGETS.get(year, 1800) * JOBS_PER_UNIT
    elif metric == Metric.LIFTED_ABOVE_50:
        national = LIFTED_TARGETS.get(year, 3300)
    elif metric == Metric.INDUSTRY_SHARE:
        national, split = 40, False
    elif metric == Metric.RESOLUTIONS_EXECUTED:
        national, split = 70, False
    elif metric == Metric.LOANS_PAID:
        national = 4000 + 250 * (year - FIRST_YEAR)
    elif metric == Metric.PARKS_GAS_ELECTRICITY:
        national, split = int(served * 1.05) + 10, False
    elif indicator.code == "land_allocated":
        national, split = 1200, False
    elif indicator.code == "sme_exports":
        national, split = 900, False
    else:
        national, split = 400, False
    provinces_split = (
        {p.code: v for p, v in zip(provinces, allocate(national, weights), strict=True)} if split else None
    )
    services._targets_write(indicator=indicator, national=national, provinces=provinces_split, parks=None,
                            by=ACTOR, check_year=False)  # fmt: skip
    return 1 + (len(provinces) if split else 0)


def _reported(indicator, year, today, provinces, rng) -> int:
    """Monthly national figures for the months that have ended: approved, except the last one."""
    last_month = calendar.month_of(today)[1] - 1
    monthly = {"land_allocated": 100, "sme_exports": 75, "knowledge_firms": 30}[indicator.code]
    n = 0
    now = timezone.now()
    for month in range(1, last_month + 1):
        value = Decimal(int(monthly * rng.uniform(0.6, 1.4)))
        approved = month < last_month
        row = ReportedValue.objects.create(
            indicator=indicator, jyear=year, jmonth=month, value=value,
            status=ReportedValue.Status.APPROVED if approved else ReportedValue.Status.ENTERED,
            approved_at=now if approved else None, note="demo",
        )  # fmt: skip
        audit.record(actor=ACTOR, obj=row, action="enter", after={"value": str(value)})
        if approved:
            audit.record(actor=ACTOR, obj=row, action="approve")
        n += 1
    return n
