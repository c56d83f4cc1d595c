"""Running the demo seeder: deterministic, idempotent, quiet, quick."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction

from apps.accounts.models import User
from apps.cases.models import Case, Decision
from apps.casework.models import CaseNote, Task
from apps.conferences.models import Conference
from apps.demo import referrals as demo_referrals
from apps.demo import seed
from apps.neighbourhood.models import Activity, Resource
from apps.notifications.models import Notification
from apps.referrals.models import Referral
from apps.referrals.workflow import Status

pytestmark = pytest.mark.django_db

BASE_STEPS = seed.STEPS[: seed.STEPS.index(seed.seed_school_leaders) + 1]
CASE_STEPS = seed.STEPS[len(BASE_STEPS) :]


def _statuses() -> set[str]:
    return set(Referral.objects.values_list("status", flat=True)) | set(
        Case.objects.values_list("status", flat=True)
    )


def test_the_command_reports_requests_cases_and_case_files(settings):
    settings.DEBUG = True
    out = StringIO()

    call_command("seed_demo", stdout=out)

    output = out.getvalue()
    # The stories' requests (the office and phone intake reports its own line).
    stories = Referral.objects.filter(channel=Referral.Channel.SCHOOL_FORM)
    cases = Case.objects.filter(referral__in=stories)
    assert f"{stories.count()} Anfragen, daraus {cases.count()} Fälle" in output
    assert "Anfragen aus Büro und Telefon" in output
    assert "Notizen" in output and "Hilfepläne" in output and "Fallberatungen" in output


def test_seeding_sends_no_email_and_keeps_the_demo_addresses(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        seed.run(seed=1)

    assert mail.outbox == []
    assert not User.objects.filter(is_demo=True, email="").exists()


def _sequences() -> list[tuple[str, int, bool]]:
    found = []
    with connection.cursor() as cursor:
        for model in (Referral, Case, Decision):
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [model._meta.db_table])
            (name,) = cursor.fetchone()
            cursor.execute(f"SELECT last_value, is_called FROM {name}")  # noqa: S608
            found.append((name, *cursor.fetchone()))
    return found


def _restore(sequences: list[tuple[str, int, bool]]) -> None:
    with connection.cursor() as cursor:
        for name, value, called in sequences:
            cursor.execute("SELECT setval(%s, %s, %s)", [name, value, called])


def _requests() -> set[tuple[object, ...]]:
    return set(
        Referral.objects.values_list(
            "reference", "status", "first_name", "last_name", "date_of_birth", "school_id"
        )
    ) | set(Case.objects.values_list("reference", "status", "worker_id"))


def _seed_requests_twice(first_seed: int, second_seed: int) -> tuple[set, set]:
    seed.run(seed=first_seed, steps=BASE_STEPS)
    sequences = _sequences()
    savepoint = transaction.savepoint_create()
    seed.run(seed=first_seed, steps=CASE_STEPS)
    first = _requests()
    transaction.savepoint_rollback(savepoint)
    # Sequences do not roll back; references come from primary keys.
    _restore(sequences)
    seed.run(seed=second_seed, steps=CASE_STEPS)
    return first, _requests()


def test_the_same_seed_gives_the_same_requests_and_cases():
    first, second = _seed_requests_twice(3, 3)

    assert first == second
    assert {pair[1] for pair in first} >= set(Status) - {Status.DRAFT}


def test_another_seed_gives_other_children():
    first, second = _seed_requests_twice(3, 4)

    assert first != second


def test_running_again_adds_no_requests_notes_or_conferences():
    seed.run(seed=1)
    models = (Referral, Case, Notification, CaseNote, Task, Conference, Activity, Resource)
    counts = [m.objects.count() for m in models]

    again = seed.run(seed=1)

    assert [m.objects.count() for m in models] == counts
    assert again.new_case_ids == []


def test_scale_two_doubles_the_stories():
    # Speed is measured by `make bench`, not by a timed test on a noisy machine.
    seed.run(seed=1, scale=2)

    stories = len(demo_referrals.PLANS) * 3 + sum(map(len, demo_referrals.EXTRA_PLANS.values()))
    assert Referral.objects.filter(channel=Referral.Channel.SCHOOL_FORM).count() == 2 * stories
    assert _statuses() == set(Status) - {Status.DRAFT}
