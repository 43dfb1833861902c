"""The finance pages' downloads: loan requests, a request's tables, credit lines, the funnel, the lending share."""

from django.utils.translation import gettext as _

from revive.core import calendar, rules
from revive.finance.labels import state_label
from revive.web.exports import date_cells, month_cell, name_in, table_response


def loan_requests_export(fmt: str, qs, lang: str):
    header = [
        _("Request"), _("Business ID"), _("Unit"), _("Province code"), _("Province"), _("Type"), _("State"),
        _("Registered on (Iranian)"), _("Registered on (Gregorian)"), _("Amount requested (rials)"),
        _("Bank code"), _("Bank"), _("Letter number"), _("Introduced on (Iranian)"), _("Introduced on (Gregorian)"),
        _("Amount introduced (rials)"), _("Decided on (Iranian)"), _("Decided on (Gregorian)"),
        _("Amount granted (rials)"),
    ]  # fmt: skip
    rows = (
        [
            r.pk, r.unit.business_id, r.unit.name(lang), r.province.code, name_in(r.province, lang),
            r.get_kind_display(), state_label(r.state), *date_cells(r.registered_on), r.amount_requested,
            r.bank.code if r.bank else "", name_in(r.bank, lang), r.letter_number,
            *date_cells(r.introduced_on), r.amount, *date_cells(r.decided_on), r.amount_paid,
        ]
        for r in qs.iterator(chunk_size=2000)
    )  # fmt: skip
    return table_response(
        fmt=fmt, filename="revive-loan-requests", header=header, rows=rows, rtl=lang == "fa"
    )


def loan_tables(loan, timeline: list[dict]) -> dict:
    """The request page's tables: its timeline (as the page lists it), disbursements, repayment schedule and
    repayments."""
    today = calendar.tehran_today()

    def instalment_status(i) -> str:
        return _("paid") if i.paid_on else _("overdue") if i.due_on < today else _("not yet due")

    dated = [_("Date (Iranian)"), _("Date (Gregorian)")]
    timeline = ([*dated, _("Who"), _("Event"), _("From state"), _("To state"), _("Amount (rials)"), _("Note")],
                ([*date_cells(e["on"]), e["actor_label"], str(e["label"]), str(e["from_label"]), str(e["to_label"]),
                  e["amount"] if e["amount"] is not None else "", e["text"]] for e in timeline))  # fmt: skip
    schedule = ([_("Instalment"), _("Due on (Iranian)"), _("Due on (Gregorian)"), _("Amount (rials)"),
                 _("Paid (rials)"), _("Paid on (Iranian)"), _("Paid on (Gregorian)"), _("Status")],
                ([i.number, *date_cells(i.due_on), i.amount, i.paid_amount, *date_cells(i.paid_on),
                  instalment_status(i)] for i in loan.installments.all()))  # fmt: skip
    return {
        "timeline": timeline,
        "disbursements": ([*dated, _("Amount (rials)")], ([*date_cells(d.on), d.amount] for d in loan.disbursements.all())),
        "instalments": schedule,
        "repayments": ([*dated, _("Amount (rials)")], ([*date_cells(r.on), r.amount] for r in loan.repayments.all())),
    }  # fmt: skip


def funnel_tables(data: dict) -> dict:
    lang = rules.language()
    flow = [_("Registered"), _("Introduced"), _("Paid"), _("Amount paid (rials)")]

    def counts(r: dict) -> list:
        return [r["registered"], r["introduced"], r["paid"], r["amount_paid"]]

    return {
        "bank": (
            [_("Rank"), _("Bank code"), _("Bank"), _("Introduced"), _("Paid"), _("Paid share"),
             _("Amount introduced (rials)"), _("Amount paid (rials)"), _("Days to decision (median)"),
             _("Days to disbursement (median)")],
            ([r["rank"], r["code"], name_in(r["bank"], lang), r["introduced"], r["paid"], r["paid_rate"],
              r["amount_introduced"], r["amount_paid"], r["median_days"]["introduced_to_decision"],
              r["median_days"]["decision_to_disbursement"]] for r in data["by_bank"]),
        ),
        "province": (
            [_("Province code"), _("Province"), *flow, _("Introduced share"), _("Paid share"),
             _("Amount requested (rials)")],
            ([r["code"], name_in(r["province"], lang), *counts(r), r["introduced_rate"], r["paid_rate"],
              r["amount_requested"]] for r in data["by_province"]),
        ),
        "sector": ([_("Sector group"), *flow], ([str(r["label"]), *counts(r)] for r in data["by_sector"])),
        "month": (
            [_("Month"), *flow], ([month_cell(data["year"], r["month"]), *counts(r)] for r in data["by_month"])
        ),
    }  # fmt: skip


def credit_lines_table(rows: list[dict]):
    """The year's credit lines, each bank's national line and its provincial ones, as the page lists them."""
    lang = rules.language()
    header = [_("Bank code"), _("Bank"), _("Province code"), _("Province"), _("Amount (rials)"), _("Used (rials)"),
              _("Remaining (rials)"), _("Share used")]  # fmt: skip
    table = ([r["bank"].code, name_in(r["bank"], lang), r["province"].code if r["province"] else "",
              name_in(r["province"], lang), r["amount"], r["used"], r["remaining"], r["share_used"]] for r in rows)  # fmt: skip
    return header, table


def lending_tables(data: dict, by_bank: list[dict], year: int) -> dict:
    """The industry's share of lending: by month (months with figures) and by bank."""
    lang = rules.language()
    amounts = [_("All facilities (rials)"), _("Industry and mining (rials)"), _("Share")]
    return {
        "month": ([_("Month"), *amounts], ([month_cell(year, r["month"]), r["total"], r["industry_mining"], r["share"]]
                                           for r in data["by_month"] if r["total"] is not None)),
        "bank": ([_("Bank code"), _("Bank"), *amounts], ([r["bank"].code, name_in(r["bank"], lang), r["total"],
                                                          r["industry_mining"], r["share"]] for r in by_bank)),
    }  # fmt: skip
