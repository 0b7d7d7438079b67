from django.urls import path

from . import views

app_name = "operations"
urlpatterns = [
    path("sante/", views.health, name="health"),
]
