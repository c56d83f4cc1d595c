"""The access log in the data protection officer's words.

Entries store technical names (object type ``case``, view ``cases:detail``);
the pages and the CSV export show what people recognise: "Fall", "Fallakte",
the Aktenzeichen instead of a database id.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from apps.accounts.models import User
from apps.audit.models import AccessLogEntry, ObjectType
from apps.cases.models import Case

OBJECT_TYPES: dict[str, str] = {
    **{str(value): str(label) for value, label in ObjectType.choices},
    "task": "Wiedervorlage",
    "contact": "Kontakt",
    "helpplan": "Hilfeplan",
    "handover": "Übergabe",
    "agendaitem": "Fallberatung (Tagesordnungspunkt)",
    "conference": "Fallberatung",
    "recommendation": "Empfehlung",
    "question": "Rückfrage",
}

# The pages as their menus and headings name them.
PAGES: dict[str, str] = {
    "accounts:login": "Anmeldung",
    "accounts:logout": "Abmeldung",
    "accounts:otp_verify": "Anmeldung (zweiter Faktor)",
    "accounts:session_end": "Meine Sitzungen",
    "referrals:list": "Anfragen der Schule",
    "referrals:create": "Schulbegleitung anfragen",
    "referrals:child_protection": "Kinderschutz-Meldung",
    "referrals:detail": "Anfrage",
    "referrals:question_answer": "Anfrage: Rückfrage beantworten",
    "referrals:consent_scan": "Anfrage: Scan der Einwilligung",
    "referrals:queue": "Eingang",
    "referrals:bulk_assign": "Eingang: Zuweisen",
    "referrals:start_triage": "Anfrage: Prüfung beginnen",
    "referrals:ask": "Anfrage: Rückfrage an die Schule",
    "referrals:reject": "Anfrage: Ablehnen",
    "referrals:reroute": "Anfrage: Zuständigkeit ändern",
    "cases:list": "Fälle",
    "cases:open": "Fall eröffnen",
    "cases:detail": "Fallakte",
    "cases:move": "Fallakte: Status ändern",
    "cases:recommend": "Fallakte: Empfehlung",
    "cases:decide": "Fallakte: Entscheidung",
    "cases:decision": "Bescheid",
    "cases:edit": "Fallakte: Falldaten bearbeiten",
    "cases:search": "Personensuche",
    "casework:notes": "Fallakte: Verlaufsnotizen",
    "casework:note_create": "Fallakte: Notiz schreiben",
    "casework:note_draft": "Fallakte: Notizentwurf",
    "casework:note_history": "Notiz: Fassungen",
    "casework:note_correct": "Notiz: Korrigieren",
    "casework:note_share": "Notiz: Freigeben",
    "casework:task_create": "Fallakte: Wiedervorlage anlegen",
    "casework:task_done": "Wiedervorlage: Erledigt",
    "casework:task_edit": "Wiedervorlage: Bearbeiten",
    "casework:contact_create": "Fallakte: Kontakt festhalten",
    "casework:helpplan": "Hilfeplan",
    "casework:helpplan_edit": "Hilfeplan: Fortschreiben",
    "casework:helpplan_version": "Hilfeplan: Fassung",
    "casework:helpplan_compare": "Hilfeplan: Fassungen vergleichen",
    "casework:handover_list": "Übergaben",
    "casework:handover_confided_notes": "Übergabe: Anvertraute Notizen",
    "casework:handover_propose": "Fallakte: Übergabe vorschlagen",
    "casework:handover": "Übergabe",
    "casework:handover_accept": "Übergabe: Annehmen",
    "casework:handover_decline": "Übergabe: Ablehnen",
    "consents:list": "Einwilligungen",
    "consents:create": "Einwilligung erfassen",
    "consents:renew": "Einwilligung erneuern",
    "consents:withdraw": "Einwilligung widerrufen",
    "consents:scan": "Scan der Einwilligung",
    "conferences:list": "Fallberatungen",
    "conferences:create": "Fallberatung planen",
    "conferences:detail": "Fallberatung",
    "conferences:agenda_add": "Fallberatung: Fall aufnehmen",
    "conferences:roles": "Fallberatung: Rollen",
    "conferences:minutes": "Fallberatung: Protokoll",
    "conferences:agreed_steps": "Fallberatung: Vereinbarte Schritte",
    "neighbourhood:case_link_resource": "Fallakte: Ressource verknüpfen",
    "audit:list": "Zugriffsprotokoll",
    "audit:export": "Zugriffsprotokoll: Export",
    "audit:case": "Wer hat den Fall geöffnet?",
    "audit:access_request": "Auskunft (Art. 15)",
    "audit:access_export": "Auskunft (Art. 15): Export",
    "history:case": "Änderungen am Fall",
    "history:referral": "Änderungen an der Anfrage",
    "history:note": "Änderungen an der Notiz",
    "history:task": "Änderungen an der Wiedervorlage",
    "history:decision": "Änderungen am Bescheid",
    "history:helpplan": "Änderungen am Hilfeplan",
    "history:person": "Änderungen an der Person",
    "history:contact": "Änderungen am Kontakt",
}


def object_type_label(object_type: str) -> str:
    return OBJECT_TYPES.get(object_type, object_type or "–")


def page_label(path_name: str) -> str:
    return PAGES.get(path_name, path_name or "–")


@dataclass(frozen=True)
class EntryText:
    """One entry as the log pages and the export show it."""

    entry: AccessLogEntry
    account: str
    object: str
    case: str
    page: str


def account_text(entry: AccessLogEntry) -> str:
    """Who: the person and their account name, a deleted account, or a name typed at login."""
    if entry.user is not None:
        return f"{entry.user} ({entry.user.username})"
    if entry.user_id is not None:
        return f"Konto {entry.user_id} (gelöscht)"
    if entry.username_attempted:
        return f"versucht: {entry.username_attempted}"
    return "–"


def case_references(case_ids: Iterable[int | None], viewer: User | None) -> dict[int, str]:
    """Aktenzeichen by case id, one query for a whole page of entries.

    Only the reference is read, never case content. The data protection
    officer (``viewer`` None) sees the reference of every case in the log;
    anyone else only of the cases they may open (a refused access to another
    team's case does not tell them its Aktenzeichen).
    """
    wanted = {pk for pk in case_ids if pk is not None}
    if not wanted:
        return {}
    cases = Case.objects.all() if viewer is None else Case.objects.visible_to(viewer)
    return dict(cases.filter(pk__in=wanted).values_list("pk", "reference"))


def describe(entries: Iterable[AccessLogEntry], viewer: User | None = None) -> list[EntryText]:
    rows = list(entries)
    references = case_references((entry.case_id for entry in rows), viewer)
    texts = []
    for entry in rows:
        case = references.get(entry.case_id, "") if entry.case_id is not None else ""
        if entry.case_id is not None and not case:
            case = "gelöschter Fall" if viewer is None else "nicht einsehbar"
        obj = ""
        if entry.object_type:
            # The Aktenzeichen stands in the case column; the object names itself by its
            # own reference where it has one, never by a database number beside a case.
            label = object_type_label(entry.object_type)
            if entry.object_type == ObjectType.CASE and case:
                obj = label
            elif entry.object_reference:
                obj = f"{label} {entry.object_reference}"
            elif entry.object_id and not case:
                obj = f"{label} (Nr. {entry.object_id})"
            else:
                obj = label
        page = page_label(entry.path_name)
        texts.append(EntryText(entry, account_text(entry), obj or "–", case or "–", page))
    return texts
