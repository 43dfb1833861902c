"""An independent check of a year plan (a month-by-month schedule), written from the rules of issue 19 alone.

It shares nothing with the engine but the plain data classes: it reads the schedule as the command prints
it ({"units": [{"unit_id", "month", "bank"}], "projects": [{"project_id", "start_month"}]}) and recomputes
every rule and the objective with exact integers.
"""

from __future__ import annotations


def check_schedule(instance, loan_by_month, infra_by_month, schedule, objective="job-months"):
    """Returns (violations, objective value)."""
    months = len(loan_by_month)
    units = {u.id: u for u in instance.units}
    projects = {p.id: p for p in instance.projects}
    b = instance.budgets
    errors: list[str] = []

    started: dict[str, int] = {}
    for row in schedule["projects"]:
        pid, s = row["project_id"], row["start_month"]
        if pid not in projects:
            errors.append(f"unknown project {pid}")
        elif pid in started:
            errors.append(f"project {pid} started twice")
        elif not (isinstance(s, int) and 1 <= s <= months):
            errors.append(f"project {pid} starts in month {s}, outside 1..{months}")
        else:
            started[pid] = s
    revived: dict[str, tuple[int, str | None]] = {}
    for row in schedule["units"]:
        uid, t = row["unit_id"], row["month"]
        if uid not in units:
            errors.append(f"unknown unit {uid}")
        elif uid in revived:
            errors.append(f"unit {uid} revived twice")
        elif not (isinstance(t, int) and 1 <= t <= months):
            errors.append(f"unit {uid} revived in month {t}, outside 1..{months}")
        else:
            revived[uid] = (t, row.get("bank"))

    # A project started in month s with duration d is done at the end of month s + d - 1 (d = 0: in month s).
    # A unit revived in month t needs each of its projects done at the end of t - 1, or d = 0 started by t.
    for uid, (t, _) in revived.items():
        for pid in units[uid].projects:
            if pid not in started:
                errors.append(f"unit {uid} (month {t}) needs project {pid}, never started")
                continue
            s, d = started[pid], projects[pid].duration_months
            ready = s if d == 0 else s + d - 1 + 1  # first month the unit may restart
            if t < ready:
                errors.append(
                    f"unit {uid} revived in month {t}, project {pid} is only ready in month {ready}"
                )

    # Money: what is spent by the end of each month never exceeds what was released by then.
    for name, released, spend in (
        (
            "loan",
            loan_by_month,
            lambda m: sum(units[u].loan_amount for u, (t, _) in revived.items() if t == m),
        ),
        (
            "infrastructure",
            infra_by_month,
            lambda m: sum(projects[p].cost for p, s in started.items() if s == m),
        ),
    ):
        total_released = total_spent = 0
        for m in range(1, months + 1):
            total_released += released[m - 1]
            total_spent += spend(m)
            if total_spent > total_released:
                errors.append(f"{name} money by month {m}: spent {total_spent} > released {total_released}")

    # The whole-horizon rows of budgets.json.
    loans = sum(units[u].loan_amount for u in revived)
    infra = sum(projects[p].cost for p in started)
    caps = [
        ("total", b.total, loans + infra),
        ("loan_total", b.loan_total, loans),
        ("infra_total", b.infra_total, infra),
    ]
    for prov, cap in b.infra_by_province.items():
        caps.append(
            (f"infra {prov}", cap, sum(projects[p].cost for p in started if projects[p].province == prov))
        )
    bank_rows = set(b.bank_credit) or {bank for bank, _ in b.bank_province_quota}
    by_bank: dict[str, int] = {}
    by_pair: dict[tuple[str, str], int] = {}
    for uid, (_, bank) in revived.items():
        u = units[uid]
        if u.loan_amount == 0 or not bank_rows:
            continue
        if bank not in bank_rows or (u.banks and bank not in u.banks):
            errors.append(f"unit {uid} borrows from {bank}, not one of its eligible banks")
            continue
        by_bank[bank] = by_bank.get(bank, 0) + u.loan_amount
        key = (bank, u.province or "")
        by_pair[key] = by_pair.get(key, 0) + u.loan_amount
    caps += [(f"bank {k}", cap, by_bank.get(k, 0)) for k, cap in b.bank_credit.items()]
    caps += [(f"bank {k}", cap, by_pair.get(k, 0)) for k, cap in b.bank_province_quota.items()]
    for name, cap, used in caps:
        if cap is not None and used > cap:
            errors.append(f"{name}: {used} > {cap}")
    if b.min_share_by_province:
        total = sum(units[u].value for u in revived)
        for prov, share in b.min_share_by_province.items():
            got = sum(units[u].value for u in revived if units[u].province == prov)
            if got < share * total - 1e-9 * max(1.0, total):
                errors.append(f"province {prov} gets {got} of {total}, below {share}")

    if objective == "job-months":
        value = sum(units[u].value * (months - t + 1) for u, (t, _) in revived.items())
    elif objective == "units":
        value = float(len(revived))
    else:
        value = sum(units[u].value for u in revived)
    return errors, float(value)
