"""The fiscal year helper every app uses (April → March, named by its first year)."""

import datetime as dt

from tremplin.core.fiscal import (
    current_fiscal_year,
    fiscal_year_bounds,
    fiscal_year_label,
    fiscal_year_of,
)


def test_a_fiscal_year_runs_from_april_to_march():
    assert fiscal_year_of(dt.date(2009, 3, 31)) == 2008
    assert fiscal_year_of(dt.date(2009, 4, 1)) == 2009
    assert fiscal_year_bounds(2008) == (dt.date(2008, 4, 1), dt.date(2009, 3, 31))
    assert fiscal_year_label(2008) == "2008-2009"
    assert current_fiscal_year(dt.date(2026, 12, 7)) == 2026
    assert current_fiscal_year(dt.date(2027, 1, 5)) == 2026


def test_every_app_uses_the_one_helper():
    from tremplin.casework.privacy import stats
    from tremplin.evaluation import periods
    from tremplin.partners import models
    from tremplin.projects import filters, forms_community

    assert models.fiscal_year_of is stats.fiscal_year_of is forms_community.fiscal_year_of
    assert fiscal_year_of is models.fiscal_year_of
    assert filters.fiscal_year_bounds is models.fiscal_year_bounds is stats.fiscal_year_bounds
    assert filters.current_fiscal_year is periods.current_fiscal_year is current_fiscal_year
