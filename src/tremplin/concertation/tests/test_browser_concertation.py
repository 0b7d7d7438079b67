"""Committee pages in a real Chromium: axe-core on the forms with errors in French and in
English (every page is audited by the crawl, core/tests/test_crawl_axe.py), the phone layout
at 360 px, no CSP violation, and the print button."""

from django.urls import reverse
from playwright.sync_api import expect

from tremplin.testing.browser import (
    assert_fits,
    assert_no_csp_errors,
    audit_reports,
    csp_errors,
    submit,
    submit_with_errors,
    switch_language,
    visit,
)


def _invalid_meeting(page, committee):
    submit_with_errors(
        page,
        reverse("concertation:meeting-create", args=[committee.public_id]),
        {"#id_date": "2020-01-01", "#id_start_time": "14:00", "#id_end_time": "13:00"},
    )
    expect(page.locator("main")).to_contain_text("avant la création du comité")


def _invalid_membership(page, committee):
    submit_with_errors(
        page,
        reverse("concertation:membership-create", args=[committee.public_id]),
        {
            "#id_person_name": "Rita Rebours",
            "#id_organization_kind_4": True,  # tenant
            "#id_start_date": "2024-05-01",
            "#id_end_date": "2024-04-30",
        },
    )


def _invalid_action(page, meeting):
    submit_with_errors(
        page,
        reverse("concertation:action-create", args=[meeting.public_id]),
        {
            "#id_description": "Réserver la salle",
            "#id_owner_name": "Coordination",
            "#id_due_date": "2020-01-01",
        },
    )


def _with_errors(page, cz, held, english=False):
    visits = [("suivi, erreurs", lambda: _invalid_action(page, held))]
    if not english:  # the meeting's check reads the French message
        visits += [
            ("membre, erreurs", lambda: _invalid_membership(page, cz["ele"])),
            ("rencontre, erreurs", lambda: _invalid_meeting(page, cz["ele"])),
        ]
    return visits


def test_it_has_no_serious_accessibility_violation_in_french_and_english(
    logged_in_page, axe_audit, cz, held, personas
):
    # Every page is audited by the crawl (core/tests/test_crawl_axe.py); here, the forms
    # after a submission with errors, which no link leads to.
    page = logged_in_page(personas["organizer_a"])
    reports = audit_reports(page, axe_audit, _with_errors(page, cz, held))
    visit(page, reverse("concertation:committee-list"))
    switch_language(page, "en")
    reports += audit_reports(page, axe_audit, _with_errors(page, cz, held, english=True))
    assert not reports, "\n\n".join(reports)
    assert_no_csp_errors(page)


def test_it_records_attendance_and_closes_an_item_on_a_phone(
    phone_page, logged_in_page, cz, held, personas
):
    page = logged_in_page(personas["organizer_a"], page=phone_page)
    visit(page, reverse("concertation:meeting-attendance", args=[held.public_id]))
    page.check(f"#id_m-{cz['organizer'].public_id}_1")  # present (0 = not recorded)
    submit(page)
    expect(page.locator("main")).to_contain_text("Présent·es : 3 · excusé·es : 0 · absent·es : 0")
    # Close A2 from the committee page with its "Réalisé" button.
    visit(page, reverse("concertation:committee-detail", args=[cz["ele"].public_id]))
    with page.expect_navigation():
        page.get_by_role("button", name="Réalisé : Rencontrer le centre d'action bénévole").click()
    expect(page.locator(".messages")).to_contain_text("Suivi réalisé")
    expect(page.locator("main")).to_contain_text("1 action à faire, toutes rencontres confondues")


def test_it_shows_a_print_button_on_the_printable_minutes(page, logged_in_page, held, personas):
    page = logged_in_page(personas["organizer_a"], page=page)
    visit(page, reverse("concertation:meeting-minutes", args=[held.public_id]))
    button = page.locator("[data-print]")
    expect(button).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(button).to_be_hidden()
    expect(page.locator(".meeting-document")).to_contain_text("Lancer l'enquête en octobre.")
    assert not csp_errors(page)


def test_it_cancels_a_meeting_on_a_phone_and_lists_the_committees_events(
    phone_page, logged_in_page, axe_audit, cz, world, personas
):
    import datetime as dt

    from django.utils import timezone

    from tremplin.events import services as event_services
    from tremplin.events.models import Event, EventStop

    start = timezone.now() + dt.timedelta(days=12)
    event_services.event_save(
        user=None,
        event=Event(title="Fête de l'ÉLÉ", kind="celebration", committee=cz["ele"]),
        stops=[
            EventStop(
                municipality=world["levis"],
                starts_at=start,
                ends_at=start + dt.timedelta(hours=2),
                place="Parc",
            )
        ],
    )
    page = logged_in_page(personas["organizer_a"], page=phone_page)
    reports = []

    def audit(label):
        assert_fits(page, label)
        reports.extend(audit_reports(page, axe_audit, [(label, lambda: None)]))

    visit(page, reverse("concertation:meeting-cancel", args=[cz["m4"].public_id]))
    audit("annuler la rencontre")
    submit(page)  # no reason
    expect(page.locator(".errorlist").first).to_contain_text("Indiquez le motif")
    audit("annuler, erreurs")
    page.fill("#id_cancellation_reason", "Salle inondée.")
    submit(page)
    expect(page.locator(".notice").first).to_contain_text("Rencontre annulée")
    audit("rencontre annulée")
    visit(page, reverse("concertation:committee-detail", args=[cz["ele"].public_id]))
    expect(page.locator("main")).to_contain_text("Motif : Salle inondée.")
    expect(page.get_by_role("link", name="Fête de l'ÉLÉ")).to_be_visible()
    audit("comité, rencontre annulée et événements")
    assert not reports, "\n\n".join(reports)
    assert not csp_errors(page)
