"""Retention: what is due, and deleting it with all its content."""

import datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.audit import retention
from apps.audit.chain import verify_chain
from apps.audit.log import log_event
from apps.audit.models import AccessLogEntry, Action, LegalHold, RetentionRule
from apps.audit.tasks import apply_retention
from apps.cases.models import Case, HelpKind, Person
from apps.referrals.models import Consent, Referral, ReferralEvent
from apps.referrals.workflow import Status
from tests.audit.test_retention_data import build_case, build_referral

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

TODAY = datetime.date(2026, 6, 1)
LONG_AGO = timezone.make_aware(datetime.datetime(2000, 1, 10, 12, 0))
LAST_YEAR = timezone.make_aware(datetime.datetime(2025, 9, 1, 12, 0))


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _old_9b_case(team, author, marker="ALT", **extra) -> Case:
    """Eingliederungshilfe for a person born 1920: § 9b ended on the 100th birthday."""
    return build_case(
        team=team,
        author=author,
        marker=marker,
        date_of_birth=datetime.date(1920, 2, 3),
        closed_at=LONG_AGO,
        **extra,
    )


def _rejected(team, author, marker: str, rejected_at: datetime.datetime) -> Referral:
    referral = build_referral(
        team=team,
        author=author,
        marker=marker,
        first_name="Mia",
        last_name="Kern",
        date_of_birth=datetime.date(2016, 1, 1),
        status=Status.REJECTED,
    )
    ReferralEvent.objects.filter(referral=referral).update(at=rejected_at)
    return referral


def _due_references(today=TODAY) -> list[str]:
    return [item.obj.reference for item in retention.expired(today)]


# --- the dry run -------------------------------------------------------------------


def test_seeded_rules_follow_9b_and_mark_assumptions():
    rules = {rule.kind: rule for rule in RetentionRule.objects.all()}

    nine_b = rules[RetentionRule.Kind.CASE_9B]
    assert (nine_b.years, nine_b.anchor) == (100, RetentionRule.Anchor.DATE_OF_BIRTH)
    assert "§ 9b SGB VIII" in nine_b.description
    assert "Annahme" in rules[RetentionRule.Kind.CASE_OTHER].description
    assert "Annahme" in rules[RetentionRule.Kind.REFERRAL_WITHOUT_CASE].description


def test_dry_run_lists_what_is_past_its_date_and_nothing_else(team_west, familienamt_worker):
    author = familienamt_worker
    old = _old_9b_case(team_west, author, "ALT")
    held = _old_9b_case(team_west, author, "GESPERRT")
    LegalHold.objects.create(case=held, reason="Gerichtsverfahren", created_by=author)
    held_person = _old_9b_case(team_west, author, "PERSONGESPERRT")
    LegalHold.objects.create(person=held_person.person, reason="Anfrage", created_by=author)
    still_open = build_case(
        team=team_west, author=author, marker="OFFEN", date_of_birth=datetime.date(1920, 1, 1)
    )
    young = build_case(team=team_west, author=author, marker="JUNG", closed_at=LONG_AGO)
    other_old = build_case(
        team=team_west,
        author=author,
        marker="KS",
        help_kind=HelpKind.KINDERSCHUTZ,
        closed_at=LONG_AGO,
    )
    other_recent = build_case(
        team=team_west,
        author=author,
        marker="KSNEU",
        help_kind=HelpKind.KINDERSCHUTZ,
        closed_at=LAST_YEAR,
    )
    rejected_old = _rejected(team_west, author, "ABGALT", LAST_YEAR - datetime.timedelta(days=400))
    rejected_new = _rejected(team_west, author, "ABGNEU", LAST_YEAR)

    due = _due_references()

    assert set(due) == {old.reference, other_old.reference, rejected_old.reference}
    for kept in (held, held_person, still_open, young, other_recent, rejected_new):
        assert kept.reference not in due


def test_due_date_of_a_9b_file_is_the_hundredth_birthday(team_west, familienamt_worker):
    case = _old_9b_case(team_west, familienamt_worker)

    (item,) = retention.expired(TODAY)

    assert item.obj == case
    assert item.due_date == datetime.date(2020, 2, 3)
    assert item.kind == RetentionRule.Kind.CASE_9B
    assert retention.expired(datetime.date(2020, 2, 2)) == []


def test_a_released_hold_no_longer_keeps_the_case(team_west, familienamt_worker):
    case = _old_9b_case(team_west, familienamt_worker)
    LegalHold.objects.create(
        case=case, reason="erledigt", created_by=familienamt_worker, released_at=timezone.now()
    )

    assert _due_references() == [case.reference]


def test_a_hold_on_the_request_keeps_its_case(team_west, familienamt_worker):
    case = _old_9b_case(team_west, familienamt_worker)
    LegalHold.objects.create(
        referral=case.referral, reason="Beschwerde", created_by=familienamt_worker
    )

    assert _due_references() == []


def test_an_inactive_rule_deletes_nothing_of_its_kind(team_west, familienamt_worker):
    _old_9b_case(team_west, familienamt_worker)
    RetentionRule.objects.filter(kind=RetentionRule.Kind.CASE_9B).update(active=False)

    assert retention.apply(today=TODAY) == []
    assert Case.objects.count() == 1


def test_a_changed_period_changes_what_is_due(team_west, familienamt_worker):
    case = build_case(
        team=team_west,
        author=familienamt_worker,
        marker="KS",
        help_kind=HelpKind.KINDERSCHUTZ,
        closed_at=LAST_YEAR,
    )
    assert _due_references() == []

    RetentionRule.objects.filter(kind=RetentionRule.Kind.CASE_OTHER).update(years=0, months=6)

    assert _due_references() == [case.reference]


def test_the_dry_run_command_prints_references_and_deletes_nothing(
    team_west, familienamt_worker, capsys
):
    case = _old_9b_case(team_west, familienamt_worker)
    log_before = AccessLogEntry.objects.count()

    call_command("apply_retention", "--dry-run", "--stichtag", TODAY.isoformat())

    output = capsys.readouterr().out
    assert case.reference in output
    assert "würde gelöscht" in output
    assert "Lena" not in output and "Sommer" not in output
    assert Case.objects.filter(pk=case.pk).exists()
    assert AccessLogEntry.objects.count() == log_before


# --- deleting ------------------------------------------------------------------------------


def _rows_pointing_at(model, pk) -> dict[str, int]:
    """Every row of every model with a foreign key to this record: found, not listed by hand."""
    counts = {}
    for relation in model._meta.related_objects:
        if relation.many_to_many:
            continue
        found = relation.related_model._base_manager.filter(**{relation.field.attname: pk})
        counts[relation.related_model._meta.label] = found.count()
    return counts


def test_deleting_removes_every_row_that_points_at_the_case_request_and_person(
    team_west, familienamt_worker, django_capture_on_commit_callbacks
):
    case = _old_9b_case(team_west, familienamt_worker)
    case_id, referral_id, person_id = case.pk, case.referral_id, case.person_id
    before = _rows_pointing_at(Case, case_id)
    # The fixture fills the tables the walk must find, so the test can fail.
    assert sum(before.values()) >= 12

    with django_capture_on_commit_callbacks(execute=True):
        deleted = retention.apply(today=TODAY)

    assert [item.obj.pk for item in deleted] == [case_id]
    assert not Case.objects.filter(pk=case_id).exists()
    assert not Referral.objects.filter(pk=referral_id).exists()
    assert not Person.objects.filter(pk=person_id).exists()
    for model, pk in ((Case, case_id), (Referral, referral_id), (Person, person_id)):
        leftovers = {label: n for label, n in _rows_pointing_at(model, pk).items() if n}
        assert leftovers == {}, model


def test_deleting_leaves_only_delete_entries_and_keeps_the_rest_of_the_log(
    team_west, familienamt_worker
):
    case = _old_9b_case(team_west, familienamt_worker)
    earlier = log_event(
        familienamt_worker, Action.READ, object_type="case", object_id=case.pk, case_id=case.pk
    )
    before = set(AccessLogEntry.objects.values_list("pk", flat=True))

    retention.apply(today=TODAY)

    new = AccessLogEntry.objects.exclude(pk__in=before).order_by("seq")
    assert [(e.action, e.object_type) for e in new] == [
        (Action.DELETE, "case"),
        (Action.DELETE, "referral"),
        (Action.DELETE, "person"),
    ]
    case_entry = new[0]
    assert case_entry.object_reference == case.reference
    assert case_entry.user_id is None
    assert case_entry.path_name == retention.JOB_NAME
    assert "Regel Nr." in case_entry.purpose and "20" in case_entry.purpose
    assert all("Lena" not in e.purpose and "Sommer" not in e.purpose for e in new)
    assert AccessLogEntry.objects.filter(pk=earlier.pk, action=Action.READ).exists()
    assert set(AccessLogEntry.objects.values_list("pk", flat=True)) >= before
    assert verify_chain()[1] is None


def test_deleting_removes_consent_scans_from_storage(
    team_west, familienamt_worker, settings, django_capture_on_commit_callbacks
):
    case = _old_9b_case(team_west, familienamt_worker)
    scan = Path(settings.MEDIA_ROOT) / Consent.objects.get(referral=case.referral).scan.name
    assert scan.exists()

    with django_capture_on_commit_callbacks(execute=True):
        retention.apply(today=TODAY)

    assert not scan.exists()


def test_a_failed_deletion_keeps_the_scan(
    team_west, familienamt_worker, settings, django_capture_on_commit_callbacks, monkeypatch
):
    case = _old_9b_case(team_west, familienamt_worker)
    scan = Path(settings.MEDIA_ROOT) / Consent.objects.get(referral=case.referral).scan.name

    def fail(*args, **kwargs):
        raise RuntimeError("Protokoll nicht erreichbar")

    monkeypatch.setattr(retention, "log_event", fail)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        retention.apply(today=TODAY)

    assert scan.exists()
    assert Case.objects.filter(pk=case.pk).exists()


def test_the_person_stays_while_another_case_of_theirs_remains(team_west, familienamt_worker):
    old = _old_9b_case(team_west, familienamt_worker, "ERSTER")
    newer = build_case(
        team=team_west, author=familienamt_worker, marker="ZWEITER", person=old.person
    )

    retention.apply(today=TODAY)

    assert not Case.objects.filter(pk=old.pk).exists()
    assert Person.objects.filter(pk=old.person_id).exists()
    assert Case.objects.filter(pk=newer.pk).exists()


def test_a_rejected_request_is_deleted_a_year_after_rejection(team_west, familienamt_worker):
    old = _rejected(team_west, familienamt_worker, "ABG", LAST_YEAR - datetime.timedelta(days=400))
    new = _rejected(team_west, familienamt_worker, "NEU", LAST_YEAR)

    retention.apply(today=TODAY)

    assert not Referral.objects.filter(pk=old.pk).exists()
    assert not Consent.objects.filter(referral_id=old.pk).exists()
    assert Referral.objects.filter(pk=new.pk).exists()
    entry = AccessLogEntry.objects.get(action=Action.DELETE)
    assert (entry.object_type, entry.object_reference) == ("referral", old.reference)


def test_the_command_deletes_and_the_task_runs_the_same_job(team_west, familienamt_worker, capsys):
    first = _old_9b_case(team_west, familienamt_worker, "EINS")

    call_command("apply_retention")

    assert first.reference in capsys.readouterr().out
    assert not Case.objects.filter(pk=first.pk).exists()

    second = _old_9b_case(team_west, familienamt_worker, "ZWEI")
    result = apply_retention.enqueue()

    assert result.return_value == 1
    assert not Case.objects.filter(pk=second.pk).exists()
