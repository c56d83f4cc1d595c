"""The steering page, council reports, the statistics export and budgets, as people use them."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.audit.models import AccessLogEntry
from apps.cases.models import ClosingReason
from apps.organisation.models import Traeger
from apps.referrals.workflow import Status
from apps.reports.models import Budget, CouncilReport, PublishedReport
from apps.reports.services import report_publish
from tests.reports.conftest import at, make_case, make_referral

pytestmark = pytest.mark.django_db

STEERING = reverse("reports:steering")


def _requests(author, team, count, year=2025):
    for index in range(count):
        make_referral(author, received=at(datetime.date(year, 1 + index % 12, 3)), team=team)


# --- the steering page ------------------------------------------------------------------


def test_the_leitung_sees_exact_counts_for_the_chosen_period(client, familienamt_lead, team_west):
    _requests(familienamt_lead, team_west, 3)
    client.force_login(familienamt_lead)

    response = client.get(STEERING, {"zeitraum": "2025"})

    assert response.status_code == 200
    assert "Jahr 2025" in response.text
    figure = response.text.split('data-figure="anfragen"')[1].split("</section>")[0]
    assert '<td class="kern-table__cell kern-table__cell--numeric">3</td>' in figure
    assert "&lt; 5" not in figure


def test_the_kind_of_help_filter_offers_every_kind_kept_as_data(client, familienamt_lead):
    client.force_login(familienamt_lead)

    response = client.get(STEERING, {"zeitraum": "2025", "hilfeart": "egh_35a"})

    assert response.status_code == 200
    assert '<option value="egh_35a" selected>' in response.text
    assert "Diese Hilfeart gibt es nicht" in client.get(STEERING, {"hilfeart": "open"}).text


def test_an_htmx_filter_change_swaps_only_the_figures(client, familienamt_worker):
    client.force_login(familienamt_worker)

    response = client.get(STEERING, {"zeitraum": "2025-Q1"}, headers={"HX-Request": "true"})

    assert response.text.lstrip().startswith('<div id="figures"')
    assert "<html" not in response.text


def test_an_unknown_period_is_explained_and_the_current_year_shown(client, familienamt_lead):
    client.force_login(familienamt_lead)

    response = client.get(STEERING, {"zeitraum": "1999-Q9", "team": "999999"})

    assert response.status_code == 200
    assert "Diesen Zeitraum gibt es nicht" in response.text
    assert "Diese Auswahl (Team) gibt es nicht" in response.text
    assert f"Jahr {datetime.date.today().year}" in response.text


def test_every_chart_is_svg_with_its_numbers_as_a_table(client, familienamt_lead, team_west):
    _requests(familienamt_lead, team_west, 6)
    client.force_login(familienamt_lead)

    response = client.get(STEERING, {"zeitraum": "2025"})

    wide = response.text.count('<svg class="chart chart--wide"')
    assert wide >= 2 and response.text.count('<svg class="chart chart--narrow"') == wide
    # Each figure has its table; a chart only where it has something to draw.
    assert response.text.count('<table class="kern-table kern-table--small report-table"') >= 8
    requests = response.text.split('data-figure="anfragen"')[1].split("</section>")[0]
    assert 'class="chart chart--wide"' in requests
    endings = response.text.split('data-figure="bewilligungen-enden"')[1].split("</section>")[0]
    assert "<svg" not in endings and "report-table" in endings
    assert "<script" not in response.text.split("<main")[1].split("</main>")[0]
    assert 'role="img"' in response.text and "kern-table" in response.text


def test_a_figure_downloads_as_csv_for_german_spreadsheets(client, familienamt_lead, team_west):
    _requests(familienamt_lead, team_west, 2)
    client.force_login(familienamt_lead)

    response = client.get(reverse("reports:steering_csv", args=["anfragen"]), {"zeitraum": "2025"})

    body = response.content.decode("utf-8")
    assert response["Content-Type"].startswith("text/csv")
    assert body.startswith("\ufeff")
    assert "Herkunft;Anzahl;Anzahl Vorjahreszeitraum" in body
    assert "Insgesamt;2;0" in body


def test_an_unknown_figure_is_a_bad_request(client, familienamt_lead):
    client.force_login(familienamt_lead)

    response = client.get(reverse("reports:steering_csv", args=["gibt-es-nicht"]))

    assert response.status_code == 400


def test_traeger_management_sees_only_its_teams_and_no_small_counts(
    client, traeger_awo, familienamt_lead, team_west, team_nord
):
    _requests(familienamt_lead, team_west, 3)
    _requests(familienamt_lead, team_nord, 7)
    client.force_login(traeger_awo)

    response = client.get(STEERING, {"zeitraum": "2025"})

    figure = response.text.split('data-figure="anfragen"')[1].split("</section>")[0]
    assert "&lt; 5" in figure  # West's 3 requests, suppressed
    assert ">7<" not in figure and ">10<" not in figure  # nothing of Nord
    assert team_nord.name not in response.text.split('id="figures"')[1]


@pytest.mark.parametrize("persona", ["councillor", "traeger_awo"])
def test_figures_only_people_get_404_for_every_case_and_request(
    client, request, persona, familienamt_worker, team_west
):
    referral = make_referral(
        familienamt_worker, received=at(datetime.date(2025, 3, 1)), team=team_west
    )
    case = make_case(referral, opened=at(datetime.date(2025, 3, 2)))
    client.force_login(request.getfixturevalue(persona))

    for url in (
        reverse("cases:detail", args=[case.pk]),
        reverse("cases:list"),
        reverse("referrals:detail", args=[referral.pk]),
        reverse("referrals:queue"),
        reverse("casework:notes", args=[case.pk]),
        reverse("history:person", args=[case.person_id]),
        reverse("neighbourhood:overview"),
        reverse("cases:search"),
    ):
        assert client.get(url).status_code == 404, url


def _steering_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(STEERING, {"zeitraum": "2025"}).status_code == 200
    return len(queries)


def test_the_steering_page_costs_the_same_queries_for_one_row_or_many(
    client, familienamt_lead, team_west, team_nord
):
    client.force_login(familienamt_lead)
    _requests(familienamt_lead, team_west, 1)
    one = _steering_queries(client)

    _requests(familienamt_lead, team_west, 30)
    _requests(familienamt_lead, team_nord, 30)
    for index in range(10):
        referral = make_referral(
            familienamt_lead, received=at(datetime.date(2025, 4, 1 + index)), team=team_nord
        )
        make_case(referral, opened=at(datetime.date(2025, 4, 2 + index)))
    many = _steering_queries(client)

    assert many == one


# --- council reports --------------------------------------------------------------------


def _main(page: str) -> str:
    """The page's content without the per-request CSP nonces of the frame."""
    return page.split("<main")[1].split("</main>")[0]


def _report(lead) -> CouncilReport:
    return CouncilReport.objects.create(
        title="Halbjahresbericht", period_key="2025-H1", created_by=lead, text="Einordnung"
    )


def test_a_published_report_does_not_change_when_the_data_does(
    client, familienamt_lead, councillor, team_west
):
    _requests(familienamt_lead, team_west, 12, year=2025)
    version = report_publish(report_id=_report(familienamt_lead).pk, actor=familienamt_lead)
    client.force_login(councillor)
    before = _main(client.get(version.get_absolute_url()).text)
    csv_before = client.get(reverse("reports:published_csv", args=[version.pk])).content

    _requests(familienamt_lead, team_west, 9, year=2025)
    after = _main(client.get(version.get_absolute_url()).text)

    assert after == before
    assert client.get(reverse("reports:published_csv", args=[version.pk])).content == csv_before
    assert "Insgesamt;" in csv_before.decode("utf-8")


def test_a_published_report_suppresses_small_counts(
    client, familienamt_lead, councillor, team_west
):
    _requests(familienamt_lead, team_west, 3, year=2025)
    version = report_publish(report_id=_report(familienamt_lead).pk, actor=familienamt_lead)
    client.force_login(councillor)

    text = client.get(version.get_absolute_url()).text
    csv = client.get(reverse("reports:published_csv", args=[version.pk])).content.decode("utf-8")

    figure = text.split('data-figure="anfragen"')[1].split("</section>")[0]
    assert "&lt; 5" in figure and ">3<" not in figure
    assert "Insgesamt;< 5;0" in csv


def test_a_correction_is_a_new_version_that_says_what_changed(client, familienamt_lead, councillor):
    report = _report(familienamt_lead)
    report_publish(report_id=report.pk, actor=familienamt_lead)
    client.force_login(familienamt_lead)
    url = reverse("reports:report_publish", args=[report.pk])

    refused = client.post(url, {"change_note": ""}, follow=True)
    assert "was sich gegenüber der veröffentlichten Fassung ändert" in refused.text
    assert report.versions.count() == 1

    client.post(url, {"change_note": "Zahl der Anfragen aus Nord korrigiert."})
    second = report.versions.get(number=2)
    client.force_login(councillor)
    text = client.get(second.get_absolute_url()).text
    assert "Zahl der Anfragen aus Nord korrigiert." in text
    assert "Fassung 1" in text


def test_the_leitung_drafts_previews_and_publishes(client, familienamt_lead):
    client.force_login(familienamt_lead)

    response = client.post(
        reverse("reports:report_create"),
        {"title": "Jahresbericht 2025", "period_key": "2025", "text": "Gut angelaufen."},
    )
    report = CouncilReport.objects.get()
    assert response.url == reverse("reports:report_preview", args=[report.pk])
    preview = client.get(response.url)
    assert "Vorschau" in preview.text and "Gut angelaufen." in preview.text
    assert not PublishedReport.objects.exists()
    listing = client.get(reverse("reports:report_list")).text
    assert "(Jahr 2025, noch nicht veröffentlicht)" in listing

    client.post(reverse("reports:report_publish", args=[report.pk]))
    assert report.versions.get().period_label == "Jahr 2025"


def test_a_double_submit_drafts_one_report(client, familienamt_lead):
    client.force_login(familienamt_lead)
    page = client.get(reverse("reports:report_create")).text
    key = re.search(r'name="submission_key" value="([0-9a-f-]{36})"', page)
    assert key is not None
    body = {"title": "Jahresbericht 2025", "period_key": "2025", "text": "Gut angelaufen."}

    first = client.post(reverse("reports:report_create"), {**body, "submission_key": key[1]})
    second = client.post(reverse("reports:report_create"), {**body, "submission_key": key[1]})

    assert CouncilReport.objects.count() == 1
    assert first.url == second.url


def test_a_report_without_title_or_period_is_refused_with_messages(client, familienamt_lead):
    client.force_login(familienamt_lead)

    response = client.post(reverse("reports:report_create"), {"title": "", "period_key": "2025-03"})

    assert response.status_code == 200
    assert "Bitte geben Sie dem Bericht einen Titel." in response.text
    assert "Ein Bericht umfasst ein Halbjahr oder ein Jahr." in response.text
    assert not CouncilReport.objects.exists()


def test_the_council_reads_published_reports_only(client, councillor, familienamt_lead):
    report = _report(familienamt_lead)
    draft = _report(familienamt_lead)
    draft.title = "Unveröffentlichter Entwurf"
    draft.save()
    version = report_publish(report_id=report.pk, actor=familienamt_lead)
    client.force_login(councillor)

    listing = client.get(reverse("reports:report_list")).text

    assert version.get_absolute_url() in listing
    assert "Unveröffentlichter Entwurf" not in listing
    assert client.get(reverse("reports:report_preview", args=[draft.pk])).status_code == 403


def test_the_report_list_costs_the_same_queries_for_one_or_many_reports(
    client, councillor, familienamt_lead
):
    client.force_login(councillor)
    report_publish(report_id=_report(familienamt_lead).pk, actor=familienamt_lead)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("reports:report_list"))
    for _ in range(5):
        report_publish(report_id=_report(familienamt_lead).pk, actor=familienamt_lead)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("reports:report_list"))

    assert len(many) == len(one)


# --- the statistics export --------------------------------------------------------------


def test_the_leitung_exports_with_a_purpose_and_the_export_is_logged(
    client, familienamt_lead, team_west
):
    referral = make_referral(
        familienamt_lead, received=at(datetime.date(2025, 1, 3)), team=team_west
    )
    case = make_case(
        referral,
        opened=at(datetime.date(2025, 1, 10)),
        status=Status.CLOSED,
        closed=at(datetime.date(2025, 11, 3)),
        closing_reason=ClosingReason.objects.get(key="ziel-erreicht"),
    )
    from tests.reports.conftest import make_grant

    make_grant(
        case,
        familienamt_lead,
        hours="10",
        valid_from=datetime.date(2025, 2, 1),
        valid_until=datetime.date(2025, 12, 31),
    )
    client.force_login(familienamt_lead)

    response = client.post(
        reverse("reports:statistics"),
        {"jahr": "2025", "teil": "hilfen", "zweck": "Meldung an das Landesamt 2025"},
    )

    body = response.content.decode("utf-8")
    assert body.startswith("\ufeffMeldeart;Lfd. Nr.;Hilfeart")
    assert ";Schulbegleitung bei seelischer Behinderung;§ 35a SGB VIII;" in body
    assert "begonnen;1;" in body and "beendet;2;" in body
    assert ";2;2025;11;2025;" in body and "Ziel erreicht" in body
    assert case.person.last_name not in body and case.reference not in body
    entry = AccessLogEntry.objects.filter(action="export").latest("seq")
    assert "Meldung an das Landesamt 2025" in entry.purpose


def test_an_export_without_purpose_is_refused_and_not_logged(client, familienamt_lead):
    client.force_login(familienamt_lead)
    logged = AccessLogEntry.objects.filter(action="export").count()

    response = client.post(
        reverse("reports:statistics"), {"jahr": "2025", "teil": "hilfen", "zweck": ""}
    )

    assert response.status_code == 400
    assert "Bitte geben Sie an, wofür Sie die Daten exportieren." in response.text
    assert AccessLogEntry.objects.filter(action="export").count() == logged


# --- budgets ----------------------------------------------------------------------------


def test_the_leitung_records_a_budget(client, familienamt_lead, team_west):
    client.force_login(familienamt_lead)
    awo = Traeger.objects.get(short_name="AWO")

    response = client.post(
        reverse("reports:budget_create"),
        {
            "year": "2026",
            "sozialraum": team_west.sozialraum.pk,
            "traeger": awo.pk,
            "flat_payment": "250000",
            "schulbegleitung_planned": "90000",
            "staff_hours": "9000",
            "unspecific_share": "15",
        },
    )

    assert response.status_code == 302
    assert Budget.objects.get().unspecific_hours_planned == Decimal("1350.0")


def test_a_budget_planning_more_for_schulbegleitung_than_it_has_is_refused(
    client, familienamt_lead, team_west
):
    client.force_login(familienamt_lead)

    response = client.post(
        reverse("reports:budget_create"),
        {
            "year": "2026",
            "sozialraum": team_west.sozialraum.pk,
            "traeger": Traeger.objects.get(short_name="AWO").pk,
            "flat_payment": "1000",
            "schulbegleitung_planned": "5000",
            "staff_hours": "10",
            "unspecific_share": "150",
        },
    )

    assert response.status_code == 200
    assert "nicht größer als die Pauschale" in response.text
    assert "höchstens 100 Prozent" in response.text
    assert not Budget.objects.exists()


def test_traeger_management_sees_only_its_own_budgets(client, traeger_awo, team_west, team_nord):
    for traeger, team in (("AWO", team_west), ("Caritas", team_nord)):
        Budget.objects.create(
            year=2026,
            sozialraum=team.sozialraum,
            traeger=Traeger.objects.get(short_name=traeger),
            flat_payment=Decimal("123456") if traeger == "AWO" else Decimal("654321"),
        )
    client.force_login(traeger_awo)

    text = client.get(reverse("reports:budget_list")).text

    assert "123.456" in text and "654.321" not in text


def test_a_published_version_is_drawn_once_and_each_version_shows_its_own_figures(
    client, familienamt_lead, councillor, team_west, monkeypatch
):
    from apps.reports import snapshot

    cache.clear()
    drawn = []
    draw = snapshot.figures_html
    monkeypatch.setattr(snapshot, "figures_html", lambda f: drawn.append(f) or draw(f))
    report = _report(familienamt_lead)
    _requests(familienamt_lead, team_west, 12, year=2025)
    first = report_publish(report_id=report.pk, actor=familienamt_lead)
    _requests(familienamt_lead, team_west, 9, year=2025)
    second = report_publish(report_id=report.pk, actor=familienamt_lead, change_note="Neu.")
    client.force_login(councillor)

    views = [_main(client.get(v.get_absolute_url()).text) for v in (first, second, first)]

    assert len(drawn) == 2  # the third view of a version draws nothing
    assert views[2] == views[0]
    total = [
        v.split('data-figure="anfragen"')[1].split("Insgesamt")[1].split("</tr>")[0] for v in views
    ]
    assert ">6<" in total[0] and ">12<" in total[1]  # the half-year 2025-H1
