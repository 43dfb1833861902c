"""core/rules.py: the year of a request, and the API's text pattern for it, agree exactly."""

import re

import pytest

from revive.core import bounds, rules
from revive.core.digits import range_pattern, to_persian_digits
from revive.core.errors import DomainError


@pytest.mark.parametrize(
    "low,high,width", [(1390, 1406, 4), (1, 12, 2), (0, 9999, 4), (123, 4567, 4), (5, 5, 2)]
)
def test_range_pattern_matches_exactly_the_range_in_every_script(low, high, width):
    pattern = re.compile(range_pattern(low, high, width))
    arabic = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
    for n in range(10**width):
        text = f"{n:0{width}d}"
        for written in (text, to_persian_digits(text), text.translate(arabic)):
            assert bool(pattern.fullmatch(written)) == (low <= n <= high), written


@pytest.mark.parametrize("raw", ["²", "१४०५", "１４０５", "1405.0", "-1405", "14o5"])
def test_a_year_in_other_digits_or_shapes_is_a_clear_refusal(raw):
    # "²".isdigit() is true and int("²") raised ValueError: a 500 on every page with ?year=
    with pytest.raises(DomainError) as caught:
        rules.year(raw)
    assert caught.value.details == {"field": "year"}


def test_the_api_year_pattern_admits_exactly_the_years_the_rule_accepts():
    pattern = re.compile(rules.year_text_schema()["pattern"])
    for n in range(1000, 10000):
        for written in (str(n), to_persian_digits(str(n))):
            try:
                accepted = rules.year(written) == n
            except DomainError:
                accepted = False
            assert bool(pattern.search(written)) == accepted, written
    assert rules.year("۱۴۰۵") == 1405 and bounds.FIRST_YEAR == 1390


def test_a_superscript_page_or_version_is_not_a_number():
    """`int(x) if x.isdigit()` answered 500: "²".isdigit() is true and int("²") fails (?page=² on every
    paged page); the rules read such text as no number."""
    from django.test import RequestFactory

    from revive.core.errors import ConflictError

    page = rules.paginate(RequestFactory().get("/units/", {"page": "²"}), list(range(30)), 10)
    assert page.number == 1
    with pytest.raises(ConflictError):
        rules.require_version("²")


def test_a_business_id_is_twelve_ascii_persian_or_arabic_digits():
    from revive.registry.services import clean_business_id

    assert clean_business_id("۲۰۰۰-۰۰۰۰-۰۰۱۱") == "200000000011"
    with pytest.raises(DomainError):
        clean_business_id("²" * 12)
