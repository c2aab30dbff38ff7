from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from climate.parsing import parse_decimal


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.234,5", Decimal("1234.5")),
        ("1234,5", Decimal("1234.5")),
        ("1234.5", Decimal("1234.5")),
        ("1.234", Decimal("1234")),
        ("1.234.567", Decimal("1234567")),
        ("1,234.5", Decimal("1234.5")),
        (" 12 000 ", Decimal("12000")),
        ("0", Decimal("0")),
        ("1000000000000", Decimal(10**12)),
        ("", None),
        (None, None),
    ],
)
def test_german_and_plain_numbers(text, value):
    assert parse_decimal(text) == value


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("-5", "negative"),
        ("-1.234,5", "negative"),
        ("1000000000000,01", "too_large"),
        ("1e15", "invalid"),
        ("zwölf", "invalid"),
        ("1,2,3", "invalid"),
        ("NaN", "invalid"),
        ("Infinity", "invalid"),
        ("12..5", "invalid"),
    ],
)
def test_bad_numbers_get_a_message(text, code):
    with pytest.raises(ValidationError) as info:
        parse_decimal(text)
    assert info.value.code == code
    assert str(info.value.messages[0])
