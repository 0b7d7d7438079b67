import re

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.core.mail import EmailMultiAlternatives
from django.template import loader
from django.utils.translation import gettext_lazy as _

from tremplin.operations import mail


class TwoFactorCodeForm(forms.Form):
    """The six digits of an authenticator app; spaces and hyphens are tolerated."""

    code = forms.CharField(
        label=_("Code à six chiffres"),
        help_text=_(
            "Le code affiché en ce moment par votre application d'authentification "
            "(il change toutes les 30 secondes)."
        ),
        max_length=20,
        error_messages={"required": _("Entrez le code à six chiffres de votre application.")},
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "spellcheck": "false",
                "size": 8,
                "autofocus": True,
            }
        ),
    )

    def clean_code(self) -> str:
        code = re.sub(r"[\s-]", "", self.cleaned_data["code"])
        if not re.fullmatch(r"\d{6}", code):
            raise forms.ValidationError(
                _("Le code compte exactement six chiffres, sans lettres."), code="format"
            )
        return code


class LanguageForm(forms.Form):
    """The interface language, for every session of the user."""

    language = forms.ChoiceField(
        label=_("Langue de l'interface"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
        help_text=_(
            "Appliquée à toutes vos sessions, et à chaque connexion, sur tous vos appareils."
        ),
        error_messages={
            "required": _("Choisissez le français ou l'anglais."),
            "invalid_choice": _("Choisissez le français ou l'anglais."),
        },
    )


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's password-reset form, whose message goes through the e-mail queue
    (``tremplin.operations.mail``: a job, retried with backoff while the mail server is down)
    instead of being sent during the request."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        message = EmailMultiAlternatives(subject, body, from_email, [to_email])
        if html_email_template_name is not None:
            html = loader.render_to_string(html_email_template_name, context)
            message.attach_alternative(html, "text/html")
        mail.enqueue_message(message)
