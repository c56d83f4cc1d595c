import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.cases.forms import period_dates
from apps.cases.models import Decision, Pool
from apps.cases.services import case_decide, case_transition
from apps.referrals.workflow import Status

pytestmark = pytest.mark.django_db


def _grant(provider, **extra):
    return {
        "version": 5,
        "outcome": Decision.Outcome.GRANTED,
        "reason": "Der Bedarf ist festgestellt.",
        "hours_per_week": "15",
        "period": Decision.Period.SCHOOL_YEAR,
        "valid_from": "2026-08-01",
        "valid_until": "2027-07-31",
        "provider": provider.pk,
        "help_kind": "sb_35a",
        "backdating_reason": "Die Hilfe lief seit Beginn des Schuljahres.",
        **extra,
    }


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("familienamt_worker", 200),
        ("familienamt_lead", 200),
        ("west_member", 403),
        ("school_leader", 403),
        ("admin_user", 403),
        ("dpo", 403),
        ("anonymous", 302),
    ],
)
def test_decision_create_access(client, login_as, decision_case, persona, status):
    login_as(persona)

    assert client.get(reverse("cases:decide", args=[decision_case.pk])).status_code == status


def test_an_unknown_case_is_404(client, familienamt_worker):
    client.force_login(familienamt_worker)

    assert client.get(reverse("cases:decide", args=[99999])).status_code == 404


def test_the_real_providers_are_offered(client, familienamt_worker, decision_case):
    client.force_login(familienamt_worker)

    response = client.get(reverse("cases:decide", args=[decision_case.pk]) + "?hilfeart=sb_35a")

    assert "Atze Assistenz gGmbH – Regionalteam Weimar" in response.text
    assert "Lebenshilfe Inklusive Bildung – Regionalteam Weimar 1" in response.text
    assert "Lebenshilfe Inklusive Bildung – Regionalteam Weimar 2" in response.text
    assert "jedes Kind behält seine eigene Bewilligung" in response.text


def test_the_form_is_prefilled_with_the_current_school_year(
    client, familienamt_worker, decision_case
):
    client.force_login(familienamt_worker)

    url = reverse("cases:decide", args=[decision_case.pk]) + "?hilfeart=sb_35a"
    form = client.get(url).context["form"]

    # From today (a grant in the past needs a reason) to the end of the school year.
    valid_from = form.initial["valid_from"]
    assert valid_from >= datetime.date.today()
    assert form.initial["valid_until"].month == 7 and form.initial["valid_until"].day == 31


@pytest.mark.parametrize(
    ("period", "day", "expected"),
    [
        ("school_year", datetime.date(2026, 11, 12), ("2026-08-01", "2027-07-31")),
        ("school_year", datetime.date(2027, 3, 1), ("2026-08-01", "2027-07-31")),
        ("half_year", datetime.date(2026, 11, 12), ("2026-08-01", "2027-01-31")),
        ("half_year", datetime.date(2027, 3, 1), ("2027-02-01", "2027-07-31")),
    ],
)
def test_periods_follow_the_thuringian_school_year(period, day, expected):
    assert tuple(d.isoformat() for d in period_dates(period, day)) == expected


def test_the_familienamt_grants_with_a_pool_of_the_school(
    client, familienamt_worker, decision_case, provider
):
    pool = Pool.objects.create(school=decision_case.school, provider=provider, name="Pool 1")
    client.force_login(familienamt_worker)

    response = client.post(
        reverse("cases:decide", args=[decision_case.pk]),
        _grant(provider, version=decision_case.version, pool=pool.pk),
    )

    decision = Decision.objects.get()
    assert response.status_code == 302 and response.url == decision.get_absolute_url()
    assert decision.hours_per_week == Decimal(15) and decision.pool == pool
    decision_case.refresh_from_db()
    assert decision_case.status == Status.RUNNING


def test_empty_dates_follow_the_chosen_period(client, familienamt_worker, decision_case, provider):
    client.force_login(familienamt_worker)

    client.post(
        reverse("cases:decide", args=[decision_case.pk]),
        _grant(
            provider,
            version=decision_case.version,
            period=Decision.Period.HALF_YEAR,
            valid_from="",
            valid_until="",
        ),
    )

    decision = Decision.objects.get()
    assert decision.valid_from and decision.valid_until
    assert decision.valid_until.day == 31 and decision.valid_until.month in (1, 7)


def test_a_refusal_needs_only_the_kind_and_a_reason(client, familienamt_worker, decision_case):
    client.force_login(familienamt_worker)

    client.post(
        reverse("cases:decide", args=[decision_case.pk]),
        {
            "version": decision_case.version,
            "outcome": "refused",
            "help_kind": "sb_35a",
            "reason": "Kein Bedarf.",
            "hours_per_week": "10",
        },
    )

    decision = Decision.objects.get()
    assert decision.outcome == "refused" and decision.hours_per_week is None
    decision_case.refresh_from_db()
    assert decision_case.status == Status.CLOSED


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"outcome": ""}, "Bitte wählen Sie: bewilligen oder ablehnen."),
        ({"reason": ""}, "Bitte begründen Sie die Entscheidung."),
        ({"hours_per_week": ""}, "Bitte geben Sie die Stunden pro Woche an."),
        ({"hours_per_week": "0,4"}, "mindestens 0,5 Stunden"),
        ({"hours_per_week": "40,5"}, "höchstens 40 Stunden"),
        ({"hours_per_week": "zehn"}, "als Zahl"),
        ({"period": ""}, "Bitte wählen Sie Schuljahr oder Schulhalbjahr."),
        ({"valid_from": "2027-08-01"}, "Das Schuljahr endet am 31.07.2028"),
        ({"period": "half_year"}, "Das Schulhalbjahr endet am 31.01.2027"),
        ({"backdating_reason": ""}, "Die Hilfe beginnt in der Vergangenheit (01.08.2026)"),
        ({"valid_from": "31.02.2026"}, "Bitte geben Sie ein gültiges Datum ein."),
        ({"provider": ""}, "Bitte wählen Sie den Leistungserbringer."),
        ({"provider": "99999"}, "Bitte wählen Sie einen Leistungserbringer der Liste."),
    ],
)
def test_bad_decision_input_is_refused_and_writes_nothing(
    client, familienamt_worker, decision_case, provider, change, message
):
    client.force_login(familienamt_worker)

    response = client.post(
        reverse("cases:decide", args=[decision_case.pk]),
        _grant(provider, version=decision_case.version) | change,
    )

    assert response.status_code == 200
    assert message in response.text
    assert "Es wurde kein Bescheid erlassen" in response.text
    assert not Decision.objects.exists()
    decision_case.refresh_from_db()
    assert decision_case.status == Status.DECISION


def test_a_pool_of_another_school_is_refused(
    client, familienamt_worker, decision_case, provider, school_nord
):
    other = Pool.objects.create(school=school_nord, provider=provider, name="Pool Nord")
    client.force_login(familienamt_worker)

    response = client.post(
        reverse("cases:decide", args=[decision_case.pk]),
        _grant(provider, version=decision_case.version, pool=other.pk),
    )

    assert "Bitte wählen Sie einen Pool dieser Schule." in response.text
    assert not Decision.objects.exists()


def test_a_stale_decision_is_refused(client, familienamt_worker, decision_case, provider):
    client.force_login(familienamt_worker)

    response = client.post(
        reverse("cases:decide", args=[decision_case.pk]),
        _grant(provider, version=decision_case.version - 1),
        follow=True,
    )

    assert "wurde inzwischen" in response.text
    assert not Decision.objects.exists()


def test_a_stale_decision_keeps_what_was_typed_and_says_who_changed_the_case(
    client, familienamt_worker, familienamt_lead, decision_case, provider
):
    client.force_login(familienamt_worker)
    seen = decision_case.version
    client.get(reverse("cases:decide", args=[decision_case.pk]))
    # Meanwhile the lead sends the case back to help planning.
    case_transition(
        case_id=decision_case.pk,
        actor=familienamt_lead,
        target=Status.HELP_PLAN,
        expected_version=seen,
    )
    reason = "Die Begründung, über eine Stunde geschrieben."

    response = client.post(
        reverse("cases:decide", args=[decision_case.pk]),
        _grant(provider, version=seen) | {"reason": reason},
    )

    assert response.status_code == 409
    assert f"wurde inzwischen von {familienamt_lead} geändert" in response.text
    assert "jetzt: Hilfeplanung" in response.text
    assert reason in response.text  # still in the form
    assert f'name="version" value="{seen + 1}"' in response.text
    assert not Decision.objects.exists()


def test_a_case_not_up_for_decision_cannot_be_decided(
    client, familienamt_worker, west_case, provider
):
    client.force_login(familienamt_worker)

    response = client.post(
        reverse("cases:decide", args=[west_case.pk]),
        _grant(provider, version=west_case.version),
        follow=True,
    )

    assert "liegt nicht zur Entscheidung vor" in response.text
    assert not Decision.objects.exists()


# decision_letter


@pytest.fixture
def granted(decision_case, familienamt_worker, provider) -> Decision:
    pool = Pool.objects.create(school=decision_case.school, provider=provider, name="Pool Süd")
    return case_decide(
        case_id=decision_case.pk,
        actor=familienamt_worker,
        expected_version=decision_case.version,
        outcome=Decision.Outcome.GRANTED,
        reason="Bedarf festgestellt.",
        hours_per_week=Decimal("12.5"),
        period=Decision.Period.SCHOOL_YEAR,
        valid_from=datetime.date(2026, 8, 1),
        backdating_reason="Die Hilfe lief seit Beginn des Schuljahres.",
        valid_until=datetime.date(2027, 7, 31),
        provider=provider,
        pool=pool,
    )


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("familienamt_worker", 200),
        ("familienamt_lead", 200),
        ("west_member", 200),
        ("nord_member", 404),
        ("school_leader", 403),
        ("admin_user", 403),
        ("dpo", 403),
        ("anonymous", 302),
    ],
)
def test_decision_letter_access(client, login_as, granted, persona, status):
    login_as(persona)

    assert client.get(granted.get_absolute_url()).status_code == status


def test_a_decision_of_another_case_is_404(client, familienamt_worker, granted, nord_case):
    client.force_login(familienamt_worker)

    url = reverse("cases:decision", args=[nord_case.pk, granted.pk])

    assert client.get(url).status_code == 404


def test_the_letter_has_everything_the_parents_need(client, west_member, granted):
    client.force_login(west_member)

    text = client.get(granted.get_absolute_url()).text

    for expected in (
        "Amt für Familie und Soziales",
        "Schwanseestraße 17",
        "99423 Weimar",
        f"Bescheid-Nr. {granted.reference}",
        "An die Sorgeberechtigten von<br>Jürgen Müller",
        "<strong>bewilligt</strong>",
        "12,5 Stunden pro Woche",
        "vom 01.08.2026 bis zum 31.07.2027",
        "Atze Assistenz gGmbH – Regionalteam Weimar",
        "Pool Süd",
        "Bedarf festgestellt.",
        "Rechtsbehelfsbelehrung",
        "innerhalb eines Monats",
        "css/print.css",
        "Strg+P",
    ):
        assert expected in text, expected
    assert "<script>" not in text.split("</head>")[1]


# Kinds of help ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "required"),
    [
        ("sb_35a", ["Stunden pro Woche", "Leistungserbringer"]),
        ("sb_112", ["Stunden pro Woche", "Leistungserbringer"]),
        ("hze", ["Welche Hilfe", "Leistungserbringer", "Umfang", "Überprüfung"]),
        ("egh_35a", ["Form der Hilfe"]),
    ],
)
def test_each_kind_of_help_refuses_a_grant_without_its_fields(
    client, familienamt_worker, decision_case, kind, required
):
    client.force_login(familienamt_worker)

    response = client.post(
        reverse("cases:decide", args=[decision_case.pk]),
        {
            "version": decision_case.version,
            "help_kind": kind,
            "outcome": Decision.Outcome.GRANTED,
            "reason": "Bedarf festgestellt.",
        },
    )

    assert response.status_code == 200
    assert "Es wurde kein Bescheid erlassen" in response.text
    for label in required:
        assert label in response.text
    assert response.text.count("Pflichtangabe, wenn Sie bewilligen") >= len(required)
    assert not Decision.objects.exists()


def test_the_service_refuses_an_incomplete_grant_too(familienamt_worker, decision_case):
    from apps.core.refusals import Refused

    with pytest.raises(Refused, match="Umfang"):
        case_decide(
            case_id=decision_case.pk,
            actor=familienamt_worker,
            expected_version=decision_case.version,
            outcome=Decision.Outcome.GRANTED,
            reason="-",
            help_kind="hze",
            help_form="Sozialpädagogische Familienhilfe (§ 31)",
        )
    assert not Decision.objects.exists()


def test_a_help_for_upbringing_is_granted_and_the_bescheid_names_it(
    client, familienamt_worker, decision_case, provider
):
    client.force_login(familienamt_worker)
    start = datetime.date.today() + datetime.timedelta(days=3)

    client.post(
        reverse("cases:decide", args=[decision_case.pk]),
        {
            "version": decision_case.version,
            "help_kind": "hze",
            "outcome": Decision.Outcome.GRANTED,
            "reason": "Bedarf festgestellt.",
            "help_form": "Sozialpädagogische Familienhilfe (§ 31)",
            "provider": provider.pk,
            "extent": "4 Fachleistungsstunden pro Woche",
            "valid_from": start.isoformat(),
            "review_on": (start + datetime.timedelta(days=180)).isoformat(),
        },
    )

    decision = Decision.objects.get()
    letter = client.get(decision.get_absolute_url()).text
    assert "Hilfe zur Erziehung" in letter and "§§ 27 ff. SGB VIII" in letter
    assert "Sozialpädagogische Familienhilfe (§ 31)" in letter
    assert "4 Fachleistungsstunden pro Woche" in letter


def test_choosing_a_kind_swaps_only_its_fields(client, familienamt_worker, decision_case):
    client.force_login(familienamt_worker)

    response = client.get(
        reverse("cases:decide", args=[decision_case.pk]) + "?hilfeart=egh_35a",
        headers={"HX-Request": "true"},
    )

    assert response.text.lstrip().startswith('<div id="kind-fields"')
    assert "Form der Hilfe" in response.text and "Stunden pro Woche" not in response.text


def test_a_half_year_grant_gets_the_half_years_dates(
    client, familienamt_worker, decision_case, provider
):
    client.force_login(familienamt_worker)

    client.post(
        reverse("cases:decide", args=[decision_case.pk]),
        _grant(
            provider,
            version=decision_case.version,
            period=Decision.Period.HALF_YEAR,
            valid_from="2026-08-01",
            valid_until="",
        ),
    )

    decision = Decision.objects.get()
    assert (decision.valid_from, decision.valid_until) == (
        datetime.date(2026, 8, 1),
        datetime.date(2027, 1, 31),
    )
    assert decision.backdating_reason


@pytest.mark.parametrize("rows", [1, 6])
def test_the_decision_form_queries_do_not_grow_with_kinds(
    client, familienamt_worker, decision_case, django_assert_max_num_queries, rows
):
    from apps.cases.models import HelpKind

    for n in range(rows):
        HelpKind.objects.create(
            code=f"extra{n}", name=f"Weitere Hilfe {n}", legal_basis="§ 27", group="beratung"
        )
    client.force_login(familienamt_worker)

    with django_assert_max_num_queries(25):
        client.get(reverse("cases:decide", args=[decision_case.pk]) + "?hilfeart=sb_35a")
