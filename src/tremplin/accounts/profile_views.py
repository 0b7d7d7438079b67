"""The profile page (« Mon compte ») and what it changes: the language, the open sessions, the
password and the authenticator app. Each part of the page is one section template under
``accounts/profile/``."""

import time

import django_otp
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from tremplin.audit.services import log_action

from . import selectors, services, two_factor
from .forms import LanguageForm, TwoFactorCodeForm
from .views import _code_accepted, _render_code_page

# Set in the session when the current code was confirmed, to pair a new app within this time.
CHANGE_SESSION_KEY = "_tremplin_two_factor_change"
CHANGE_SECONDS = 10 * 60
# The languages as their speakers name them (the radio buttons carry their own ``lang``).
LANGUAGE_NAMES = (("fr", "Français"), ("en", "English"))


@login_required
def profile(request):
    return _profile_page(request)


def _profile_page(request, language_form=None, status=200):
    user = request.user
    required = two_factor.requires_two_factor(user)
    device = two_factor.confirmed_device(user) if required else None
    stored = services.stored_language(user)
    form = language_form or LanguageForm(initial={"language": stored or request.LANGUAGE_CODE})
    return render(
        request,
        "accounts/profile.html",
        {
            "two_factor_required": required,
            "two_factor_since": timezone.localdate(device.created_at) if device else None,
            "can_change_authenticator": device is not None,
            "sessions": selectors.open_sessions(user, request),
            "language_form": form,
            "language_value": form["language"].value(),
            "language_names": LANGUAGE_NAMES,
            "stored_language": stored,
        },
        status=status,
    )


@login_required
@require_POST
def language_set(request):
    form = LanguageForm(request.POST)
    if not form.is_valid():
        return _profile_page(request, language_form=form, status=400)
    language = form.cleaned_data["language"]
    services.language_set(user=request.user, language=language, request=request)
    with translation.override(language):
        messages.success(request, _("Langue enregistrée : elle s'applique à toutes vos sessions."))
    return redirect(reverse("accounts:profile") + "#langue")


@login_required
@require_POST
def session_end(request, public_id):
    row = selectors.get_open_session(request.user, public_id)
    if row.pk == services.current_session_id(request) or (
        row.session_key == request.session.session_key
    ):
        log_action(
            request.user,
            "accounts.session.end",
            request=request,
            data={"session": str(row.public_id), "reason": "current"},
        )
        logout(request)
        return redirect("accounts:login")
    services.user_session_end(user=request.user, user_session=row, request=request)
    messages.success(request, _("Session terminée : cet appareil devra se reconnecter."))
    return redirect(reverse("accounts:profile") + "#sessions")


@login_required
@require_POST
def sessions_end_others(request):
    count = services.user_sessions_end_others(user=request.user, request=request)
    if count:
        message = ngettext(
            "%(count)d autre session terminée.", "%(count)d autres sessions terminées.", count
        ) % {"count": count}
    else:
        message = _("Aucune autre session n'était ouverte.")
    messages.success(request, message)
    return redirect(reverse("accounts:profile") + "#sessions")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change (old password, the project's validators); this session stays
    open under a new key, every other session of the user ends."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password-change-done")

    def form_valid(self, form):
        response = super().form_valid(form)  # keeps this session (update_session_auth_hash)
        request = self.request
        services.user_session_touch(request=request, force=True)
        ended = services.user_sessions_end_others(
            user=request.user, request=request, reason="password"
        )
        log_action(
            request.user,
            "accounts.password.change",
            request=request,
            data={"sessions_ended": ended},
        )
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """A password reset by email (the old one may be known to someone else): every session of
    the user ends."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.user_sessions_end_all(user=form.user, request=self.request)
        return response


# --- changing the authenticator app ---------------------------------------------------------


def _device_to_change(request):
    """The confirmed device of a user who signs in with a code; 404 for everyone else."""
    user = request.user
    device = two_factor.confirmed_device(user) if two_factor.requires_two_factor(user) else None
    if device is None:
        raise Http404
    return device


@login_required
def two_factor_change(request):
    """Step 1: confirm with a code of the app in use now (a password alone never replaces it)."""
    device = _device_to_change(request)
    form = TwoFactorCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and _code_accepted(request, device, form):
        request.session[CHANGE_SESSION_KEY] = int(time.time())
        return redirect("accounts:two-factor-change-new")
    return _render_code_page(
        request, "accounts/two_factor_change.html", device, form, reverse("accounts:profile")
    )


@login_required
def two_factor_change_new(request):
    """Step 2: pair the new app; the old one keeps working until its first code is accepted."""
    _device_to_change(request)
    confirmed_at = request.session.get(CHANGE_SESSION_KEY) or 0
    if time.time() - confirmed_at > CHANGE_SECONDS:
        return redirect("accounts:two-factor-change")
    user = request.user
    device = services.two_factor_begin(user=user)
    form = TwoFactorCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and _code_accepted(request, device, form):
        services.two_factor_change(user=user, device=device, request=request)
        django_otp.login(request, device)  # this session stays verified, with the new device
        request.session.pop(CHANGE_SESSION_KEY, None)
        messages.success(
            request,
            _(
                "Nouvelle application d'authentification activée : l'ancienne ne donne plus de "
                "codes valides pour Tremplin."
            ),
        )
        return redirect(reverse("accounts:profile") + "#double-authentification")
    context = {
        "qr_svg": two_factor.qr_svg(
            device, _("Code QR à balayer avec votre application d'authentification")
        ),
        "secret": two_factor.secret_for_display(device),
        "config_url": two_factor.config_url(device),
    }
    return _render_code_page(
        request,
        "accounts/two_factor_change_new.html",
        device,
        form,
        reverse("accounts:profile"),
        context,
    )
