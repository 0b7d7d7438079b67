from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "tremplin.evaluation"
    label = "evaluation"

    def ready(self):
        from . import signals

        signals.connect()
