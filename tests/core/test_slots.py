"""Extension points: declared places in page order, providers by the apps that own them."""

import pytest

from apps.core import casefile, requestpage, startpage, timeline
from apps.core.slots import Slot


def test_providers_come_in_the_order_of_the_places_not_of_registration():
    slot: Slot = Slot("probe", places=("first", "second"), contract="")
    slot.provide("second", len)
    slot.provide("first", str)
    slot.provide("first", str)  # registering twice changes nothing

    assert slot.providers() == [("first", str), ("second", len)]


def test_an_unknown_place_is_an_error_at_once():
    slot: Slot = Slot("probe", places=("first",), contract="")

    with pytest.raises(LookupError):
        slot.provide("frist", str)


def test_the_start_page_and_the_case_page_keep_their_order():
    start = [place for place, _ in startpage.SECTIONS.providers()]
    case = [place for place, _ in casefile.SECTIONS.providers()]

    assert start == [
        "triage",
        "school_requests",
        "tasks",
        "handovers",
        "approvals",
        "decisions",
        "team_cases",
        "school_support",
        "conferences",
        "oversight",
    ]
    assert case == [
        "notes",
        "helpplan",
        "consents",
        "tasks",
        "contacts",
        "documents",
        "resources",
        "handover",
        "changes",
    ]


def test_the_request_page_has_its_section_and_the_follow_policy():
    assert [place for place, _ in requestpage.SECTIONS.providers()] == ["help"]
    assert [place for place, _ in requestpage.FOLLOW_POLICIES.providers()] == ["consent"]


def test_every_timeline_kind_is_provided_by_an_app_with_its_label():
    assert timeline.kinds() == {
        "status": "Status",
        "notizen": "Notizen",
        "kontakte": "Kontakte",
        "aufgaben": "Aufgaben",
        "dokumente": "Dokumente",
        "hilfeplan": "Hilfeplan",
        "bescheide": "Bescheide",
    }
