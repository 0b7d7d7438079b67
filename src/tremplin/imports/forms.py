from django import forms
from django.utils.translation import gettext_lazy as _

from tremplin.core.tabular.mapping import IGNORE


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier CSV ou Excel (.xlsx)"),
        help_text=_(
            "Encodage UTF-8 ou Windows-1252, séparateur point-virgule, virgule ou tabulation ; "
            "des lignes de titre au-dessus des en-têtes sont permises."
        ),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
    sheet = forms.CharField(
        label=_("Feuille du classeur (facultatif)"),
        required=False,
        max_length=100,
        help_text=_("Par défaut, la première feuille."),
    )

    def __init__(self, *args, options_form=None, **kwargs):
        super().__init__(*args, **kwargs)
        if options_form is not None:
            for name, field in options_form.base_fields.items():
                self.fields[name] = field


class MappingForm(forms.Form):
    """One select per column of the file: the field it feeds, or nothing."""

    def __init__(self, *args, headers, fields, initial_mapping, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(IGNORE, _("— ignorer cette colonne —"))]
        for f in fields:
            label = f"{f.label} ({_('obligatoire')})" if f.required else f.label
            choices.append((f.key, label))
        self.columns = []
        for index, header in enumerate(headers):
            if not header:
                continue
            name = f"col_{index}"
            self.fields[name] = forms.ChoiceField(
                label=header,
                choices=choices,
                required=False,
                initial=initial_mapping.get(header, IGNORE),
            )
            self.columns.append((name, header))

    def mapping(self) -> dict[str, str]:
        return {header: self.cleaned_data.get(name) or IGNORE for name, header in self.columns}
