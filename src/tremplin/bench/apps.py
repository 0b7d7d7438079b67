from django.apps import AppConfig


class BenchConfig(AppConfig):
    """`tremplin bench`: the speed targets, measured on synthetic data. No product app imports it."""

    name = "tremplin.bench"
    label = "bench"
    verbose_name = "Bench"
