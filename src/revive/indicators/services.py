"""Writes for programmes, targets and hand-reported values: one business verb each, audited in its transaction."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from revive.accounts.roles import Perm, has_perm
from revive.core import audit, calendar, rules
from revive.core.errors import ConflictError, DomainError, lazy_message
from revive.core.money import format_number
from revive.core.scoping import scope_for
from revive.core.text import require_fits, to_ascii_digits
from revive.indicators.models import Axis, Indicator, Metric, Programme, ReportedValue, Target
from revive.registry.models import IndustrialPark, Province

# Target.value and ReportedValue.value are numeric(18, 2): below 10^16.
MAX_VALUE = 10**16 - 1


def parse_value(raw, *, field: str = "value") -> Decimal:
    """A non-negative figure typed in any digits, with or without thousands separators, that its column holds."""
    if isinstance(raw, Decimal | int):
        value = Decimal(raw)
    else:
        text = to_ascii_digits(str(raw or "")).replace(",", "").replace("\u066c", "").replace("\u066b", ".")
        try:
            value = Decimal(text.strip())
        except InvalidOperation:
            raise DomainError(
                lazy_message(_("“%(value)s” is not a number."), value=raw), field=field
            ) from None
    if not value.is_finite() or value < 0:
        raise DomainError(
            lazy_message(_("“%(value)s” is not a number of 0 or more."), value=raw), field=field
        )
    # past the column, a 25-digit target (or 1e30) failed in quantize or in the database: 500
    if value > MAX_VALUE:
        raise DomainError(
            lazy_message(_("Enter a number from %(minimum)s to %(maximum)s."), minimum=0, maximum=MAX_VALUE),
            field=field,
        )
    return value.quantize(Decimal("0.01"))


def _show(value: Decimal):
    """A figure in the digits of the language the message is shown in (decided when it is shown)."""
    from django.utils import translation
    from django.utils.functional import lazy

    def render() -> str:
        lang = "en" if (translation.get_language() or "fa").startswith("en") else "fa"
        text = format_number(int(value), lang) if value == value.to_integral() else str(value)
        return text

    return lazy(render, str)()


def check_target_year(year: int, today=None) -> None:
    """Targets are set for this year or the next; a year that is over is locked."""
    current = calendar.current_jalali_year(today)
    if year < current:
        raise ConflictError(
            lazy_message(
                _(
                    "The year %(year)s is over and its targets are locked; set targets for %(current)s or later."
                ),
                year=year,
                current=current,
            ),
            field="year",
            year=year,
        )
    if year > current + 1:
        raise DomainError(
            lazy_message(_("Targets can be set for %(current)s and the year after, not %(year)s."), year=year,
                         current=current),
            field="year",
        )  # fmt: skip


def _require_national(by) -> None:
    if isinstance(by, str):
        # A server command ('revive import targets FILE' without --user): whoever runs it on the
        # server already holds the database; its audit rows name the command.
        return
    if not has_perm(by, Perm.SET_TARGETS) or not scope_for(by).is_nation:
        raise DomainError(_("Only the national administration may do this."), field="user")


@transaction.atomic
def programme_create(*, year: int, axis_number: int, axis_fa: str, axis_en: str, number: int, name_fa: str,
                     name_en: str, by) -> Programme:  # fmt: skip
    axis, created = Axis.objects.get_or_create(
        jyear=year, number=axis_number, defaults={"name_fa": axis_fa, "name_en": axis_en}
    )
    if created:
        audit.record(actor=by, obj=axis, action="create", after=audit.snapshot(axis))
    programme = Programme.objects.create(
        axis=axis, jyear=year, number=number, name_fa=name_fa, name_en=name_en
    )
    audit.record(actor=by, obj=programme, action="create", after=audit.snapshot(programme))
    return programme


@transaction.atomic
def indicator_create(*, programme: Programme, code: str, name_fa: str, name_en: str, metric: str = "",
                     unit_fa: str = "", unit_en: str = "", is_headline: bool = False, by) -> Indicator:  # fmt: skip
    if metric and metric not in Metric.values:
        raise DomainError(lazy_message(_("Unknown metric: “%(value)s”."), value=metric), field="metric")
    indicator = Indicator.objects.create(
        programme=programme,
        jyear=programme.jyear,
        code=code,
        name_fa=name_fa,
        name_en=name_en,
        kind=Indicator.Kind.COMPUTED if metric else Indicator.Kind.REPORTED,
        metric=metric,
        unit_fa=unit_fa,
        unit_en=unit_en,
        is_headline=is_headline,
    )
    audit.record(actor=by, obj=indicator, action="create", after=audit.snapshot(indicator))
    return indicator


@transaction.atomic
def targets_set(
    *,
    indicator: Indicator,
    national,
    provinces: dict[str, object] | None = None,
    parks: dict[str, object] | None = None,
    by,
    today=None,
) -> Target:
    """Set the year's national target and, optionally, its split by province (and parks within a province).

    A split must add up to the national target (a park split to its province's); the message shows the gap.
    """
    _require_national(by)
    return _targets_write(indicator=indicator, national=national, provinces=provinces, parks=parks, by=by,
                          check_year=True, today=today)  # fmt: skip


def _targets_write(*, indicator, national, provinces, parks, by, check_year: bool, today=None) -> Target:
    year = indicator.jyear
    if check_year:
        check_target_year(year, today)
    national_value = parse_value(national, field="national")
    province_values: dict[Province, Decimal] = {}
    for code, raw in (provinces or {}).items():
        if raw in (None, ""):
            continue
        province = Province.objects.filter(code=str(code).upper()).first()
        if province is None:
            raise DomainError(
                lazy_message(_("Unknown province: “%(value)s”."), value=code), field="provinces"
            )
        province_values[province] = parse_value(raw, field=f"province_{province.code}")
    if province_values and indicator.national_only:
        raise DomainError(
            _("This figure is published for the whole banking system only; it has no province targets."),
            field="provinces",
        )
    if province_values and not indicator.is_rate:
        total = sum(province_values.values(), Decimal(0))
        if total != national_value:
            gap = national_value - total
            raise DomainError(
                lazy_message(
                    _("The province targets add up to %(total)s, not %(national)s: %(gap)s %(dir)s."),
                    total=_show(total),
                    national=_show(national_value),
                    gap=_show(abs(gap)),
                    dir=_("short") if gap > 0 else _("too many"),
                ),
                field="provinces",
                total=str(total),
                national=str(national_value),
                difference=str(gap),
            )
    park_values: dict[IndustrialPark, Decimal] = {}
    for code, raw in (parks or {}).items():
        if raw in (None, ""):
            continue
        park = IndustrialPark.objects.select_related("province").filter(code=code).first()
        if park is None:
            raise DomainError(lazy_message(_("Unknown park: “%(value)s”."), value=code), field="parks")
        park_values[park] = parse_value(raw, field=f"park_{park.code}")
    if park_values:
        by_province: dict[Province, Decimal] = {}
        for park, value in park_values.items():
            by_province[park.province] = by_province.get(park.province, Decimal(0)) + value
        for province, total in by_province.items():
            expected = province_values.get(province)
            if expected is None or (total != expected and not indicator.is_rate):
                raise DomainError(
                    lazy_message(
                        _(
                            "The park targets of %(province)s add up to %(total)s, not to its target %(target)s."
                        ),
                        province=province.name_en,
                        total=_show(total),
                        target=_show(expected) if expected is not None else "—",
                    ),
                    field="parks",
                )
    before = {
        "national": None,
        "provinces": {},
    }
    existing = Target.objects.filter(indicator=indicator, jyear=year).select_related("province", "park")
    for t in existing:
        if t.province_id is None:
            before["national"] = str(t.value)
        elif t.park_id is None:
            before["provinces"][t.province.code] = str(t.value)
    existing.delete()
    actor = rules.actor(by)
    national_row = Target.objects.create(
        indicator=indicator, jyear=year, value=national_value, updated_by=actor
    )
    Target.objects.bulk_create(
        [Target(indicator=indicator, jyear=year, province=p, value=v, updated_by=actor)
         for p, v in province_values.items()]
        + [Target(indicator=indicator, jyear=year, province=k.province, park=k, value=v, updated_by=actor)
           for k, v in park_values.items()]
    )  # fmt: skip
    audit.record(
        actor=by,
        obj=national_row,
        action="targets_set",
        before=before,
        after={
            "national": str(national_value),
            "provinces": {p.code: str(v) for p, v in province_values.items()},
            "parks": {k.code: str(v) for k, v in park_values.items()},
        },
        object_type="indicators.target",
        object_id=f"{indicator.code}/{year}",
    )
    return national_row


def _check_entry_scope(by, province: Province | None) -> None:
    scope = scope_for(by)
    if province is None:
        _require_national(by)
        return
    if not (has_perm(by, Perm.SET_TARGETS) or has_perm(by, Perm.MANAGE_CASES)):
        raise DomainError(_("You may not report figures."), field="user")
    scope.require_province(province.id)


@transaction.atomic
def reported_value_enter(
    *,
    indicator: Indicator,
    year: int,
    month: int,
    value,
    by,
    province: Province | None = None,
    note: str = "",
    version: int | None = None,
    today=None,
) -> ReportedValue:
    """Enter (or correct, while not yet approved) a hand-reported figure for a month that has ended."""
    if indicator.kind != Indicator.Kind.REPORTED:
        raise DomainError(_("This indicator is computed from Revive's data; it cannot be entered by hand."),
                          field="indicator")  # fmt: skip
    _check_entry_scope(by, province)
    note = require_fits(note, model=ReportedValue, field="note")
    period = calendar.jalali_month(year, month)
    today = today or calendar.tehran_today()
    if period.start > today:
        raise DomainError(
            lazy_message(_("%(month)s has not started yet."), month=period.label("en")), field="month"
        )
    amount = parse_value(value)
    row = (
        ReportedValue.objects.select_for_update()
        .filter(indicator=indicator, jyear=year, jmonth=month, province=province)
        .first()
    )
    if row is not None and row.status == ReportedValue.Status.APPROVED:
        raise ConflictError(
            lazy_message(
                _("The figure for %(month)s was approved on %(date)s and is locked; ask the national "
                  "administration to reopen it."),
                month=period.label("en"),
                date=calendar.format_jalali(row.approved_at.astimezone(calendar.TEHRAN).date(), lang="en"),
            ),
            field="value",
        )  # fmt: skip
    if row is not None:
        rules.confirm_replacing(
            row.version,
            version,
            lazy_message(
                _("%(month)s already has a figure waiting for approval (%(value)s). Check what you typed and "
                  "send it again to replace it."),
                month=period.label("en"),
                value=row.value,
            ),
            field="value",
        )  # fmt: skip
    before = audit.snapshot(row, ["value", "note", "status"]) if row else None
    if row is None:
        row = ReportedValue(indicator=indicator, jyear=year, jmonth=month, province=province)
    else:
        row.version += 1
    row.value, row.note = amount, note
    row.entered_by = rules.actor(by)
    row.save()
    audit.record(
        actor=by,
        obj=row,
        action="enter",
        before=before,
        after=audit.snapshot(row, ["value", "note", "status"]),
    )
    return row


@transaction.atomic
def reported_value_approve(*, row: ReportedValue, by, version: int | None = None) -> ReportedValue:
    """A national analyst approves a figure; from then on the month is locked."""
    _require_national(by)
    row = ReportedValue.objects.select_for_update().get(pk=row.pk)
    if row.status == ReportedValue.Status.APPROVED:
        raise ConflictError(_("This figure is already approved."))
    rules.check_version(row.version, version)
    if row.entered_by_id is not None and row.entered_by_id == getattr(by, "pk", None):
        raise DomainError(
            _("A figure is approved by someone other than the person who entered it."), field="user"
        )
    row.status = ReportedValue.Status.APPROVED
    row.approved_by = rules.actor(by)
    row.approved_at = timezone.now()
    row.version += 1
    row.save()
    audit.record(actor=by, obj=row, action="approve", after=audit.snapshot(row, ["value", "status"]))
    return row
