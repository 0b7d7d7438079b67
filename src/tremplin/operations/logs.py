"""Structured logs: one JSON line per request and per background job.

A line holds numbers and identifiers only: the time, the user's id (an integer, never a name
or an address), the route's name (``housing:directory``, never the path or the query string,
which may hold a search for a person's name), the status, the duration and the number of
database queries; for a job, its task's name, its attempt and its outcome. Never a name, an
e-mail address or a note.

The lines go to the ``tremplin.requests`` and ``tremplin.jobs`` loggers (standard error, see
``LOGGING`` in settings); ``TREMPLIN_REQUEST_LOG=0`` turns the request lines off.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time

from django.db import connections

requests_log = logging.getLogger("tremplin.requests")
jobs_log = logging.getLogger("tremplin.jobs")


class JsonFormatter(logging.Formatter):
    """The record's ``fields`` (a dict) as one JSON line, with its time."""

    def format(self, record):
        fields = getattr(record, "fields", None) or {"message": record.getMessage()}
        line = {"time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat()}
        line.update(fields)
        return json.dumps(line, ensure_ascii=False, default=str)


class _QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class RequestLogMiddleware:
    """Outermost middleware: times the request and counts its queries on every database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not requests_log.isEnabledFor(logging.INFO):
            return self.get_response(request)
        counter = _QueryCounter()
        start = time.perf_counter()
        wrappers = [c.execute_wrapper(counter) for c in connections.all(initialized_only=False)]
        for wrapper in wrappers:
            wrapper.__enter__()
        try:
            response = self.get_response(request)
        finally:
            for wrapper in reversed(wrappers):
                wrapper.__exit__(None, None, None)
        user = getattr(request, "user", None)
        match = getattr(request, "resolver_match", None)
        requests_log.info(
            "request",
            extra={
                "fields": {
                    "event": "request",
                    "method": request.method,
                    "route": match.view_name if match else None,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - start) * 1000, 1),
                    "queries": counter.count,
                    "user": user.pk if user is not None and user.is_authenticated else None,
                }
            },
        )
        return response


def _job_fields(task_result) -> dict:
    return {
        "event": "job",
        "task": task_result.task.module_path,
        "id": str(task_result.id),
        "attempt": getattr(task_result, "attempts", None),
        "status": str(task_result.status),
    }


def job_started(sender, task_result, **kwargs):
    jobs_log.info("job", extra={"fields": {**_job_fields(task_result), "phase": "started"}})


def job_finished(sender, task_result, **kwargs):
    fields = _job_fields(task_result)
    started, finished = task_result.started_at, task_result.finished_at
    if started and finished:
        fields["duration_ms"] = round((finished - started).total_seconds() * 1000, 1)
    level = logging.WARNING if fields["status"] == "FAILED" else logging.INFO
    jobs_log.log(level, "job", extra={"fields": {**fields, "phase": "finished"}})
