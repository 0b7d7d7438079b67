"""Pages of committees and meetings. Reads through selectors (404 outside the user's scope),
writes through services; who may do what is in ``permissions.py`` (and README.md)."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tremplin.accounts.roles import Role
from tremplin.core.form_pages import form_page, refusal_messages

from . import documents, permissions, selectors, services
from .forms import CommitteeForm, MembershipForm
from .forms_meetings import (
    ActionItemForm,
    AgendaFormSet,
    AttendanceForm,
    DecisionFormSet,
    MeetingForm,
    MinutesForm,
    agenda_initial,
)
from .forms_pages import CommitteeFilterForm, MembersOnForm
from .models import (
    CANCELLED_ATTENDANCE,
    ActionItem,
    ActionStatus,
    Committee,
    CommitteeMembership,
    Meeting,
)

PER_PAGE = 50


def _default_day(committee: Committee, today: dt.date) -> dt.date:
    """Members are listed as of today, or of the committee's last day once it has ended."""
    if committee.end_date and committee.end_date < today:
        return committee.end_date
    if committee.start_date > today:
        return committee.start_date
    return today


# --------------------------------------------------------------------------- committees


@login_required
def committee_list(request):
    form = CommitteeFilterForm(request.GET or None)
    filters = {}
    if form.is_bound and form.is_valid():
        filters = {
            "kind": form.cleaned_data.get("kind") or "",
            "region": form.cleaned_data.get("region"),
            "territory": form.cleaned_data.get("territory"),
            "status": form.cleaned_data.get("status") or "",
        }
    q = request.GET.get("q", "")[:200]
    qs = selectors.committee_list(request.user, q=q, **filters)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "concertation/committee_list.html",
        {
            "filter_form": form,
            "q": q,
            "page_obj": page,
            "rows": page.object_list,
            "total": page.paginator.count,
            "can_create": permissions.can_create(request.user),
            "today": dt.date.today(),
        },
    )


@login_required
def committee_detail(request, public_id):
    committee = selectors.get_committee_for_user(request.user, public_id)
    today = dt.date.today()
    day = _default_day(committee, today)
    on_form = MembersOnForm(request.GET or None, initial={"on": day})
    if on_form.is_bound and on_form.is_valid() and on_form.cleaned_data.get("on"):
        day = on_form.cleaned_data["on"]
    meetings = list(selectors.committee_meetings(committee))
    can_manage = permissions.can_manage_committee(request.user, committee)
    # Events read through their own app's selector (concertation does not import events at
    # load time: events imports concertation for its committee field).
    from tremplin.events.selectors import committee_events

    return render(
        request,
        "concertation/committee_detail.html",
        {
            "committee": committee,
            "territories": selectors.committee_territories(committee),
            "regional": permissions.is_regional(committee),
            "day": day,
            "is_today": day == today,
            "on_form": on_form,
            "members": selectors.members_on(committee, day),
            "others": selectors.other_mandates(committee, day),
            "upcoming": [m for m in meetings if m.date >= today][::-1],
            "past": [m for m in meetings if m.date < today],
            "open_items": list(selectors.open_action_items(committee)),
            "events": committee_events(request.user, committee),
            "can_manage": can_manage,
            # Partners read only some agreements: the title, not a link that may be a 404.
            "show_agreement_link": permissions.role_of(request.user)
            in {Role.COORDINATION, Role.ORGANIZER},
            "today": today,
        },
    )


def _committee_url(committee) -> str:
    return reverse("concertation:committee-detail", args=[committee.public_id])


def _meeting_url(meeting) -> str:
    return reverse("concertation:meeting-detail", args=[meeting.public_id])


def meeting_page_context(meeting: Meeting) -> dict:
    """What every page about one meeting shows at its top."""
    return {
        "meeting": meeting,
        "committee": meeting.committee,
        "when": documents.when_label(meeting),
    }


def _committee_form(request, committee: Committee, *, creating: bool):
    form = CommitteeForm(request.POST or None, instance=committee, user=request.user)
    return form_page(
        request,
        form,
        lambda: services.committee_save(
            user=request.user,
            committee=form.save(commit=False),
            territories=form.cleaned_data.get("territories"),
            request=request,
        ),
        success=_("Le comité a été enregistré."),
        to=_committee_url,
        template="concertation/committee_form.html",
        context={"committee": committee, "creating": creating},
    )


@login_required
@require_http_methods(["GET", "POST"])
def committee_create(request):
    if not permissions.can_create(request.user):
        raise Http404
    return _committee_form(request, Committee(), creating=True)


@login_required
@require_http_methods(["GET", "POST"])
def committee_edit(request, public_id):
    committee = selectors.get_committee_for_manage(request.user, public_id)
    return _committee_form(request, committee, creating=False)


# --------------------------------------------------------------------------- memberships


def _membership_form(request, committee, membership, *, creating: bool):
    form = MembershipForm(request.POST or None, instance=membership, committee=committee)
    return form_page(
        request,
        form,
        lambda: services.membership_save(
            user=request.user, membership=form.save(commit=False), request=request
        ),
        success=_("Le mandat a été enregistré."),
        to=_committee_url(committee),
        template="concertation/membership_form.html",
        context={"committee": committee, "membership": membership, "creating": creating},
    )


@login_required
@require_http_methods(["GET", "POST"])
def membership_create(request, public_id):
    committee = selectors.get_committee_for_manage(request.user, public_id)
    return _membership_form(
        request, committee, CommitteeMembership(committee=committee), creating=True
    )


@login_required
@require_http_methods(["GET", "POST"])
def membership_edit(request, public_id):
    membership = selectors.get_membership_for_manage(request.user, public_id)
    return _membership_form(request, membership.committee, membership, creating=False)


# --------------------------------------------------------------------------- meetings


def _meeting_form(request, committee, meeting, *, creating: bool):
    data = request.POST if request.method == "POST" else None
    form = MeetingForm(data, instance=meeting, committee=committee)
    agenda = AgendaFormSet(data, initial=agenda_initial(meeting), prefix="agenda")
    return form_page(
        request,
        form,
        lambda: services.meeting_save(
            user=request.user,
            meeting=form.save(commit=False),
            agenda=agenda.lines(),
            request=request,
        ),
        others=(agenda,),
        success=_("La rencontre a été enregistrée."),
        to=_meeting_url,
        template="concertation/meeting_form.html",
        context={
            "agenda": agenda,
            "committee": committee,
            "meeting": meeting,
            "creating": creating,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request, public_id):
    committee = selectors.get_committee_for_manage(request.user, public_id)
    return _meeting_form(request, committee, Meeting(committee=committee), creating=True)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request, public_id):
    meeting = selectors.get_meeting_for_manage(request.user, public_id)
    return _meeting_form(request, meeting.committee, meeting, creating=False)


def _meeting_context(request, meeting: Meeting) -> dict:
    rows = selectors.meeting_attendance(meeting)
    return {
        "meeting": meeting,
        "committee": meeting.committee,
        "agenda_items": meeting.agenda_items.all(),
        "attendance": rows,
        "attendance_counts": selectors.attendance_counts(rows),
        "carried": list(selectors.carried_action_items(meeting)),
        "decisions": meeting.decisions.all(),
        "action_items": list(meeting.action_items.select_related("owner")),
        "can_manage": permissions.can_manage_committee(request.user, meeting.committee),
        "held": meeting.date <= dt.date.today() and not meeting.is_cancelled,
        "cancelled_on": timezone.localdate(meeting.cancelled_at) if meeting.cancelled_at else None,
        "when": documents.when_label(meeting),
        "minutes_paragraphs": documents.paragraphs(meeting.minutes),
    }


@login_required
def meeting_detail(request, public_id):
    meeting = selectors.get_meeting_for_user(request.user, public_id)
    return render(request, "concertation/meeting_detail.html", _meeting_context(request, meeting))


@login_required
def meeting_agenda(request, public_id):
    """The agenda, laid out to print."""
    meeting = selectors.get_meeting_for_user(request.user, public_id)
    return render(
        request,
        "concertation/meeting_print.html",
        {"doc": documents.meeting_document(meeting), "kind": "agenda", "meeting": meeting},
    )


@login_required
def meeting_minutes(request, public_id):
    """The minutes, laid out to print."""
    meeting = selectors.get_meeting_for_user(request.user, public_id)
    return render(
        request,
        "concertation/meeting_print.html",
        {"doc": documents.meeting_document(meeting), "kind": "minutes", "meeting": meeting},
    )


def _docx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=documents.DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def meeting_agenda_docx(request, public_id):
    meeting = selectors.get_meeting_for_user(request.user, public_id)
    return _docx(documents.agenda_docx(meeting), documents.filename(meeting, "ordre-du-jour"))


@login_required
def meeting_minutes_docx(request, public_id):
    meeting = selectors.get_meeting_for_user(request.user, public_id)
    return _docx(documents.minutes_docx(meeting), documents.filename(meeting, "compte-rendu"))


@login_required
@require_http_methods(["GET", "POST"])
def meeting_minutes_edit(request, public_id):
    meeting = selectors.get_meeting_for_manage(request.user, public_id)
    data = request.POST if request.method == "POST" else None
    form = MinutesForm(data, initial={"minutes": meeting.minutes})
    decisions = DecisionFormSet(
        data, initial=[{"text": d.text} for d in meeting.decisions.all()], prefix="decisions"
    )
    return form_page(
        request,
        form,
        lambda: services.minutes_save(
            user=request.user,
            meeting=meeting,
            minutes=form.cleaned_data["minutes"],
            decisions=[f.cleaned_data.get("text", "") for f in decisions.forms if f.cleaned_data],
            request=request,
        ),
        others=(decisions,),
        success=_("Le compte rendu a été enregistré."),
        to=_meeting_url(meeting),
        template="concertation/minutes_form.html",
        context={"decisions": decisions, **meeting_page_context(meeting)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_attendance(request, public_id):
    meeting = selectors.get_meeting_for_manage(request.user, public_id)
    held = meeting.date <= dt.date.today() and not meeting.is_cancelled
    form = AttendanceForm(request.POST or None, rows=selectors.meeting_attendance(meeting))
    return form_page(
        request,
        form,
        lambda: services.attendance_record(
            user=request.user, meeting=meeting, statuses=form.statuses(), request=request
        ),
        allowed=held,
        success=_("Les présences ont été enregistrées."),
        to=_meeting_url(meeting),
        template="concertation/attendance_form.html",
        context={
            "held": held,
            "cancelled_message": CANCELLED_ATTENDANCE,
            **meeting_page_context(meeting),
        },
    )


# --------------------------------------------------------------------------- action items


def _action_form(request, meeting, item, *, creating: bool):
    form = ActionItemForm(request.POST or None, instance=item, meeting=meeting)
    return form_page(
        request,
        form,
        lambda: services.action_item_save(
            user=request.user, item=form.save(commit=False), request=request
        ),
        success=_("Le suivi a été enregistré."),
        to=_meeting_url(meeting),
        template="concertation/action_form.html",
        context={"item": item, "creating": creating, **meeting_page_context(meeting)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_create(request, public_id):
    meeting = selectors.get_meeting_for_manage(request.user, public_id)
    return _action_form(request, meeting, ActionItem(meeting=meeting), creating=True)


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request, public_id):
    item = selectors.get_action_item_for_manage(request.user, public_id)
    return _action_form(request, item.meeting, item, creating=False)


@login_required
@require_POST
def action_close(request, public_id):
    """Mark an action item done today (a button on the meeting and committee pages)."""
    item = selectors.get_action_item_for_manage(request.user, public_id)
    if item.status == ActionStatus.OPEN:
        try:
            services.action_item_close(user=request.user, item=item, request=request)
        except ValidationError as exc:
            refusal_messages(request, exc, joined=True)
        else:
            messages.success(
                request, _("Suivi réalisé : %(action)s") % {"action": item.description}
            )
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("concertation:meeting-detail", public_id=item.meeting.public_id)
