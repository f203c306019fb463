"""Upload, live status, detail and publish views."""

from __future__ import annotations

import html
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from disclosures import services
from disclosures.choices import Publication, Status
from disclosures.models import Disclosure, StaffScope

from ..factories import make_disclosure

pytestmark = pytest.mark.django_db

A, B = "000_2abe3100919c2127", "004_a0aa4bbb27e038c2"


def files(sample_bytes, *ids):
    return [SimpleUploadedFile(f"{i}.txt", sample_bytes(i), content_type="text/plain") for i in ids]


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(reverse("disclosures:disclosure_list"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    response = client.post(reverse("disclosures:disclosure_upload"))
    assert response.status_code == 302 and Disclosure.objects.count() == 0


def test_a_user_without_upload_permission_is_refused(client, django_user_model, sample_bytes):
    user = django_user_model.objects.create_user("viewer", password="pw-viewer-123")
    client.force_login(user)
    response = client.post(
        reverse("disclosures:disclosure_upload"), {"files": files(sample_bytes, A)}
    )
    assert response.status_code == 403
    assert Disclosure.objects.count() == 0


def test_several_files_upload_at_once_and_answer_json(
    staff_client, sample_bytes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("disclosures:disclosure_upload"),
            {"files": files(sample_bytes, A, B)},
            HTTP_ACCEPT="application/json",
        )
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["name"] for r in results] == [f"{A}.txt", f"{B}.txt"]
    assert all(r["ok"] and not r["duplicate"] for r in results)
    assert Disclosure.objects.filter(status=Status.PARSED).count() == 2

    status = staff_client.get(
        reverse("disclosures:disclosure_status"), {"ids": ",".join(str(r["id"]) for r in results)}
    ).json()
    by_id = {r["id"]: r for r in status["results"]}
    assert {r["status"] for r in by_id.values()} == {"parsed"}
    assert all(r["finished"] and r["progress"] == 100 for r in by_id.values())


def test_a_duplicate_upload_points_to_the_existing_record(
    staff_client, sample_bytes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            reverse("disclosures:disclosure_upload"), {"files": files(sample_bytes, A)}
        )
    first = Disclosure.objects.get()
    response = staff_client.post(
        reverse("disclosures:disclosure_upload"),
        {"files": files(sample_bytes, A)},
        HTTP_ACCEPT="application/json",
    )
    row = response.json()["results"][0]
    assert row["duplicate"] is True and row["id"] == first.pk
    assert row["url"] == first.get_absolute_url()
    assert Disclosure.objects.count() == 1


def test_a_wrong_type_is_reported_per_file_and_the_good_ones_are_kept(
    staff_client, sample_bytes, django_capture_on_commit_callbacks
):
    bad = SimpleUploadedFile("photo.pdf", b"\x89PNG\r\n\x1a\n" + b"\0" * 100)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("disclosures:disclosure_upload"),
            {"files": [bad, *files(sample_bytes, A)]},
            HTTP_ACCEPT="application/json",
        )
    results = response.json()["results"]
    assert results[0]["ok"] is False and "photo.pdf" in results[0]["error"]
    assert results[1]["ok"] is True
    assert Disclosure.objects.count() == 1


def test_an_oversized_file_is_refused_with_the_limit_in_the_message(staff_client, settings):
    settings.YUJUE_MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile("big.txt", b"x" * (1024 * 1024 + 10))
    response = staff_client.post(
        reverse("disclosures:disclosure_upload"), {"files": [big]}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 400
    assert "1 MB" in response.json()["errors"][0]
    assert Disclosure.objects.count() == 0


def test_the_list_shows_failed_rows_with_their_reason(
    staff_client, django_capture_on_commit_callbacks
):
    broken = SimpleUploadedFile("broken.pdf", b"%PDF-1.5\n" + b"\x00junk" * 300)
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("disclosures:disclosure_upload"), {"files": [broken]})
    row = Disclosure.objects.get()
    assert row.status == Status.FAILED
    page = staff_client.get(reverse("disclosures:disclosure_list")).content.decode()
    assert "broken.pdf" in page and row.error_message in page


def test_detail_shows_figures_with_their_source_and_publish_makes_it_public(
    staff_client, client, sample_bytes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            reverse("disclosures:disclosure_upload"), {"files": files(sample_bytes, A)}
        )
    row = Disclosure.objects.get()
    page = staff_client.get(row.get_absolute_url()).content.decode()
    grand = row.figures.get(group="totals", key="grand_total")
    assert str(grand.value) in page and grand.source_text[:20] in page

    home = client.get(reverse("comparisons:home")).content.decode()
    assert row.department.name not in home  # not public before publishing
    response = staff_client.post(reverse("disclosures:disclosure_publish", args=[row.pk]))
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.is_published and row.publication == Publication.PUBLISHED
    home = client.get(reverse("comparisons:home")).content.decode()
    assert row.department.name in home


def test_status_endpoint_ignores_garbage_ids(staff_client):
    response = staff_client.get(reverse("disclosures:disclosure_status"), {"ids": "x,,;1"})
    assert json.loads(response.content) == {"results": []}


def test_a_failure_reason_is_shown_in_the_visitors_language(
    staff_client, django_capture_on_commit_callbacks
):
    broken = SimpleUploadedFile("broken.pdf", b"%PDF-1.5\n" + b"\x00junk" * 300)
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("disclosures:disclosure_upload"), {"files": [broken]})
    row = Disclosure.objects.get()
    chinese = row.error_message
    assert row.error_code and chinese and not chinese.isascii()
    with translation.override("en"):
        english = Disclosure.objects.get().error_message
    assert english and english.isascii() and english != chinese
    staff_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = html.unescape(staff_client.get(reverse("disclosures:disclosure_list")).content.decode())
    assert english in page and chinese not in page
    status = staff_client.get(reverse("disclosures:disclosure_status"), {"ids": row.pk}).json()
    assert status["results"][0]["error"] == english


def test_an_htmx_upload_answers_one_row_per_file_that_polls_until_finished(
    staff_client, sample_bytes, django_capture_on_commit_callbacks
):
    good = SimpleUploadedFile("004.txt", sample_bytes("004_a0aa4bbb27e038c2"))
    png = SimpleUploadedFile("scan.pdf", b"\x89PNG\r\n\x1a\n" + bytes(64))
    with django_capture_on_commit_callbacks(execute=False):  # the parse has not run yet
        response = staff_client.post(
            reverse("disclosures:disclosure_upload"), {"files": [good, png]}, HTTP_HX_REQUEST="true"
        )
    page = response.content.decode()
    row = Disclosure.objects.get()
    assert page.count('class="upload-row"') == 2
    cell_url = reverse("disclosures:disclosure_status_cell", args=[row.pk])
    assert f'hx-get="{cell_url}?meta=1"' in page and 'hx-trigger="every 1s"' in page
    assert "scan.pdf" in page and "status-failed" in page  # refused, with its reason
    cell = staff_client.get(cell_url, {"meta": "1"}).content.decode()
    assert "hx-trigger" in cell and "status-queued" in cell  # still waiting: keeps polling
    services.run_parse(row.pk)
    cell = staff_client.get(cell_url, {"meta": "1"}).content.decode()
    assert "hx-trigger" not in cell and "status-parsed" in cell  # finished: polling stops
    assert "待审核" in cell and "重庆市南岸区" in cell


def test_the_status_fragment_is_only_for_staff_in_scope(django_user_model, staff_client):
    row = make_disclosure()
    url = reverse("disclosures:disclosure_status_cell", args=[row.pk])
    outsider = django_user_model.objects.create_user("o", password="pw-o-12345")
    StaffScope.objects.create(user=outsider, role="reviewer")  # a scope without this row
    other = Client()
    other.force_login(outsider)
    assert other.get(url).status_code == 403
    assert "status-parsed" in staff_client.get(url).content.decode()
