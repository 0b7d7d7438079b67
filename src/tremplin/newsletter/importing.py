"""Import of subscribers from a spreadsheet (CSV or XLSX) of people who consented elsewhere
(a paper form at a gathering, a sign-up sheet at a tenants' meeting…).

Columns (French headers; accents and case do not matter): ``Courriel`` (required),
``Langue`` (fr/en, French when empty), ``Date du consentement`` (required, AAAA-MM-JJ),
``Source du consentement`` (else the source typed on the import form). Other columns are
ignored (and listed), so a sign-up sheet with names imports without keeping the names.

A check (dry run) reports every row: created, updated (a pending web sign-up now documented),
unchanged (already subscribed) or rejected with French reasons. Applying re-checks the file and
writes every accepted row in one transaction. Someone who unsubscribed is never re-subscribed by
an import.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.audit.services import log_action
from tremplin.core.text import fold

from .models import ConsentMethod, Subscriber, SubscriberImport, SubscriberStatus

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 10000
MAX_COLUMNS = 50
HEADER_SCAN_ROWS = 5
UPDATED_FIELDS = [
    "language",
    "status",
    "consent_at",
    "consent_method",
    "consent_source",
    "consent_text",
    "confirmed_at",
    "import_batch",
    "updated_at",
]

HEADERS = {
    "email": (
        "courriel",
        "adresse courriel",
        "adresse de courriel",
        "adresse electronique",
        "courrier electronique",
        "email",
        "e-mail",
        "mail",
    ),
    "language": ("langue", "langue preferee", "langue de correspondance", "language"),
    "consent_date": (
        "date du consentement",
        "date de consentement",
        "date consentement",
        "consentement",
        "consenti le",
        "consent date",
    ),
    "source": ("source du consentement", "source", "provenance", "consent source"),
}
HEADER_INDEX = {key: name for name, keys in HEADERS.items() for key in keys}
LANGUAGE_VALUES = {
    "": "fr",
    "fr": "fr",
    "f": "fr",
    "francais": "fr",
    "french": "fr",
    "fr-ca": "fr",
    "en": "en",
    "anglais": "en",
    "english": "en",
    "en-ca": "en",
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?$")


class FileError(Exception):
    """A problem with the whole file (French message, shown as is); nothing is imported."""


@dataclass
class RowResult:
    line: int
    email: str
    action: str  # "create", "update", "unchanged", "reject"
    reasons: list[str] = field(default_factory=list)
    language: str = "fr"
    consent_date: dt.date | None = None
    source: str = ""


@dataclass
class ImportReport:
    rows: list[RowResult] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    def counts(self) -> dict:
        counts = {"create": 0, "update": 0, "unchanged": 0, "reject": 0}
        for row in self.rows:
            counts[row.action] += 1
        return {
            "created": counts["create"],
            "updated": counts["update"],
            "unchanged": counts["unchanged"],
            "rejected": counts["reject"],
            "rows": len(self.rows),
        }

    @property
    def rejected(self) -> list[RowResult]:
        return [r for r in self.rows if r.action == "reject"]

    @property
    def accepted(self) -> list[RowResult]:
        return [r for r in self.rows if r.action in ("create", "update")]


# --------------------------------------------------------------------------- reading


def _header_key(text: str) -> str:
    return re.sub(r"[^a-z0-9-]+", " ", fold(text)).strip()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_xlsx(content: bytes) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    unreadable = _(
        "Le fichier Excel est illisible ou endommagé : enregistrez-le de nouveau au format "
        ".xlsx ou .csv."
    )
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # untrusted input: any parser failure means unreadable
        raise FileError(unreadable) from exc
    rows = []
    try:
        if not workbook.worksheets:
            raise FileError(_("Le classeur Excel ne contient aucune feuille."))
        sheet = workbook.worksheets[0]
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell_text(v) for v in values[:MAX_COLUMNS]]
            if any(cells):
                rows.append((number, cells))
                if len(rows) > MAX_ROWS + HEADER_SCAN_ROWS:
                    raise _too_many()
    except FileError:
        raise
    except Exception as exc:
        raise FileError(unreadable) from exc
    finally:
        workbook.close()
    return rows


def _too_many() -> FileError:
    return FileError(
        _("Le fichier compte plus de %(max)s lignes : découpez-le en plusieurs fichiers.")
        % {"max": f"{MAX_ROWS:,}".replace(",", "\u00a0")}
    )


def _decode(content: bytes) -> str:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in content:
        raise FileError(
            _(
                "Ce fichier n'est pas un fichier CSV lisible : enregistrez-le au format "
                "« CSV UTF-8 » ou .xlsx."
            )
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")
    if _CONTROL.search(text):
        raise FileError(
            _("Ce fichier n'est ni un fichier CSV lisible ni un classeur Excel (.xlsx).")
        )
    return text


def _csv_rows(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    number = 0
    try:
        for number, record in enumerate(reader, start=1):
            cells = [c.strip() for c in record[:MAX_COLUMNS]]
            if any(cells):
                rows.append((number, cells))
                if len(rows) > MAX_ROWS + HEADER_SCAN_ROWS:
                    raise _too_many()
    except csv.Error as exc:
        raise FileError(
            _("Le fichier CSV est mal formé près de la ligne %(line)s.") % {"line": number + 1}
        ) from exc
    return rows


def _read_csv(content: bytes) -> list[tuple[int, list[str]]]:
    text = _decode(content)
    best = None
    for delimiter in (";", ",", "\t"):
        first = next(csv.reader(io.StringIO(text[:4000], newline=""), delimiter=delimiter), [])
        score = (sum(1 for c in first if _header_key(c) in HEADER_INDEX), len(first))
        if best is None or score > best[0]:
            best = (score, delimiter)
    return _csv_rows(text, best[1])


def read_rows(content: bytes, filename: str) -> list[tuple[int, list[str]]]:
    if not content or not content.strip():
        raise FileError(_("Le fichier est vide."))
    if len(content) > MAX_BYTES:
        raise FileError(_("Le fichier dépasse la taille maximale de 2 Mo."))
    if content.startswith(b"PK"):
        return _read_xlsx(content)
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileError(
            _("Les classeurs Excel 97-2003 (.xls) ne sont pas acceptés : enregistrez-le en .xlsx.")
        )
    if content.startswith(b"%PDF"):
        raise FileError(_("Un PDF ne peut pas être importé : envoyez un fichier CSV ou .xlsx."))
    return _read_csv(content)


# --------------------------------------------------------------------------- checking


def _parse_date(text: str) -> dt.date | None:
    match = _DATE.match(text.strip())
    if not match:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def check(content: bytes, filename: str, *, source: str) -> ImportReport:
    """Read and check every row (nothing is written). Raises ``FileError``."""
    rows = read_rows(content, filename)
    header_at = None
    for index, (_line, cells) in enumerate(rows[:HEADER_SCAN_ROWS]):
        if any(HEADER_INDEX.get(_header_key(c)) == "email" for c in cells):
            header_at = index
            break
    if header_at is None:
        raise FileError(
            _(
                "Aucune colonne « Courriel » trouvée : la première ligne doit porter les en-têtes "
                "Courriel, Langue, Date du consentement et Source du consentement."
            )
        )
    header = rows[header_at][1]
    columns: dict[str, int] = {}
    report = ImportReport()
    for position, title in enumerate(header):
        name = HEADER_INDEX.get(_header_key(title))
        if name and name not in columns:
            columns[name] = position
        elif title:
            report.ignored_columns.append(title)
    if "consent_date" not in columns:
        raise FileError(
            _(
                "Aucune colonne « Date du consentement » : la Loi canadienne anti-pourriel exige "
                "de pouvoir dire quand chaque personne a consenti."
            )
        )
    data = rows[header_at + 1 :]
    if len(data) > MAX_ROWS:
        raise _too_many()

    def cell(cells, name):
        position = columns.get(name)
        return cells[position].strip() if position is not None and position < len(cells) else ""

    emails = {cell(cells, "email").lower() for _line, cells in data}
    existing = {s.email: s for s in Subscriber.objects.filter(email__in=emails - {""})}
    seen: dict[str, int] = {}
    today = timezone.localdate()
    default_source = (source or "").strip()
    for line, cells in data:
        email = cell(cells, "email").lower()
        row = RowResult(line=line, email=email, action="create")
        reasons = row.reasons
        if not email:
            reasons.append(_("Courriel manquant."))
        else:
            try:
                validate_email(email)
            except ValidationError:
                reasons.append(
                    _("« %(value)s » n'est pas une adresse courriel valide.") % {"value": email}
                )
            if email in seen:
                reasons.append(
                    _("Adresse en double dans le fichier (déjà à la ligne %(line)s).")
                    % {"line": seen[email]}
                )
            else:
                seen[email] = line
        language = cell(cells, "language")
        row.language = LANGUAGE_VALUES.get(fold(language), "")
        if not row.language:
            reasons.append(
                _("Langue « %(value)s » inconnue : indiquez fr ou en.") % {"value": language}
            )
        date_text = cell(cells, "consent_date")
        if not date_text:
            reasons.append(
                _(
                    "Date du consentement manquante : sans elle, le consentement ne peut pas être "
                    "prouvé."
                )
            )
        else:
            row.consent_date = _parse_date(date_text)
            if row.consent_date is None:
                reasons.append(
                    _("Date du consentement illisible « %(value)s » : utilisez AAAA-MM-JJ.")
                    % {"value": date_text}
                )
            elif row.consent_date > today:
                reasons.append(_("La date du consentement est dans le futur."))
        row.source = (cell(cells, "source") or default_source)[:300]
        if not row.source:
            reasons.append(_("Source du consentement manquante."))
        current = existing.get(email)
        if current is not None:
            if current.status == SubscriberStatus.UNSUBSCRIBED:
                when = current.unsubscribed_at
                reasons.append(
                    _(
                        "Cette personne s'est désabonnée%(when)s : une importation ne peut pas la "
                        "réabonner."
                    )
                    % {"when": f" ({timezone.localdate(when).isoformat()})" if when else ""}
                )
            elif current.status == SubscriberStatus.CONFIRMED:
                row.action = "unchanged"
            else:
                row.action = "update"
        if reasons:
            row.action = "reject"
        report.rows.append(row)
    return report


def apply(*, user, batch: SubscriberImport, request=None) -> ImportReport:
    """Check the stored file again and write every accepted row, all at once."""
    report = check(bytes(batch.content), batch.filename, source=batch.source)
    now = timezone.now()
    with transaction.atomic():
        locked = SubscriberImport.objects.select_for_update().get(pk=batch.pk)
        if locked.status == SubscriberImport.Status.APPLIED:
            raise FileError(_("Ce fichier a déjà été importé."))
        accepted = report.accepted
        existing = {
            s.email: s
            for s in Subscriber.objects.select_for_update().filter(
                email__in=[r.email for r in accepted]
            )
        }
        new, changed = [], []
        for row in accepted:
            subscriber = existing.get(row.email)
            if subscriber is None:
                subscriber = Subscriber(email=row.email)
                new.append(subscriber)
            elif subscriber.status != SubscriberStatus.PENDING:
                continue  # confirmed or unsubscribed since the check: leave it alone
            else:
                changed.append(subscriber)
            subscriber.language = row.language
            subscriber.status = SubscriberStatus.CONFIRMED
            subscriber.consent_at = timezone.make_aware(
                dt.datetime.combine(row.consent_date, dt.time(12))
            )
            subscriber.consent_method = ConsentMethod.IMPORT
            subscriber.consent_source = row.source
            subscriber.consent_text = ""
            subscriber.confirmed_at = now
            subscriber.import_batch = locked
            subscriber.updated_at = now
        Subscriber.objects.bulk_create(new, batch_size=500)
        Subscriber.objects.bulk_update(changed, UPDATED_FIELDS, batch_size=500)
        locked.status = SubscriberImport.Status.APPLIED
        locked.summary = report.counts()
        # The file may hold more than what is imported (names…): it is not kept.
        locked.content = b""
        locked.save(update_fields=["status", "summary", "content", "updated_at"])
        log_action(
            locked,
            "newsletter.subscriber.import",
            user=user,
            request=request,
            data=report.counts(),
        )
    return report
