"""What the bench's tests share."""

import pytest


@pytest.fixture(autouse=True)
def plain_static(settings):
    """Pages render without a collected static manifest."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
