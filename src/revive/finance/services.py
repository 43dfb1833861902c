"""Loan writes: register, review, approve, introduce to a bank, decide, disburse, repay; credit lines and lending figures.

Each function is one business verb, keyword-only, atomic, audited, and refuses stale edits (version column).
"""

from datetime import date

from django.db import transaction
from django.db.models import Sum
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from revive.accounts.roles import Perm, Role, has_perm
from revive.core import audit, bounds, calendar, money, rules
from revive.core.errors import ConflictError, DomainError, PermissionRefused, lazy_message
from revive.core.rules import language as _lang  # the one rule for the page's language
from revive.core.scoping import scope_for
from revive.core.text import parse_int, require_fits
from revive.finance import workflow
from revive.finance.models import (
    FIXED_CAPITAL_MIN_PROGRESS,
    RELEASED_STATES,
    TERMS,
    CreditLine,
    Disbursement,
    Installment,
    LendingFigure,
    LoanEvent,
    LoanKind,
    LoanRequest,
    LoanState,
    Repayment,
)
from revive.registry.models import Organisation, Province

S = LoanState


# Amounts and names inside lazy messages follow the language the message is shown in.
_money = lazy(lambda rials: money.format_money(int(rials), money.BILLION_RIAL, _lang()), str)
_name = lazy(lambda obj: obj.name_en if _lang() == "en" else obj.name_fa, str)
_number = lazy(lambda n: money.format_number(int(n), _lang()), str)


def _actor_fields(by) -> dict:
    return {"actor": rules.actor(by), "actor_label": rules.actor_label(by)}


def _user(by):
    return rules.actor(by)


def _event(
    loan: LoanRequest,
    *,
    by,
    kind: str,
    on: date | None = None,
    text: str = "",
    from_state: str = "",
    to_state: str = "",
    amount: int | None = None,
) -> None:
    LoanEvent.objects.create(
        loan=loan,
        on=on or calendar.tehran_today(),
        kind=kind,
        text=str(text)[:500],
        from_state=from_state,
        to_state=to_state,
        amount=amount,
        **_actor_fields(by),
    )


def _lock(loan: LoanRequest, version: int | None) -> LoanRequest:
    """Re-read the row under a lock and refuse the write if someone saved it since `version` was read."""
    return rules.lock(LoanRequest, loan, version)


def rials(value, *, field: str = "amount", allow_zero: bool = False) -> int:
    """An amount of whole rials, from an int or from what a person typed; letters or decimals are refused."""
    if isinstance(value, str):
        try:
            value = parse_int(value)
        except DomainError:
            value = None
    if value is None or isinstance(value, bool) or not isinstance(value, int):
        raise DomainError(
            _("Amounts are whole rials, without letters or a decimal point, e.g. 25,000,000,000."),
            field=field,
        )
    if value < 0 or (value == 0 and not allow_zero):
        raise DomainError(_("The amount must be more than zero."), field=field)
    return bounds.RIALS.check(value, field=field)


def _check_day(on: date, *, field: str, not_before: date | None = None, what=None) -> None:
    if on > calendar.tehran_today():
        raise DomainError(_("This date is in the future."), field=field)
    if not_before is not None and on < not_before:
        raise DomainError(
            lazy_message(
                _("This date cannot be before %(what)s (%(date)s)."),
                what=what or _("the previous step"),
                date=lazy(lambda: calendar.format_jalali(not_before, lang=_lang()), str)(),
            ),
            field=field,
        )


def _case_event(loan: LoanRequest, *, by, text, on: date | None = None, remove_obstacle=None) -> None:
    if loan.case_id is None:
        return
    from revive.cases.services import case_record_loan_event

    case_record_loan_event(
        case=loan.case, by=by, text=f"#{loan.pk}: {text}", on=on, remove_obstacle=remove_obstacle
    )


def _transition(
    loan: LoanRequest, to: str, *, by, on: date | None = None, note: str = "", amount=None
) -> None:
    workflow.require(loan.state, to)
    before = loan.state
    loan.state = to
    loan.version += 1
    _event(loan, by=by, kind="transition", on=on, text=note, from_state=before, to_state=to, amount=amount)
    audit.record(
        actor=by, obj=loan, action=f"loan_{to}", before={"state": before}, after={"state": to}, note=note
    )


@transaction.atomic
def loan_register(
    *,
    unit,
    by,
    kind: str,
    amount_requested,
    purpose: str = "",
    project_progress: int | None = None,
    case=None,
    obstacle=None,
    registered_on: date | None = None,
) -> LoanRequest:
    """A unit asks for a facility; province, park and sector are copied from the unit."""
    if kind not in LoanKind.values:
        raise DomainError(lazy_message(_("Unknown type of facility “%(value)s”."), value=kind), field="kind")
    amount_requested = rials(amount_requested, field="amount_requested")
    purpose = require_fits((purpose or "").strip(), model=LoanRequest, field="purpose")
    if project_progress is not None and not 0 <= project_progress <= 100:
        raise DomainError(_("Project progress must be between 0 and 100%."), field="project_progress")
    if kind == LoanKind.FIXED_CAPITAL and (project_progress or 0) <= FIXED_CAPITAL_MIN_PROGRESS:
        raise DomainError(
            lazy_message(
                _("Fixed-capital facilities are only for projects more than %(n)s%% built."),
                n=FIXED_CAPITAL_MIN_PROGRESS,
            ),
            field="project_progress",
        )
    registered_on = registered_on or calendar.tehran_today()
    _check_day(registered_on, field="registered_on")
    if unit.current_band == "closed":
        raise DomainError(_("This unit is closed and has left the programme."), field="unit")
    if obstacle is not None:
        case = case or obstacle.case
        if obstacle.case_id != case.pk:
            raise DomainError(_("That obstacle belongs to another case."), field="obstacle")
    if case is not None and case.unit_id != unit.pk:
        raise DomainError(_("That case is about another unit."), field="case")
    loan = LoanRequest.objects.create(
        unit=unit,
        province_id=unit.province_id,
        park_id=unit.park_id,
        sector_group=unit.sector.group,
        case=case,
        obstacle=obstacle,
        kind=kind,
        amount_requested=amount_requested,
        purpose=purpose,
        project_progress=project_progress,
        registered_on=registered_on,
        created_by=_user(by),
    )
    _event(loan, by=by, kind="registered", on=registered_on, to_state=loan.state, amount=amount_requested)
    audit.record(actor=by, obj=loan, action="loan_register", after=audit.snapshot(loan))
    _case_event(
        loan,
        by=by,
        on=registered_on,
        text=f"{_('Loan request registered')}: {loan.get_kind_display()}, "
        f"{money.format_money(amount_requested, money.BILLION_RIAL, _lang())}",
    )
    return loan


@transaction.atomic
def loan_review(
    *, loan: LoanRequest, by, note: str = "", on: date | None = None, version: int | None = None
) -> LoanRequest:
    """The programme's expert starts examining the request."""
    workflow.require_role(by, S.REVIEW)
    note = require_fits(note, model=LoanEvent, field="text", name="note")  # kept on the loan's timeline
    loan = _lock(loan, version)
    on = on or calendar.tehran_today()
    _check_day(on, field="on", not_before=loan.registered_on, what=_("the registration"))
    _transition(loan, S.REVIEW, by=by, note=note, on=on)
    loan.reviewed_on = on
    loan.save()
    return loan


@transaction.atomic
def loan_approve(
    *, loan: LoanRequest, by, note: str = "", on: date | None = None, version: int | None = None
) -> LoanRequest:
    """The provincial workgroup approves introducing the unit to a bank."""
    workflow.require_role(by, S.APPROVED)
    note = require_fits(note, model=LoanEvent, field="text", name="note")  # kept on the loan's timeline
    loan = _lock(loan, version)
    on = on or calendar.tehran_today()
    _check_day(on, field="on", not_before=loan.reviewed_on, what=_("the expert review"))
    _transition(loan, S.APPROVED, by=by, note=note, on=on)
    loan.approved_on = on
    loan.save()
    _case_event(loan, by=by, on=on, text=str(_("Loan request approved by the workgroup")))
    return loan


def _lines_for(bank: Organisation, province_id: int, year: int) -> list[CreditLine]:
    lines = (
        CreditLine.objects.select_for_update()
        .order_by("pk")
        .filter(jyear=year, bank=bank, province_id__in=[province_id])
    )
    national = (
        CreditLine.objects.select_for_update()
        .order_by("pk")
        .filter(jyear=year, bank=bank, province__isnull=True)
    )
    return list(national) + list(lines)


def credit_used(*, bank: Organisation, year: int, province: Province | int | None = None) -> int:
    """Introductions of the year to this bank (in this province) that are not rejected or withdrawn."""
    period = calendar.jalali_year(year)
    qs = LoanRequest.objects.filter(
        bank=bank, introduced_on__gte=period.start, introduced_on__lte=period.end
    ).exclude(state__in=RELEASED_STATES)
    if province is not None:
        qs = qs.filter(province_id=getattr(province, "pk", province))
    return qs.aggregate(s=Sum("amount"))["s"] or 0


def _check_quota(*, bank: Organisation, province_id: int, on: date, amount: int) -> None:
    year = calendar.current_jalali_year(on)
    for line in _lines_for(bank, province_id, year):
        used = credit_used(bank=bank, year=year, province=line.province_id)
        remaining = line.amount - used
        if amount > remaining:
            if line.province_id is None:
                label = lazy_message(
                    _("%(bank)s's national credit line for %(year)s"), bank=_name(bank), year=year
                )
            else:
                label = lazy_message(
                    _("%(bank)s's quota for %(province)s in %(year)s"),
                    bank=_name(bank),
                    province=_name(line.province),
                    year=year,
                )
            raise ConflictError(
                lazy_message(
                    _(
                        "This introduction of %(amount)s is over %(line)s: the line is %(total)s, "
                        "%(used)s is already used and %(remaining)s remains."
                    ),
                    amount=_money(amount),
                    line=label,
                    total=_money(line.amount),
                    used=_money(used),
                    remaining=_money(max(remaining, 0)),
                ),
                field="amount",
                credit_line=line.pk,
                line_amount=line.amount,
                used=used,
                remaining=max(remaining, 0),
            )


@transaction.atomic
def loan_introduce(
    *,
    loan: LoanRequest,
    by,
    bank: Organisation,
    letter_number: str,
    letter_date: date,
    amount,
    kind: str | None = None,
    term_months: int | None = None,
    version: int | None = None,
) -> LoanRequest:
    """The introduction letter to a named bank, within the bank's credit line and the province's quota."""
    workflow.require_role(by, S.INTRODUCED)
    loan = _lock(loan, version)
    workflow.require(loan.state, S.INTRODUCED)
    if bank is None or bank.kind != Organisation.Kind.BANK:
        raise DomainError(_("Choose the bank the unit is introduced to."), field="bank")
    letter_number = (letter_number or "").strip()
    if not letter_number:
        raise DomainError(_("Give the number of the introduction letter."), field="letter_number")
    letter_number = require_fits(letter_number, model=LoanRequest, field="letter_number")
    if letter_date is None:
        raise DomainError(_("Give the date of the introduction letter."), field="letter_date")
    _check_day(
        letter_date, field="letter_date", not_before=loan.approved_on, what=_("the workgroup's approval")
    )
    amount = rials(amount)
    if amount > loan.amount_requested:
        raise DomainError(
            lazy_message(
                _("The introduction cannot be for more than the unit asked for (%(requested)s)."),
                requested=_money(loan.amount_requested),
            ),
            field="amount",
        )
    kind = kind or loan.kind
    if kind not in LoanKind.values:
        raise DomainError(lazy_message(_("Unknown type of facility “%(value)s”."), value=kind), field="kind")
    if kind == LoanKind.FIXED_CAPITAL and (loan.project_progress or 0) <= FIXED_CAPITAL_MIN_PROGRESS:
        raise DomainError(
            lazy_message(
                _("Fixed-capital facilities are only for projects more than %(n)s%% built."),
                n=FIXED_CAPITAL_MIN_PROGRESS,
            ),
            field="kind",
        )
    default_term, longest = TERMS[kind]
    term_months = term_months or default_term
    if not 1 <= term_months <= longest:
        raise DomainError(
            lazy_message(_("The term of this type of facility is 1 to %(n)s months."), n=longest),
            field="term_months",
        )
    _check_quota(bank=bank, province_id=loan.province_id, on=letter_date, amount=amount)
    loan.bank, loan.letter_number, loan.introduced_on = bank, letter_number, letter_date
    loan.amount, loan.kind, loan.term_months = amount, kind, term_months
    note = f"{bank.name_fa if _lang() == 'fa' else bank.name_en}, {letter_number}"
    _transition(loan, S.INTRODUCED, by=by, on=letter_date, note=note, amount=amount)
    loan.save()
    _case_event(
        loan,
        by=by,
        on=letter_date,
        text=f"{_('Introduced to')} {note}: {money.format_money(amount, money.BILLION_RIAL, _lang())}",
    )
    return loan


def _require_addressed_bank(loan: LoanRequest, by) -> None:
    """Only officers of the bank the request was introduced to record its decision and payments."""
    user = _user(by)
    if user is None:
        return  # imports and commands
    if getattr(user, "role", "") != Role.BANK_OFFICER or user.organisation_id != loan.bank_id:
        raise PermissionRefused(
            _(
                "This request was not introduced to your bank; only the bank it is addressed to can act on it."
            ),
            field="to",
        )


@transaction.atomic
def loan_decide(
    *,
    loan: LoanRequest,
    by,
    decision: str,
    amount_paid=None,
    reason: str = "",
    on: date | None = None,
    version: int | None = None,
) -> LoanRequest:
    """The bank's decision: paid, partly paid (with the amount granted) or rejected (with the reason)."""
    workflow.require_role(by, decision)
    reason = require_fits(reason, model=LoanRequest, field="reason")
    loan = _lock(loan, version)
    _require_addressed_bank(loan, by)
    if decision not in (S.PAID, S.PARTLY_PAID, S.REJECTED):
        raise DomainError(_("A bank decides paid, partly paid or rejected."), field="to")
    workflow.require(loan.state, decision)
    on = on or calendar.tehran_today()
    _check_day(on, field="on", not_before=loan.introduced_on, what=_("the introduction"))
    reason = (reason or "").strip()
    if decision == S.PAID:
        granted = loan.amount if amount_paid in (None, "") else rials(amount_paid, field="amount_paid")
        if granted != loan.amount:
            raise DomainError(
                lazy_message(
                    _("Paid means the whole %(amount)s introduced; otherwise record it as partly paid."),
                    amount=_money(loan.amount),
                ),
                field="amount_paid",
            )
    elif decision == S.PARTLY_PAID:
        if amount_paid in (None, ""):
            raise DomainError(_("Give the amount the bank granted."), field="amount_paid")
        granted = rials(amount_paid, field="amount_paid")
        if granted >= loan.amount:
            raise DomainError(
                lazy_message(
                    _("Partly paid must be less than the %(amount)s introduced."), amount=_money(loan.amount)
                ),
                field="amount_paid",
            )
    else:
        if not reason:
            raise DomainError(_("Give the reason the bank rejected the request."), field="reason")
        granted = None
    loan.decided_on, loan.amount_paid, loan.reason = on, granted, reason
    _transition(loan, decision, by=by, on=on, note=reason, amount=granted)
    loan.save()
    remove = None
    text = f"{S(decision).label}"
    if granted:
        text += f": {money.format_money(granted, money.BILLION_RIAL, _lang())}"
    if reason:
        text += f" ({reason})"
    if loan.obstacle_id and loan.obstacle.kind == "working_capital":
        if decision == S.PAID:
            remove = loan.obstacle
        elif decision == S.PARTLY_PAID:
            text += f"; {_('the working-capital obstacle stays open')}"
    _case_event(loan, by=by, on=on, text=text, remove_obstacle=remove)
    return loan


@transaction.atomic
def loan_withdraw(*, loan: LoanRequest, by, reason: str, version: int | None = None) -> LoanRequest:
    """The unit or the programme withdraws the request before the bank decides; its quota is released."""
    workflow.require_role(by, S.WITHDRAWN)
    loan = _lock(loan, version)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason the request is withdrawn."), field="reason")
    reason = require_fits(reason, model=LoanRequest, field="reason")
    loan.reason = reason
    _transition(loan, S.WITHDRAWN, by=by, note=reason)
    loan.save()
    _case_event(loan, by=by, text=f"{S.WITHDRAWN.label} ({reason})")
    return loan


def _schedule(loan: LoanRequest, start: date) -> None:
    """Monthly instalments of the granted amount over the term, from the month after the first disbursement."""
    n = loan.term_months or TERMS[loan.kind][0]
    base, extra = divmod(loan.amount_paid, n)
    y, m, d = calendar.to_jalali(start)
    rows = []
    for i in range(1, n + 1):
        year, month = calendar.add_months((y, m), i)
        due = calendar.from_jalali(year, month, min(d, calendar.month_length(year, month)))
        rows.append(Installment(loan=loan, number=i, due_on=due, amount=base + (1 if i <= extra else 0)))
    Installment.objects.bulk_create(rows)


@transaction.atomic
def disbursement_record(
    *, loan: LoanRequest, by, on: date, amount, version: int | None = None
) -> Disbursement:
    """The bank pays out (part of) the granted amount; never more than granted in total."""
    workflow.require_role(by, "disbursement")
    loan = _lock(loan, version)
    _require_addressed_bank(loan, by)
    if loan.state not in (S.PAID, S.PARTLY_PAID):
        raise ConflictError(_("Disbursements are recorded once the bank has decided to pay."), field="amount")
    amount = rials(amount)
    if on is None:
        raise DomainError(_("Give the date of the disbursement."), field="on")
    _check_day(on, field="on", not_before=loan.decided_on, what=_("the bank's decision"))
    paid_out = loan.disbursements.aggregate(s=Sum("amount"))["s"] or 0
    if paid_out + amount > loan.amount_paid:
        raise DomainError(
            lazy_message(
                _(
                    "Disbursements cannot exceed the %(granted)s granted: %(done)s is already disbursed, "
                    "so at most %(left)s remains."
                ),
                granted=_money(loan.amount_paid),
                done=_money(paid_out),
                left=_money(loan.amount_paid - paid_out),
            ),
            field="amount",
        )
    disbursement = Disbursement.objects.create(loan=loan, on=on, amount=amount, created_by=_user(by))
    if loan.first_disbursed_on is None:
        loan.first_disbursed_on = on
        _schedule(loan, on)
    loan.version += 1
    loan.save()
    _event(loan, by=by, kind="disbursement", on=on, amount=amount)
    audit.record(
        actor=by,
        obj=loan,
        action="loan_disbursement",
        after={"on": on.isoformat(), "amount": amount, "disbursed": paid_out + amount},
    )
    _case_event(
        loan,
        by=by,
        on=on,
        text=f"{_('Disbursed')}: {money.format_money(amount, money.BILLION_RIAL, _lang())}",
    )
    return disbursement


@transaction.atomic
def repayment_record(*, loan: LoanRequest, by, on: date, amount, version: int | None = None) -> Repayment:
    """The unit repays; the oldest instalments are settled first, and the last one closes the loan."""
    workflow.require_role(by, "repayment")
    loan = _lock(loan, version)
    _require_addressed_bank(loan, by)
    if loan.state not in (S.PAID, S.PARTLY_PAID) or loan.first_disbursed_on is None:
        raise ConflictError(_("Repayments are recorded on a loan that has been disbursed."), field="amount")
    amount = rials(amount)
    if on is None:
        raise DomainError(_("Give the date of the repayment."), field="on")
    _check_day(on, field="on", not_before=loan.first_disbursed_on, what=_("the first disbursement"))
    open_rows = list(loan.installments.select_for_update().filter(paid_on__isnull=True).order_by("number"))
    outstanding = sum(i.amount - i.paid_amount for i in open_rows)
    if amount > outstanding:
        raise DomainError(
            lazy_message(_("This is more than the %(left)s still owed."), left=_money(outstanding)),
            field="amount",
        )
    left = amount
    for row in open_rows:
        if left == 0:
            break
        pay = min(left, row.amount - row.paid_amount)
        row.paid_amount += pay
        left -= pay
        if row.paid_amount == row.amount:
            row.paid_on = on
        row.save(update_fields=["paid_amount", "paid_on"])
    repayment = Repayment.objects.create(loan=loan, on=on, amount=amount, created_by=_user(by))
    loan.version += 1
    _event(loan, by=by, kind="repayment", on=on, amount=amount)
    audit.record(actor=by, obj=loan, action="loan_repayment", after={"on": on.isoformat(), "amount": amount})
    if amount == outstanding:
        loan.closed_on = on
        _transition(loan, S.CLOSED, by=by, on=on, note=str(_("Repaid in full")))
        _case_event(loan, by=by, on=on, text=str(_("Loan repaid in full and closed")))
    loan.save()
    return repayment


@transaction.atomic
def loan_transition(*, loan: LoanRequest, to: str, by, version: int | None = None, **data) -> LoanRequest:
    """Apply the transition named `to` with its data: the one entry point for pages and the API."""
    if to == S.REVIEW:
        return loan_review(loan=loan, by=by, note=data.get("note", ""), on=data.get("on"), version=version)
    if to == S.APPROVED:
        return loan_approve(loan=loan, by=by, note=data.get("note", ""), on=data.get("on"), version=version)
    if to == S.INTRODUCED:
        return loan_introduce(
            loan=loan,
            by=by,
            bank=data.get("bank"),
            letter_number=data.get("letter_number", ""),
            letter_date=data.get("on"),
            amount=data.get("amount"),
            kind=data.get("kind") or None,
            term_months=data.get("term_months"),
            version=version,
        )
    if to in (S.PAID, S.PARTLY_PAID, S.REJECTED):
        return loan_decide(
            loan=loan,
            by=by,
            decision=to,
            amount_paid=data.get("amount"),
            reason=data.get("reason", "") or data.get("note", ""),
            on=data.get("on"),
            version=version,
        )
    if to == S.WITHDRAWN:
        return loan_withdraw(
            loan=loan, by=by, reason=data.get("reason", "") or data.get("note", ""), version=version
        )
    if to == "disbursement":
        disbursement_record(loan=loan, by=by, on=data.get("on"), amount=data.get("amount"), version=version)
        return LoanRequest.objects.get(pk=loan.pk)
    if to == "repayment":
        repayment_record(loan=loan, by=by, on=data.get("on"), amount=data.get("amount"), version=version)
        return LoanRequest.objects.get(pk=loan.pk)
    workflow.require(loan.state, to)  # unknown or not allowed: a readable 409
    raise ConflictError(_("This change is not made by hand."), field="to")


def _require_national_loan_manager(by) -> None:
    """Credit lines and the banking system's lending figures are national: only national staff who
    manage loans set them (commands and imports run by the server's operator act without a user)."""
    user = rules.actor(by)
    if user is not None and not (has_perm(user, Perm.MANAGE_LOANS) and scope_for(user).is_nation):
        raise PermissionRefused(
            _("Only national staff who manage loans set credit lines and lending figures."), field="bank"
        )


@transaction.atomic
def credit_line_set(
    *,
    year: int,
    bank: Organisation,
    amount,
    by,
    province: Province | None = None,
    note: str = "",
    version: int | None = None,
) -> CreditLine:
    """Set a bank's national line for a year, or its quota for one province; never below what is already used."""
    _require_national_loan_manager(by)
    if bank is None or bank.kind != Organisation.Kind.BANK:
        raise DomainError(_("Choose a bank."), field="bank")
    note = require_fits(note, model=CreditLine, field="note")
    calendar.jalali_year(year)  # refuses a year outside the calendar
    amount = rials(amount)
    used = credit_used(bank=bank, year=year, province=province)
    if amount < used:
        raise DomainError(
            lazy_message(
                _("The line cannot be less than the %(used)s already introduced against it."),
                used=_money(used),
            ),
            field="amount",
        )
    line = (
        CreditLine.objects.select_for_update()
        .order_by("pk")
        .filter(jyear=year, bank=bank, province=province)
        .first()
    )
    if line is None:
        line = CreditLine.objects.create(jyear=year, bank=bank, province=province, amount=amount, note=note)
        audit.record(actor=by, obj=line, action="credit_line_create", after=audit.snapshot(line))
        return line
    rules.confirm_replacing(
        line.version,
        version,
        lazy_message(
            _("This bank already has a line of %(amount)s here. Check the amount you typed and send it again to "
              "replace it."),
            amount=_money(line.amount),
        ),
    )  # fmt: skip
    before = audit.snapshot(line, ["amount", "note"])
    line.amount, line.note = amount, note
    line.version += 1
    line.save()
    audit.record(
        actor=by, obj=line, action="credit_line_update", before=before, after={"amount": amount, "note": note}
    )
    return line


def check_lending_figure(
    *, year: int, month: int, total, industry_mining, today: date | None = None
) -> tuple[int, int]:
    """Validate one month's figures; returns (total, industry_mining) in rials or raises a DomainError."""
    try:
        calendar.jalali_month(year, month)
    except DomainError as exc:
        raise DomainError(exc.message, field="month") from None
    if (year, month) > calendar.month_of(today or calendar.tehran_today()):
        raise DomainError(_("Figures are recorded for months that have started."), field="month")
    total = rials(total, field="total")
    industry_mining = rials(industry_mining, field="industry_mining", allow_zero=True)
    if industry_mining > total:
        raise DomainError(
            lazy_message(
                _("Industry and mining (%(industry)s) cannot be more than all facilities (%(total)s)."),
                industry=_money(industry_mining),
                total=_money(total),
            ),
            field="industry_mining",
        )
    return total, industry_mining


def _upsert_figure(*, year: int, month: int, bank: Organisation | None, total: int, industry: int) -> tuple:
    figure = (
        LendingFigure.objects.select_for_update()
        .order_by("pk")
        .filter(jyear=year, jmonth=month, bank=bank)
        .first()
    )
    if figure is None:
        return LendingFigure.objects.create(
            jyear=year, jmonth=month, bank=bank, total=total, industry_mining=industry
        ), None
    before = audit.snapshot(figure, ["total", "industry_mining"])
    figure.total, figure.industry_mining = total, industry
    figure.version += 1
    figure.save()
    return figure, before


@transaction.atomic
def lending_figure_set(
    *,
    year: int,
    month: int,
    bank: Organisation | None,
    total,
    industry_mining,
    by,
    version: int | None = None,
) -> LendingFigure:
    """Enter (or correct) one month's facilities, for a bank or for the banking system (bank=None)."""
    _require_national_loan_manager(by)
    if bank is not None and bank.kind != Organisation.Kind.BANK:
        raise DomainError(_("Choose a bank, or none for the whole banking system."), field="bank")
    total, industry = check_lending_figure(
        year=year, month=month, total=total, industry_mining=industry_mining
    )
    existing = (
        LendingFigure.objects.select_for_update()
        .order_by("pk")
        .filter(jyear=year, jmonth=month, bank=bank)
        .first()
    )
    if existing is not None:
        rules.confirm_replacing(
            existing.version,
            version,
            lazy_message(
                _("This month already has figures (all facilities %(total)s, industry and mining %(industry)s). "
                  "Check what you typed and send it again to replace them."),
                total=_money(existing.total),
                industry=_money(existing.industry_mining),
            ),
        )  # fmt: skip
    figure, before = _upsert_figure(year=year, month=month, bank=bank, total=total, industry=industry)
    audit.record(
        actor=by,
        obj=figure,
        action="lending_figure_set",
        before=before,
        after={"total": total, "industry_mining": industry},
    )
    return figure
