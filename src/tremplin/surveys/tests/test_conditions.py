"""Conditions: the XLSForm ``relevant`` forms we read, how they evaluate, and what we refuse."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tremplin.surveys import conditions
from tremplin.surveys.conditions import ConditionError, evaluate, parse, to_xlsform

EARLIER = {
    "salle": ("single", {"souvent", "jamais"}),
    "activites": ("multiple", {"cuisine", "jardin"}),
    "note": ("rating", {"1", "2", "3", "4", "5"}),
    "heures": ("number", set()),
    "nom": ("short_text", set()),
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("${salle} = 'jamais'", {"q": "salle", "op": "=", "value": "jamais"}),
        ('${salle}!="jamais"', {"q": "salle", "op": "!=", "value": "jamais"}),
        (
            "selected(${activites}, 'jardin')",
            {"q": "activites", "op": "selected", "value": "jardin"},
        ),
        (
            "not(selected(${activites}, 'jardin'))",
            {"q": "activites", "op": "not_selected", "value": "jardin"},
        ),
        ("${note} >= 4", {"q": "note", "op": ">=", "value": "4"}),
        (
            "${salle} = 'jamais' and (${note} < 3 or selected(${activites}, 'cuisine'))",
            {
                "all": [
                    {"q": "salle", "op": "=", "value": "jamais"},
                    {
                        "any": [
                            {"q": "note", "op": "<", "value": "3"},
                            {"q": "activites", "op": "selected", "value": "cuisine"},
                        ]
                    },
                ]
            },
        ),
        ("${nom} != ''", {"q": "nom", "op": "!=", "value": ""}),
    ],
)
def test_it_reads_the_simple_xlsform_forms(text, expected):
    assert parse(text) == expected
    # What we write back reads the same.
    assert parse(to_xlsform(expected)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "${salle} =",
        "${salle} = 'jamais' and",
        "(${salle} = 'jamais'",
        "count-selected(${activites}) > 1",
        ". > 3",
        "${salle} = 'x' ) ",
        "jamais = ${salle}",
    ],
)
def test_it_refuses_what_it_does_not_understand_with_a_french_message(text):
    with pytest.raises(ConditionError) as error:
        parse(text)
    assert str(error.value)
    assert "condition" in str(error.value).lower() or "attendu" in str(error.value)


def test_it_evaluates_like_odk():
    answers = {"salle": "jamais", "activites": {"jardin"}, "note": 4, "heures": None}
    assert evaluate(parse("${salle} = 'jamais'"), answers)
    assert not evaluate(parse("${salle} = 'souvent'"), answers)
    assert evaluate(parse("selected(${activites}, 'jardin')"), answers)
    assert not evaluate(parse("selected(${activites}, 'cuisine')"), answers)
    assert evaluate(parse("not(selected(${activites}, 'cuisine'))"), answers)
    assert evaluate(parse("${note} >= 4 and ${note} < 5"), answers)
    assert not evaluate(parse("${note} > 4"), answers)
    # Unanswered: "=" is false, "!=" is true, comparisons are false, '' tests emptiness.
    assert not evaluate(parse("${heures} = '3'"), answers)
    assert evaluate(parse("${heures} != '3'"), answers)
    assert not evaluate(parse("${heures} > 0"), answers)
    assert evaluate(parse("${heures} = ''"), answers)
    assert evaluate(None, answers)


def test_it_checks_a_condition_against_the_questions_asked_before():
    conditions.check(parse("${salle} = 'jamais'"), EARLIER)
    for text, fragment in [
        ("${plus_tard} = 'x'", "pas une question posée avant"),
        ("${salle} = 'peut-etre'", "n'est pas un choix"),
        ("${salle} > 2", "question à choix"),
        ("selected(${heures}, '3')", "selected()"),
        ("${heures} >= 'beaucoup'", "attend un nombre"),
        ("${nom} > 'a'", "texte"),
    ]:
        with pytest.raises(ConditionError, match=fragment):
            conditions.check(parse(text), EARLIER)


names = st.sampled_from(["a", "b_2", "q.x"])
values = st.text(alphabet="abcxyz_0123456789", min_size=0, max_size=6)
leaf = st.builds(
    lambda q, op, v: {"q": q, "op": op, "value": v},
    names,
    st.sampled_from(["=", "!=", "selected", "not_selected"]),
    values,
)
tree = st.recursive(
    leaf,
    lambda children: st.builds(
        lambda key, items: {key: items},
        st.sampled_from(["all", "any"]),
        st.lists(children, min_size=2, max_size=3),
    ),
    max_leaves=6,
)


@settings(deadline=None)
@given(tree)
def test_it_writes_conditions_that_it_reads_back_the_same(node):
    text = to_xlsform(node)
    reread = parse(text)
    # Nested combinations of the same kind flatten; evaluation is what must not change.
    for answers in (
        {"a": "x", "b_2": {"y", "0"}, "q.x": ""},
        {"a": "", "b_2": set(), "q.x": "abc"},
        {"a": "0", "b_2": {"x"}, "q.x": "x"},
    ):
        assert evaluate(reread, answers) == evaluate(node, answers)
