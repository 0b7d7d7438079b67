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
):
    """The form page (see the module docstring).

    ``save()`` runs on a POST when ``allowed`` and ``form`` and ``others`` (formsets of the
    same page) are valid; ``success`` and ``to`` (a URL or a URL name, or a function of what
    ``save`` returned) say what follows. A POST shown again answers ``invalid_status``."""
    if request.method == "POST" and allowed and all(f.is_valid() for f in (form, *others)):
        try:
            saved = save()
        except ValidationError as error:
            service_errors(form, error)
        else:
            messages.success(request, success(saved) if callable(success) else success)
            return redirect(to(saved) if callable(to) else to)
    status = invalid_status if request.method == "POST" else 200
    return render(request, template, {"form": form, **(context or {})}, status=status)
