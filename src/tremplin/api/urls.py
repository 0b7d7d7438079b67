from .api import api

# The namespace django-ninja reverses its own pages in (``api:openapi-json``).
app_name = "api"
urlpatterns = api.urls[0]
