"""Run a management command that stops dead at a chosen point, for the crash-safety tests.

    python -m tremplin.operations.crashpoint MODULE:NAME COUNT -- COMMAND [ARGS…]

``MODULE.NAME`` (a function looked up by name when called, or a dotted path from the module
to a method of an object, e.g. ``IndicatorFact.objects.bulk_create``) is wrapped: once its COUNT-th call
has returned, the process prints ``CRASH POINT`` on standard error and waits, so that the test
kills it with SIGKILL at that exact point. Nothing of this runs unless started this way.
"""

from __future__ import annotations

import functools
import importlib
import os
import sys
import time


def main(argv: list[str]) -> None:
    target, count, separator, *command = argv
    if separator != "--":
        raise SystemExit(__doc__)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tremplin.settings")
    import django

    django.setup()
    module_name, path = target.split(":")
    owner = importlib.import_module(module_name)
    *parents, name = path.split(".")
    for parent in parents:  # e.g. IndicatorFact.objects.bulk_create
        owner = getattr(owner, parent)
    original = getattr(owner, name)
    calls = [0]

    @functools.wraps(original)
    def wrapper(*args, **kwargs):
        result = original(*args, **kwargs)
        calls[0] += 1
        if calls[0] == int(count):
            sys.stderr.write(f"CRASH POINT {target} #{count}\n")
            sys.stderr.flush()
            time.sleep(300)
        return result

    setattr(owner, name, wrapper)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["tremplin", *command])


if __name__ == "__main__":
    main(sys.argv[1:])
