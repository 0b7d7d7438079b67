"""Case files (urls_casework) and the privacy officer's pages (urls_privacy), one namespace."""

from . import urls_casework, urls_privacy

app_name = "casework"

urlpatterns = urls_casework.urlpatterns + urls_privacy.urlpatterns
