"""The token pages: create (from the profile page, shown once), revoke, and the staff list
(the coordination revokes any token; the privacy officer sees every token's use)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import TokenForm


@login_required
@require_POST
def token_create(request):
    form = TokenForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            token, raw = services.token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                days=form.cleaned_data["days"],
                request=request,
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            # Rendered, not redirected: the secret is in this answer only (never stored).
            return render(request, "api/token_created.html", {"token": token, "secret": raw})
    return render(request, "api/token_form.html", {"form": form}, status=400)


@login_required
@require_POST
def token_revoke(request, public_id):
    token = selectors.get_token_for_revoke(request.user, public_id)
    services.token_revoke(token=token, by=request.user, request=request)
    messages.success(
        request, _("Jeton %(prefix)s… révoqué : il ne donne plus accès.") % {"prefix": token.prefix}
    )
    if request.POST.get("from") == "all" and selectors.can_see_token_use(request.user):
        return redirect("tokens:all")
    return redirect(reverse("accounts:profile") + "#jetons")


@login_required
def token_list_all(request):
    """Every account's tokens (coordination: revoke; privacy officer: see their use)."""
    tokens = selectors.all_tokens(request.user)
    return render(
        request,
        "api/token_list_all.html",
        {
            "tokens": tokens[:500],
            "can_revoke": selectors.can_manage_all_tokens(request.user),
        },
    )
