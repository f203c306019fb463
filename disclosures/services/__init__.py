"""Writes that touch several models, one module per workflow (pretix-style).

* ``ingest`` — upload checks, storage, duplicates by SHA-256
* ``pipeline`` — enqueue, claim, run the parser, store the result, sweep stuck rows
* ``corrections`` — a person's corrections, re-applied after every parse; checks re-run
* ``publishing`` — publish, unpublish, supersede, the pending result of a re-parse
* ``matching`` — departments and regions named by a document
* ``completeness`` — which standard tables a disclosure contains
* ``cache`` — the data generation that retires cached drawings

Every function runs without Celery; ``tasks.py`` only wraps the pipeline. The names
below are the package's public surface.
"""

from .cache import bump_generation, cached, data_generation
from .completeness import CompletenessRow, completeness
from .corrections import (
    CorrectionConflict,
    CorrectionRejected,
    FieldKey,
    amount_text,
    apply_corrections,
    correct,
    current_value,
    item_key,
    parsed_from_rows,
    parser_value,
    rerun_checks,
    to_decimal,
)
from .ingest import IngestResult, UploadRejected, ingest_upload, status_payload
from .matching import (
    department_category,
    ensure_region,
    find_department,
    find_region,
    match_department,
)
from .pipeline import (
    claim,
    enqueue_parse,
    reparse,
    run_parse,
    send_parse_task,
    store_payload,
    store_result,
    sweep_stuck,
)
from .publishing import (
    PendingChange,
    PublishBlocked,
    apply_pending,
    discard_pending,
    pending_changes,
    publish,
    unpublish,
)

__all__ = [
    "CompletenessRow",
    "CorrectionConflict",
    "CorrectionRejected",
    "FieldKey",
    "IngestResult",
    "PendingChange",
    "PublishBlocked",
    "UploadRejected",
    "amount_text",
    "apply_corrections",
    "apply_pending",
    "bump_generation",
    "cached",
    "claim",
    "completeness",
    "correct",
    "current_value",
    "data_generation",
    "department_category",
    "discard_pending",
    "enqueue_parse",
    "ensure_region",
    "find_department",
    "find_region",
    "ingest_upload",
    "item_key",
    "match_department",
    "parsed_from_rows",
    "parser_value",
    "pending_changes",
    "publish",
    "reparse",
    "rerun_checks",
    "run_parse",
    "send_parse_task",
    "status_payload",
    "store_payload",
    "store_result",
    "sweep_stuck",
    "to_decimal",
    "unpublish",
]
