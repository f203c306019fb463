"""Migration 0003 keeps what the old single status said: nothing public is lost."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("disclosures", "0002_seed_checklist")]
AFTER = [("disclosures", "0003_publication_apart_from_parse_state")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_old_statuses_become_a_parse_state_and_a_publication_state():
    old = _migrate(BEFORE)
    Department = old.get_model("disclosures", "Department")
    Disclosure = old.get_model("disclosures", "Disclosure")
    dept = Department.objects.create(name="南充市人力资源和社会保障局")

    def row(n, status, **extra):
        return Disclosure.objects.create(
            department=dept,
            fiscal_year=2000 + n,
            kind="budget",
            file=f"d{n}.txt",
            original_name=f"d{n}.txt",
            format="text",
            sha256=f"{n:064d}",
            status=status,
            **extra,
        ).pk

    draft = row(1, "needs_review")
    public = row(2, "published", published=True)
    replaced = row(3, "superseded", published=True)
    broken = row(4, "failed", error="文件已损坏", error_en="The file is damaged")
    try:
        new = _migrate(AFTER)
        rows = {d.pk: d for d in new.get_model("disclosures", "Disclosure").objects.all()}
        assert (rows[draft].status, rows[draft].publication) == ("parsed", "draft")
        assert (rows[public].status, rows[public].publication) == ("parsed", "published")
        assert (rows[replaced].status, rows[replaced].publication) == ("parsed", "superseded")
        assert rows[broken].status == "failed" and rows[broken].publication == "draft"
        assert rows[broken].error_code == "legacy"
        assert rows[broken].error_params == {"text": "文件已损坏"}
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes("disclosures"))
