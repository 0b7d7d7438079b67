from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "tremplin.operations"
    label = "operations"
