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

from django.utils import timezone

from tremplin.newsletter.models import (
    ConsentMethod,
    Delivery,
    DeliveryStatus,
    Edition,
    EditionStatus,
    Season,
    Section,
    SectionKind,
    SitePage,
    SitePageSlug,
    Story,
    StoryStatus,
    Subscriber,
    SubscriberStatus,
)
from tremplin.newsletter.sanitize import clean_html
from tremplin.projects.models import Project

from .projects_loader import demo_today

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

PAGES = {
    SitePageSlug.HOME: {
        "title": "Le logement social, un tremplin pour ses locataires",
        "title_en": "Social housing, a springboard for its tenants",
        "body": (
            "Depuis 2008, la région de Chaudière-Appalaches se mobilise pour transformer les "
            "logements sociaux et communautaires en tremplin d'opportunités de toutes sortes pour "
            "leurs locataires : accès aux services, implication sociale, vivre-ensemble "
            "harmonieux, accompagnement personnalisé des locataires qui vivent des difficultés."
        ),
        "body_en": (
            "Since 2008, the Chaudière-Appalaches region has worked to turn social and community "
            "housing into a springboard of opportunities for its tenants: access to services, "
            "social involvement, living well together, and personal support for tenants facing "
            "difficulties."
        ),
    },
    SitePageSlug.ABOUT: {
        "title": "Le soutien communautaire en logement social et communautaire",
        "title_en": "Community support in social and community housing",
        "body": (
            "La Direction de santé publique du CISSS de Chaudière-Appalaches anime et collabore "
            "avec une quinzaine de réseaux de partenaires, incluant les locataires, pour réduire "
            "les inégalités sociales de santé. Ensemble, ils forment le Comité des partenaires "
            "régionaux du soutien communautaire en logement social et communautaire (SCLSC).\n\n"
            "Les deux clés de notre succès : la réciprocité et les liens de confiance entre les "
            "partenaires, et le dialogue avec les locataires, experts de vécu engagés pour "
            "améliorer leur milieu et leur qualité de vie.\n\n"
            "Nous agissons sur plusieurs déterminants sociaux de la santé : éducation, "
            "préemployabilité, sécurité alimentaire, inclusion sociale et accès aux services.\n\n"
            "Entre 2008 et 2016, deux ententes spécifiques ont soutenu des dizaines de projets "
            "réalisés par et pour les locataires et six rassemblements régionaux. Depuis 2021, "
            "trois laboratoires d'innovation ont été mis sur pied, et depuis 2023, sept Équipes "
            "locales élargies (ÉLÉ). Nous collaborons avec l'Université de Sherbrooke, "
            "l'Université Laval et l'UQAR (Campus de Lévis)."
        ),
        "body_en": (
            "The public health directorate of the CISSS de Chaudière-Appalaches leads and works "
            "with some fifteen partner networks, tenants included, to reduce social inequalities "
            "in health. Together they form the regional partners' committee for community "
            "support in social and community housing.\n\n"
            "Our two keys to success: reciprocity and trust among partners, and dialogue with "
            "tenants, who are experts by experience committed to improving their community.\n\n"
            "We act on several social determinants of health: education, pre-employability, food "
            "security, social inclusion and access to services.\n\n"
            "Between 2008 and 2016, two specific agreements supported dozens of projects by and "
            "for tenants and six regional gatherings. Since 2021, three innovation labs have been "
            "set up, and since 2023, seven extended local teams. We work with Université de "
            "Sherbrooke, Université Laval and UQAR (Lévis campus)."
        ),
    },
    SitePageSlug.LABS: {
        "title": "Les laboratoires d'innovation",
        "title_en": "The innovation labs",
        "body": (
            "Depuis 2021, en plus de soutenir des projets locaux par et pour les locataires, "
            "trois laboratoires d'innovation ont été mis sur pied : Espace Lafleur, le Lab-Emploi "
            "et le Projet CLIC. Leurs histoires ci-dessous sont fictives (démonstration)."
        ),
        "body_en": (
            "Since 2021, besides supporting local projects by and for tenants, three innovation "
            "labs have been set up: Espace Lafleur, Lab-Emploi and Projet CLIC. Their stories "
            "below are fictitious (demonstration)."
        ),
    },
    SitePageSlug.SENDER: {
        "title": "Expéditeur de l'infolettre",
        "title_en": "Newsletter sender",
        "body": (
            "Comité des partenaires régionaux du SCLSC de Chaudière-Appalaches, a/s Direction de "
            "santé publique du CISSS de Chaudière-Appalaches. Adresse postale fictive "
            "(démonstration) : 100, rue de l'Exemple, Lévis (Québec)  G6V 0A0."
        ),
        "body_en": (
            "Regional partners' committee for community support in social and community housing, "
            "Chaudière-Appalaches, c/o the public health directorate of the CISSS de "
            "Chaudière-Appalaches. Fictitious postal address (demonstration): 100, rue de "
            "l'Exemple, Lévis, Quebec  G6V 0A0."
        ),
    },
}

# (project title, story title, English title, text, English text, published)
STORIES = [
    (
        "Espace Lafleur",
        "Espace Lafleur : un milieu de vie qui appartient aux locataires",
        "Espace Lafleur: a community space run by its tenants",
        "Au rez-de-chaussée d'une habitation de Lévis, un ancien local d'entreposage est devenu "
        "un milieu de vie : repas partagés, jardin de balcons, coin lecture. Un comité de "
        "locataires décide de la programmation chaque mois, avec l'appui de l'organisatrice "
        "communautaire.\n\nCe qui a changé ? Des voisins qui ne se parlaient pas se donnent "
        "maintenant rendez-vous le jeudi.",
        "On the ground floor of a building in Lévis, a former storage room became a shared "
        "space: shared meals, balcony gardens, a reading corner. A tenants' committee decides "
        "the programme every month, supported by the community organizer.",
        True,
    ),
    (
        "Lab-Emploi",
        "Lab-Emploi : un premier pas vers l'emploi, près de chez soi",
        "Lab-Emploi: a first step towards work, close to home",
        "Le Lab-Emploi amène les conseillers en emploi dans les habitations plutôt que "
        "l'inverse. Ateliers de curriculum vitæ, simulations d'entrevue, visites d'entreprises : "
        "les jeunes locataires de trois territoires y ont pris part.",
        "Lab-Emploi brings employment counsellors to the buildings instead of the other way "
        "round: résumé workshops, mock interviews and company visits for young tenants in three "
        "territories.",
        True,
    ),
    (
        "Projet CLIC",
        "Projet CLIC : le numérique à portée de main",
        "Projet CLIC: digital skills within reach",
        "Prendre un rendez-vous médical en ligne, remplir un formulaire, appeler ses petits-"
        "enfants en vidéo : le Projet CLIC offre un accompagnement au numérique dans les salles "
        "communautaires, avec des locataires bénévoles formés comme « passeurs ».",
        "Booking a medical appointment online, filling in a form, video-calling the "
        "grandchildren: Projet CLIC offers digital support in common rooms, with trained tenant "
        "volunteers.",
        True,
    ),
    (
        "Jardin communautaire des Habitations du Village",
        "Un jardin qui nourrit le voisinage",
        "A garden that feeds the neighbourhood",
        "Douze bacs, une saison, et des récoltes partagées entre les locataires et le comptoir "
        "alimentaire du quartier. Le jardin a aussi fait naître l'association de locataires.",
        "",
        True,
    ),
    (
        "Cuisines collectives",
        "Cuisiner ensemble, économiser ensemble",
        "",
        "Une fois par mois, des familles cuisinent ensemble des repas pour la semaine. "
        "Brouillon : cette histoire attend encore la relecture de l'organisatrice.",
        "",
        False,
    ),
]

# number: (season, year, title, English title, days before the demo's today it went out)
EDITIONS = [
    (1, Season.SPRING, 2026, "Les laboratoires prennent racine", "The labs take root", 220),
    (2, Season.SUMMER, 2026, "Un été au jardin", "A summer in the garden", 130),
    (3, Season.FALL, 2026, "Le numérique, à portée de main", "Digital skills within reach", 40),
    (4, Season.WINTER, 2027, "Bilan de l'année et rassemblement régional", "", None),
]

# address, language, status, method, source
SUBSCRIBERS = [
    ("locataire.lafleur@example.org", "fr", SubscriberStatus.CONFIRMED, ConsentMethod.WEB_FORM, ""),
    ("comite.clic@example.org", "fr", SubscriberStatus.CONFIRMED, ConsentMethod.WEB_FORM, ""),
    (
        "partenaire.emploi@example.org",
        "en",
        SubscriberStatus.CONFIRMED,
        ConsentMethod.IMPORT,
        "Fiche d'inscription papier, rassemblement régional (fictif)",
    ),
    (
        "omh.exemple@example.org",
        "fr",
        SubscriberStatus.CONFIRMED,
        ConsentMethod.IMPORT,
        "Fiche d'inscription papier, rassemblement régional (fictif)",
    ),
    ("en.attente@example.org", "fr", SubscriberStatus.PENDING, ConsentMethod.WEB_FORM, ""),
    ("ancien.abonne@example.org", "fr", SubscriberStatus.UNSUBSCRIBED, ConsentMethod.WEB_FORM, ""),
]
WEB_SOURCE = "Formulaire d'abonnement du site web"


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _load_pages(created: Counter) -> None:
    for slug, spec in PAGES.items():
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
    titles = [s[0] for s in STORIES]
    projects = {p.title: p for p in Project.objects.filter(is_demo=True, title__in=titles)}
    stories = {}
    for index, (project_title, title, title_en, body, body_en, published) in enumerate(STORIES):
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
        story = Story.objects.filter(project=project).first()
        if story is None:
            story = Story.objects.create(project=project, **values)
            created["stories"] += 1
        elif story.is_demo:
            for field, value in values.items():
                setattr(story, field, value)
            story.save()
        stories[project_title] = story
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
    for number, season, year, title, title_en, days_ago in EDITIONS:
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
    for index, (email, language, status, method, source) in enumerate(SUBSCRIBERS):
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
