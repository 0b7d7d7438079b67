"""Load the public site and newsletter of the demo: the site's pages (from seed 003), stories of
demo projects (the three innovation labs among them; one left as a draft), three sent editions
and a draft (fictitious, flagged), and a handful of fictitious subscribers at example.org.

``load_newsletter`` is idempotent: pages by slug, stories by project, editions by number,
sections by (edition, position), subscribers by address, deliveries by (edition, subscriber).
Records that already exist and are not demo records are never modified. Like the rest of the
demo loader it bypasses the audited services (loading the demo is not anyone's action).
"""

import datetime as dt
from collections import Counter
from functools import partial

from django.utils import timezone

from tremplin.newsletter.models import (
    ConsentMethod,
    Delivery,
    DeliveryStatus,
    Edition,
    EditionStatus,
    Section,
    SectionKind,
    SitePage,
    Story,
    StoryStatus,
    Subscriber,
    SubscriberStatus,
)
from tremplin.newsletter.sanitize import clean_html
from tremplin.projects.models import Project

from .data import read_json
from .projects_loader import demo_today
from .rows import demo_row

CREATED_KEYS = (
    "site_pages",
    "stories",
    "editions",
    "edition_sections",
    "subscribers",
    "deliveries",
)
DEMO_NOTE = "Histoire fictive de démonstration : les faits, lieux et personnes sont inventés."
DEMO_NOTE_EN = "Fictitious demonstration story: facts, places and people are invented."

# The records (``data/newsletter.json``): the site's pages by slug (texts from seed 003), the
# stories of demo projects (``published``: false leaves a draft), the editions (``days_ago``:
# days before the demo's today it went out; null: a draft) and the subscribers.
DATA = read_json("newsletter.json")
WEB_SOURCE = "Formulaire d'abonnement du site web"


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _load_pages(created: Counter) -> None:
    for slug, spec in DATA["pages"].items():
        values = {
            "title": spec["title"],
            "title_en": spec["title_en"],
            "body": clean_html(spec["body"]),
            "body_en": clean_html(spec["body_en"]),
            "is_demo": True,
        }
        page = SitePage.objects.filter(slug=slug).first()
        if page is None:
            SitePage.objects.create(slug=slug, **values)
            created["site_pages"] += 1
        elif page.is_demo:
            for field, value in values.items():
                setattr(page, field, value)
            page.save()


def _load_stories(today: dt.date, created: Counter) -> dict:
    titles = [s["project"] for s in DATA["stories"]]
    projects = {p.title: p for p in Project.objects.filter(is_demo=True, title__in=titles)}
    stories = {}
    for index, spec in enumerate(DATA["stories"]):
        project_title, title, title_en = spec["project"], spec["title"], spec["title_en"]
        body, body_en, published = spec["body"], spec["body_en"], spec["published"]
        project = projects.get(project_title)
        if project is None:
            continue
        values = {
            "title": title,
            "title_en": title_en,
            "body": clean_html(f"{body}\n\n{DEMO_NOTE}"),
            "body_en": clean_html(f"{body_en}\n\n{DEMO_NOTE_EN}") if body_en else "",
            "status": StoryStatus.PUBLISHED if published else StoryStatus.DRAFT,
            "published_at": _at(today - dt.timedelta(days=300 - 20 * index)) if published else None,
            "is_demo": True,
        }
        stories[project_title] = demo_row(
            Story.objects.filter(project=project).first(),
            partial(Story, project=project),
            values,
            created,
            "stories",
        )
    return stories


def _sections_for(number: int, stories: dict) -> list[dict]:
    lab = {
        1: "Espace Lafleur",
        2: "Jardin communautaire des Habitations du Village",
        3: "Projet CLIC",
    }
    sections = [
        {
            "kind": SectionKind.TEXT,
            "heading": "Mot de la coordination",
            "heading_en": "A word from the coordination",
            "body": clean_html(
                f"Bienvenue dans l'édition n° {number} de l'infolettre (édition fictive de "
                "démonstration). Vous y trouverez des nouvelles des projets par et pour les "
                "locataires de la région."
            ),
            "body_en": clean_html(
                f"Welcome to issue {number} of the newsletter (fictitious demonstration issue)."
            ),
        }
    ]
    story = stories.get(lab.get(number, ""))
    if story is not None and story.is_published:
        sections.append({"kind": SectionKind.STORY, "heading": "", "story": story})
    sections.append(
        {
            "kind": SectionKind.TEXT,
            "heading": "À l'agenda",
            "heading_en": "Coming up",
            "body": clean_html(
                "Les Équipes locales élargies se réunissent ce trimestre dans les sept "
                "territoires. Consultez les événements à venir sur le site."
            ),
            "body_en": clean_html("The extended local teams meet this quarter in all seven areas."),
        }
    )
    return sections


def _load_editions(today: dt.date, stories: dict, created: Counter) -> list[Edition]:
    editions = []
    for row in DATA["editions"]:
        number, season, year = row["number"], row["season"], row["year"]
        title, title_en, days_ago = row["title"], row["title_en"], row["days_ago"]
        sent = days_ago is not None
        sent_at = _at(today - dt.timedelta(days=days_ago)) if sent else None
        values = {
            "season": season,
            "year": year,
            "title": title,
            "title_en": title_en,
            "status": EditionStatus.SENT if sent else EditionStatus.DRAFT,
            "scheduled_at": sent_at,
            "sent_at": sent_at,
            "published_at": sent_at,
            "recipients_prepared": sent,
            "is_demo": True,
        }
        edition = Edition.objects.filter(number=number).first()
        if edition is None:
            clash = Edition.objects.filter(season=season, year=year).exists()
            if clash:
                continue  # a real edition holds this season: leave the demo one out
            edition = Edition.objects.create(number=number, **values)
            created["editions"] += 1
        elif not edition.is_demo:
            continue
        else:
            for field, value in values.items():
                setattr(edition, field, value)
            edition.save()
        for position, spec in enumerate(_sections_for(number, stories)):
            section = Section.objects.filter(edition=edition, position=position).first()
            if section is None:
                Section.objects.create(edition=edition, position=position, **spec)
                created["edition_sections"] += 1
            else:
                for field, value in spec.items():
                    setattr(section, field, value)
                section.save()
        Section.objects.filter(
            edition=edition, position__gte=len(_sections_for(number, stories))
        ).delete()
        editions.append(edition)
    return editions


def _load_subscribers(today: dt.date, created: Counter) -> list[Subscriber]:
    subscribers = []
    for index, spec in enumerate(DATA["subscribers"]):
        email, language, status = spec["email"], spec["language"], spec["status"]
        method, source = spec["consent_method"], spec["source"]
        asked = _at(today - dt.timedelta(days=400 - 30 * index))
        confirmed = status != SubscriberStatus.PENDING
        values = {
            "language": language,
            "status": status,
            "requested_at": asked if method == ConsentMethod.WEB_FORM else None,
            "consent_at": asked + dt.timedelta(hours=1) if confirmed else None,
            "confirmed_at": asked + dt.timedelta(hours=1) if confirmed else None,
            "unsubscribed_at": _at(today - dt.timedelta(days=60))
            if status == SubscriberStatus.UNSUBSCRIBED
            else None,
            "unsubscribe_method": "link" if status == SubscriberStatus.UNSUBSCRIBED else "",
            "consent_method": method,
            "consent_source": source or WEB_SOURCE,
            "is_demo": True,
        }
        subscriber = Subscriber.objects.filter(email=email).first()
        if subscriber is None:
            subscriber = Subscriber.objects.create(email=email, **values)
            created["subscribers"] += 1
        elif not subscriber.is_demo:
            continue
        else:
            for field, value in values.items():
                setattr(subscriber, field, value)
            subscriber.save()
        subscribers.append(subscriber)
    return subscribers


def _load_deliveries(editions: list[Edition], subscribers: list[Subscriber], created: Counter):
    """Sent editions went to the subscribers confirmed at the time (all but the pending one)."""
    receivers = [s for s in subscribers if s.confirmed_at is not None]
    existing = set(
        Delivery.objects.filter(edition__in=editions).values_list("edition_id", "subscriber_id")
    )
    new = []
    for edition in editions:
        if edition.status != EditionStatus.SENT:
            continue
        for subscriber in receivers:
            if subscriber.confirmed_at > edition.sent_at:
                continue
            if subscriber.unsubscribed_at and subscriber.unsubscribed_at < edition.sent_at:
                continue
            if (edition.pk, subscriber.pk) not in existing:
                new.append(
                    Delivery(
                        edition=edition,
                        subscriber=subscriber,
                        status=DeliveryStatus.SENT,
                        attempts=1,
                        sent_at=edition.sent_at,
                    )
                )
    Delivery.objects.bulk_create(new, ignore_conflicts=True)
    created["deliveries"] += len(new)


def load_newsletter(created: Counter | None = None) -> dict:
    """Create or reset the demo's public site and newsletter; returns a summary of counts.

    Call it inside a transaction, after the demo projects (stories present them)."""
    created = created if created is not None else Counter()
    today = demo_today()
    _load_pages(created)
    stories = _load_stories(today, created)
    editions = _load_editions(today, stories, created)
    subscribers = _load_subscribers(today, created)
    _load_deliveries(editions, subscribers, created)
    return {
        "site_pages": SitePage.objects.filter(is_demo=True).count(),
        "stories": Story.objects.filter(is_demo=True).count(),
        "published_stories": Story.objects.filter(
            is_demo=True, status=StoryStatus.PUBLISHED
        ).count(),
        "editions": Edition.objects.filter(is_demo=True).count(),
        "sent_editions": Edition.objects.filter(is_demo=True, status=EditionStatus.SENT).count(),
        "subscribers": Subscriber.objects.filter(is_demo=True).count(),
        "confirmed_subscribers": Subscriber.objects.filter(
            is_demo=True, status=SubscriberStatus.CONFIRMED
        ).count(),
    }
