"""What the demo's requests, cases and case files look like (issues 3 and 4)."""

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.cases.models import Case, Decision, Person
from apps.casework.models import CaseNote, Contact, HelpPlan, NoteShare, NoteVersion, Task
from apps.casework.sections import end_of_week
from apps.conferences.models import AgendaItem, AgreedStep, Conference
from apps.demo import referrals as demo_referrals
from apps.demo import seed
from apps.demo.context import TEAM_ACCOUNTS
from apps.neighbourhood.models import Activity, Resource, ResourceCaseLink
from apps.notifications.models import Notification
from apps.organisation.models import Sozialraum
from apps.referrals.models import Question, Referral, ReferralDraft, RequestSource
from apps.referrals.workflow import Status

pytestmark = pytest.mark.django_db

BASE_STEPS = seed.STEPS[: seed.STEPS.index(seed.seed_school_leaders) + 1]
CASE_STEPS = seed.STEPS[len(BASE_STEPS) :]


def _statuses() -> set[str]:
    return set(Referral.objects.values_list("status", flat=True)) | set(
        Case.objects.values_list("status", flat=True)
    )


def test_every_status_of_the_spine_appears_among_requests_and_cases(demo_data):
    # A request being typed is a ReferralDraft, never a filed request with status DRAFT.
    assert _statuses() == set(Status) - {Status.DRAFT}
    assert ReferralDraft.objects.filter(owner__username="schule-nord").exists()


def test_every_sozialraum_has_open_requests_and_cases_in_every_case_status(demo_data):
    for sozialraum in Sozialraum.objects.all():
        requests = Referral.objects.filter(sozialraum=sozialraum)
        assert requests.open().count() >= 4
        case_statuses = set(
            Case.objects.filter(sozialraum=sozialraum).values_list("status", flat=True)
        )
        assert case_statuses == set(demo_referrals.CASE_PATH) | {
            Status.WITH_TEAM,
            Status.DECISION,
            Status.RUNNING,
            Status.REVIEW,
            Status.CLOSED,
        }
    assert Referral.objects.values("school").distinct().count() >= 6


def test_each_demo_team_account_has_cases_it_sees_and_leads(demo_data):
    for username in TEAM_ACCOUNTS:
        user = User.objects.get(username=username)
        assert Case.objects.visible_to(user).count() >= 8
        assert Case.objects.filter(worker=user).exists()


def test_the_child_protection_report_is_open_urgent_and_alerted(demo_data):
    report = Referral.objects.get(kind=Referral.Kind.KINDERSCHUTZ, status=Status.RECEIVED)

    assert report.urgent
    assert report.is_open
    assert not report.pseudonymised
    assert Notification.objects.filter(
        recipient__username="familienamt",
        urgent=True,
        text__startswith="KINDERSCHUTZ",
        read_at__isnull=True,
    ).exists()


def test_requests_show_new_urgent_triage_questions_and_rejections(demo_data):
    familienamt = User.objects.get(username="familienamt")
    assert Referral.objects.filter(
        status=Status.RECEIVED, urgent=True, kind=Referral.Kind.SCHULBEGLEITUNG
    ).exists()
    assert Referral.objects.filter(status=Status.IN_TRIAGE, assignee=familienamt).count() >= 3
    school_west = User.objects.get(username="schule-west").schools[0]
    waiting = Question.objects.filter(
        referral__school=school_west, referral__status=Status.QUESTION, answered_at__isnull=True
    )
    assert waiting.exists()
    answered = Question.objects.filter(answered_at__isnull=False).select_related("referral")
    assert answered.exists()
    assert all(q.answer and q.answered_at >= q.asked_at for q in answered)
    rejected = Referral.objects.filter(status=Status.REJECTED)
    assert rejected.exists()
    assert all(r.rejection_reason for r in rejected)


def test_pseudonymised_enquiries_carry_no_identity(demo_data):
    # The schools' enquiries; a nameless call at the Familienamt is kept the same way.
    enquiries = Referral.objects.filter(pseudonymised=True, source_id=RequestSource.SCHOOL)

    assert enquiries.count() == Sozialraum.objects.count()
    for enquiry in enquiries:
        assert enquiry.first_name == enquiry.last_name == ""
        assert enquiry.date_of_birth is None
        assert enquiry.initials and enquiry.birth_year
        assert not enquiry.consents.exists()


def test_grants_name_hours_period_provider_and_one_pool_serves_two_pupils(demo_data):
    grants = Decision.objects.filter(outcome=Decision.Outcome.GRANTED).select_related("help_kind")
    assert grants.count() >= 9
    for grant in grants:
        # Each grant carries what its kind of help needs.
        for name in grant.help_kind.required_fields:
            assert getattr(grant, name) not in (None, ""), (grant.help_kind_id, name)
        assert grant.valid_until is None or grant.valid_from <= grant.valid_until
    kinds = set(grants.values_list("help_kind__group", flat=True))
    assert kinds >= {"schulbegleitung", "erziehungshilfe", "eingliederungshilfe", "beratung"}
    assert Decision.objects.filter(outcome=Decision.Outcome.REFUSED).exists()
    pooled = grants.filter(pool__isnull=False)
    assert pooled.count() == 2
    assert len({g.pool_id for g in pooled}) == 1
    assert len({g.case.person_id for g in pooled}) == 2
    assert all(g.case.school_id == g.pool.school_id for g in pooled)


def test_a_request_for_a_known_child_spells_the_name_differently(demo_data):
    people = {(p.first_name, p.date_of_birth): p for p in Person.objects.all()}
    new = Referral.objects.filter(status=Status.RECEIVED).exclude(date_of_birth=None)
    twins = [
        (r, people[(r.first_name, r.date_of_birth)])
        for r in new
        if (r.first_name, r.date_of_birth) in people
    ]

    assert len(twins) == 1
    referral, person = twins[0]
    assert referral.last_name != person.last_name
    assert referral.school_id == person.cases.get().school_id


def test_children_are_6_to_16_and_names_have_umlauts(demo_data):
    today = timezone.localdate()
    # Pupils named by their school (office intake includes younger children and no class).
    named = Referral.objects.filter(channel=Referral.Channel.SCHOOL_FORM).exclude(
        date_of_birth=None
    )
    for referral in named:
        age = (today - referral.date_of_birth).days / 365.25
        assert 6 <= age < 17, referral.date_of_birth
        assert referral.school_class
    names = " ".join(f"{r.first_name} {r.last_name}" for r in named)
    assert len(set("äöüß") & set(names)) >= 3
    assert len({(r.first_name, r.last_name) for r in named}) >= len(named) - 1


def test_timelines_and_waiting_times_are_consistent(demo_data):
    now = timezone.now()
    # The last three months, and a few stories of a year before (the comparison).
    oldest = now - datetime.timedelta(days=441)
    received = list(Referral.objects.values_list("received_at", flat=True))
    assert min(received) < now - datetime.timedelta(days=40)
    assert max(received) > now - datetime.timedelta(days=2)
    for referral in Referral.objects.prefetch_related("events"):
        events = list(referral.events.all())
        times = [e.at for e in events]
        assert times == sorted(times)
        assert oldest < referral.received_at == times[0] <= now
        moves = [e for e in events if e.from_status]
        last_move = moves[-1].at if moves else referral.received_at
        assert referral.whose_move_since == last_move
    for case in Case.objects.select_related("referral").prefetch_related("events"):
        times = [e.at for e in case.events.all()]
        assert case.referral.received_at <= case.opened_at == times[0]
        assert times == sorted(times)
        assert case.opened_at <= case.whose_move_since <= now
        assert (case.closed_at is not None) == (case.status == Status.CLOSED)
    # Only the last two days wait unread in the inboxes.
    unread = Notification.objects.filter(read_at__isnull=True)
    assert unread.exists()
    assert not unread.filter(created_at__lt=now - datetime.timedelta(days=2, hours=1)).exists()


def test_case_files_hold_notes_contacts_and_tasks(demo_data):
    today = timezone.localdate()
    team_west = User.objects.get(username="team-west")
    confided = CaseNote.objects.filter(confided=True)
    assert confided.exists()
    assert set(confided.values_list("author", flat=True)) == {team_west.pk}
    assert NoteShare.objects.filter(note__author=team_west).count() == 1
    assert NoteVersion.objects.filter(number=2).exists()
    assert CaseNote.objects.filter(confided=False).count() >= 30
    assert Contact.objects.count() >= 30
    open_tasks = Task.objects.open()
    assert open_tasks.filter(due_date__lt=today).exists()
    assert open_tasks.filter(due_date__gte=today, due_date__lte=end_of_week(today)).exists()
    assignees = set(open_tasks.values_list("assignee__username", flat=True))
    assert {*TEAM_ACCOUNTS, "familienamt"} <= assignees
    for note in CaseNote.objects.select_related("case"):
        assert note.case.opened_at <= note.created_at <= timezone.now()


def test_help_plans_conferences_and_neighbourhood_work(demo_data):
    plans = HelpPlan.objects.all()
    assert plans.exists()
    assert plans.filter(versions__number=2).exists()
    for plan in plans.prefetch_related("versions"):
        dates = [v.meeting_date for v in sorted(plan.versions.all(), key=lambda v: v.number)]
        assert dates == sorted(dates)
    held = Conference.objects.filter(status=Conference.Status.HELD)
    assert held.count() == 3
    assert Conference.objects.filter(status=Conference.Status.PLANNED).count() == 3
    item = AgendaItem.objects.filter(conference__in=held).first()
    assert item is not None and item.has_minutes and item.case_giver_id
    assert AgreedStep.objects.filter(agenda_item=item).count() == 2
    for sozialraum in Sozialraum.objects.all():
        assert Activity.objects.filter(sozialraum=sozialraum).count() >= 3
        assert Resource.objects.filter(sozialraum=sozialraum).count() >= 3
    assert ResourceCaseLink.objects.exists()


@pytest.mark.parametrize("username", [*TEAM_ACCOUNTS, "familienamt", "schule-west", "schule-nord"])
def test_demo_accounts_log_in_and_see_their_start_page(demo_data, username):
    client = Client()

    response = client.post(
        reverse("accounts:login"), {"username": username, "password": settings.DEMO_PASSWORD}
    )

    assert response.status_code == 302
    assert client.get(reverse("accounts:start")).status_code == 200


def test_the_steering_figures_have_something_to_show(demo_data):
    from apps.cases.models import ClosingReason
    from apps.casework.models import GoalAttainment
    from apps.reports.figures import ENDING_SOON_DAYS
    from apps.reports.models import CouncilReport

    today = timezone.localdate()
    a_year_ago = today - datetime.timedelta(days=365)
    # The comparison with the same period a year before has numbers.
    assert Referral.objects.filter(received_at__date__lt=a_year_ago).count() >= 3
    assert Case.objects.filter(
        closed_at__date__lt=a_year_ago, closing_reason__isnull=False
    ).exists()
    # § 8a reports first handled, this year and a year before.
    handled = Referral.objects.filter(kind=Referral.Kind.KINDERSCHUTZ).exclude(
        status=Status.RECEIVED
    )
    assert handled.filter(received_at__date__gte=a_year_ago).count() >= 3
    assert handled.filter(received_at__date__lt=a_year_ago).exists()
    # Grants that end within the next eight weeks.
    assert (
        Decision.objects.filter(
            outcome=Decision.Outcome.GRANTED,
            valid_until__gte=today,
            valid_until__lt=today + datetime.timedelta(days=ENDING_SOON_DAYS),
        ).count()
        >= 3
    )
    # Closed cases with their reasons, reviews with goal attainment.
    assert ClosingReason.objects.filter(cases__isnull=False).distinct().count() >= 2
    assert GoalAttainment.objects.exists()
    # A published report whose small counts are suppressed.
    version = CouncilReport.objects.get().versions.get()
    assert "< 5" in str(version.figures)
