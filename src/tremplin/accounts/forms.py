import re

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


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
