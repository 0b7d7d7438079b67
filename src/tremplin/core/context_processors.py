from django.conf import settings


def tremplin(request):
    membership = (
        getattr(request.user, "membership", None) if request.user.is_authenticated else None
    )
    return {
        "membership": membership,
        "html_lang": "fr-CA"
        if (getattr(request, "LANGUAGE_CODE", None) or "fr").startswith("fr")
        else "en-CA",
        "demo_mode": getattr(settings, "TREMPLIN_DEMO", False),
    }
