from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "tremplin.projects"
    label = "projects"
