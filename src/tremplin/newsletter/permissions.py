"""Who does what on the public site and the newsletter.

Anyone (no account) reads what is published: pages, published stories, sent editions. The
coordination writes the pages and editions, and manages subscribers and imports. A project's
story is written and published by whoever may edit the project (its territory's organizer, or
the coordination: ``projects.permissions.can_edit_project``).
"""

from tremplin.accounts.roles import Role, has_role
from tremplin.projects import permissions as project_permissions


def is_coordination(user) -> bool:
    return has_role(user, Role.COORDINATION)


def can_manage_newsletter(user) -> bool:
    """Editions, subscribers, imports and the site's pages."""
    return is_coordination(user)


def can_write_stories(user) -> bool:
    """May open the stories page (each story still needs ``can_edit_story``)."""
    return has_role(user, Role.COORDINATION, Role.ORGANIZER)


def can_edit_story(user, project) -> bool:
    return can_write_stories(user) and project_permissions.can_edit_project(user, project)
