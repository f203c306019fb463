"""``/healthz``: is every part of the stack answering? (django-health-check)

200 when all of these pass, 500 (and which failed, in words) otherwise:

* **database** — ``SELECT 1`` on a fresh connection;
* **cache** — a value written and read back (the shared Redis cache in compose);
* **broker** — a connection to ``CELERY_BROKER_URL``;
* **storage** — a file written, read and deleted in ``MEDIA_ROOT`` (where uploads go);
* **worker** — a worker answered recently on each queue of ``YUJUE_HEARTBEAT_QUEUES``
  (``default``: the parsing worker, ``maintenance``: the sweep's): the scheduler (celery
  beat) sends :func:`heartbeat` to each every ``YUJUE_HEARTBEAT_EVERY_SECONDS`` (60), the
  worker that runs it writes the time to the cache, and the check fails once that time is
  older than ``YUJUE_WORKER_SILENT_AFTER_SECONDS`` (600: longer than a parse may take, so
  a worker busy with a long file is not counted as gone). It fails as well while no
  worker, or no scheduler, has run since the cache was emptied.

In the embedded default (no broker: tasks run in the web process) there is no broker and
no worker to wait for; those two checks pass and say so.

The answer names the checks and what failed, never a host, a URL or a password: the
messages below are fixed strings, and django-health-check logs the exceptions instead of
showing them.
"""

from __future__ import annotations

import dataclasses
import time

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from health_check import Cache, Database, Storage
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView
from kombu import Connection

from .celery_app import app


def heartbeat_key(queue: str) -> str:
    return f"yujue:worker-heartbeat:{queue}"


@shared_task(name="config.health.heartbeat", ignore_result=True)
def heartbeat(queue: str = "default") -> None:
    """Periodic (celery beat, once per queue): a worker of ``queue`` ran a task just now."""
    cache.set(heartbeat_key(queue), time.time(), timeout=None)


def _tasks_run_in_process() -> bool:
    return bool(app.conf.task_always_eager)


@dataclasses.dataclass
class Broker(HealthCheck):
    """The Celery broker accepts a connection."""

    def run(self) -> None:
        if _tasks_run_in_process():
            return  # no broker: tasks run in the web process
        try:
            with Connection(
                app.conf.broker_url,
                connect_timeout=3,
                transport_options={"socket_connect_timeout": 3, "socket_timeout": 3},
            ) as connection:
                connection.ensure_connection(
                    max_retries=1, interval_start=0, interval_step=0, timeout=4
                )
        except Exception as exc:  # the message names the host: never shown
            raise ServiceUnavailable("broker unreachable") from exc


@dataclasses.dataclass
class Worker(HealthCheck):
    """On each heartbeat queue, a worker ran the periodic heartbeat within
    YUJUE_WORKER_SILENT_AFTER_SECONDS."""

    def run(self) -> None:
        if _tasks_run_in_process():
            return  # no worker: tasks run in the web process
        queues = settings.YUJUE_HEARTBEAT_QUEUES
        try:
            beats = cache.get_many([heartbeat_key(q) for q in queues])
        except Exception as exc:
            raise ServiceUnavailable("worker heartbeat unreadable (cache down)") from exc
        for queue in queues:
            last = beats.get(heartbeat_key(queue))
            if last is None:
                raise ServiceUnavailable(
                    f"no worker has answered on queue {queue} yet (worker or scheduler down)"
                )
            silent = time.time() - float(last)
            if silent > settings.YUJUE_WORKER_SILENT_AFTER_SECONDS:
                raise ServiceUnavailable(
                    f"no worker answered on queue {queue} for {int(silent)} s "
                    "(worker or scheduler down)"
                )


CHECKS = [Database, Cache, Broker, Storage, Worker]

healthz = HealthCheckView.as_view(checks=CHECKS)
