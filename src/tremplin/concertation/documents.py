"""A meeting's agenda and minutes, as printable pages and Word documents (committees work in
Word).

Both formats are built from the same ``MeetingDocument`` (``meeting_document``), so the page
and the file show the same items in the same order. The printable pages follow the reader's
language; the Word files are always in French, like the program's other reports: they are
sent to the committee's members.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import formats, translation
from django.utils.translation import gettext as _

from tremplin.core.docx import set_language, to_bytes
from tremplin.core.formatting import date_long

from . import selectors
from .models import ActionItem, ActionStatus, AttendanceStatus, Meeting

DOCUMENT_LANGUAGE = "fr"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def time_label(value: dt.time | None) -> str:
    """``13 h 30``, ``9 h`` in French (Québec usage); ``1:30 PM`` in English."""
    if value is None:
        return ""
    if (translation.get_language() or "fr").startswith("fr"):
        return f"{value.hour} h {value.minute:02d}" if value.minute else f"{value.hour} h"
    return formats.time_format(value, "g:i A")


def when_label(meeting: Meeting) -> str:
    """``12 mars 2024, de 13 h 30 à 15 h 30`` / ``March 12, 2024, 1:30 PM to 3:30 PM``."""
    day = date_long(meeting.date)
    if meeting.end_time:
        return _("%(day)s, de %(start)s à %(end)s") % {
            "day": day,
            "start": time_label(meeting.start_time),
            "end": time_label(meeting.end_time),
        }
    return _("%(day)s, à %(start)s") % {"day": day, "start": time_label(meeting.start_time)}


@dataclass
class ActionRow:
    description: str
    owner: str
    due: str
    status: str
    closed: str
    is_open: bool


@dataclass
class MeetingDocument:
    meeting: Meeting
    committee: str
    when: str
    place: str
    video_link: str
    guests: str
    agenda: list = field(default_factory=list)  # AgendaItem
    carried: list[ActionRow] = field(default_factory=list)
    attendance: dict = field(default_factory=dict)  # status -> [(name, organization)]
    minutes: list[str] = field(default_factory=list)  # paragraphs
    decisions: list[str] = field(default_factory=list)
    actions: list[ActionRow] = field(default_factory=list)
    is_demo: bool = False
    cancelled: str = ""  # "Rencontre annulée : <reason>" for a cancelled meeting

    @property
    def attendance_groups(self) -> list[tuple[str, list]]:
        """(``Présent·es``, [(name, organization)…]), then excused, then absent; empty groups
        are left out."""
        labels = {
            AttendanceStatus.PRESENT: _("Présent·es"),
            AttendanceStatus.EXCUSED: _("Excusé·es"),
            AttendanceStatus.ABSENT: _("Absent·es"),
        }
        return [
            (labels[s], self.attendance.get(s, []))
            for s in AttendanceStatus.values
            if self.attendance.get(s)
        ]


def _action_row(item: ActionItem) -> ActionRow:
    return ActionRow(
        description=item.description,
        owner=item.owner_label,
        due=date_long(item.due_date) if item.due_date else "–",
        status=str(item.get_status_display()),
        closed=date_long(item.closed_on) if item.closed_on else "",
        is_open=item.status == ActionStatus.OPEN,
    )


def paragraphs(text: str) -> list[str]:
    """Paragraphs of a plain text (separated by blank lines); single line breaks are kept."""
    blocks = [b.strip() for b in (text or "").replace("\r\n", "\n").split("\n\n")]
    return [b for b in blocks if b]


def meeting_document(meeting: Meeting) -> MeetingDocument:
    """What the agenda and the minutes of ``meeting`` say, in the current language."""
    attendance: dict[str, list] = {}
    for row in selectors.meeting_attendance(meeting):
        if row["status"]:
            member = row["member"]
            attendance.setdefault(row["status"], []).append(
                (member.person_name, member.organization_name)
            )
    return MeetingDocument(
        meeting=meeting,
        committee=meeting.committee.name,
        when=when_label(meeting),
        place=meeting.place,
        video_link=meeting.video_link,
        guests=meeting.guests,
        agenda=list(meeting.agenda_items.all()),
        carried=[_action_row(i) for i in selectors.carried_action_items(meeting)],
        attendance=attendance,
        minutes=paragraphs(meeting.minutes),
        decisions=[d.text for d in meeting.decisions.all()],
        actions=[_action_row(i) for i in meeting.action_items.select_related("owner")],
        is_demo=meeting.is_demo or meeting.committee.is_demo,
        cancelled=(
            _("Rencontre annulée : %(reason)s") % {"reason": meeting.cancellation_reason}
            if meeting.is_cancelled
            else ""
        ),
    )


def filename(meeting: Meeting, kind: str) -> str:
    return f"{kind}-{meeting.date.isoformat()}.docx"


# --- DOCX ------------------------------------------------------------------------------------


def _new_document(title: str):
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    set_language(doc, "fr-CA")
    doc.styles["Normal"].font.size = Pt(11)
    doc.core_properties.title = title
    doc.core_properties.language = "fr-CA"
    return doc


def _heading_block(doc, content: MeetingDocument, title: str) -> None:
    doc.add_heading(title, level=1)
    doc.add_paragraph(content.committee).runs[0].bold = True
    doc.add_paragraph(content.when)
    if content.cancelled:
        doc.add_paragraph().add_run(content.cancelled).bold = True
    if content.place:
        doc.add_paragraph(f"{_('Lieu')} : {content.place}")
    if content.video_link:
        doc.add_paragraph(f"{_('Visioconférence')} : {content.video_link}")
    if content.is_demo:
        doc.add_paragraph().add_run(
            _("Données fictives de démonstration : personnes, dates et contenus inventés.")
        ).italic = True


def _actions_table(doc, rows: list[ActionRow], *, with_closed: bool) -> None:
    headers = [_("Action"), _("Responsable"), _("Échéance"), _("Statut")]
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    for row in rows:
        status = row.status
        if with_closed and row.closed:
            status = _("%(status)s le %(date)s") % {"status": row.status, "date": row.closed}
        for cell, text in zip(
            table.add_row().cells, [row.description, row.owner, row.due, status], strict=True
        ):
            cell.text = text


def _agenda_list(doc, content: MeetingDocument) -> None:
    if not content.agenda:
        doc.add_paragraph(_("Aucun point inscrit."))
    for item in content.agenda:
        text = f"{item.position}. {item.title}"
        details = []
        if item.presenter:
            details.append(item.presenter)
        if item.duration_minutes:
            details.append(_("%(n)s min") % {"n": item.duration_minutes})
        if details:
            text += f" ({', '.join(details)})"
        doc.add_paragraph(text)


def agenda_docx(meeting: Meeting) -> bytes:
    """The agenda: when and where, the items in order, and the follow-ups carried over."""
    with translation.override(DOCUMENT_LANGUAGE):
        content = meeting_document(meeting)
        title = _("Ordre du jour")
        doc = _new_document(f"{title} – {content.committee} – {meeting.date.isoformat()}")
        _heading_block(doc, content, title)
        doc.add_heading(_("Points"), level=2)
        _agenda_list(doc, content)
        doc.add_heading(_("Suivis des rencontres précédentes"), level=2)
        if content.carried:
            _actions_table(doc, content.carried, with_closed=True)
        else:
            doc.add_paragraph(_("Aucun suivi en cours."))
        return to_bytes(doc)


def minutes_docx(meeting: Meeting) -> bytes:
    """The minutes: attendance, agenda, minutes, decisions, follow-ups and new action items."""
    with translation.override(DOCUMENT_LANGUAGE):
        content = meeting_document(meeting)
        title = _("Compte rendu")
        doc = _new_document(f"{title} – {content.committee} – {meeting.date.isoformat()}")
        _heading_block(doc, content, title)
        doc.add_heading(_("Présences"), level=2)
        if not content.attendance_groups:
            doc.add_paragraph(_("Présences non notées."))
        for label, people in content.attendance_groups:
            names = ", ".join(f"{n} ({o})" if o else n for n, o in people)
            paragraph = doc.add_paragraph()
            paragraph.add_run(f"{label} ({len(people)}) : ").bold = True
            paragraph.add_run(names)
        if content.guests:
            paragraph = doc.add_paragraph()
            paragraph.add_run(f"{_('Personnes invitées')} : ").bold = True
            paragraph.add_run(content.guests)
        doc.add_heading(_("Ordre du jour"), level=2)
        _agenda_list(doc, content)
        doc.add_heading(_("Déroulement"), level=2)
        if not content.minutes:
            doc.add_paragraph(_("Compte rendu à rédiger."))
        for block in content.minutes:
            doc.add_paragraph(block)
        doc.add_heading(_("Décisions"), level=2)
        if not content.decisions:
            doc.add_paragraph(_("Aucune décision inscrite."))
        for position, text in enumerate(content.decisions, start=1):
            doc.add_paragraph(f"{position}. {text}")
        doc.add_heading(_("Suivis des rencontres précédentes"), level=2)
        if content.carried:
            _actions_table(doc, content.carried, with_closed=True)
        else:
            doc.add_paragraph(_("Aucun suivi en cours."))
        doc.add_heading(_("Actions décidées"), level=2)
        if content.actions:
            _actions_table(doc, content.actions, with_closed=True)
        else:
            doc.add_paragraph(_("Aucune action décidée."))
        return to_bytes(doc)
