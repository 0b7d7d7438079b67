"""The list pages' tags (core/templatetags/lists.py) and includes (includes/list_*.html)."""

from django.template import Context, Template
from django.test import RequestFactory


def render(source, **context):
    return Template("{% load lists %}" + source).render(Context(context))


def test_table_draws_its_frame_headers_and_rows():
    html = render(
        '{% table "Nom" "Immeubles"|numeric "Action"|unseen caption="Organismes" %}'
        "<tr><td>A</td></tr>{% endtable %}"
    )
    assert '<div class="table-wrap">' in html
    assert '<table class="table stack">' in html
    assert "<caption>Organismes</caption>" in html
    assert '<th scope="col">Nom</th>' in html
    assert '<th scope="col" class="num">Immeubles</th>' in html
    assert '<th scope="col"><span class="visually-hidden">Action</span></th>' in html
    assert "<tbody><tr><td>A</td></tr></tbody>" in html


def test_an_empty_label_leaves_its_column_out():
    html = render('{% table "Nom" owner "Statut" caption="x" %}{% endtable %}', owner="")
    assert html.count("<th ") == 2


def test_without_rows_only_the_empty_text_is_drawn():
    source = '{% table "Nom" caption="x" rows=rows empty="Aucun." empty_class=cls %}<tr></tr>{% endtable %}'
    assert render(source, rows=[], cls="notice").strip() == '<p class="notice">Aucun.</p>'
    assert render(source, rows=[], cls="").strip() == "<p>Aucun.</p>"
    assert "<table" in render(source, rows=[1], cls="notice")


def test_a_region_table_with_a_hidden_caption():
    html = render('{% table "Nom" hidden_caption="x" region="c" %}{% endtable %}')
    assert '<div class="table-wrap" tabindex="0" role="region" aria-labelledby="c">' in html
    assert '<caption class="visually-hidden">x</caption>' in html


def test_the_pager_by_page_number():
    request = RequestFactory().get("/liste/?q=a&page=2")
    pager = Template('{% include "includes/list_pager.html" %}')
    html = pager.render(Context({"request": request, "page": 2, "pages": 3}))
    assert 'href="?q=a&amp;page=1" rel="prev"' in html
    assert 'href="?q=a&amp;page=3" rel="next"' in html
    assert "Page 2 sur 3" in html
    assert pager.render(Context({"request": request, "page": 1, "pages": 1})).strip() == ""
    # Without a count of pages: no status, "next" while there is one.
    html = pager.render(Context({"request": request, "page": 1, "has_next": True}))
    assert 'rel="next"' in html and 'rel="prev"' not in html and "aria-current" not in html
