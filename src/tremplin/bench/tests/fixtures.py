"""Fixtures the bench's test modules make for themselves."""

import pytest

from tremplin.bench.synthetic.province import generate_province


def tiny_data(suite):
    """A ``tiny`` fixture for ``suite``'s tests: the tiny province and the suite's own data
    (its generation summary)."""

    @pytest.fixture
    def tiny(db):
        generate_province("tiny")
        return suite.generate("tiny", 12)

    return tiny
