"""The registry's hooks: band-change handlers (cases) and units-regrouping handlers (filings), explicit lists
that those apps fill when they are ready."""

from revive.cases.services import on_units_band_changed
from revive.registry import hooks


def test_cases_registers_its_band_change_handler_once():
    assert hooks.band_change_handlers().count(on_units_band_changed) == 1


def test_registering_again_keeps_one_entry_and_handlers_run_in_order(monkeypatch):
    monkeypatch.setattr(hooks, "_band_change_handlers", [])
    calls = []

    def first(*, changes, by):
        calls.append(("first", tuple(changes), by))

    def second(*, changes, by):
        calls.append(("second", tuple(changes), by))

    hooks.register_band_change_handler(first)
    hooks.register_band_change_handler(second)
    hooks.register_band_change_handler(first)
    assert hooks.band_change_handlers() == (first, second)
    hooks.run_band_change_handlers(changes=["c"], by="actor")
    assert calls == [("first", ("c",), "actor"), ("second", ("c",), "actor")]


def test_the_filings_app_registers_its_totals_for_units_regrouping():
    from revive.filings import totals

    assert hooks._units_regrouping_handlers.count(totals.units_regrouping) == 1


def test_units_regrouping_runs_each_handler_before_and_its_result_after(monkeypatch):
    monkeypatch.setattr(hooks, "_units_regrouping_handlers", [])
    calls = []

    def handler(unit_ids):
        calls.append(("before", tuple(unit_ids)))
        return lambda: calls.append(("after", tuple(unit_ids)))

    hooks.register_units_regrouping_handler(handler)
    hooks.register_units_regrouping_handler(handler)
    with hooks.units_regrouping(iter([3, 5])):
        calls.append(("change",))
    assert calls == [("before", (3, 5)), ("change",), ("after", (3, 5))]
    calls.clear()
    hooks.units_regrouped([7])
    assert calls == [("before", (7,)), ("after", (7,))]
