from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "tremplin.operations"
    label = "operations"

    def ready(self):
        from django_tasks.signals import task_finished, task_started

        from . import logs

        task_started.connect(logs.job_started, dispatch_uid="tremplin.operations.job_started")
        task_finished.connect(logs.job_finished, dispatch_uid="tremplin.operations.job_finished")
