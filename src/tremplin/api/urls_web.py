from django.urls import path

from . import views

app_name = "tokens"
urlpatterns = [
    path("nouveau/", views.token_create, name="create"),
    path("<uuid:public_id>/revoquer/", views.token_revoke, name="revoke"),
    path("tous/", views.token_list_all, name="all"),
]
