"""XLSForm import and export (the spreadsheet format of ODK and KoboToolbox).

Export: ``survey`` (one row per question, ``begin_group``/``end_group`` around each section),
``choices`` and ``settings`` sheets, with ``label::French (fr)`` and ``label::English (en)``
columns. Rating questions are ``range`` (``start=1 end=5 step=1``), long texts ``text`` with
the ``multiline`` appearance, number limits a ``constraint`` (``. >= 0 and . <= 40``),
conditions a ``relevant`` expression.

Import (``check_xlsform``, a dry run that writes nothing, then ``import_xlsform``) reads what
we export and the common shapes of forms built in KoboToolbox or by hand:

* types ``select_one``/``select_multiple`` *list*, ``integer``, ``decimal``, ``text``,
  ``range``, groups (top-level groups become sections; a group's ``relevant`` applies to its
  questions; repeats are read as plain sections);
* ``label``/``hint`` in French and English (``label::French (fr)``, ``label::fr``, plain
  ``label`` in the form's default language), ``required``, ``relevant`` (``conditions.py``),
  ``constraint`` of the form ``. >= a and . <= b`` on numbers, ``appearance`` ``multiline``.

Everything else is listed as not supported, row by row, rather than silently dropped
(metadata such as ``start``/``end``/``deviceid`` is never collected: respondents are not
tracked). A malformed file — no ``survey`` sheet, an unknown type, a choice list not found, a
``relevant`` that cannot be read or names an unknown question — gives a report of every
problem with its sheet and row, and nothing is created.
"""

from .reading import check_xlsform
from .specs import (
    EN,
    FR,
    MAX_BYTES,
    XLSX_CONTENT_TYPE,
    ChoiceSpec,
    FormSpec,
    Problem,
    QuestionSpec,
    Report,
    SectionSpec,
)
from .writing import export_xlsform, import_xlsform, max_upload_bytes

__all__ = [
    "EN",
    "FR",
    "MAX_BYTES",
    "XLSX_CONTENT_TYPE",
    "ChoiceSpec",
    "FormSpec",
    "Problem",
    "QuestionSpec",
    "Report",
    "SectionSpec",
    "check_xlsform",
    "export_xlsform",
    "import_xlsform",
    "max_upload_bytes",
]
