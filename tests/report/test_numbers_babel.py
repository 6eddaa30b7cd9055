"""Report numbers, percentages and dates agree with Babel's id_ID / en_GB locales (issue #15, item 8).

evalkit keeps its own ~100-line formatter (``evalkit._numbers``) instead of depending on
Babel: on this test set it prints what Babel prints, except three deliberate choices:

- a true minus sign (U+2212) instead of Babel's hyphen-minus;
- no sign on a value that rounds to zero (Babel: "-0,00");
- rounding of the stored binary value (2.675 is 2.67499… → "2,67"), where Babel first
  turns the float into its shortest decimal text and rounds that ("2,68").

The expected strings are literals from Babel 2.16.0 (``babel.numbers.format_decimal(x,
format="#,##0.0…", locale=...)``, ``format_percent(x, locale=...)``, ``babel.dates.format_date(d,
format="long", locale=...)``), run once by hand; the suite does not need Babel.
"""

from __future__ import annotations

import datetime

import pytest

from evalkit import _numbers as fmt

# (value, decimals, Babel id_ID, Babel en_GB)
NUMBERS = [
    (0, 1, "0,0", "0.0"),
    (0.04, 1, "0,0", "0.0"),
    (12.345, 1, "12,3", "12.3"),
    (1234.5, 1, "1.234,5", "1,234.5"),
    (1234567.891, 2, "1.234.567,89", "1,234,567.89"),
    (-0.45, 2, "-0,45", "-0.45"),
    (-1234.5, 1, "-1.234,5", "-1,234.5"),
    (48.882114, 1, "48,9", "48.9"),
    (3.28935, 2, "3,29", "3.29"),
    (0.0004, 3, "0,000", "0.000"),
    (1e6, 0, "1.000.000", "1,000,000"),
    (0.125, 2, "0,12", "0.12"),
    (2.5, 0, "2", "2"),
    (20.45, 1, "20,4", "20.4"),
]
PERCENTS = [(0.456, "46%"), (0.05, "5%"), (1.0, "100%"), (0.999, "100%"), (0.0, "0%")]  # same in both locales
DATES = [(datetime.date(2026, 12, 4), "4 Desember 2026", "4 December 2026"),
         (datetime.date(2027, 1, 1), "1 Januari 2027", "1 January 2027"),
         (datetime.date(2026, 5, 31), "31 Mei 2026", "31 May 2026"),
         (datetime.date(2026, 8, 17), "17 Agustus 2026", "17 August 2026")]


@pytest.mark.parametrize(("x", "digits", "babel_id", "babel_en"), NUMBERS)
def test_numbers_match_babel(x, digits, babel_id, babel_en):
    assert fmt.number(x, digits, lang="id") == babel_id.replace("-", fmt.MINUS)
    assert fmt.number(x, digits, lang="en") == babel_en.replace("-", fmt.MINUS)


@pytest.mark.parametrize(("share", "babel"), PERCENTS)
def test_percentages_match_babel(share, babel):
    assert fmt.percent(share, lang="id") == fmt.percent(share, lang="en") == babel


@pytest.mark.parametrize(("day", "babel_id", "babel_en"), DATES)
def test_long_dates_match_babel(day, babel_id, babel_en):
    assert fmt.date_long(day, lang="id") == babel_id and fmt.date_long(day, lang="en") == babel_en


def test_the_deliberate_differences():
    assert fmt.number(-0.004, 2, lang="id") == "0,00"  # Babel 2.16.0: "-0,00"
    assert fmt.number(2.675, 2, lang="id") == "2,67"  # Babel 2.16.0: "2,68" (from the text "2.675")
