from django.http import HttpResponsePermanentRedirect
from django.shortcuts import render


def not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def forbidden(request, exception=None):
    return render(request, "errors/403.html", status=403)


def server_error(request):
    return render(request, "errors/500.html", status=500)


def favicon(request):
    """Browsers ask for /favicon.ico wherever a page names no icon (a PDF opened in the browser,
    a feed): answer with the site's icon instead of a 404 in their console."""
    from django.templatetags.static import static

    response = HttpResponsePermanentRedirect(static("img/favicon.svg"))
    response["Cache-Control"] = "public, max-age=86400"
    return response
