"""A label that begins with "=" is written to the XLSForm as text, not as a formula (#18), and
reads back exactly as typed."""

import io

from openpyxl import load_workbook

from tremplin.surveys import xlsform
from tremplin.surveys.models import Question

LABEL = "=1+1 fois par semaine ?"


def test_a_label_beginning_with_equals_is_text_in_the_xlsform(questionnaire, personas):
    version = questionnaire.versions.get()
    question = Question.objects.filter(version=version).first()
    Question.objects.filter(pk=question.pk).update(label_fr=LABEL, hint_en="=SUM(A1:A9)")

    content = xlsform.export_xlsform(version)
    survey = load_workbook(io.BytesIO(content))["survey"]
    row = next(r for r in survey.iter_rows(min_row=2) if r[1].value == question.name)
    assert (row[2].value, row[2].data_type) == (LABEL, "s")
    assert (row[5].value, row[5].data_type) == ("=SUM(A1:A9)", "s")
    assert not any(c.data_type == "f" for r in survey.iter_rows() for c in r)

    imported, _report = xlsform.import_xlsform(user=personas["organizer_b"], content=content)
    assert imported.versions.get().questions.get(name=question.name).label_fr == LABEL
