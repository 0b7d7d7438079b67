from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import forms, profile_views, views

app_name = "accounts"
urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("mon-compte/", profile_views.profile, name="profile"),
    path("mon-compte/langue/", profile_views.language_set, name="language"),
    path(
        "mon-compte/sessions/autres/terminer/",
        profile_views.sessions_end_others,
        name="sessions-end-others",
    ),
    path(
        "mon-compte/sessions/<uuid:public_id>/terminer/",
        profile_views.session_end,
        name="session-end",
    ),
    path("double-authentification/", views.two_factor_verify, name="two-factor"),
    path(
        "double-authentification/configurer/",
        views.two_factor_setup,
        name="two-factor-setup",
    ),
    path(
        "double-authentification/changer/",
        profile_views.two_factor_change,
        name="two-factor-change",
    ),
    path(
        "double-authentification/changer/nouvelle/",
        profile_views.two_factor_change_new,
        name="two-factor-change-new",
    ),
    path(
        "mot-de-passe/",
        profile_views.PasswordChangeView.as_view(),
        name="password-change",
    ),
    path(
        "mot-de-passe/modifie/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password-change-done",
    ),
    path(
        "mot-de-passe/oublie/",
        auth_views.PasswordResetView.as_view(
            form_class=forms.QueuedPasswordResetForm,
            template_name="accounts/password_reset.html",
            email_template_name="accounts/email/password_reset.txt",
            subject_template_name="accounts/email/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password-reset-done"),
        ),
        name="password-reset",
    ),
    path(
        "mot-de-passe/oublie/envoye/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password-reset-done",
    ),
    path(
        "mot-de-passe/reinitialiser/<uidb64>/<token>/",
        profile_views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "mot-de-passe/reinitialise/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password-reset-complete",
    ),
]
