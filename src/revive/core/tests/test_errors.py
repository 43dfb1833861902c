"""Messages for people: numbers inside a message follow the reader's language."""

from decimal import Decimal

from django.utils import translation

from revive.core.errors import lazy_message


def test_numbers_in_a_persian_message_are_persian_digits_and_text_stays_as_typed():
    message = lazy_message(
        "%(n)s / %(total)s / %(rate)s / %(value)s",
        n=1405,
        total=2_500_000,
        rate=Decimal("12.5"),
        value="P-20-001",
    )
    with translation.override("fa"):
        assert str(message) == "۱۴۰۵ / ۲٬۵۰۰٬۰۰۰ / ۱۲٫۵ / P-20-001"
    with translation.override("en"):
        assert str(message) == "1405 / 2,500,000 / 12.5 / P-20-001"
