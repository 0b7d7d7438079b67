"""Background jobs of the directory (django-tasks; ``tremplin db_worker`` runs them)."""

from django_tasks import task

from . import printing


@task()
def render_directory_print(print_id: int) -> str:
    """Render a large printable Répertoire (see ``printing``)."""
    return printing.run_print(print_id)
