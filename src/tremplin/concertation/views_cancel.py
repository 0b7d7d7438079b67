"""Cancelling a meeting, and undoing it: the same permission as editing the meeting (404
otherwise). A cancelled meeting stays in the committee's history with its reason."""

from django.contrib.auth.decorators import login_required
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tremplin.core.form_pages import action, form_page

from . import selectors, services
from .forms_pages import MeetingCancelForm
from .views import meeting_page_context


@login_required
@require_http_methods(["GET", "POST"])
def meeting_cancel(request, public_id):
    meeting = selectors.get_meeting_for_manage(request.user, public_id)
    form = MeetingCancelForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: services.meeting_cancel(
            user=request.user,
            meeting=meeting,
            reason=form.cleaned_data["cancellation_reason"],
            request=request,
        ),
        allowed=not meeting.is_cancelled,
        success=_("La rencontre a été annulée."),
        to=reverse("concertation:meeting-detail", args=[meeting.public_id]),
        template="concertation/meeting_cancel.html",
        context=meeting_page_context(meeting),
        invalid_status=200 if meeting.is_cancelled else 400,
    )


@login_required
@require_POST
def meeting_restore(request, public_id):
    meeting = selectors.get_meeting_for_manage(request.user, public_id)
    return action(
        request,
        lambda: services.meeting_restore(user=request.user, meeting=meeting, request=request),
        success=_("L'annulation de la rencontre a été retirée."),
        to=reverse("concertation:meeting-detail", args=[meeting.public_id]),
        joined=True,
    )
