from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tremplin.audit.services import log_action

from . import two_factor
from .forms import TwoFactorCodeForm
from .services import two_factor_begin, two_factor_confirm, user_session_touch


class LoginView(auth_views.LoginView):
    """The password step; roles that read case files go on to the code step."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_success_url(self):
        url = super().get_success_url()
        user = self.request.user
        if two_factor.requires_two_factor(user) and not two_factor.is_verified(user):
            return _second_factor_url(user, url)
        return url


@login_required
def two_factor_verify(request):
    """The code step of every sign-in, for roles that require two-factor authentication."""
    user, next_url = request.user, _next_url(request)
    if not two_factor.requires_two_factor(user) or two_factor.is_verified(user):
        return redirect(next_url)
    device = two_factor.confirmed_device(user)
    if device is None:
        return redirect(_second_factor_url(user, next_url))
    form = TwoFactorCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and _code_accepted(request, device, form):
        _verified(request, device)
        return redirect(next_url)
    return _render_code_page(request, "accounts/two_factor_verify.html", device, form, next_url)


@login_required
def two_factor_setup(request):
    """First sign-in (or after a reset by the coordination): pair an authenticator app."""
    user, next_url = request.user, _next_url(request)
    if not two_factor.requires_two_factor(user) or two_factor.is_verified(user):
        return redirect(next_url)
    if two_factor.confirmed_device(user) is not None:
        # Only the coordination can replace a device (reset): a password alone never can.
        return redirect(_second_factor_url(user, next_url))
    device = two_factor_begin(user=user)
    form = TwoFactorCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and _code_accepted(request, device, form):
        two_factor_confirm(user=user, device=device, request=request)
        _verified(request, device)
        messages.success(
            request,
            _(
                "La double authentification est activée : à chaque connexion, Tremplin vous "
                "demandera un code de votre application."
            ),
        )
        return redirect(next_url)
    context = {
        "qr_svg": two_factor.qr_svg(
            device, _("Code QR à balayer avec votre application d'authentification")
        ),
        "secret": two_factor.secret_for_display(device),
        "config_url": two_factor.config_url(device),
    }
    return _render_code_page(
        request, "accounts/two_factor_setup.html", device, form, next_url, context
    )


# --- helpers -------------------------------------------------------------------------------


def _next_url(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _second_factor_url(user, next_url: str) -> str:
    name = (
        "accounts:two-factor"
        if two_factor.confirmed_device(user) is not None
        else "accounts:two-factor-setup"
    )
    return reverse(name) + "?" + urlencode({"next": next_url})


def _lock_message(lock: two_factor.Lock) -> str:
    if lock.locked_out:
        until = formats.time_format(timezone.localtime(lock.until), "TIME_FORMAT")
        return _(
            "Trop de codes erronés : par sécurité, la vérification est bloquée jusqu'à %(time)s. "
            "Si vous n'avez plus accès à votre application, demandez à la coordination régionale "
            "de réinitialiser votre double authentification."
        ) % {"time": until}
    return ngettext(
        "Code refusé trop récemment : attendez %(seconds)d seconde avant de réessayer.",
        "Code refusé trop récemment : attendez %(seconds)d secondes avant de réessayer.",
        lock.seconds,
    ) % {"seconds": lock.seconds}


def _code_accepted(request, device, form) -> bool:
    """Check the submitted code against ``device``, within the rate limits; on refusal the form
    carries a message saying why (and how many attempts are left)."""
    lock = two_factor.lock_state(device)
    if lock is not None:
        form.is_valid()
        form.add_error("code", _lock_message(lock))
        return False
    if not form.is_valid():
        return False
    if django_otp.verify_token(request.user, device.persistent_id, form.cleaned_data["code"]):
        return True
    device.refresh_from_db()
    left = two_factor.attempts_left(device)
    lock = two_factor.lock_state(device) if left == 0 else None
    if left == 0:
        log_action(
            request.user,
            "accounts.two_factor.lockout",
            request=request,
            data={"failures": device.throttling_failure_count},
        )
    if lock is not None and lock.locked_out:
        form.add_error("code", _lock_message(lock))
    else:
        form.add_error(
            "code",
            ngettext(
                "Ce code n'est pas le bon. Entrez le code affiché en ce moment par votre "
                "application (vérifiez aussi l'heure de votre téléphone). Il reste %(left)d "
                "essai avant un blocage temporaire.",
                "Ce code n'est pas le bon. Entrez le code affiché en ce moment par votre "
                "application (vérifiez aussi l'heure de votre téléphone). Il reste %(left)d "
                "essais avant un blocage temporaire.",
                left,
            )
            % {"left": left},
        )
    return False


def _verified(request, device) -> None:
    """Record in the session that the second factor was passed, under a new session key."""
    django_otp.login(request, device)
    request.session.cycle_key()
    user_session_touch(request=request, force=True)  # the session's row follows its new key


def _render_code_page(request, template, device, form, next_url, extra=None):
    lock = two_factor.lock_state(device)
    locked_out = lock is not None and lock.locked_out
    context = {
        "form": form,
        "next": next_url,
        "locked_out": locked_out,
        "lock_message": _lock_message(lock) if locked_out else "",
        **(extra or {}),
    }
    return render(request, template, context, status=429 if locked_out else 200)
