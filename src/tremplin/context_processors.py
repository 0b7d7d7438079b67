"""The context every page's layout reads: the user's membership, the menu's rules, the page's
language. Project level: the menu asks the apps' own rules (evaluation's, for its entry)."""

from django.conf import settings

from tremplin.evaluation.permissions import can_read_evaluation


def tremplin(request):
    membership = (
        getattr(request.user, "membership", None) if request.user.is_authenticated else None
    )
    return {
        "membership": membership,
        # The evaluation's rule (a set of roles) lives with it; the menu only asks.
        "can_read_evaluation": membership is not None and can_read_evaluation(request.user),
        "html_lang": "fr-CA"
        if (getattr(request, "LANGUAGE_CODE", None) or "fr").startswith("fr")
        else "en-CA",
        "demo_mode": getattr(settings, "TREMPLIN_DEMO", False),
    }
