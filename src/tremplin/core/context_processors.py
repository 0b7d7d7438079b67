from django.conf import settings


def tremplin(request):
    membership = (
        getattr(request.user, "membership", None) if request.user.is_authenticated else None
    )
    from tremplin.evaluation.permissions import can_read_evaluation

    return {
        "membership": membership,
        # The evaluation's rule (a set of roles) lives with it; the menu only asks.
        "can_read_evaluation": membership is not None and can_read_evaluation(request.user),
        "html_lang": "fr-CA"
        if (getattr(request, "LANGUAGE_CODE", None) or "fr").startswith("fr")
        else "en-CA",
        "demo_mode": getattr(settings, "TREMPLIN_DEMO", False),
    }
