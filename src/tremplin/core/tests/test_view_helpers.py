"""The helpers every app's views share: page numbers (core.keyset), the POST half of a form
page (core.form_pages.submitted) and the usual routes (core.routes.crud)."""

from types import SimpleNamespace

from django import forms
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from tremplin.core import keyset
from tremplin.core.form_pages import NOT_SAVED, submitted
from tremplin.core.routes import crud


def test_page_number_is_a_whole_number_from_one_at_most_the_last_page():
    assert keyset.page_number("3") == 3
    assert keyset.page_number("0") == 1
    assert keyset.page_number("-2") == 1
    assert keyset.page_number("abc") == 1
    assert keyset.page_number(None) == 1
    assert keyset.page_number("", default=2) == 2
    assert keyset.page_number("99", 4) == 4


def test_page_count_and_size():
    assert keyset.page_count(0, 25) == 1
    assert keyset.page_count(25, 25) == 1
    assert keyset.page_count(26, 25) == 2
    assert keyset.page_size("50", (25, 50, 100)) == 50
    assert keyset.page_size("30", (25, 50, 100)) == 25
    assert keyset.page_size(None, (25, 50, 100)) == 25


def test_offset_page_and_its_context():
    rows = list(range(1, 24))
    page = keyset.offset_page(rows, per_page=10, total=len(rows), params={"page": "3"})
    assert page.rows == [21, 22, 23]
    assert page.context() == {
        "rows": [21, 22, 23],
        "page": 3,
        "pages": 3,
        "first_index": 21,
        "last_index": 23,
    }
    # A page past the end is the last one; ``most`` caps the page asked for.
    assert keyset.offset_page(rows, per_page=10, total=23, params={"page": "9"}).number == 3
    capped = keyset.offset_page(rows, per_page=10, total=23, params={"page": "3"}, most=2)
    assert capped.number == 2 and capped.pages == 3
    empty = keyset.offset_page([], per_page=10, total=0, params={}).context()
    assert (empty["first_index"], empty["last_index"], empty["pages"]) == (0, 0, 1)


class _NameForm(forms.Form):
    name = forms.CharField()


def test_submitted_returns_what_the_service_returned_or_not_saved():
    factory = RequestFactory()
    refused = []

    def run(request, save):
        form = _NameForm(request.POST or None)
        return form, submitted(request, form, lambda: save(form), refused=refused.append)

    form, saved = run(factory.get("/"), lambda form: "never")
    assert saved is NOT_SAVED and not form.is_bound and refused == []

    form, saved = run(factory.post("/", {"name": "Lévis"}), lambda form: None)
    assert saved is None  # a service may return nothing: still saved
    assert refused == []

    form, saved = run(factory.post("/", {"name": ""}), lambda form: "never")
    assert saved is NOT_SAVED and "name" in form.errors and refused == [form]

    def refuse(form):
        raise ValidationError({"name": "Déjà pris.", "other": "Ailleurs."})

    form, saved = run(factory.post("/", {"name": "Lévis"}), refuse)
    assert saved is NOT_SAVED
    assert form.errors["name"] == ["Déjà pris."] and form.non_field_errors() == ["Ailleurs."]
    assert refused[-1] is form


def test_crud_builds_the_usual_routes_by_name():
    def view(request, public_id=None):
        return None

    views = SimpleNamespace(
        committee_list=view, committee_create=view, committee_detail=view, committee_edit=view
    )
    routes = crud("comites/", views, "committee")
    assert [(str(r.pattern), r.name) for r in routes] == [
        ("comites/", "committee-list"),
        ("comites/nouveau/", "committee-create"),
        ("comites/<uuid:public_id>/", "committee-detail"),
        ("comites/<uuid:public_id>/modifier/", "committee-edit"),
    ]
    views = SimpleNamespace(follow_up_edit=view, follow_up_delete=view)
    routes = crud("", views, "follow_up", actions=("edit", "delete"), edit="corriger/")
    assert [(str(r.pattern), r.name) for r in routes] == [
        ("<uuid:public_id>/corriger/", "follow-up-edit"),
        ("<uuid:public_id>/supprimer/", "follow-up-delete"),
    ]
