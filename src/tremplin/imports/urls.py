from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.history, name="history"),
    path("<uuid:public_id>/", views.review, name="review"),
    path("<uuid:public_id>/correspondance/", views.mapping, name="mapping"),
    path("<uuid:public_id>/rejets.xlsx", views.rejected, name="rejected"),
    path("<uuid:public_id>/annuler/", views.undo, name="undo"),
    path("<slug:entity>/", views.upload, name="upload"),
]
