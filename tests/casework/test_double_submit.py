"""A double click on a create form creates one record (apps.core.submissions)."""

import datetime
import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.casework.models import CaseNote, Contact, Task
from apps.consents.models import CaseConsent
from apps.core import submissions
from apps.core.models import SubmissionKey
from apps.neighbourhood.models import Activity, Resource
from tests.casework.conftest import URLS

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLS)]

HTMX = {"HX-Request": "true"}


def _task_data(user, case, school):
    due = timezone.localdate() + datetime.timedelta(days=7)
    return {"title": "Schule anrufen", "due_date": due.isoformat(), "assignee": user.pk}


def _consent_data(user, case, school):
    from tests.consents.test_consents import _form

    return _form(school)


def _activity_data(user, case, school):
    from tests.neighbourhood.test_activities import _form

    return _form(case.team)


def _resource_data(user, case, school):
    from tests.neighbourhood.test_resources import _form

    return _form(case.team)


def _on_case(name):
    return lambda case: reverse(name, args=[case.pk])


def _plain(name):
    return lambda case: reverse(name)


# (url of the create form, the model it creates, a valid POST, whether htmx swaps it)
CREATE_FORMS = [
    pytest.param(
        _on_case("casework:note_create"),
        CaseNote,
        lambda user, case, school: {"text": "Erstgespräch."},
        True,
        id="note",
    ),
    pytest.param(
        _on_case("casework:contact_create"),
        Contact,
        lambda user, case, school: {
            "happened_at": "2026-01-12T10:30",
            "kind": "home_visit",
            "with_whom": "Mutter",
            "result": "Termin vereinbart.",
        },
        True,
        id="contact",
    ),
    pytest.param(_on_case("casework:task_create"), Task, _task_data, True, id="task"),
    pytest.param(_on_case("consents:create"), CaseConsent, _consent_data, False, id="consent"),
    pytest.param(
        _plain("neighbourhood:activity_create"), Activity, _activity_data, False, id="activity"
    ),
    pytest.param(
        _plain("neighbourhood:resource_create"), Resource, _resource_data, False, id="resource"
    ),
]


@pytest.mark.parametrize(("url", "model", "data", "swapped"), CREATE_FORMS)
def test_a_double_post_with_the_same_key_creates_one_record(
    client, west_member, west_case, school_west, url, model, data, swapped
):
    client.force_login(west_member)
    before = model.objects.count()
    body = {**data(west_member, west_case, school_west), "submission_key": str(uuid.uuid4())}

    first = client.post(url(west_case), body)
    second = client.post(url(west_case), body)

    assert first.status_code == second.status_code == 302
    assert model.objects.count() == before + 1
    client.post(url(west_case), {**body, "submission_key": str(uuid.uuid4())})
    assert model.objects.count() == before + 2


@pytest.mark.parametrize(("url", "model", "data", "swapped"), CREATE_FORMS)
def test_each_empty_form_carries_a_new_key(
    client, west_member, west_case, school_west, url, model, data, swapped
):
    client.force_login(west_member)
    body = {**data(west_member, west_case, school_west), "submission_key": str(uuid.uuid4())}

    if swapped:  # the panel swapped in after the save holds the next empty form
        page = client.post(url(west_case), body, headers=HTMX).content.decode()
    else:
        page = client.get(
            url(west_case)
            if model is not CaseConsent
            else reverse("consents:list", args=[west_case.pk])
        ).content.decode()

    keys = re.findall(r'name="submission_key" value="([0-9a-f-]{36})"', page)
    assert len(keys) == 1 and body["submission_key"] not in keys


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
