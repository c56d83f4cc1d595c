"""The school's status page follows the real status: every status of the spine, one by one.

Status, "am Zug", next step and whom to ask come from the spine table
(``workflow.NEXT_STEP``, ``party_name``); no sentence on the page may speak
of an earlier or later stage than the one the request or case is in.
"""

import re

import pytest
from django.utils import timezone

from apps.cases.models import Case
from apps.cases.services import case_open_from_referral
from apps.consents.models import Purpose
from apps.consents.services import ConsentInput, consent_record
from apps.referrals import progress
from apps.referrals.models import Referral
from apps.referrals.workflow import (
    CASE_STATUSES,
    NEXT_STEP,
    OPEN_REQUEST_STATUSES,
    TRANSITIONS,
    Party,
    Status,
    party_name,
)
from tests.referrals.test_school_list import file_request

pytestmark = pytest.mark.django_db

FAMILIENAMT_CONTACT = "Bis der Fall beim Team ist, ist das Familienamt Ihr Ansprechpartner"
REQUEST_ONLY = [Status.RECEIVED, Status.IN_TRIAGE, Status.QUESTION, Status.REJECTED]


def _whose_move_after(status: Status) -> str:
    """Whose move the spine names after a step into ``status`` (the table's own answer)."""
    if status == Status.RECEIVED:  # where a request starts: with the Familienamt
        return Party.FAMILIENAMT
    parties = {t.next_party for t in TRANSITIONS if t.target == status}
    assert len(parties) == 1, status
    return parties.pop()


def _texts(html: str) -> dict[str, str]:
    def one(testid: str) -> str:
        match = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</(dd|p)>', html, re.S)
        assert match, testid
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).strip()

    return {"status": one("status"), "am_zug": one("am-zug"), "next": one("next-step")}


@pytest.fixture
def referral(school_leader, school_west) -> Referral:
    return file_request(school_leader, school_west)


@pytest.mark.parametrize("status", REQUEST_ONLY)
def test_a_request_shows_its_own_status_and_next_step(client, school_leader, referral, status):
    Referral.objects.filter(pk=referral.pk).update(
        status=status, whose_move=_whose_move_after(status)
    )
    referral.refresh_from_db()
    client.force_login(school_leader)

    html = client.get(referral.get_absolute_url()).text
    texts = _texts(html)

    assert texts["status"] == status.label
    assert texts["next"] == progress.next_step(referral)
    assert NEXT_STEP[status].split("{")[0].strip() in texts["next"]
    if status == Status.REJECTED:
        assert texts["am_zug"].startswith("niemand")
    else:
        who = party_name(referral.whose_move, school=referral.school.name)
        assert texts["am_zug"].startswith(who)
    # Before a case exists, the Familienamt is the one to ask; after a rejection too.
    assert (FAMILIENAMT_CONTACT in html) == (status in OPEN_REQUEST_STATUSES)


@pytest.fixture
def followed_case(referral, familienamt_worker) -> Case:
    case = case_open_from_referral(
        referral_id=referral.pk, actor=familienamt_worker, expected_version=referral.version
    )
    consent_record(
        case=case,
        actor=familienamt_worker,
        data=ConsentInput(
            given_by="Anna Müller",
            given_on=timezone.localdate(),
            purposes=[Purpose.SCHOOL_EXCHANGE],
            schools=[referral.school],
        ),
    )
    return case


@pytest.mark.parametrize("status", sorted(CASE_STATUSES))
def test_a_followed_case_shows_the_cases_status_and_next_step(
    client, school_leader, referral, followed_case, status
):
    status = Status(status)
    party = Party.TEAM if status == Status.WITH_TEAM else _whose_move_after(status)
    Case.objects.filter(pk=followed_case.pk).update(status=status, whose_move=party)
    client.force_login(school_leader)

    html = client.get(referral.get_absolute_url()).text
    texts = _texts(html)

    assert texts["status"] == status.label
    referral = Referral.objects.select_related("case__team").get(pk=referral.pk)
    assert texts["next"] == progress.next_step(referral)
    assert NEXT_STEP[status].split("{")[0].strip().replace("Das ", "") in texts["next"]
    if party == Party.NOBODY:
        assert texts["am_zug"].startswith("niemand")
    else:
        assert texts["am_zug"].startswith(party_name(party, team="Sozialraumteam West"))
    assert FAMILIENAMT_CONTACT not in html


def test_an_accepted_request_without_consent_says_taken_up_and_nothing_more(
    client, school_leader, referral, familienamt_worker
):
    case = case_open_from_referral(
        referral_id=referral.pk, actor=familienamt_worker, expected_version=referral.version
    )
    Case.objects.filter(pk=case.pk).update(status=Status.DECISION, whose_move=Party.FAMILIENAMT)
    client.force_login(school_leader)

    html = client.get(referral.get_absolute_url()).text
    texts = _texts(html)

    assert texts["status"] == progress.TAKEN_UP_LABEL
    assert texts["next"] == progress.TAKEN_UP_TEXT
    assert Status.DECISION.label not in html
    assert FAMILIENAMT_CONTACT not in html
