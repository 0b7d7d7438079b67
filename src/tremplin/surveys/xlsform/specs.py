"""What an XLSForm reading produces: the form it describes (``FormSpec``: sections, questions,
choices) and the report of every problem; the limits and the type names of the format."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..models import QuestionKind

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 3000
FR, EN = "French (fr)", "English (en)"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

METADATA_TYPES = {
    "start", "end", "today", "deviceid", "phonenumber", "username", "email", "simserial",
    "subscriberid", "audit", "start-geopoint", "background-audio", "imei",
}  # fmt: skip
UNSUPPORTED_TYPES = {
    "note", "calculate", "hidden", "acknowledge", "date", "time", "datetime", "geopoint",
    "geotrace", "geoshape", "image", "audio", "video", "file", "barcode", "rank", "trigger",
    "xml-external", "csv-external", "select_one_from_file", "select_multiple_from_file",
    "background-geopoint", "osm", "begin_repeat_count",
}  # fmt: skip
SURVEY_COLUMNS = {"type", "name", "label", "hint", "required", "relevant", "appearance",
                  "constraint", "parameters", "constraint_message", "required_message"}  # fmt: skip
QUIET_COLUMNS = {"constraint_message", "required_message", "$given_name", "$kuid", "$autoname",
                 "$prev", "$xpath"}  # fmt: skip
TRUE = {"yes", "true", "true()", "1", "y", "oui", "vrai"}
FALSE = {"", "no", "false", "false()", "0", "n", "non", "faux"}


@dataclass
class Problem:
    sheet: str
    row: int | None
    message: str


@dataclass
class ChoiceSpec:
    name: str
    label_fr: str
    label_en: str = ""


@dataclass
class QuestionSpec:
    row: int
    name: str
    kind: str
    label_fr: str
    label_en: str = ""
    hint_fr: str = ""
    hint_en: str = ""
    required: bool = False
    condition: dict | None = None
    integer_only: bool = True
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    choices: list[ChoiceSpec] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return str(QuestionKind(self.kind).label)


@dataclass
class SectionSpec:
    name: str
    title_fr: str
    title_en: str = ""
    questions: list[QuestionSpec] = field(default_factory=list)


@dataclass
class FormSpec:
    title_fr: str
    title_en: str = ""
    form_id: str = ""
    sections: list[SectionSpec] = field(default_factory=list)

    @property
    def questions(self) -> list[QuestionSpec]:
        return [q for s in self.sections for q in s.questions]


@dataclass
class Report:
    errors: list[Problem] = field(default_factory=list)
    unsupported: list[Problem] = field(default_factory=list)
    spec: FormSpec | None = None

    @property
    def ok(self) -> bool:
        return not self.errors and self.spec is not None

    def error(self, sheet, row, message):
        self.errors.append(Problem(sheet, row, message))

    def skip(self, sheet, row, message):
        self.unsupported.append(Problem(sheet, row, message))
