"""The usual page around a form: shown on GET; on a POST whose forms are valid, the service is
called, and it may still refuse (its ``ValidationError`` goes back to the form, nothing is
saved); once saved, a success message and a redirect (POST/redirect/GET).

    form = CommitteeForm(request.POST or None, instance=committee, user=request.user)
    return form_page(
        request,
        form,
        lambda: services.committee_save(user=request.user, committee=form.save(commit=False)),
        success=_("Le comité a été enregistré."),
        to=lambda saved: reverse("app:committee-detail", args=[saved.public_id]),
        template="app/committee_form.html",
        context={"committee": committee},
    )

Its parts serve the pages that need something else around them: ``submitted`` is its POST half
(what the service returned, or ``NOT_SAVED``; ``refused`` is told of every refused POST: the
case files log them), ``action`` the page-less POST that only calls a service (publish, cancel,
delete: a message either way, then a redirect), ``refusal_messages`` a refusal as messages.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render


def service_errors(form, error: ValidationError) -> None:
    """Put a service's refusal on the form: on its fields where the form has them (a form may
    say how, with ``add_service_errors``), else at the top."""
    add = getattr(form, "add_service_errors", None)
    if add is not None:
        add(error)
    elif hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for item in errors:
                form.add_error(target, item.messages)
    else:
        form.add_error(None, error)


NOT_SAVED = object()
"""What ``submitted`` returns when nothing was saved (a service may return None)."""


def submitted(
    request,
    form,
    save: Callable[[], object],
    *,
    others=(),
    allowed: bool = True,
    refused: Callable[[object], None] | None = None,
    errors: Callable[[object, ValidationError], None] = service_errors,
):
    """The POST half of a form page: what ``save()`` returned, once ``form`` and ``others``
    are valid and the service accepted them; else ``NOT_SAVED`` (on a GET too). A service's
    ``ValidationError`` goes on the form (``errors(form, error)``); ``refused(form)`` is called
    after a refused POST."""
    if request.method != "POST" or not allowed:
        return NOT_SAVED
    if all(f.is_valid() for f in (form, *others)):
        try:
            return save()
        except ValidationError as error:
            errors(form, error)
    if refused is not None:
        refused(form)
    return NOT_SAVED


def form_page(
    request,
    form,
    save: Callable[[], object],
    *,
    success: str | Callable[[object], str],
    to: str | Callable[[object], str],
    template: str,
    context: dict | None = None,
    others=(),
    allowed: bool = True,
    invalid_status: int = 200,
    errors: Callable[[object, ValidationError], None] = service_errors,
):
    """The form page (see the module docstring).

    ``save()`` runs on a POST when ``allowed`` and ``form`` and ``others`` (formsets of the
    same page) are valid; ``success`` and ``to`` (a URL or a URL name, or a function of what
    ``save`` returned) say what follows. A POST shown again answers ``invalid_status``;
    ``errors`` puts a service's refusal on the form (``service_errors``)."""
    saved = submitted(request, form, save, others=others, allowed=allowed, errors=errors)
    if saved is not NOT_SAVED:
        messages.success(request, success(saved) if callable(success) else success)
        return redirect(to(saved) if callable(to) else to)
    status = invalid_status if request.method == "POST" else 200
    return render(request, template, {"form": form, **(context or {})}, status=status)


def refusal_messages(request, error: ValidationError, *, joined: bool = False) -> None:
    """A service's refusal shown as error messages: one a reason, or ``joined`` in one."""
    if joined:
        messages.error(request, " ".join(error.messages))
    else:
        for message in error.messages:
            messages.error(request, message)


def action(
    request,
    run: Callable[[], object],
    *,
    success: str | Callable[[object], str] | None,
    to: str,
    refused_to: str | None = None,
    joined: bool = False,
):
    """A POST that only calls a service: ``run()``, then its ``success`` message (or a function
    of what it returned; None: no message), or its refusal as error messages
    (``refusal_messages``); then the redirect to ``to`` (a URL or a URL name), or
    ``refused_to`` after a refusal when given."""
    try:
        done = run()
    except ValidationError as error:
        refusal_messages(request, error, joined=joined)
        return redirect(refused_to or to)
    if success is not None:
        messages.success(request, success(done) if callable(success) else success)
    return redirect(to)
