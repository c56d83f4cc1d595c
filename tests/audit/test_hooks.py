"""Logins, logouts and every read, write or refusal on an audited URL leave one entry."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import ResolverMatch, reverse

from apps.audit.log import log_access
from apps.audit.models import AccessLogEntry, Action
from apps.audit.registry import touched_by
from apps.cases.models import Decision
from apps.core.net import client_ip
from tests.audit.urls import SECRET_TEXT

pytestmark = [
    pytest.mark.django_db,
    # Whitenoise warns when the middleware chain is rebuilt for the added AccessLogMiddleware.
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

LOGIN_URL = reverse("accounts:login")
LOGOUT_URL = reverse("accounts:logout")
TEXT_FIELDS = ("username_attempted", "object_type", "object_id", "object_reference", "path_name")


def _only_entry(**lookup) -> AccessLogEntry:
    entries = list(AccessLogEntry.objects.filter(**lookup))
    assert len(entries) == 1, entries
    return entries[0]


def _case_url(case) -> str:
    return reverse("cases:detail", args=[case.pk])


def test_a_login_is_logged_with_the_person_and_address(client, west_member):
    client.post(
        LOGIN_URL,
        {"username": "tm-west", "password": "correct-horse-battery"},
        REMOTE_ADDR="192.0.2.7",
    )

    entry = _only_entry(action=Action.LOGIN)
    assert entry.user == west_member
    assert entry.ip == "192.0.2.7"
    assert entry.path_name == "accounts:login"
    assert entry.username_attempted == ""


def test_a_failed_login_keeps_the_name_typed_but_no_account_and_no_password(client, west_member):
    client.post(LOGIN_URL, {"username": "tm-west", "password": "falsch-falsch-falsch"})

    entry = _only_entry(action=Action.LOGIN_FAILED)
    assert entry.user is None
    assert entry.username_attempted == "tm-west"
    assert not AccessLogEntry.objects.filter(action=Action.LOGIN).exists()
    assert "falsch" not in str(list(AccessLogEntry.objects.values()))


def test_a_logout_is_logged(client, west_member):
    client.force_login(west_member)

    client.post(LOGOUT_URL)

    assert _only_entry(action=Action.LOGOUT).user == west_member


def test_reading_a_case_logs_the_case_by_id_without_its_content(client, west_member, west_case):
    client.force_login(west_member)

    response = client.get(_case_url(west_case), REMOTE_ADDR="198.51.100.4")

    assert response.status_code == 200
    assert SECRET_TEXT in response.content.decode()  # the page has content the log must not copy
    entry = _only_entry(action=Action.READ)
    assert (entry.user, entry.object_type, entry.object_id) == (
        west_member,
        "case",
        str(west_case.pk),
    )
    assert entry.case_id == west_case.pk
    assert entry.path_name == "cases:detail"
    assert entry.ip == "198.51.100.4"
    stored = " ".join(str(v) for v in AccessLogEntry.objects.values_list(*TEXT_FIELDS, "purpose"))
    for word in ("Jürgen", "Müller", "Geheim", "2016"):
        assert word not in stored


@pytest.mark.parametrize("persona", ["nord_member", "school_leader", "dpo"])
def test_a_refused_case_read_is_logged_as_denied(client, west_case, persona, request):
    user = request.getfixturevalue(persona)
    client.force_login(user)

    response = client.get(_case_url(west_case))

    assert response.status_code in {403, 404}
    entry = _only_entry(action=Action.DENIED)
    assert (entry.user, entry.object_id, entry.case_id) == (user, str(west_case.pk), west_case.pk)
    assert not AccessLogEntry.objects.filter(action=Action.READ).exists()


def test_an_anonymous_visit_is_sent_to_login_and_not_logged_as_a_read(client, west_case):
    response = client.get(_case_url(west_case))

    assert response.status_code == 302
    assert not AccessLogEntry.objects.exists()


def test_a_post_is_logged_as_a_write_with_the_purpose_the_view_asked_for(
    client, familienamt_worker, west_case
):
    client.force_login(familienamt_worker)

    response = client.post(reverse("cases:move", args=[west_case.pk]))

    assert response.status_code == 204
    entry = _only_entry(action=Action.WRITE)
    assert (entry.object_type, entry.case_id, entry.purpose) == (
        "case",
        west_case.pk,
        "Statuswechsel",
    )


def test_opening_a_decision_letter_is_logged_as_print(client, familienamt_worker, west_case):
    decision = Decision.objects.create(
        help_kind_id="sb_35a",
        case=west_case,
        reference="B-2026-0001",
        outcome=Decision.Outcome.REFUSED,
        decided_by=familienamt_worker,
        reason="Kein Bedarf festgestellt.",
    )
    client.force_login(familienamt_worker)

    client.get(reverse("cases:decision", args=[west_case.pk, decision.pk]))

    entry = _only_entry(action=Action.PRINT)
    assert (entry.object_type, entry.object_id, entry.case_id) == (
        "decision",
        str(decision.pk),
        west_case.pk,
    )


def test_pages_without_a_record_are_not_logged(client, west_member):
    client.force_login(west_member)
    before = AccessLogEntry.objects.count()

    client.get(reverse("accounts:start"))
    client.get(reverse("organisation:overview"))

    assert AccessLogEntry.objects.count() == before


def test_logging_a_request_costs_one_insert_and_no_select_on_the_log(
    client, west_member, west_case
):
    client.force_login(west_member)

    with CaptureQueriesContext(connection) as queries:
        client.get(_case_url(west_case))

    on_log = [q["sql"] for q in queries.captured_queries if "audit_accesslogentry" in q["sql"]]
    assert len(on_log) == 1
    # The change-history middleware prefixes statements with a set_config().
    assert 'INSERT INTO "audit_accesslogentry"' in on_log[0]


def test_log_access_names_a_record_by_type_id_and_reference(rf, familienamt_worker, west_case):
    request = rf.get("/", REMOTE_ADDR="203.0.113.9")
    request.user = familienamt_worker

    entry = log_access(request, Action.EXPORT, west_case, purpose="Auskunft nach Art. 15")

    assert (entry.object_type, entry.object_id) == ("case", str(west_case.pk))
    assert (entry.object_reference, entry.case_id) == ("F-2026-0001", west_case.pk)
    assert entry.ip == "203.0.113.9"


def _match(namespace: str, url_name: str, **kwargs) -> ResolverMatch:
    return ResolverMatch(
        func=lambda request: None,
        args=(),
        kwargs=kwargs,
        url_name=url_name,
        app_names=[namespace],
        namespaces=[namespace],
    )


@pytest.mark.parametrize(
    ("namespace", "url_name", "kwargs", "expected"),
    [
        ("casework", "note_history", {"case_pk": 12, "note_pk": 40}, ("note", "40", 12)),
        ("casework", "notes", {"case_pk": 12}, ("note", "", 12)),
        ("casework", "task_done", {"case_pk": 12, "task_pk": 7}, ("task", "7", 12)),
        ("cases", "recommend", {"pk": 12}, ("case", "12", 12)),
        ("cases", "decision", {"pk": 12, "decision_pk": 3}, ("decision", "3", 12)),
        ("referrals", "detail", {"pk": 5}, ("referral", "5", None)),
        ("referrals", "question_answer", {"pk": 5, "question_pk": 9}, ("referral", "5", None)),
    ],
)
def test_urls_name_the_record_and_case_they_touch(namespace, url_name, kwargs, expected):
    touched = touched_by(_match(namespace, url_name, **kwargs))

    assert touched is not None
    assert (touched.object_type, touched.object_id, touched.case_id) == expected


def test_saved_filters_are_not_records_and_are_not_logged():
    assert touched_by(_match("referrals", "filter_delete", filter_pk=3)) is None


def test_urls_outside_the_audited_apps_touch_nothing():
    assert touched_by(_match("organisation", "detail", pk=1)) is None


def test_behind_the_proxy_the_address_the_proxy_saw_counts(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.1.1.1, 192.0.2.50")

    assert client_ip(request) == "192.0.2.50"


def test_a_garbled_address_is_stored_as_none(rf):
    assert client_ip(rf.get("/", REMOTE_ADDR="not-an-ip")) is None


def test_reading_a_case_history_is_logged_against_the_case():
    from apps.audit.registry import touched_by

    touched = touched_by(_match("history", "case", pk=7, kind="case"))

    assert touched is not None
    assert (touched.object_type, touched.object_id, touched.case_id) == ("case", "7", 7)
