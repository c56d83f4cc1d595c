"""The authorisation matrix: who gets what from every URL of the project.

How to read a row::

    row("cases:detail", GET, CASE,
        LOGIN, (OK, OK), (OK, OK), NO, w(OK), n(OK), NO, NO),

- The URL name (``namespace:name``; the Django admin is exempt, it has its
  own rule, see ``tests/test_access_rules.py``), the method the probe uses
  (``GET`` for pages, ``POST`` for actions, sent with an empty body), and the
  URL arguments as names of objects in the world (``tests/authz/world.py``).
- Each argument names two objects: the first is on the **West** side (Testschule
  West, team West: in scope for ``school_leader`` and ``west_member``), the
  second on the **Nord** side (out of scope for them; in scope for
  ``nord_member``, the mirror image). ``{persona}_x`` is the persona's own
  record and ``stranger_x`` someone else's (sessions, notifications, filters).
- Then one expected answer per persona, in this order::

      anonymous  familienamt_worker  familienamt_lead  school_leader
      west_member  nord_member  admin_user  dpo  [councillor  traeger_lead]

  The last two, the figures-only personas (a council member; AWO's management,
  whose staff work in team West), may be left out: they then get 404 on every
  URL that is not public and not their own account's (``FIGURES_ONLY_OPEN``),
  which is the rule for them, and on those the admin user's answer.

  A single status holds for both objects; a pair ``(first, second)`` gives
  the answer for the first and for the second object. ``w(s)`` is
  ``(s, 404)`` (only the West object is visible), ``n(s)`` is ``(404, s)``.

The statuses follow the project's rule (docs: ARCHITECTURE, "Who sees what"):

- ``LOGIN``: anonymous is sent to the login page (302); public pages answer.
- ``NO`` (403): the role may not use the view at all, or may see the object
  but not do this with it (correct someone else's note, edit another team's
  neighbourhood work, answer a handover meant for another team).
- ``HID`` (404): right role, but the object is out of the person's scope.
- ``OK`` (200) for pages and for actions whose empty form is shown again with
  its messages; ``GO`` (302) for actions that answer with a redirect (also
  when the empty body is refused with a message); ``BAD`` (400) where the
  view answers an empty form with 400.

``bug(status, reason)`` marks a cell where the application does not follow the
rule: the test expects the rule and is an ``xfail(strict=True)``, so it turns
red once the view is fixed and the mark can go.
"""

from dataclasses import dataclass, field
from typing import Any

GET, POST = "get", "post"
OK, NO_CONTENT, GO, BAD, UNAUTHORISED, NO, HID = 200, 204, 302, 400, 401, 403, 404
# /readyz in the test world: no worker has sent a heartbeat.
UNREADY = 503
LOGIN = "login"


@dataclass(frozen=True)
class Bug:
    """The rule says ``expected``; the application answers otherwise (``reason``)."""

    expected: int | str
    reason: str


def bug(expected: int | str, reason: str) -> Bug:
    return Bug(expected, reason)


Cell = int | str | Bug
Expect = Cell | tuple[Cell, Cell]


def w(status: Cell) -> tuple[Cell, Cell]:
    """Only the West object is in scope."""
    return (status, HID)


def n(status: Cell) -> tuple[Cell, Cell]:
    """Only the Nord object is in scope."""
    return (HID, status)


PERSONA_ORDER = (
    "anonymous",
    "familienamt_worker",
    "familienamt_lead",
    "school_leader",
    "west_member",
    "nord_member",
    "admin_user",
    "dpo",
)
FIGURES_ONLY_PERSONAS = ("councillor", "traeger_lead")
# URLs a figures-only person uses like anyone logged in (own account, inbox, own log).
FIGURES_ONLY_OPEN = ("accounts:", "notifications:", "audit:mine")


def _figures_only_default(name: str, answers: dict[str, "Expect"]) -> "Expect":
    """Council and Träger management: 404 outside their figures (the brief's rule)."""
    public = answers["anonymous"] not in (LOGIN, UNAUTHORISED)
    if public or name.startswith(FIGURES_ONLY_OPEN):
        return answers["admin_user"]
    return HID


@dataclass(frozen=True)
class Row:
    name: str
    method: str
    kwargs: dict[str, tuple[str, str]]
    expect: dict[str, Expect]
    variant: str = ""
    data: dict[str, Any] = field(default_factory=dict)


def row(
    name: str,
    method: str,
    kwargs: dict[str, tuple[str, str]],
    *expect: Expect,
    variant: str = "",
    data: dict[str, Any] | None = None,
) -> Row:
    order = PERSONA_ORDER + FIGURES_ONLY_PERSONAS
    if len(expect) not in (len(PERSONA_ORDER), len(order)):
        raise ValueError(f"{name}: {len(expect)} answers for {len(order)} personas")
    answers = dict(zip(order, expect, strict=False))
    for persona in FIGURES_ONLY_PERSONAS:
        answers.setdefault(persona, _figures_only_default(name, answers))
    return Row(name, method, kwargs, answers, variant, data or {})


NONE: dict[str, tuple[str, str]] = {}
CASE = {"pk": ("west_case", "nord_case")}
ON_CASE = {"case_pk": ("west_case", "nord_case")}
REQUEST = {"pk": ("west_request", "nord_request")}


def on_case(**named: tuple[str, str]) -> dict[str, tuple[str, str]]:
    return ON_CASE | named


def side(name: str) -> tuple[str, str]:
    return (f"west_{name}", f"nord_{name}")


def own(name: str) -> tuple[str, str]:
    return (f"{{persona}}_{name}", f"stranger_{name}")


CONFERENCE = {"pk": side("conference")}
ITEM = CONFERENCE | {"item_pk": side("agenda_item")}


# fmt: off
# Columns: anonymous, familienamt_worker, familienamt_lead, school_leader,
#          west_member, nord_member, admin_user, dpo
MATRIX: list[Row] = [
    # --- accounts: every logged-in person -------------------------------------------------
    row("accounts:start", GET, NONE,
        LOGIN, OK, OK, OK, OK, OK, OK, OK),
    row("accounts:login", GET, NONE,
        OK, GO, GO, GO, GO, GO, GO, GO),  # logged in: on to the start page
    row("accounts:logout", GET, NONE,
        LOGIN, OK, OK, OK, OK, OK, OK, OK),  # GET only asks; POST logs out
    row("accounts:otp_verify", GET, NONE,
        LOGIN, OK, OK, OK, OK, OK, OK, OK),
    row("accounts:otp_setup", GET, NONE,
        LOGIN, OK, OK, OK, OK, OK, OK, OK),
    row("accounts:sessions", GET, NONE,
        LOGIN, OK, OK, OK, OK, OK, OK, OK),
    row("accounts:session_end", POST, {"pk": own("session")},
        LOGIN, w(GO), w(GO), w(GO), w(GO), w(GO), w(GO), w(GO)),
    row("accounts:session_keepalive", POST, NONE,
        LOGIN, *[NO_CONTENT] * 7),
    # Four eyes: the Familienamt's Leitung decides on account changes the admin asked for.
    row("accounts:approvals", GET, NONE,
        LOGIN, NO, OK, NO, NO, NO, NO, NO),
    row("accounts:approval_decide", POST, {"pk": side("approval")},
        LOGIN, NO, BAD, NO, NO, NO, NO, NO),  # no decision chosen: nothing decided
    # Public: the one-time link from the e-mail; a made-up link is refused for everyone.
    row("accounts:password_set", GET, {"uidb64": side("case"), "token": side("case")},
        *[BAD] * 8),

    # --- core: the autosave of every long form (scope comes with the form named in the body) -
    row("core:draft_save", POST, {"object_id": ("west_case", "nord_case")},
        UNAUTHORISED, BAD, BAD, BAD, BAD, BAD, BAD, BAD),  # no form named: 400; expired: 401

    # --- organisation: public --------------------------------------------------------------
    row("organisation:overview", GET, NONE,
        OK, OK, OK, OK, OK, OK, OK, OK),
    row("organisation:finder", GET, NONE,
        OK, OK, OK, OK, OK, OK, OK, OK),  # no address given: the form says what is missing

    # --- referrals: schools file, the Familienamt triages ---------------------------------
    row("referrals:list", GET, NONE,
        LOGIN, NO, NO, OK, NO, NO, NO, NO),
    row("referrals:create", GET, NONE,
        LOGIN, NO, NO, OK, NO, NO, NO, NO),
    row("referrals:child_protection", GET, NONE,
        LOGIN, OK, OK, OK, NO, NO, NO, NO),
    row("referrals:draft_save", POST, NONE,
        UNAUTHORISED, BAD, BAD, BAD, NO, NO, NO, NO),  # no kind: 400; expired session: 401
    row("referrals:detail", GET, REQUEST,
        LOGIN, (OK, OK), (OK, OK), w(OK), w(OK), n(OK), NO, NO),
    row("referrals:question_answer", POST, REQUEST | {"question_pk": side("question")},
        LOGIN, NO, NO, w(GO), NO, NO, NO, NO),
    row("referrals:consent_scan", GET, REQUEST | {"consent_pk": side("consent")},
        LOGIN, (OK, OK), (OK, OK), w(OK), NO, NO, NO, NO),
    row("referrals:office_intake", GET, NONE,
        LOGIN, OK, OK, NO, OK, OK, NO, NO),
    row("referrals:counselling", GET, NONE,
        LOGIN, NO, NO, NO, OK, OK, NO, NO),
    row("referrals:queue", GET, NONE,
        LOGIN, OK, OK, NO, NO, NO, NO, NO),
    row("referrals:bulk_assign", POST, NONE,
        LOGIN, GO, GO, NO, NO, NO, NO, NO),
    row("referrals:filter_save", POST, NONE,
        LOGIN, GO, GO, NO, NO, NO, NO, NO),
    row("referrals:filter_delete", POST, {"filter_pk": own("filter")},
        LOGIN, w(GO), w(GO), NO, NO, NO, NO, NO),
    row("referrals:start_triage", POST, REQUEST,
        LOGIN, (GO, GO), (GO, GO), NO, NO, NO, NO, NO),
    row("referrals:ask", POST, REQUEST,
        LOGIN, (GO, GO), (GO, GO), NO, NO, NO, NO, NO),
    row("referrals:reject", POST, REQUEST,
        LOGIN, (GO, GO), (GO, GO), NO, NO, NO, NO, NO),
    row("referrals:reroute", POST, REQUEST,
        LOGIN, (GO, GO), (GO, GO), NO, NO, NO, NO, NO),

    # --- cases: the Familienamt and the case's team ----------------------------------------
    row("cases:list", GET, NONE,
        LOGIN, OK, OK, NO, OK, OK, NO, NO),
    row("cases:search", GET, NONE,
        LOGIN, OK, OK, NO, OK, OK, NO, NO),  # the name is sent by POST only
    row("cases:open", GET, {"referral_pk": side("request")},
        LOGIN, (OK, OK), (OK, OK), NO, w(NO), n(NO), NO, NO),  # teams: own office intake only
    row("cases:edit", GET, CASE, LOGIN, (OK, OK), (OK, OK), NO, w(OK), n(OK), NO, NO),
    row("cases:detail", GET, CASE,
        LOGIN, (OK, OK), (OK, OK), NO, w(OK), n(OK), NO, NO),
    row("cases:move", POST, CASE,
        LOGIN, (GO, GO), (GO, GO), NO, w(GO), n(GO), NO, NO),
    row("cases:reopen", GET, CASE,  # the world's cases are open: back to the case
        LOGIN, (GO, GO), (GO, GO), NO, NO, NO, NO, NO),
    row("cases:recommend", GET, CASE,
        LOGIN, NO, NO, NO, w(OK), n(OK), NO, NO),  # the team recommends ...
    row("cases:decide", GET, CASE,
        LOGIN, (OK, OK), (OK, OK), NO, NO, NO, NO, NO),  # ... only the Familienamt decides
    row("cases:decision", GET, CASE | {"decision_pk": side("decision")},
        LOGIN, (OK, OK), (OK, OK), NO, w(OK), n(OK), NO, NO),

    # --- casework: notes, tasks, contacts, help plan, handover -----------------------------
    row("casework:my_tasks", GET, NONE,
        LOGIN, OK, OK, NO, OK, OK, NO, NO),
    row("casework:team_tasks", GET, NONE,
        LOGIN, OK, OK, NO, OK, OK, NO, NO),
    # --- consents on the case: the case's team and the Familienamt -------------------------
    row("consents:list", GET, ON_CASE,
        LOGIN, (OK, OK), (OK, OK), NO, w(OK), n(OK), NO, NO),
    row("consents:create", POST, ON_CASE,
        LOGIN, (BAD, BAD), (BAD, BAD), NO, w(BAD), n(BAD), NO, NO),  # empty form: 400
    row("consents:renew", GET, on_case(consent_pk=side("case_consent")),
        LOGIN, (OK, OK), (OK, OK), NO, w(OK), n(OK), NO, NO),
    row("consents:withdraw", GET, on_case(consent_pk=side("case_consent")),
        LOGIN, (OK, OK), (OK, OK), NO, w(OK), n(OK), NO, NO),
    row("consents:scan", GET, on_case(consent_pk=side("case_consent")),
        LOGIN, (OK, OK), (OK, OK), NO, w(OK), n(OK), NO, NO),

    # --- documents on the case: the case's team and the Familienamt ------------------------
    row("documents:list", GET, ON_CASE,
        LOGIN, (OK, OK), (OK, OK), NO, w(OK), n(OK), NO, NO),
    row("documents:upload", POST, ON_CASE,
        LOGIN, (BAD, BAD), (BAD, BAD), NO, w(BAD), n(BAD), NO, NO),  # no file: 400
    row("documents:download", GET, on_case(document_pk=side("document")),
        LOGIN, (OK, OK), (OK, OK), NO, w(OK), n(OK), NO, NO),

    # --- Schulbegleitung: the year for the Familienamt, the school's part while help runs ----
    row("schoolsupport:year", GET, NONE,
        LOGIN, OK, OK, NO, NO, NO, NO, NO),
    row("schoolsupport:renewals", GET, NONE,
        LOGIN, OK, OK, NO, NO, NO, NO, NO),
    row("schoolsupport:renewals_start", POST, NONE,
        LOGIN, GO, GO, NO, NO, NO, NO, NO),  # nothing chosen: back with a message
    row("schoolsupport:hours", GET, NONE,
        LOGIN, OK, OK, NO, NO, NO, NO, NO),
    row("schoolsupport:continuations", GET, NONE,
        LOGIN, NO, NO, OK, NO, NO, NO, NO),
    # The world's consents do not cover exchange with the school: the school's own request
    # is in scope, its case is not open to the school (403).
    row("schoolsupport:continuation", POST, {"pk": side("referral")},
        LOGIN, NO, NO, w(NO), NO, NO, NO, NO),
    row("schoolsupport:feedback", POST, {"pk": side("referral")},
        LOGIN, NO, NO, w(NO), NO, NO, NO, NO),

    row("casework:notes", GET, ON_CASE,
        LOGIN, (OK, OK), (OK, OK), NO, w(OK), n(OK), NO, NO),
    row("casework:note_create", POST, ON_CASE,
        LOGIN, (OK, OK), (OK, OK), NO, w(OK), n(OK), NO, NO),  # empty note: form again
    row("casework:note_draft", POST, ON_CASE,
        UNAUTHORISED, (OK, OK), (OK, OK), NO, w(OK), n(OK), NO, NO),  # autosave: 401, no login page
    row("casework:note_history", GET, on_case(note_pk=side("note")),
        LOGIN, (OK, OK), (OK, OK), NO, w(OK), n(OK), NO, NO),
    # A confided note is listed for all who see the case; its text shows to its author only.
    row("casework:note_history", GET, on_case(note_pk=side("confided_note")),
        LOGIN, (OK, OK), (OK, OK), NO, w(OK), n(OK), NO, NO, variant="anvertraut"),
    row("casework:note_correct", GET, on_case(note_pk=side("note")),
        LOGIN, (NO, NO), (NO, NO), NO, w(OK), n(OK), NO, NO),  # only the author corrects
    row("casework:note_share", GET, on_case(note_pk=side("confided_note")),
        LOGIN, (NO, NO), (NO, NO), NO, w(OK), n(OK), NO, NO),  # only the author shares (§ 65)
    row("casework:task_create", POST, ON_CASE,
        LOGIN, (OK, OK), (OK, OK), NO, w(OK), n(OK), NO, NO),
    row("casework:task_done", POST, on_case(task_pk=side("task")),
        LOGIN, (GO, GO), (GO, GO), NO, w(GO), n(GO), NO, NO),  # no version: refused, back to case
    row("casework:task_edit", GET, on_case(task_pk=side("task")),
        LOGIN, (OK, OK), (OK, OK), NO, w(OK), n(OK), NO, NO),
    row("casework:contact_create", POST, ON_CASE,
        LOGIN, (OK, OK), (OK, OK), NO, w(OK), n(OK), NO, NO),
    row("casework:helpplan", GET, ON_CASE,
        LOGIN, (OK, OK), (OK, OK), NO, w(OK), n(OK), NO, NO),
    row("casework:helpplan_edit", GET, ON_CASE,
        LOGIN, (OK, OK), (OK, OK), NO, w(OK), n(OK), NO, NO),
    row("casework:helpplan_version", GET, on_case(number=side("helpplan_version")),
        LOGIN, (OK, OK), (OK, OK), NO, w(OK), n(OK), NO, NO),
    row("casework:helpplan_compare", GET, ON_CASE,
        LOGIN, (OK, OK), (OK, OK), NO, w(OK), n(OK), NO, NO),
    row("casework:handover_list", GET, NONE,
        LOGIN, OK, OK, NO, OK, OK, NO, NO),
    row("casework:handover_confided_notes", GET, NONE,
        LOGIN, OK, OK, NO, OK, OK, NO, NO),
    row("casework:handover_propose", GET, ON_CASE,
        LOGIN, (OK, OK), (OK, OK), NO, w(OK), n(OK), NO, NO),
    row("casework:handover", GET, on_case(handover_pk=side("handover")),
        LOGIN, (OK, OK), (OK, OK), NO, w(OK), n(OK), NO, NO),
    # Both handovers go to Mitte-Süd: only that team answers them.
    row("casework:handover_accept", POST, on_case(handover_pk=side("handover")),
        LOGIN, (NO, NO), (NO, NO), NO, w(NO), n(NO), NO, NO),
    row("casework:handover_decline", POST, on_case(handover_pk=side("handover")),
        LOGIN, (NO, NO), (NO, NO), NO, w(NO), n(NO), NO, NO),

    # --- conferences: the team's Fallberatung ----------------------------------------------
    row("conferences:list", GET, NONE,
        LOGIN, OK, OK, NO, OK, OK, NO, NO),
    row("conferences:create", GET, {"team_pk": ("team_west", "team_nord")},
        LOGIN, (OK, OK), (OK, OK), NO, w(OK), n(OK), NO, NO),
    row("conferences:detail", GET, CONFERENCE,
        LOGIN, (OK, OK), (OK, OK), NO, w(OK), n(OK), NO, NO),
    row("conferences:agenda_add", POST, CONFERENCE,
        LOGIN, (OK, OK), (OK, OK), NO, w(OK), n(OK), NO, NO),  # no case chosen: page again
    row("conferences:roles", POST, CONFERENCE,
        LOGIN, (GO, GO), (GO, GO), NO, w(GO), n(GO), NO, NO),
    row("conferences:minutes", GET, ITEM,
        LOGIN, (OK, OK), (OK, OK), NO, w(OK), n(OK), NO, NO),
    row("conferences:agreed_steps", POST, ITEM,
        LOGIN, (OK, OK), (OK, OK), NO, w(OK), n(OK), NO, NO),

    # --- neighbourhood: every team reads, the Sozialraum's own team edits ------------------
    row("neighbourhood:overview", GET, NONE,
        LOGIN, OK, OK, NO, OK, OK, NO, NO),
    row("neighbourhood:activity_create", GET, NONE,
        LOGIN, OK, OK, NO, OK, OK, NO, NO),
    row("neighbourhood:activity_detail", GET, {"pk": side("activity")},
        LOGIN, (OK, OK), (OK, OK), NO, (OK, OK), (OK, OK), NO, NO),
    row("neighbourhood:activity_edit", GET, {"pk": side("activity")},
        LOGIN, (OK, OK), (OK, OK), NO, (OK, NO), (NO, OK), NO, NO),
    row("neighbourhood:resource_list", GET, NONE,
        LOGIN, OK, OK, NO, OK, OK, NO, NO),
    row("neighbourhood:resource_create", GET, NONE,
        LOGIN, OK, OK, NO, OK, OK, NO, NO),
    row("neighbourhood:resource_detail", GET, {"pk": side("resource")},
        LOGIN, (OK, OK), (OK, OK), NO, (OK, OK), (OK, OK), NO, NO),
    row("neighbourhood:resource_edit", GET, {"pk": side("resource")},
        LOGIN, (OK, OK), (OK, OK), NO, (OK, NO), (NO, OK), NO, NO),
    row("neighbourhood:resource_link_case", POST, {"pk": side("resource")},
        LOGIN, (OK, OK), (OK, OK), NO, (OK, OK), (OK, OK), NO, NO),  # no Aktenzeichen: page again
    row("neighbourhood:case_link_resource", POST, ON_CASE,
        LOGIN, (OK, OK), (OK, OK), NO, w(OK), n(OK), NO, NO),

    # --- notifications: each person's own inbox -------------------------------------------
    row("notifications:inbox", GET, NONE,
        LOGIN, OK, OK, OK, OK, OK, OK, OK),
    row("notifications:mark_read", POST, {"pk": own("notification")},
        LOGIN, w(GO), w(GO), w(GO), w(GO), w(GO), w(GO), w(GO)),

    # --- audit: the access log, retention, right of access --------------------------------
    row("audit:list", GET, NONE,
        LOGIN, NO, NO, NO, NO, NO, NO, OK),
    row("audit:export", GET, NONE,
        LOGIN, NO, NO, NO, NO, NO, NO, OK),
    row("audit:mine", GET, NONE,
        LOGIN, OK, OK, OK, OK, OK, OK, OK),
    # Who opened a case: its team and the Familienamt, which answers for every case
    # (tests/audit/test_views.py); the sketch's table said "own actions" for the latter.
    row("audit:case", GET, {"case_id": side("case")},
        LOGIN, (OK, OK), (OK, OK), NO, w(OK), n(OK), NO, OK),
    row("audit:retention", GET, NONE,
        LOGIN, NO, OK, NO, NO, NO, NO, OK),
    row("audit:hold_create", POST, NONE,
        LOGIN, NO, BAD, NO, NO, NO, NO, NO),
    row("audit:hold_release", POST, {"pk": side("hold")},
        LOGIN, NO, (GO, GO), NO, NO, NO, NO, NO),
    row("audit:access_request", GET, NONE,
        LOGIN, OK, OK, NO, NO, NO, NO, NO),
    row("audit:access_export", POST, NONE,
        LOGIN, BAD, BAD, NO, NO, NO, NO, NO),  # no person chosen: nothing exported

    # --- history: field-level changes, for those who see the record ------------------------
    row("history:case", GET, {"pk": side("case")},
        LOGIN, (OK, OK), (OK, OK), NO, w(OK), n(OK), NO, NO),
    row("history:referral", GET, {"pk": side("request")},
        LOGIN, (OK, OK), (OK, OK), NO, w(OK), n(OK), NO, NO),  # schools see the status only
    row("history:note", GET, {"pk": side("note")},
        LOGIN, (OK, OK), (OK, OK), NO, w(OK), n(OK), NO, NO),
    row("history:task", GET, {"pk": side("task")},
        LOGIN, (OK, OK), (OK, OK), NO, w(OK), n(OK), NO, NO),
    row("history:decision", GET, {"pk": side("decision")},
        LOGIN, (OK, OK), (OK, OK), NO, w(OK), n(OK), NO, NO),
    row("history:helpplan", GET, {"pk": side("helpplan")},
        LOGIN, (OK, OK), (OK, OK), NO, w(OK), n(OK), NO, NO),
    row("history:person", GET, {"pk": side("person")},
        LOGIN, (OK, OK), (OK, OK), NO, w(OK), n(OK), NO, NO),
    row("history:contact", GET, {"pk": side("contact")},
        LOGIN, (OK, OK), (OK, OK), NO, w(OK), n(OK), NO, NO),

    # --- operations: probes and metrics, no login and no data ------------------------------
    row("operations:healthz", GET, NONE,
        OK, OK, OK, OK, OK, OK, OK, OK),
    row("operations:readyz", GET, NONE,
        UNREADY, UNREADY, UNREADY, UNREADY, UNREADY, UNREADY, UNREADY, UNREADY),
    row("operations:metrics", GET, NONE,
        OK, OK, OK, OK, OK, OK, OK, OK),  # by address, not by role: the client is 127.0.0.1

    # --- cases: closing asks for the reason ------------------------------------------------
    # The world's cases wait for a decision: closing is no step from there (403).
    row("cases:close", GET, CASE,
        LOGIN, (NO, NO), (NO, NO), NO, w(NO), n(NO), NO, NO),

    # --- reports: figures; the last two columns are councillor and traeger_lead ---------
    row("reports:steering", GET, NONE,
        LOGIN, OK, OK, NO, NO, NO, NO, NO, NO, OK),
    row("reports:steering_csv", GET, {"key": ("figure_key", "figure_key")},
        LOGIN, OK, OK, NO, NO, NO, NO, NO, NO, OK),
    row("reports:report_list", GET, NONE,
        LOGIN, OK, OK, NO, NO, NO, NO, NO, OK, OK),
    row("reports:report_create", GET, NONE,
        LOGIN, NO, OK, NO, NO, NO, NO, NO, NO, NO),
    row("reports:report_edit", GET, {"pk": ("report", "report")},
        LOGIN, NO, OK, NO, NO, NO, NO, NO, NO, NO),
    row("reports:report_preview", GET, {"pk": ("report", "report")},
        LOGIN, NO, OK, NO, NO, NO, NO, NO, NO, NO),
    row("reports:report_publish", POST, {"pk": ("report", "report")},
        LOGIN, NO, GO, NO, NO, NO, NO, NO, NO, NO),  # a correction without a note: refused
    row("reports:published", GET, {"pk": ("published_report", "published_report")},
        LOGIN, OK, OK, NO, NO, NO, NO, NO, OK, OK),
    row("reports:published_csv", GET, {"pk": ("published_report", "published_report")},
        LOGIN, OK, OK, NO, NO, NO, NO, NO, OK, OK),
    row("reports:statistics", GET, NONE,
        LOGIN, NO, OK, NO, NO, NO, NO, NO, NO, NO),
    row("reports:budget_list", GET, NONE,
        LOGIN, OK, OK, NO, NO, NO, NO, NO, NO, OK),
    row("reports:budget_create", GET, NONE,
        LOGIN, NO, OK, NO, NO, NO, NO, NO, NO, NO),
    row("reports:budget_edit", GET, {"pk": ("budget", "budget")},
        LOGIN, NO, OK, NO, NO, NO, NO, NO, NO, NO),
]
# fmt: on
