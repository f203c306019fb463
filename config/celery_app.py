"""The one Celery app. Settings come from Django settings under the CELERY_ namespace."""

import logging
import os
import resource

from celery import Celery
from celery.signals import worker_init, worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("yujue")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

log = logging.getLogger(__name__)


def limit_address_space() -> int | None:
    """Cap this process's address space (YUJUE_PARSE_ADDRESS_SPACE_MB): a file built to
    exhaust memory makes an allocation fail (MemoryError → the disclosure is failed with
    a reason) instead of taking the machine down. Returns the limit in bytes."""
    from django.conf import settings

    limit = int(settings.YUJUE_PARSE_ADDRESS_SPACE_MB) * 1024 * 1024
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):  # not permitted here: the memory-per-child cap remains
        log.warning("could not limit the worker's address space", exc_info=True)
        return None
    return limit


@worker_process_init.connect
def _limit_pool_child(**kwargs):  # prefork: each child that parses
    limit_address_space()


@worker_init.connect
def _limit_inline_worker(sender=None, **kwargs):  # solo/threads pools parse in this process
    pool = getattr(getattr(sender, "pool_cls", None), "__module__", "") or ""
    if pool.endswith(("solo", "threads")):
        limit_address_space()
