from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "tremplin.imports"
    verbose_name = "Importations"
