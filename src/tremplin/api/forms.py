from django import forms
from django.utils.translation import gettext_lazy as _

from . import scopes as scope_list
from .services import DEFAULT_DAYS, MAX_DAYS


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Nom du jeton"),
        max_length=100,
        help_text=_("Pour le reconnaître : l'outil ou l'appareil qui s'en sert (« Power BI »)."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Portées"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Le jeton ne donne jamais plus que votre rôle, et seulement ces parties."),
    )
    days = forms.IntegerField(
        label=_("Expire dans (jours)"),
        min_value=1,
        max_value=MAX_DAYS,
        initial=DEFAULT_DAYS,
        help_text=_("Un an au plus."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scopes"].choices = [
            (s.id, f"{s.id} — {s.label}") for s in scope_list.allowed_scopes(user)
        ]
