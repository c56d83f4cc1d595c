"""The volume generator (issue 10): deterministic, bulk, on top of the demo, chain intact."""

import hashlib
from collections.abc import Iterator

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import override_settings

from apps.audit.chain import verify_chain
from apps.cases.models import Case, CaseEvent, Decision
from apps.casework.models import CaseNote, Contact, HelpPlan, NoteVersion, Task
from apps.demo import volume
from apps.organisation.models import Team
from apps.referrals.models import Referral
from apps.referrals.workflow import CASE_STATUSES, OPEN_REQUEST_STATUSES

pytestmark = pytest.mark.django_db
SMALL = volume.SIZES["small"]


class Rollback(Exception):
    pass


@pytest.fixture(scope="module")
def generated(demo_for_module, django_db_blocker) -> Iterator[volume.Report]:
    with django_db_blocker.unblock(), transaction.atomic():
        before = volume.counts()
        report = volume.Generator("small", 1).run()
        report.counts = {name: report.counts[name] - before[name] for name in before}
        yield report
        transaction.set_rollback(True)


def _fingerprint() -> str:
    """The generated content without its ids (sequences move on between runs)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT md5(string_agg(concat_ws('|', p.first_name, p.last_name, p.date_of_birth,
                                            c.status, c.team_id, c.opened_at, c.worker_id),
                                  ',' ORDER BY c.id))
                   || md5((SELECT string_agg(concat_ws('|', n.created_at, n.confided,
                                                       n.author_id), ',' ORDER BY n.id)
                             FROM casework_casenote n))
              FROM cases_case c JOIN cases_person p ON p.id = c.person_id
            """
        )
        return hashlib.sha256(cursor.fetchone()[0].encode()).hexdigest()


# Determinism does not depend on the size; a tenth of "small" shows it in seconds.
TINY = volume.Size(cases=100, extra_requests=20, open_requests=5, notes=1_000, access_log=1_000)


def _generate_and_fingerprint(seed_value: int) -> str:
    try:
        with transaction.atomic():
            volume.Generator("tiny", seed_value).run()
            fingerprint = _fingerprint()
            raise Rollback
    except Rollback:
        return fingerprint


def test_small_size_writes_the_promised_volume(generated):
    counts = generated.counts
    assert counts["persons"] == counts["cases"] == SMALL.cases
    assert counts["requests"] == SMALL.requests
    assert counts["notes"] == SMALL.notes
    assert counts["note_versions"] > SMALL.notes  # some notes were corrected
    assert counts["access_log"] == SMALL.access_log
    for name in ("tasks", "contacts", "help_plans", "decisions", "case_events", "notifications"):
        assert counts[name] > 0, name
    # The change history a year of use leaves: one snapshot per written row.
    assert counts["history_cases"] == SMALL.cases
    assert counts["history_notes"] == counts["note_versions"]


def test_cases_cover_every_team_and_every_status(generated):
    assert set(Case.objects.values_list("team", flat=True).distinct()) == set(
        Team.objects.values_list("pk", flat=True)
    )
    assert set(Case.objects.values_list("status", flat=True).distinct()) == set(CASE_STATUSES)
    assert Referral.objects.filter(status__in=OPEN_REQUEST_STATUSES).count() >= SMALL.open_requests


def test_the_access_log_chain_still_verifies(generated):
    checked, broken = verify_chain()
    assert broken is None
    assert checked >= SMALL.access_log


def test_one_case_has_exactly_200_timeline_entries(generated):
    case = Case.objects.get(pk=generated.timeline_case_id)
    entries = (
        CaseEvent.objects.filter(case=case).count()
        + CaseNote.objects.filter(case=case).count()
        + Contact.objects.filter(case=case).count()
        + Task.objects.filter(case=case).count()
        + Decision.objects.filter(case=case).count()
        + HelpPlan.objects.filter(case=case).count()
    )
    assert entries == volume.TIMELINE_CASE_ENTRIES
    assert volume.timeline_case_id() == case.pk
    assert case.team.name == "Sozialraumteam West"
    assert NoteVersion.objects.filter(note__case=case).count() >= volume.TIMELINE_CASE_NOTES


def test_same_seed_same_data_other_seed_other_data(demo_for_module, monkeypatch):
    monkeypatch.setitem(volume.SIZES, "tiny", TINY)
    first = _generate_and_fingerprint(7)
    assert _generate_and_fingerprint(7) == first
    assert _generate_and_fingerprint(8) != first


def test_refuses_without_debug(demo_for_module):
    cases = Case.objects.count()
    with override_settings(DEBUG=False), pytest.raises(CommandError, match="DJANGO_DEBUG"):
        call_command("generate_volume", "--size", "small")
    assert Case.objects.count() == cases


def test_unknown_size_is_refused():
    with pytest.raises(volume.VolumeError, match="Größe"):
        volume.Generator("huge", 1)
