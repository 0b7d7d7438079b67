"""The lift form: the worker (from the list), the reason (required) and the extra files."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from ..reasons import reason_field


class BulkReadLiftForm(forms.Form):
    worker = forms.IntegerField(
        label=_("Utilisateur·trice"),
        error_messages={
            "required": _("Choisissez la personne dont le blocage est levé."),
            "invalid": _("Choisissez la personne dont le blocage est levé."),
        },
    )
    reason = reason_field(
        _("Raison"),
        _(
            "Pourquoi cette personne doit ouvrir d'autres dossiers dans l'heure (par exemple, "
            "reprise de la charge d'une collègue). N'y nommez aucune personne suivie : la "
            "raison est inscrite au journal des accès."
        ),
        error_messages={
            "required": _("Indiquez la raison de la levée du blocage."),
            "max_length": _("La raison dépasse %(limit_value)s caractères."),
        },
    )
    extra_files = forms.IntegerField(
        label=_("Dossiers supplémentaires pendant l'heure"),
        min_value=1,
        error_messages={
            "required": _("Indiquez le nombre de dossiers supplémentaires."),
            "invalid": _("Indiquez un nombre entier de dossiers."),
            "min_value": _("Indiquez au moins 1 dossier."),
            "max_value": _("Indiquez au plus %(limit_value)s dossiers."),
        },
    )

    def __init__(self, *args, max_extra: int, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["extra_files"]
        field.max_value = max_extra
        field.validators.append(MaxValueValidator(max_extra))
        field.widget.attrs.update({"max": max_extra, "min": 1})
        field.initial = max_extra
