"""The page where a supervisor or the privacy officer lifts a worker's hourly bar.

One view at two addresses: ``bulk-read-limits`` (``/suivis/lecture-massive/``, from a
supervisor's caseload) and ``privacy-bulk-read-limits`` (under ``confidentialite/``, in the
privacy officer's menu). Anonymous visitors are sent to the login page; every other role,
and a worker outside the supervisor's team named in the form, gets a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from tremplin.core.form_pages import service_errors

from ..selectors import hourly_file_limit
from . import selectors, services
from .forms import BulkReadLiftForm


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def bulk_read_limits(request):
    user = request.user
    if not selectors.can_lift(user):
        raise Http404
    form = BulkReadLiftForm(request.POST or None, max_extra=services.max_extra_files())
    worker = None
    if request.method == "POST":
        # Out of scope is a 404 whatever else the form holds; an empty choice is a form error.
        if request.POST.get("worker", "").strip():
            worker = selectors.get_liftable_user(user, request.POST["worker"])
        if form.is_valid() and worker is not None:
            try:
                lift = services.bulk_read_lift(
                    user=user,
                    worker=worker,
                    reason=form.cleaned_data["reason"],
                    extra_files=form.cleaned_data["extra_files"],
                    request=request,
                )
            except ValidationError as error:
                service_errors(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "Le blocage de %(name)s est levé : %(n)s dossiers de plus jusqu'à "
                        "%(time)s. La levée est inscrite au journal."
                    )
                    % {
                        "name": worker.get_full_name() or worker.username,
                        "n": lift.extra_files,
                        "time": timezone.localtime(lift.expires_at).strftime("%H:%M"),
                    },
                )
                return redirect(request.path)
    readers = selectors.readers_near_limit(user)
    if worker is not None and all(r.user.pk != worker.pk for r in readers):
        readers.append(selectors.reader_of(worker))
    chosen = form["worker"].value() if form.is_bound else request.GET.get("intervenant")
    return render(
        request,
        "casework/bulk_read_limits.html",
        {
            "form": form,
            "readers": readers,
            "chosen": str(chosen or ""),
            "limit": hourly_file_limit(),
            "near": selectors.near_threshold(hourly_file_limit()),
            "is_officer": user.membership.is_privacy_officer,
        },
    )
