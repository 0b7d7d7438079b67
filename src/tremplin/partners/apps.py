from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "tremplin.partners"
    label = "partners"
