import datetime
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.audit import retention
from apps.audit.models import AccessLogEntry, Action
from apps.cases.models import Case
from apps.documents.models import CaseDocument
from apps.referrals.workflow import Status
from tests.cases.conftest import open_case, submit_referral

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]
PDF = b"%PDF-1.7\n" + b"1" * 200


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.CLAMD_SOCKET = ""
    settings.CLAMD_HOST = ""


@pytest.fixture
def west_case(school_leader, school_west, familienamt_worker) -> Case:
    return open_case(submit_referral(school_leader, school_west), familienamt_worker)


def _upload(client, case, name="Befund Jürgen Müller.pdf", content=PDF, kind="statement", **extra):
    return client.post(
        reverse("documents:upload", args=[case.pk]),
        {
            "kind": kind,
            "title": "Stellungnahme KJP",
            "file": SimpleUploadedFile(name, content),
            **extra,
        },
    )


def test_a_double_submit_stores_one_document_and_one_file(client, west_member, west_case, tmp_path):
    client.force_login(west_member)
    key = str(uuid.uuid4())

    first = _upload(client, west_case, submission_key=key)
    second = _upload(client, west_case, submission_key=key)

    assert first.status_code == second.status_code == 302
    assert CaseDocument.objects.filter(case=west_case).count() == 1
    assert len([p for p in tmp_path.rglob("*") if p.is_file()]) == 1


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("familienamt_worker", 200),
        ("west_member", 200),
        ("nord_member", 404),
        ("school_leader", 403),
        ("admin_user", 403),
        ("dpo", 403),
    ],
)
def test_the_document_page_is_for_the_cases_team_and_the_familienamt(
    client, request, west_case, persona, status
):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("documents:list", args=[west_case.pk])).status_code == status


def test_an_upload_is_stored_under_a_neutral_name_and_listed(client, west_member, west_case):
    client.force_login(west_member)

    response = _upload(client, west_case)

    assert response.status_code == 302
    document = CaseDocument.objects.get(case=west_case)
    assert document.file.name.startswith("dokumente/") and "Müller" not in document.file.name
    assert document.content_type == "application/pdf" and not document.scanned
    page = client.get(reverse("documents:list", args=[west_case.pk])).content.decode()
    assert "Stellungnahme KJP" in page
    assert "nicht auf Viren geprüft" in page


@pytest.mark.parametrize(
    ("name", "content", "kind", "message"),
    [
        (
            "bericht.pdf",
            b"MZ\x90\x00\x03 this program cannot be run",
            "statement",
            "keine echte PDF",
        ),
        ("bericht.exe", b"MZ\x90\x00\x03", "statement", "keine echte PDF"),
        ("bericht.jpg", PDF, "statement", "keine echte PDF"),
        ("bericht.pdf", PDF + b"0" * (10 * 1024 * 1024), "statement", "zu groß"),
        ("bericht.pdf", PDF, "", "Art des Dokuments"),
    ],
)
def test_a_disguised_executable_or_bad_input_is_refused_and_nothing_is_stored(
    client, west_member, west_case, tmp_path, name, content, kind, message
):
    client.force_login(west_member)

    response = _upload(client, west_case, name=name, content=content, kind=kind)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CaseDocument.objects.exists()
    assert not (tmp_path / "dokumente").exists()


def test_nobody_outside_the_case_gets_the_file(
    client, west_member, nord_member, school_leader, west_case
):
    client.force_login(west_member)
    _upload(client, west_case)
    document = CaseDocument.objects.get()
    url = reverse("documents:download", args=[west_case.pk, document.pk])

    client.force_login(nord_member)
    assert client.get(url).status_code == 404
    client.force_login(school_leader)
    assert client.get(url).status_code == 403


def test_every_download_is_in_the_access_log(client, west_member, familienamt_worker, west_case):
    client.force_login(west_member)
    _upload(client, west_case)
    document = CaseDocument.objects.get()
    client.force_login(familienamt_worker)

    response = client.get(reverse("documents:download", args=[west_case.pk, document.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]
    assert "Müller" not in response["Content-Disposition"]
    assert AccessLogEntry.objects.filter(
        user=familienamt_worker,
        action=Action.READ,
        object_type="document",
        object_id=str(document.pk),
        case_id=west_case.pk,
    ).exists()


def test_retention_removes_documents_and_their_files_with_the_case(
    client, west_member, west_case, tmp_path, django_capture_on_commit_callbacks
):
    client.force_login(west_member)
    _upload(client, west_case)
    stored = tmp_path / CaseDocument.objects.get().file.name
    assert stored.exists()
    Case.objects.filter(pk=west_case.pk).update(
        status=Status.CLOSED,
        help_kind_id=None,
        closed_at=timezone.make_aware(datetime.datetime(2000, 1, 1)),
    )

    with django_capture_on_commit_callbacks(execute=True):
        retention.apply(today=datetime.date(2099, 1, 1))

    assert not Case.objects.filter(pk=west_case.pk).exists()
    assert not CaseDocument.objects.exists()
    assert not Path(stored).exists()


def test_the_document_page_query_count_does_not_grow_with_documents(client, west_member, west_case):
    client.force_login(west_member)
    _upload(client, west_case)
    url = reverse("documents:list", args=[west_case.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(12):
        _upload(client, west_case)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)

    assert response.content.decode().count("Stellungnahme KJP") == 13
    assert len(many) == len(one)


def test_every_link_to_a_document_saves_the_file_instead_of_leaving_the_page(
    client, west_member, west_case
):
    client.force_login(west_member)
    _upload(client, west_case)
    document = CaseDocument.objects.get(case=west_case)
    link = f'href="{document.get_absolute_url()}" download'

    for page in (
        client.get(reverse("documents:list", args=[west_case.pk])),
        client.get(reverse("cases:detail", args=[west_case.pk])),
    ):
        html = page.content.decode()
        assert document.get_absolute_url() in html
        assert html.count(document.get_absolute_url()) == html.count(link)
