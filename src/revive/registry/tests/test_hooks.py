"""The registry's band-change handlers: an explicit list that cases fills when it is ready."""

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
