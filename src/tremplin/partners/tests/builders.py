"""Funding data for the tests of any app: agreements and commitments, saved as the pages do."""

import datetime as dt

from tremplin.partners.models import Agreement, Commitment
from tremplin.partners.services import commitment_save


def make_agreement(
    slug,
    signatories=(),
    *,
    title="Entente de test",
    short_title="Test",
    start=dt.date(2008, 4, 1),
    end=dt.date(2011, 3, 31),
    **fields,
):
    """An agreement (2008-04-01 to 2011-03-31 unless told otherwise) signed by ``signatories``."""
    agreement = Agreement.objects.create(
        slug=slug, title=title, short_title=short_title, start_date=start, end_date=end, **fields
    )
    agreement.signatories.set(signatories)
    return agreement


def make_commitment(agreement, partner, purpose, kind, amount, **fields):
    """A commitment of ``partner`` in ``agreement`` of ``amount`` (None: not quantified)."""
    return commitment_save(
        user=None,
        commitment=Commitment(
            agreement=agreement,
            partner=partner,
            purpose=purpose,
            kind=kind,
            initial_amount=amount,
            **fields,
        ),
    )
