"""Cancelling a meeting, and undoing it: the same permission as editing the meeting (404
otherwise). A cancelled meeting stays in the committee's history with its reason."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import documents, selectors, services
from .forms_pages import MeetingCancelForm


@login_required
@require_http_methods(["GET", "POST"])
def meeting_cancel(request, public_id):
    meeting = selectors.get_meeting_for_manage(request.user, public_id)
    form = MeetingCancelForm(request.POST or None)
    if request.method == "POST" and not meeting.is_cancelled and form.is_valid():
        try:
            services.meeting_cancel(
                user=request.user,
                meeting=meeting,
                reason=form.cleaned_data["cancellation_reason"],
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("La rencontre a été annulée."))
            return redirect("concertation:meeting-detail", public_id=meeting.public_id)
    return render(
        request,
        "concertation/meeting_cancel.html",
        {
            "form": form,
            "meeting": meeting,
            "committee": meeting.committee,
            "when": documents.when_label(meeting),
        },
        status=400 if request.method == "POST" and not meeting.is_cancelled else 200,
    )


@login_required
@require_POST
def meeting_restore(request, public_id):
    meeting = selectors.get_meeting_for_manage(request.user, public_id)
    try:
        services.meeting_restore(user=request.user, meeting=meeting, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("L'annulation de la rencontre a été retirée."))
    return redirect("concertation:meeting-detail", public_id=meeting.public_id)
