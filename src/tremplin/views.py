"""The project's own pages: they compose apps that sit side by side, so they live above them."""

from django.shortcuts import render

from tremplin.newsletter.views_public import public_home


def home(request):
    """Signed in: the program's work home. Anonymous: the public site's home page (program
    presentation, stories, upcoming events, newsletter subscription), from the newsletter app,
    which owns the public site."""
    if not request.user.is_authenticated:
        return public_home(request)
    return render(request, "core/home.html")
