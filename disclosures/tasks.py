"""Celery tasks: thin wrappers that take an id and call the pipeline."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from .services import pipeline

# Only trouble that goes away by itself is retried; a bad file (ParseError) never is.
TRANSIENT = (OperationalError, InterfaceError, ConnectionError, TimeoutError)


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=TRANSIENT,
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
)
def parse_disclosure(self, disclosure_id: int) -> None:
    """Parse one stored disclosure file and store what was read."""
    pipeline.run_parse(disclosure_id)


@shared_task(acks_late=True, ignore_result=True)
def sweep_stuck_disclosures() -> list[int]:
    """Periodic: re-queue disclosures a lost message or a killed worker left behind."""
    return pipeline.sweep_stuck()
