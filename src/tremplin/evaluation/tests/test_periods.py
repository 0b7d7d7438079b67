import datetime as dt

import pytest

from tremplin.evaluation.periods import Area, Period


def test_it_names_fiscal_and_calendar_years():
    fy = Period.fiscal(2008)
    assert (fy.start, fy.end, fy.key, fy.label) == (
        dt.date(2008, 4, 1),
        dt.date(2009, 3, 31),
        "fy2008",
        "2008-2009",
    )
    assert Period.calendar(2009).key == "cy2009"
    assert Period.from_key("fy2008") == fy
    assert Period.span(dt.date(2008, 4, 1), dt.date(2009, 3, 31)) == fy


def test_it_goes_back_a_year_or_a_span_of_the_same_length():
    assert Period.fiscal(2008).previous() == Period.fiscal(2007)
    custom = Period.span(dt.date(2009, 1, 11), dt.date(2009, 1, 20))
    before = custom.previous()
    assert (before.start, before.end) == (dt.date(2009, 1, 1), dt.date(2009, 1, 10))
    assert [p.key for p in Period.fiscal(2010).trail(3)] == ["fy2008", "fy2009", "fy2010"]


@pytest.mark.parametrize(
    "key",
    [
        "",
        "fy",
        "fy20x8",
        "2009-01-01",
        "2009-02-30..2009-03-01",
        "2009-03-01..2009-01-01",
        "yy2008",
    ],
)
def test_it_refuses_malformed_period_keys(key):
    with pytest.raises(ValueError):
        Period.from_key(key)


@pytest.mark.parametrize("key", ["", "region", "region:", "region:x", "county:3", "territory:-1"])
def test_it_refuses_malformed_area_keys(key):
    with pytest.raises(ValueError):
        Area.from_key(key)


def test_it_reads_area_keys():
    assert Area.from_key("all") == Area()
    assert Area.from_key("territory:12").key == "territory:12"
