from django.apps import AppConfig


class HousingConfig(AppConfig):
    name = "tremplin.housing"
    label = "housing"
