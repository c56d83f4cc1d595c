"""Right of access (Art. 15 GDPR): everything stored about one person.

The export starts at the person and walks downwards along reverse relations
(``_meta.related_objects``): the person's cases, and from each case every row
that points at it (timeline, notes and their versions, decisions, tasks,
contacts, help plan, conference minutes, resource links, ...), then the
requests those cases came from with their consents and questions. A model
added later with a foreign key to a case, a request or a person appears in
the export without a change here. The walk never goes upwards, so a
conference with other children on its agenda contributes only this child's
agenda item.

Decisions recorded here:

* Confided notes (§ 65 SGB VIII) are listed with author and date, but their
  text is withheld: it may be passed on only with the consent of the person
  who confided it, and the author decides. The same holds for any row with
  ``confided`` set (a confided draft).
* Requests count as the person's when a case of theirs came from them.
  Requests without a case that carry the same name and date of birth are
  named by Aktenzeichen only, for the Familienamt to check by hand: a match
  by name could be another child.
* Foreign keys are shown by number, and by name only for staff accounts and
  master data (teams, schools, providers): never another person's name.
* The access-log entries of the person, their cases and requests are part of
  the export (who read or changed what and when); staff IP addresses are not.
"""

import datetime
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from apps.audit.models import AccessLogEntry
from apps.cases.duplicates import name_key
from apps.cases.models import Case, Person
from apps.referrals.models import Referral

CONFIDED_WITHHELD = (
    "Text zurückgehalten: anvertraut (§ 65 SGB VIII). Er darf nur mit Einwilligung der Person "
    "weitergegeben werden, die ihn anvertraut hat; darüber entscheidet die Verfasserin oder "
    "der Verfasser."
)
UNLINKED_REFERRALS_NOTE = (
    "Anfragen ohne Fall mit gleichem Namen und Geburtsdatum. Sie sind nicht in der Auskunft "
    "enthalten, weil sie auch ein anderes Kind betreffen könnten: bitte von Hand prüfen."
)
# Derived keys and bookkeeping, not data about the person.
SKIPPED_FIELDS = frozenset({"name_key", "submission_key", "version"})
# Shown by name; everything else by number, so no other person's name can slip in.
LABELLED_MODELS = frozenset(
    {
        "cases.case",
        "referrals.referral",
        "cases.provider",
        "cases.pool",
        "conferences.conference",
    }
)
LABELLED_APPS = frozenset({"organisation"})
NOT_EXPORTED = frozenset({AccessLogEntry})
MAX_DEPTH = 5


@dataclass
class Value:
    name: str
    label: str
    value: Any
    display: str


@dataclass
class Row:
    model: str
    pk: Any
    values: list[Value] = field(default_factory=list)
    sections: list["Section"] = field(default_factory=list)
    withheld: str = ""

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.pk}
        data |= {value.name: value.value for value in self.values}
        if self.withheld:
            data["zurueckgehalten"] = self.withheld
        for section in self.sections:
            data[section.key] = section.as_json()
        return data


@dataclass
class Section:
    key: str
    title: str
    rows: list[Row]

    def as_json(self) -> dict[str, Any]:
        return {"bezeichnung": self.title, "eintraege": [row.as_json() for row in self.rows]}


@dataclass
class PersonExport:
    person: Row
    referrals: Section
    unlinked_referrals: list[str]
    access_log: list[dict[str, Any]]
    created_at: datetime.datetime
    created_by: str
    purpose: str
    unlinked_note = UNLINKED_REFERRALS_NOTE

    def as_json(self) -> dict[str, Any]:
        return {
            "auskunft": {
                "rechtsgrundlage": "Art. 15 DSGVO",
                "erstellt_am": self.created_at.isoformat(),
                "erstellt_von": self.created_by,
                "zweck": self.purpose,
                "hinweis_anvertraute_notizen": CONFIDED_WITHHELD,
            },
            "person": self.person.as_json(),
            "anfragen": self.referrals.as_json(),
            "weitere_moegliche_anfragen": {
                "hinweis": UNLINKED_REFERRALS_NOTE,
                "aktenzeichen": self.unlinked_referrals,
            },
            "zugriffsprotokoll": self.access_log,
        }

    def as_json_text(self) -> str:
        return json.dumps(self.as_json(), ensure_ascii=False, indent=2)


# --- values -------------------------------------------------------------------------------


def _user_label(user: Any) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def _is_labelled(model: type[models.Model]) -> bool:
    return (
        model._meta.label_lower in LABELLED_MODELS
        or model._meta.app_label in LABELLED_APPS
        or model._meta.label == settings.AUTH_USER_MODEL
    )


def _labelled_foreign_keys(model: type[models.Model]) -> list[str]:
    return [
        f.name
        for f in model._meta.concrete_fields
        if f.is_relation and f.related_model is not None and _is_labelled(f.related_model)
    ]


def _with_labels(rows: models.QuerySet[Any]) -> models.QuerySet[Any]:
    """The rows with the records named by label fetched alongside: no query per row."""
    names = _labelled_foreign_keys(rows.model)
    return rows.select_related(*names) if names else rows


def _display(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, datetime.datetime):
        return f"{timezone.localtime(value):%d.%m.%Y, %H:%M}"
    if isinstance(value, datetime.date):
        return f"{value:%d.%m.%Y}"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _values(instance: models.Model) -> list[Value]:
    values = []
    for model_field in instance._meta.concrete_fields:
        if model_field.name in SKIPPED_FIELDS or model_field.primary_key:
            continue
        label = str(model_field.verbose_name)
        if model_field.is_relation:
            related_id = getattr(instance, model_field.attname)
            related_model = model_field.related_model
            if related_id is not None and related_model is not None and _is_labelled(related_model):
                related = getattr(instance, model_field.name)
                text = (
                    _user_label(related)
                    if related_model._meta.label == settings.AUTH_USER_MODEL
                    else str(related)
                )
                values.append(
                    Value(model_field.name, label, {"id": related_id, "name": text}, text)
                )
            else:
                shown = f"Nr. {related_id}" if related_id is not None else "–"
                values.append(Value(model_field.name, label, related_id, shown))
            continue
        raw = getattr(instance, model_field.attname)
        if isinstance(model_field, models.FileField):
            name = raw.name if raw else ""
            values.append(Value(model_field.name, label, name, name or "–"))
            continue
        display = (
            str(getattr(instance, f"get_{model_field.name}_display")())
            if model_field.choices and raw not in (None, "")
            else _display(raw)
        )
        values.append(Value(model_field.name, label, _json_value(raw), display))
    return values


def _withheld_values(instance: models.Model) -> list[Value]:
    """Who and when of a confided row; none of its words."""
    kept = []
    for value in _values(instance):
        model_field = instance._meta.get_field(value.name)
        if isinstance(model_field, models.CharField | models.TextField | models.JSONField):
            continue
        kept.append(value)
    return kept


# --- the walk ----------------------------------------------------------------------------


def _rows(
    model: type[models.Model],
    instances: list[models.Model],
    path: frozenset[type[models.Model]],
) -> list[Row]:
    """Rows for ``instances`` with, below each, the rows that point at it."""
    rows: dict[Any, Row] = {}
    open_instances = []
    for instance in instances:
        if getattr(instance, "confided", False) is True:
            row = Row(model._meta.label_lower, instance.pk, _withheld_values(instance))
            row.withheld = CONFIDED_WITHHELD
        else:
            row = Row(model._meta.label_lower, instance.pk, _values(instance))
            open_instances.append(instance)
        rows[instance.pk] = row
    if len(path) >= MAX_DEPTH or not open_instances:
        return list(rows.values())
    path = path | {model}
    for relation in model._meta.related_objects:
        child_model = relation.related_model
        if relation.many_to_many or child_model in path or child_model in NOT_EXPORTED:
            continue
        fk = relation.field
        target = fk.target_field.attname
        by_target = {getattr(instance, target): instance.pk for instance in open_instances}
        children = list(
            _with_labels(
                child_model._base_manager.filter(**{f"{fk.name}__in": list(by_target)})
            ).order_by("pk")
        )
        if not children:
            continue
        child_rows = _rows(child_model, children, path)
        grouped: dict[Any, list[Row]] = {}
        for child, child_row in zip(children, child_rows, strict=True):
            parent_pk = by_target[getattr(child, fk.attname)]
            grouped.setdefault(parent_pk, []).append(child_row)
        title = str(child_model._meta.verbose_name_plural)
        key = relation.get_accessor_name() or str(child_model._meta.model_name)
        for parent_pk, group in grouped.items():
            rows[parent_pk].sections.append(Section(key, title, group))
    return list(rows.values())


def _access_log(person: Person, case_ids: list[int], referral_ids: list[int]) -> list[dict]:
    concerning = (
        Q(case_id__in=case_ids)
        | Q(object_type="person", object_id=str(person.pk))
        | Q(object_type="referral", object_id__in=[str(pk) for pk in referral_ids])
    )
    entries = AccessLogEntry.objects.filter(concerning).select_related("user").order_by("at", "pk")
    return [
        {
            "zeitpunkt": entry.at.isoformat(),
            "zeitpunkt_anzeige": _display(entry.at),
            "benutzerkonto": _user_label(entry.user) if entry.user else "",
            "aktion": entry.get_action_display(),
            "objektart": entry.object_type,
            "objekt_nr": entry.object_id,
            "aktenzeichen": entry.object_reference,
            "fall_nr": entry.case_id,
            "seite": entry.path_name,
            "zweck": entry.purpose,
        }
        for entry in entries
    ]


def _unlinked_referrals(person: Person) -> list[str]:
    candidates = Referral.objects.filter(
        case__isnull=True, pseudonymised=False, date_of_birth=person.date_of_birth
    ).values_list("reference", "first_name", "last_name")
    own_key = person.name_key
    return [ref for ref, first, last in candidates if name_key(first, last) == own_key]


def build(person: Person, *, user: Any, purpose: str) -> PersonExport:
    """Everything stored about ``person``. The caller checks scope and logs the export."""
    person_row = _rows(Person, [person], frozenset())[0]
    case_ids = list(Case.objects.filter(person=person).values_list("pk", flat=True))
    referrals = list(
        _with_labels(Referral.objects.filter(case__person=person)).order_by("received_at", "pk")
    )
    # The cases are already under the person: the walk from a request stops there.
    referral_rows = _rows(Referral, referrals, frozenset({Case}))
    return PersonExport(
        person=person_row,
        referrals=Section("anfragen", str(Referral._meta.verbose_name_plural), referral_rows),
        unlinked_referrals=_unlinked_referrals(person),
        access_log=_access_log(person, case_ids, [r.pk for r in referrals]),
        created_at=timezone.now(),
        created_by=_user_label(user),
        purpose=purpose,
    )
