"""The entities that can be imported, each by its app's importer (``tremplin.core.tabular``).

Imported lazily: this app knows every app's importer, no app knows this one.
"""

from django.utils.module_loading import import_string

ENTITIES = {
    "directory": "tremplin.housing.importing.DirectoryImporter",
    "subscribers": "tremplin.newsletter.importing.SubscriberImporter",
    "partners": "tremplin.partners.importing.PartnerImporter",  # with their contacts
    "projects": "tremplin.projects.importing.ProjectImporter",
    "activities": "tremplin.projects.importing.ActivityImporter",
    "attendance": "tremplin.events.importing.AttendanceImporter",
    "answers": "tremplin.surveys.importing.AnswerImporter",
}


def available() -> dict[str, type]:
    """Entity → importer class, for the importers that exist in this version."""
    out = {}
    for entity, path in ENTITIES.items():
        try:
            out[entity] = import_string(path)
        except ImportError:
            continue
    return out


def importer_class(entity: str):
    """The importer of ``entity``; KeyError when there is none."""
    return available()[entity]
