"""A double click on a create form creates one record (apps.core.submissions)."""

import datetime
import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.casework.models import CaseNote, Contact, Task
from apps.core import submissions
from apps.core.models import SubmissionKey
from tests.casework.conftest import URLS

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLS)]

HTMX = {"HX-Request": "true"}


def _task_data(user):
    due = timezone.localdate() + datetime.timedelta(days=7)
    return {"title": "Schule anrufen", "due_date": due.isoformat(), "assignee": user.pk}


CREATE_FORMS = [
    pytest.param(
        "casework:note_create", CaseNote, lambda user: {"text": "Erstgespräch."}, id="note"
    ),
    pytest.param(
        "casework:contact_create",
        Contact,
        lambda user: {
            "happened_at": "2026-01-12T10:30",
            "kind": "home_visit",
            "with_whom": "Mutter",
            "result": "Termin vereinbart.",
        },
        id="contact",
    ),
    pytest.param("casework:task_create", Task, _task_data, id="task"),
]


@pytest.mark.parametrize(("url_name", "model", "data"), CREATE_FORMS)
@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
def test_a_double_post_with_the_same_key_creates_one_record(
    client, west_member, west_case, url_name, model, data, headers
):
    client.force_login(west_member)
    url = reverse(url_name, args=[west_case.pk])
    body = {**data(west_member), "submission_key": str(uuid.uuid4())}

    first = client.post(url, body, headers=headers)
    second = client.post(url, body, headers=headers)

    assert first.status_code == second.status_code
    assert first.status_code in (200, 302)
    assert model.objects.filter(case=west_case).count() == 1
    client.post(url, {**body, "submission_key": str(uuid.uuid4())}, headers=headers)
    assert model.objects.filter(case=west_case).count() == 2


@pytest.mark.parametrize(("url_name", "model", "data"), CREATE_FORMS)
def test_each_empty_form_carries_a_new_key(client, west_member, west_case, url_name, model, data):
    client.force_login(west_member)
    url = reverse(url_name, args=[west_case.pk])
    body = {**data(west_member), "submission_key": str(uuid.uuid4())}

    panel = client.post(url, body, headers=HTMX).content.decode()

    keys = re.findall(r'name="submission_key" value="([0-9a-f-]{36})"', panel)
    assert keys and body["submission_key"] not in keys


def test_a_key_belongs_to_one_person(client, west_member, familienamt_worker, west_case):
    url = reverse("casework:note_create", args=[west_case.pk])
    key = str(uuid.uuid4())
    for user in (west_member, familienamt_worker):
        client.force_login(user)
        client.post(url, {"text": "Notiz", "submission_key": key})

    assert CaseNote.objects.filter(case=west_case).count() == 2


def test_spent_keys_are_pruned_after_a_week(west_member):
    old = SubmissionKey.objects.create(user=west_member, key=uuid.uuid4())
    SubmissionKey.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=submissions.KEEP_DAYS + 1)
    )
    fresh = SubmissionKey.objects.create(user=west_member, key=uuid.uuid4())

    assert submissions.prune() == 1
    assert list(SubmissionKey.objects.all()) == [fresh]
