"""core/importing.py: the registry of import kinds and the column a kind declares."""

import pytest
from django.utils import translation

from revive.core import importing
from revive.core.errors import DomainError
from revive.core.importing import Column, Kind


def test_each_app_registers_its_own_kinds_in_its_ready():
    from revive.filings import importers as filings
    from revive.finance import importers as finance
    from revive.indicators import importers as indicators
    from revive.registry import importers as registry

    declared = [k for module in (registry, filings, finance, indicators) for k in module.KINDS]
    assert sorted(importing.kinds().values(), key=lambda k: k.name) == sorted(declared, key=lambda k: k.name)
    assert all(importing.kind(k.name) is k for k in declared)


def test_an_unknown_kind_is_a_message_not_a_key_error():
    with translation.override("en"), pytest.raises(DomainError) as refused:
        importing.kind("bananas")
    assert refused.value.details["field"] == "kind" and "bananas" in str(refused.value.message)


def test_a_second_kind_with_a_taken_name_is_refused_and_the_first_kept():
    first = importing.kind("parks")

    class Impostor(Kind):
        name = "parks"

    with pytest.raises(ValueError, match="two import kinds are named 'parks'"):
        importing.register(Impostor)
    assert importing.kind("parks") is first
    importing.register(first)  # registering the same class again changes nothing
    assert importing.kind("parks") is first


def test_the_registry_is_read_only_from_outside():
    with pytest.raises(TypeError):
        importing.kinds()["bananas"] = Kind  # type: ignore[index]


def test_a_column_is_found_by_key_by_either_header_and_by_its_aliases():
    from revive.core.text import search_key

    plain = Column("total", "کل تسهیلات (ریال)", "All facilities (rials)")
    aliased = Column("total", "کل تسهیلات (ریال)", "All facilities (rials)", aliases=("کل",))
    for header in ("total", "ALL FACILITIES (RIALS)", "كل تسهيلات (ريال)"):  # case and Arabic letters aside
        assert search_key(header) in plain.names() and search_key(header) in aliased.names()
    assert search_key("کل") in aliased.names() and search_key("کل") not in plain.names()
