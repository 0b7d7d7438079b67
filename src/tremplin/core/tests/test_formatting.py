import datetime as dt
from decimal import Decimal

from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from tremplin.core.formatting import date_iso, date_long, money, number
from tremplin.core.text import fold


def test_it_formats_money_the_quebec_way():
    with translation.override("fr"):
        assert money(255000) == "255\u202f000\u00a0$"
        assert money(Decimal("896500")) == "896\u202f500\u00a0$"
        assert money(1000) == "1\u202f000\u00a0$"
        assert money(-59000) == "-59\u202f000\u00a0$"
        assert money(Decimal("27262.50"), 2) == "27\u202f262,50\u00a0$"
    with translation.override("en"):
        assert money(255000) == "$255,000"


def test_it_formats_dates_in_both_languages():
    day = dt.date(2009, 6, 6)
    assert date_iso(day) == "2009-06-06"
    with translation.override("fr"):
        assert date_long(day) == "6 juin 2009"
        assert date_long(dt.date(2008, 10, 1)) == "1er octobre 2008"
    with translation.override("en"):
        assert date_long(day) == "June 6, 2009"


@given(st.integers(min_value=0, max_value=10**12))
def test_it_groups_digits_without_changing_the_number(value):
    with translation.override("fr"):
        assert int(number(value).replace("\u202f", "")) == value


def test_it_folds_accents_case_and_spaces():
    assert fold("  Lévis ") == "levis"
    assert fold("SAINT-ÉPHREM-DE-BEAUCE") == "saint-ephrem-de-beauce"
    assert fold("Cœur  du\tVillage") == "coeur du village"
    assert fold(None) == ""
