"""The public answer page of a campaign in a site: no account, mobile first, plain language.

Protection against double or abusive answers, without tracking anyone:

* a one-time token per device: a random value in a signed cookie; once it has been used for a
  campaign (only its digest is kept, with no link to the answer), that device may not answer
  again — except a staff tablet in the common room (``kiosk``), which answers for many people;
* a one-time token per form (a signed random value in the page): the same form sent twice
  (double tap, back button) is stored once;
* rate limiting by address (hashed) on Django's cache; a honeypot field for robots.

No address, time of day, account or device identifier is stored with an answer.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tremplin.audit.services import log_action
from tremplin.core import ratelimit

from . import answering, selectors, services
from .forms import AnswerForm, ContactForm
from .models import Source

DEVICE_COOKIE = "tremplin_enquete"
DEVICE_SALT = "tremplin.surveys.device"
DEVICE_MAX_AGE = 400 * 24 * 3600
KIOSK_COOKIE = "tremplin_enquete_tablette"
KIOSK_SALT = "tremplin.surveys.kiosk"
KIOSK_MAX_AGE = 12 * 3600
FORM_SALT = "tremplin.surveys.form"
FORM_MAX_AGE = 24 * 3600
HONEYPOT = "site_web"


def _device_token(request) -> str | None:
    return request.get_signed_cookie(DEVICE_COOKIE, default=None, salt=DEVICE_SALT)


def _is_kiosk(request, campaign) -> bool:
    value = request.get_signed_cookie(
        KIOSK_COOKIE, default=None, salt=KIOSK_SALT, max_age=KIOSK_MAX_AGE
    )
    return value == str(campaign.public_id)


def _closed_page(request, site, state):
    status = 410 if state == "closed" else 404
    return render(
        request,
        "surveys/answer_closed.html",
        {"site": site, "campaign": site.campaign, "state": state},
        status=status,
    )


def _no_store(response):
    patch_cache_control(response, no_store=True, private=True)
    return response


@require_http_methods(["GET", "POST"])
def answer(request, code):
    site = selectors.get_public_site(code)
    campaign = site.campaign
    today = timezone.localdate()
    state = campaign.status_on(today)
    if state != "open":
        return _closed_page(request, site, state)
    kiosk = _is_kiosk(request, campaign)
    token = _device_token(request)
    new_token = None
    if token is None:
        token = new_token = secrets.token_urlsafe(24)
    if not kiosk and new_token is None and services.token_used(campaign, "device", token):
        return _no_store(
            render(request, "surveys/answer_done.html", {"site": site, "campaign": campaign})
        )
    struct = answering.structure(campaign.version)
    is_post = request.method == "POST"
    form = AnswerForm(struct, request.POST if is_post else None)
    contact = None
    if campaign.allows_contact:
        contact = ContactForm(request.POST if is_post else None, prefix="contact")
    status = 200
    if is_post:
        scope = "surveys.answer.tablet" if kiosk else "surveys.answer"
        if not ratelimit.allow(scope, request, within=str(campaign.pk)):
            return _no_store(
                render(
                    request,
                    "surveys/answer_limited.html",
                    {"site": site, "campaign": campaign},
                    status=429,
                )
            )
        if request.POST.get(HONEYPOT, "").strip():
            return redirect("surveys:answer-thanks", code=site.code)
        try:
            nonce = signing.loads(
                request.POST.get("jeton", ""), salt=FORM_SALT, max_age=FORM_MAX_AGE
            )
        except signing.BadSignature:
            nonce = None
        contact_ok = contact is None or contact.is_valid()
        if nonce is None or not isinstance(nonce, str) or nonce.split(":")[0] != site.code:
            form.errors = {
                "__all__": [
                    _("Ce formulaire a expiré. Vérifiez vos réponses et envoyez-les de nouveau.")
                ]
            }
        elif new_token is not None:
            form.errors = {
                "__all__": [
                    _(
                        "Votre navigateur doit accepter les témoins (cookies) de ce site pour "
                        "répondre. Vérifiez vos réponses et envoyez-les de nouveau."
                    )
                ]
            }
        else:
            tokens = [("form", nonce)] + ([] if kiosk else [("device", token)])
            try:
                if not contact_ok:
                    # Check the answers too, so that every problem shows at once.
                    answering.clean_answers(struct, form.raw)
                    raise ValidationError({})
                services.response_submit(
                    site=site,
                    answers=form.raw,
                    source=Source.TABLET if kiosk else Source.ONLINE,
                    language=get_language() or "fr",
                    tokens=tokens,
                    today=today,
                    volunteer=contact.volunteer() if contact is not None else None,
                    struct=struct,
                )
            except services.AlreadySubmittedError:
                return _no_store(
                    render(
                        request, "surveys/answer_done.html", {"site": site, "campaign": campaign}
                    )
                )
            except ValidationError as error:
                form.set_errors(error)
            else:
                return redirect("surveys:answer-thanks", code=site.code)
        status = 400 if form.errors or not contact_ok else 200
    response = render(
        request,
        "surveys/answer.html",
        {
            "site": site,
            "campaign": campaign,
            "version": campaign.version,
            "form": form,
            "contact": contact,
            "kiosk": kiosk,
            "jeton": signing.dumps(f"{site.code}:{secrets.token_urlsafe(16)}", salt=FORM_SALT),
            "honeypot": HONEYPOT,
        },
        status=status,
    )
    if new_token is not None:
        response.set_signed_cookie(
            DEVICE_COOKIE,
            new_token,
            salt=DEVICE_SALT,
            max_age=DEVICE_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return _no_store(response)


def thanks(request, code):
    site = selectors.get_public_site(code)
    campaign = site.campaign
    return _no_store(
        render(
            request,
            "surveys/answer_thanks.html",
            {"site": site, "campaign": campaign, "kiosk": _is_kiosk(request, campaign)},
        )
    )


@login_required
@require_POST
def kiosk_start(request, public_id):
    """Turn this device into the common room's tablet for one site: several residents may
    answer on it. Staff sign out first, so that residents never reach their pages."""
    site = selectors.get_site_for_user(request.user, public_id)
    if site.campaign.status_on(timezone.localdate()) != "open":
        messages.error(request, _("Cette campagne n'est pas ouverte aujourd'hui."))
        return redirect("surveys:campaign-detail", public_id=site.campaign.public_id)
    log_action(
        site.campaign,
        "surveys.kiosk.start",
        user=request.user,
        request=request,
        data={"site": site.code},
    )
    logout(request)
    response = redirect("surveys:answer", code=site.code)
    response.set_signed_cookie(
        KIOSK_COOKIE,
        str(site.campaign.public_id),
        salt=KIOSK_SALT,
        max_age=KIOSK_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response
