"""The seed's figures, computed by the indicators from the demo data (loaded once for the
module). Moved here from the collective and mobilization modules, whose hand-built world would
share the database with the demo."""

from decimal import Decimal

from tremplin.evaluation import catalogue, engine
from tremplin.evaluation.periods import Area, Period

FY2008 = Period.fiscal(2008)


def value(indicator_id, period=FY2008):
    return engine.compute_one(catalogue.get(indicator_id), period, Area())


def test_it_reproduces_the_seed_figures_from_the_demo(db, demo_data):
    # The seed's figure (000, « Principales réalisations de l'An 1 », item 7): 28 OMH
    # accompanied in Year 1 (fiscal year 2008-2009).
    assert value("collective.providers_accompanied") == 28
    # The seed's funding table: 837 500 $ of initial investments in the 2008-2011 agreement.
    assert engine.compute_one(catalogue.get("funding.committed"), FY2008) == Decimal("837500")


def test_it_counts_the_ten_targeted_sites_of_the_year_one_survey_in_the_demo(db, demo_data):
    # Seed 000: « Démarrage de l'Enquête mobilisante dans 10 milieux ciblés » in Year 1.
    assert value("mobilization.sites") == 10
    assert value("mobilization.campaigns") == 1
