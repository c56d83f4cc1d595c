"""Every create form carries the one-time submission key (apps.core.submissions).

The crawler opens every page of the matrix each persona may open and looks at
every POST form on it. The view a form posts to either creates a record
(marked ``@submissions.creates``): then the form must carry the hidden key; or
it is listed in :data:`CREATES_NOTHING` with the reason a double click cannot
double anything. A new POST form that is neither fails here, so a create form
cannot be added without the key.

The second part sends every create form twice with one key, once without a key
and once with a forged one.
"""

import datetime
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from apps.audit.models import LegalHold
from apps.cases.models import Case, Recommendation
from apps.cases.services import case_open_from_referral
from apps.casework.models import CaseHandover, CaseNote, Contact, NoteVersion, Task
from apps.conferences.models import AgendaItem, Conference
from apps.consents.models import CaseConsent
from apps.core import submissions
from apps.documents.models import CaseDocument
from apps.neighbourhood.models import Activity, Resource, ResourceCaseLink
from apps.organisation.models import Traeger
from apps.referrals.models import CounsellingContact, Question, Referral
from apps.referrals.services import referral_start_triage
from apps.reports.models import Budget, CouncilReport, PublishedReport
from apps.schoolsupport.models import SchoolFeedback
from tests.authz.matrix import GET, MATRIX, OK
from tests.authz.test_bad_input import FormParser
from tests.authz.test_matrix import _url
from tests.authz.world import World, _submit

pytestmark = pytest.mark.django_db

VERSIONED = "a versioned write: a repeat carries the old version and is refused as stale"
ONCE = "decides or changes one record once: a repeat finds it decided and is refused"
SESSION = "the person's own session or sign-in, no record of the work"
READS = "a search or an export: reads, writes the access log only"
CREATES_NOTHING = {
    "accounts:approval_decide": ONCE,
    "accounts:logout": SESSION,
    "accounts:otp_setup": SESSION,
    "accounts:otp_verify": SESSION,
    "accounts:session_end": SESSION,
    "accounts:session_keepalive": SESSION,
    "audit:access_request": READS,
    "audit:hold_release": ONCE,
    "cases:decide": VERSIONED,
    "cases:edit": VERSIONED,
    "cases:move": VERSIONED,
    "cases:open": VERSIONED,
    "cases:search": READS,
    "casework:helpplan_edit": VERSIONED,
    "casework:note_share": "shares with each colleague once: a repeat adds nobody",
    "casework:task_done": ONCE,
    "casework:task_edit": VERSIONED,
    "conferences:agreed_steps": VERSIONED,
    "conferences:minutes": VERSIONED,
    "conferences:roles": VERSIONED,
    "consents:withdraw": ONCE,
    "neighbourhood:activity_edit": VERSIONED,
    "neighbourhood:resource_edit": VERSIONED,
    "notifications:mark_read": ONCE,
    "referrals:bulk_assign": "assigns: a repeat assigns the same person again",
    "referrals:filter_delete": ONCE,
    "referrals:filter_save": "one filter per name: a repeat is refused with a message",
    "referrals:question_answer": ONCE,
    "referrals:reject": VERSIONED,
    "referrals:reroute": VERSIONED,
    "referrals:start_triage": VERSIONED,
    "reports:budget_edit": "changes a budget: a repeat saves the same values",
    "reports:report_edit": "changes a draft report: a repeat saves the same text",
    "reports:statistics": READS,
    "schoolsupport:renewals_start": "moves running cases only: a repeat skips them",
}


def _create_views(patterns: list, namespace: str = "") -> Iterator[str]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(part for part in (namespace, entry.namespace) if part)
            yield from _create_views(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and getattr(entry.callback, "creates_records", False):
            yield f"{namespace}:{entry.name}" if namespace else str(entry.name)


CREATE_VIEWS = sorted(set(_create_views(get_resolver().url_patterns)))


def _post_forms(client: Client, world: World) -> Iterator[tuple[str, str, str, bool]]:
    """(page, target's URL name, persona, carries the key) for every POST form reached."""
    for entry in MATRIX:
        if entry.method != GET:
            continue
        for persona, expected in entry.expect.items():
            first = expected[0] if isinstance(expected, tuple) else expected
            if persona == "anonymous" or first != OK:
                continue
            client.force_login(world[persona])
            url = _url(entry, world, persona, 0 if entry.kwargs else None)
            page = client.get(url)
            if not page.get("Content-Type", "").startswith("text/html"):
                continue
            parser = FormParser()
            parser.feed(page.content.decode())
            for form in parser.forms:
                if form.method != "post":
                    continue
                has_key = any(name == submissions.FIELD for name, _ in form.fields)
                for target in form.targets[:1]:
                    match = resolve((target or url).split("?")[0])
                    yield url, match.view_name, persona, has_key


def test_every_post_form_that_creates_carries_the_key(client: Client, world: World):
    seen: dict[str, list[str]] = {}
    without_key: list[str] = []
    for page, view_name, persona, has_key in _post_forms(client, world):
        seen.setdefault(view_name, []).append(page)
        if view_name in CREATE_VIEWS and not has_key:
            without_key.append(f"{view_name} on {page} ({persona})")

    unclassified = sorted(set(seen) - set(CREATE_VIEWS) - set(CREATES_NOTHING))
    assert not unclassified, (
        "POST forms neither marked @submissions.creates nor listed in CREATES_NOTHING: "
        + ", ".join(unclassified)
    )
    assert not without_key, "create forms without the submission key: " + ", ".join(without_key)


# --- a second POST with the same key ---------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    """A create form: who sends it where, what it creates, a valid body."""

    view: str
    persona: str
    model: type[models.Model]
    args: Callable[[dict[str, Any]], list[Any]]
    data: Callable[[dict[str, Any]], dict[str, Any]]
    # The page that offers the form (None: the form's own URL answers GET).
    page: Callable[[dict[str, Any]], str] | None = None
    prepare: Callable[[World], dict[str, Any]] | None = None


def _new_case(world: World) -> Case:
    """A West case of its own (not on the agenda, linked to nothing)."""
    referral = _submit(world["school_leader"], world["school_west"], "Ella")
    return case_open_from_referral(
        referral_id=referral.pk, actor=world["familienamt_worker"], expected_version=1
    )


def _with_case(world: World) -> dict[str, Any]:
    return {"case": _new_case(world)}


def _in_triage(world: World) -> dict[str, Any]:
    referral = _submit(world["school_leader"], world["school_west"], "Ella")
    referral = referral_start_triage(
        referral_id=referral.pk, actor=world["familienamt_worker"], expected_version=1
    )
    return {"referral": referral}


def _followed_case(world: World) -> dict[str, Any]:
    from tests.schoolsupport.conftest import running_case, school_consent

    school, fa = world["school_west"], world["familienamt_worker"]
    case = running_case(world["school_leader"], school, fa, world["west_member"])
    school_consent(case, fa, school)
    return {"case": case}


def _without_handover(world: World) -> dict[str, Any]:
    CaseHandover.objects.filter(case=world["west_case"]).delete()
    return {}


def _today(days: int = 0) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def _referral_body(w: dict[str, Any]) -> dict[str, Any]:
    from tests.referrals.test_school_create import valid_post

    return {k: v for k, v in valid_post().items() if k != submissions.FIELD}


def _report_body(w: dict[str, Any]) -> dict[str, Any]:
    from tests.referrals.test_school_child_protection import _post

    return {k: v for k, v in _post().items() if k != submissions.FIELD}


def _intake_body(w: dict[str, Any]) -> dict[str, Any]:
    from tests.referrals.test_office_intake import _intake

    return {k: v for k, v in _intake().items() if k != submissions.FIELD}


def _counselling_body(w: dict[str, Any]) -> dict[str, Any]:
    from tests.referrals.test_office_intake import _contact

    return _contact(w["team_west"])


def _consent_body(w: dict[str, Any]) -> dict[str, Any]:
    from tests.consents.test_consents import _form

    return _form(w["school_west"])


def _activity_body(w: dict[str, Any]) -> dict[str, Any]:
    from tests.neighbourhood.test_activities import _form

    return _form(w["team_west"])


def _resource_body(w: dict[str, Any]) -> dict[str, Any]:
    from tests.neighbourhood.test_resources import _form

    return _form(w["team_west"])


def _document_body(w: dict[str, Any]) -> dict[str, Any]:
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    return {
        "kind": "statement",
        "title": "Stellungnahme KJP",
        "file": SimpleUploadedFile("befund.pdf", pdf),
    }


def _budget_body(w: dict[str, Any]) -> dict[str, Any]:
    return {
        "year": "2027",
        "sozialraum": w["team_west"].sozialraum_id,
        "traeger": Traeger.objects.get(short_name="AWO").pk,
        "flat_payment": "100000",
        "schulbegleitung_planned": "40000",
        "staff_hours": "0",
        "unspecific_share": "0",
        "note": "",
    }


def _w(name: str) -> Callable[[dict[str, Any]], list[Any]]:
    return lambda w: [w[name].pk]


def _at(name: str, obj: str = "") -> Callable[[dict[str, Any]], str]:
    """The page ``name`` (a URL name, or "" for ``obj``'s own page) of world object ``obj``."""
    if not name:
        return lambda w: w[obj].get_absolute_url()
    return lambda w: reverse(name, args=[w[obj].pk] if obj else [])


SCENARIOS = [
    Scenario("casework:note_create", "west_member", CaseNote, _w("west_case"),
             lambda w: {"text": "Erstgespräch mit der Mutter."},
             page=_at("", "west_case")),
    Scenario("casework:task_create", "west_member", Task, _w("west_case"),
             lambda w: {"title": "Schule anrufen", "due_date": _today(7),
                        "assignee": w["west_member"].pk},
             page=_at("", "west_case")),
    Scenario("casework:contact_create", "west_member", Contact, _w("west_case"),
             lambda w: {"happened_at": "2026-01-12T10:30", "kind": "home_visit",
                        "with_whom": "Mutter", "result": "Termin vereinbart."},
             page=_at("", "west_case")),
    Scenario("casework:note_correct", "west_member", NoteVersion,
             lambda w: [w["west_case"].pk, w["west_note"].pk],
             lambda w: {"text": "Erstgespräch mit beiden Eltern.", "reason": "Vater war dabei"}),
    Scenario("casework:handover_propose", "west_member", CaseHandover, _w("west_case"),
             lambda w: {"to_team": w["team_nord"].pk, "reason": "Umzug der Familie."},
             prepare=_without_handover),
    Scenario("cases:recommend", "west_member", Recommendation, _w("west_case"),
             lambda w: {"text": "Schulbegleitung weiter, zehn Stunden.", "hours_per_week": ""}),
    Scenario("consents:create", "west_member", CaseConsent, _w("west_case"), _consent_body,
             page=_at("consents:list", "west_case")),
    Scenario("consents:renew", "west_member", CaseConsent,
             lambda w: [w["west_case"].pk, w["west_case_consent"].pk],
             lambda w: {"given_on": _today(-1), "form": "written", "valid_until": ""}),
    Scenario("documents:upload", "west_member", CaseDocument, _w("west_case"), _document_body,
             page=_at("documents:list", "west_case")),
    Scenario("conferences:create", "west_member", Conference, _w("team_west"),
             lambda w: {"starts_at": "2026-12-01T10:00", "place": "Büro West",
                        "participants": [w["west_member"].pk], "moderator": w["west_member"].pk}),
    Scenario("conferences:agenda_add", "west_member", AgendaItem, _w("west_conference"),
             lambda w: {"case": w["case"].pk, "order": ""}, prepare=_with_case,
             page=_at("", "west_conference")),
    Scenario("neighbourhood:activity_create", "west_member", Activity, lambda w: [],
             _activity_body),
    Scenario("neighbourhood:resource_create", "west_member", Resource, lambda w: [],
             _resource_body),
    Scenario("neighbourhood:resource_link_case", "west_member", ResourceCaseLink,
             _w("west_resource"), lambda w: {"reference": w["case"].reference, "note": ""},
             prepare=_with_case,
             page=_at("", "west_resource")),
    Scenario("neighbourhood:case_link_resource", "west_member", ResourceCaseLink, _w("case"),
             lambda w: {"resource": w["west_resource"].pk, "note": ""}, prepare=_with_case,
             page=_at("", "case")),
    Scenario("referrals:create", "school_leader", Referral, lambda w: [], _referral_body),
    Scenario("referrals:child_protection", "school_leader", Referral, lambda w: [],
             _report_body),
    Scenario("referrals:office_intake", "familienamt_worker", Referral, lambda w: [],
             _intake_body),
    Scenario("referrals:counselling", "west_member", CounsellingContact, lambda w: [],
             _counselling_body),
    Scenario("referrals:ask", "familienamt_worker", Question, _w("referral"),
             lambda w: {"version": w["referral"].version, "text": "Welche Klasse?"},
             prepare=_in_triage,
             page=_at("", "referral")),
    Scenario("schoolsupport:feedback", "school_leader", SchoolFeedback,
             lambda w: [w["case"].referral_id],
             lambda w: {"overall": "mixed", "participation": "better",
                        "note": "Pausen sind schwierig."},
             page=lambda w: w["case"].referral.get_absolute_url(), prepare=_followed_case),
    Scenario("reports:report_create", "familienamt_lead", CouncilReport, lambda w: [],
             lambda w: {"title": "Jahresbericht 2025", "period_key": "2025",
                        "text": "Gut angelaufen."}),
    Scenario("reports:report_publish", "familienamt_lead", PublishedReport, _w("report"),
             lambda w: {"change_note": "Eine Zahl korrigiert."},
             page=_at("reports:report_preview", "report")),
    Scenario("reports:budget_create", "familienamt_lead", Budget, lambda w: [], _budget_body),
    Scenario("audit:hold_create", "familienamt_lead", LegalHold, lambda w: [],
             lambda w: {"target": "referral", "reference": w["west_request"].reference,
                        "reason": "Gerichtsverfahren"},
             page=_at("audit:retention")),
]  # fmt: skip
PARAMS = [pytest.param(s, id=s.view) for s in SCENARIOS]


def _key_on_page(client: Client, page: str, url: str) -> str:
    """The key of the form on ``page`` that posts to ``url``, as the browser would send it."""
    parser = FormParser()
    parser.feed(client.get(page).content.decode())
    for form in parser.forms:
        if form.method == "post" and url in [target or page for target in form.targets]:
            keys = [value for name, value in form.fields if name == submissions.FIELD]
            assert keys, f"the form on {page} that posts to {url} has no submission key"
            return keys[0]
    raise AssertionError(f"no form on {page} posts to {url}")


def _setup(client: Client, world: World, scenario: Scenario) -> tuple[str, dict[str, Any]]:
    context: dict[str, Any] = dict(world)
    if scenario.prepare is not None:
        context |= scenario.prepare(world)
    client.force_login(world[scenario.persona])
    return reverse(scenario.view, args=scenario.args(context)), context


def _why(response: Any) -> str:
    """What a refused POST said: its error summary and messages (for a failing assert)."""
    page = response.content.decode()
    said = re.findall(r"<li>(?:<a [^>]*>)?([^<]+)", page.split("error-summary", 1)[-1])[:5]
    title = re.search(r"<title>([^<]*)</title>", page)
    return f"{response.status_code} {title[1] if title else ''}: {said} {_messages(response)}"


def _messages(response: Any) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def test_every_create_view_has_a_scenario():
    assert sorted(s.view for s in SCENARIOS) == CREATE_VIEWS


@pytest.mark.parametrize("scenario", PARAMS)
def test_a_second_post_with_the_same_key_creates_nothing_and_answers_alike(
    client: Client, world: World, scenario: Scenario
):
    url, context = _setup(client, world, scenario)
    key = _key_on_page(client, scenario.page(context) if scenario.page else url, url)
    before = scenario.model._default_manager.count()

    first = client.post(url, {**scenario.data(context), submissions.FIELD: key})
    second = client.post(url, {**scenario.data(context), submissions.FIELD: key})

    assert first.status_code == 302, _why(first)
    assert scenario.model._default_manager.count() == before + 1
    assert (second.status_code, second["Location"]) == (first.status_code, first["Location"])
    followed = client.get(second["Location"])
    assert followed.status_code == 200 and _messages(followed)


@pytest.mark.parametrize("scenario", PARAMS)
def test_a_post_without_a_key_creates_one_record_with_a_message(
    client: Client, world: World, scenario: Scenario
):
    url, context = _setup(client, world, scenario)
    before = scenario.model._default_manager.count()

    response = client.post(url, scenario.data(context), follow=True)

    assert response.status_code == 200
    assert scenario.model._default_manager.count() == before + 1
    assert _messages(response)


@pytest.mark.parametrize("scenario", PARAMS)
def test_a_forged_key_is_refused_with_a_message_and_nothing_is_written(
    client: Client, world: World, scenario: Scenario
):
    url, context = _setup(client, world, scenario)
    before = scenario.model._default_manager.count()

    response = client.post(
        url, {**scenario.data(context), submissions.FIELD: "../../nicht-von-hier"}, follow=True
    )

    assert response.status_code in (200, 400)
    assert submissions.FORGED in response.content.decode() or submissions.FORGED in _messages(
        response
    )
    assert scenario.model._default_manager.count() == before
