"""The demo's public site and newsletter: loaded twice without duplicates, consistent, flagged."""

from collections import Counter

import pytest
from django.urls import reverse

from tremplin.demo.loader import load_demo
from tremplin.demo.newsletter_loader import CREATED_KEYS, load_newsletter
from tremplin.newsletter.models import (
    Delivery,
    Edition,
    EditionStatus,
    Section,
    SitePage,
    Story,
    StoryStatus,
    Subscriber,
    SubscriberStatus,
)

pytestmark = pytest.mark.django_db


def _counts():
    return {
        "pages": SitePage.objects.count(),
        "stories": Story.objects.count(),
        "editions": Edition.objects.count(),
        "sections": Section.objects.count(),
        "subscribers": Subscriber.objects.count(),
        "deliveries": Delivery.objects.count(),
    }


def test_it_loads_the_demo_newsletter_twice_without_duplicating_anything(client):
    # The demo loader loads the newsletter's data with everything else.
    first = load_demo("demo-de-test-2026")["newsletter"]
    counts = _counts()
    second_created = Counter()
    second = load_newsletter(second_created)

    assert _counts() == counts and first == second
    assert {second_created[key] for key in CREATED_KEYS} == {0}
    assert Story.objects.count() == first["stories"]
    assert first == {
        "site_pages": 4,
        "stories": 5,
        "published_stories": 4,
        "editions": 4,
        "sent_editions": 3,
        "subscribers": 6,
        "confirmed_subscribers": 4,
    }
    # The three labs have a published story each.
    labs = Story.objects.filter(project__kind="lab", status=StoryStatus.PUBLISHED)
    assert sorted(labs.values_list("project__title", flat=True)) == [
        "Espace Lafleur",
        "Lab-Emploi",
        "Projet CLIC",
    ]
    # Every sent edition went to the people subscribed at the time, and only to them.
    for edition in Edition.objects.filter(status=EditionStatus.SENT):
        expected = {
            s.pk
            for s in Subscriber.objects.exclude(confirmed_at=None)
            if s.confirmed_at <= edition.sent_at
            and (s.unsubscribed_at is None or s.unsubscribed_at > edition.sent_at)
        }
        assert set(edition.deliveries.values_list("subscriber_id", flat=True)) == expected
    pending = Subscriber.objects.get(status=SubscriberStatus.PENDING)
    assert not pending.deliveries.exists()
    assert all(s.email.endswith("@example.org") for s in Subscriber.objects.all())

    # On screen: fictitious editions are flagged, the draft is not public.
    archive = client.get(reverse("newsletter:archive")).content.decode()
    assert archive.count("demo-flag") == 3
    draft = Edition.objects.get(status=EditionStatus.DRAFT)
    assert client.get(reverse("newsletter:edition-public", args=[draft.number])).status_code == 404
    story = client.get(reverse("newsletter:labs")).content.decode()
    assert "Espace Lafleur" in story and "fictif" in story
