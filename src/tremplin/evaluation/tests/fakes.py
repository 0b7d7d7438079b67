"""Test indicators of the group « reach », put in the catalogue for one test (``install``),
and the areas of the shared ``world`` to compute indicators for (``areas``)."""

from tremplin.evaluation import catalogue, engine
from tremplin.evaluation.catalogue import Indicator
from tremplin.evaluation.periods import Area


def areas(world) -> dict[str, Area]:
    """The whole program, region 12 and its territories A and B, the other region and its
    territory."""
    return {
        "all": Area(),
        "region": Area("region", world["region"].pk),
        "ta": Area("territory", world["ta"].pk),
        "tb": Area("territory", world["tb"].pk),
        "other_region": Area("region", world["t_other"].region_id),
        "other": Area("territory", world["t_other"].pk),
    }


def fake_indicator(
    id, label, *, value=None, definition="Pour l'essai.", unit=catalogue.COUNT, **fields
) -> Indicator:
    """An indicator of the group « reach » (source « Aucune »). ``value``: that one number for
    the whole program in every period; otherwise ``rows=`` or ``ratio_of=`` as for any other."""
    if value is not None:
        fields["rows"] = lambda period, breakdown: [(None, None, "", None, value)]
    return Indicator(
        id=id,
        group="reach",
        label=label,
        definition=definition,
        unit=unit,
        source="Aucune",
        **fields,
    )


def install(monkeypatch, *indicators):
    """Put ``indicators`` in the catalogue for this test; the group's values are computed afresh.
    Returns the indicator (one given) or the tuple."""
    for indicator in indicators:
        monkeypatch.setitem(catalogue.INDICATORS, indicator.id, indicator)
    engine.mark_changed("reach")
    return indicators[0] if len(indicators) == 1 else indicators
