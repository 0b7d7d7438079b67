from django import forms
from django.utils.translation import gettext_lazy as _

from .models import LANGUAGES, Edition, Section, SitePage, Story

FORMATTING_HELP = _(
    "Texte simple : laissez une ligne vide entre les paragraphes ; les adresses web deviennent "
    "des liens. Mise en forme possible : <strong>, <em>, <a href>, <ul>/<ol>/<li>, <h2>, <h3>, "
    "<blockquote>. Tout autre code est retiré."
)
ENGLISH_HELP = _("Facultatif : sans version anglaise, le texte français est affiché en anglais.")
IMAGE_ACCEPT = "image/jpeg,image/png"


def _textarea(rows=8):
    return forms.Textarea(attrs={"rows": rows})


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=_("Adresse courriel"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    language = forms.ChoiceField(
        label=_("Langue de l'infolettre"),
        choices=LANGUAGES,
        initial="fr",
        widget=forms.RadioSelect,
    )
    consent = forms.BooleanField(
        label=_(
            "J'accepte de recevoir l'infolettre du soutien communautaire en logement social et "
            "communautaire de Chaudière-Appalaches (quatre fois par année). Je peux me désabonner "
            "en tout temps par le lien présent dans chaque message."
        ),
        error_messages={"required": _("Cochez la case pour donner votre consentement.")},
    )
    # A field people never see (hidden by the style sheet); robots fill it in.
    website = forms.CharField(
        label=_("Laissez ce champ vide"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )


class ConfirmForm(forms.Form):
    """An empty form: the confirmation is a POST (link checkers only follow GET links)."""


class SitePageForm(forms.ModelForm):
    class Meta:
        model = SitePage
        fields = ["title", "title_en", "body", "body_en"]
        widgets = {"body": _textarea(14), "body_en": _textarea(14)}
        help_texts = {"body": FORMATTING_HELP, "body_en": ENGLISH_HELP, "title_en": ENGLISH_HELP}


class StoryForm(forms.ModelForm):
    image_file = forms.FileField(
        label=_("Image (JPEG ou PNG, 2 Mo au plus)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT}),
        help_text=_("Aucune personne reconnaissable sans son consentement écrit."),
    )
    remove_image = forms.BooleanField(label=_("Retirer l'image actuelle"), required=False)

    class Meta:
        model = Story
        fields = ["title", "title_en", "body", "body_en", "image_alt", "image_alt_en"]
        widgets = {"body": _textarea(14), "body_en": _textarea(14)}
        help_texts = {
            "title": _("Le titre de l'histoire, tel qu'il paraîtra sur le site public."),
            "body": FORMATTING_HELP,
            "body_en": ENGLISH_HELP,
            "title_en": ENGLISH_HELP,
            "image_alt": _("Ce que montre l'image, pour les personnes qui ne la voient pas."),
        }


class PublishForm(forms.Form):
    no_personal_information = forms.BooleanField(
        label=_(
            "Je confirme que cette histoire ne contient aucun renseignement personnel : aucun "
            "nom de locataire, aucune adresse ni coordonnée, aucune personne reconnaissable sur "
            "l'image sans son consentement écrit."
        ),
        error_messages={
            "required": _(
                "Cochez la case : une histoire publique ne contient aucun renseignement personnel."
            )
        },
    )


class EditionForm(forms.ModelForm):
    class Meta:
        model = Edition
        fields = ["number", "season", "year", "title", "title_en"]
        help_texts = {"title_en": ENGLISH_HELP}


class TextSectionForm(forms.ModelForm):
    class Meta:
        model = Section
        fields = ["heading", "heading_en", "body", "body_en"]
        widgets = {"body": _textarea(12), "body_en": _textarea(12)}
        help_texts = {"body": FORMATTING_HELP, "body_en": ENGLISH_HELP}


class ImageSectionForm(forms.ModelForm):
    image_file = forms.FileField(
        label=_("Image (JPEG ou PNG, 2 Mo au plus)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT}),
    )

    class Meta:
        model = Section
        fields = ["heading", "heading_en", "image_alt", "image_alt_en", "body", "body_en"]
        widgets = {"body": _textarea(4), "body_en": _textarea(4)}
        labels = {"body": _("Légende"), "body_en": _("Légende (anglais)")}
        help_texts = {
            "image_alt": _("Ce que montre l'image, pour les personnes qui ne la voient pas.")
        }


class StorySectionForm(forms.ModelForm):
    class Meta:
        model = Section
        fields = ["heading", "heading_en", "story"]
        help_texts = {"heading": _("Facultatif : un intertitre au-dessus de la carte.")}

    def __init__(self, *args, stories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["story"].queryset = stories
        self.fields["story"].required = True
        self.fields["story"].empty_label = _("— Choisir une histoire publiée —")


SECTION_FORMS = {"text": TextSectionForm, "image": ImageSectionForm, "story": StorySectionForm}


class ScheduleForm(forms.Form):
    send_after = forms.DateTimeField(
        label=_("Envoyer plus tard (facultatif)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Laissez vide pour envoyer maintenant. Heure du Québec."),
    )


class TestSendForm(forms.Form):
    language = forms.ChoiceField(label=_("Langue"), choices=LANGUAGES, initial="fr")
