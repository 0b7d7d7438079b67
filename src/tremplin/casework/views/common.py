"""What the pages of case files share: the page decorator (sign-in, no cache, the 429 of the
bulk-reading limit), and the form/POST/redirect steps of every write page (around
``core.form_pages``: a refused write is logged)."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from tremplin.core import form_pages

from .. import permissions, selectors, services

GET_POST = require_http_methods(["GET", "POST"])


def casework_page(view):
    """Sign-in required, never cached (``never_cache``: ``no-store`` among others, on the 429
    page too), and the bulk-reading limit answered with a 429 page."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except selectors.BulkReadBlockedError as blocked:
            response = render(
                request,
                "casework/bulk_read_blocked.html",
                {"limit": blocked.limit},
                status=429,
            )
        return response

    return login_required(never_cache(wrapped))


def require_caseworker(user):
    if not permissions.is_caseworker(user):
        raise Http404


def person_url(person, anchor=""):
    return reverse("casework:person-detail", args=[person.public_id]) + anchor


def log_refused(request, obj, action, error, person=None):
    services.log_refusal(request.user, obj, action, error, person=person, request=request)


def submitted(request, form, save, *, refused: str, obj=None, person=None):
    """The POST half of a write page (``core.form_pages.submitted``): what ``save()`` (a
    service call) returned once ``form`` is valid and the service accepted it, else None. A
    refused write is logged as ``refused`` (field names only, never content)."""
    saved = form_pages.submitted(
        request,
        form,
        save,
        refused=lambda form: log_refused(request, obj, refused, form.errors.as_data(), person),
    )
    return None if saved is form_pages.NOT_SAVED else saved


def done(request, message, to, *args, **kwargs):
    """After a write: the success message, then the redirect (a URL, or a URL name and its
    arguments)."""
    messages.success(request, message)
    return redirect(to, *args, **kwargs)


def form_page(request, form, person, title, submit, intro=None, **context):
    """The plain write page (``casework/form.html``): a title, an optional intro, the form."""
    context.update(form=form, person=person, title=title, intro=intro, submit=submit)
    return render(request, "casework/form.html", context)
