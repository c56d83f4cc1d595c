"""Existing cases take over the consents filed with their request (as new cases do)."""

import re

from django.db import migrations

PURPOSES = {
    "referral": "referral",
    "case_conference": "case_conference",
    "school_feedback": "school_exchange",
}
CITY_NAMES = ("Stadt Weimar", "Familienamt", "Jugendamt")


def _named(organisation, text):
    names = (organisation.short_name, organisation.name)
    if organisation.is_city:
        names += CITY_NAMES
    return any(
        re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, flags=re.IGNORECASE)
        for name in names
        if name
    )


def carry_over(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    RequestConsent = apps.get_model("referrals", "Consent")
    CaseConsent = apps.get_model("consents", "CaseConsent")
    Traeger = apps.get_model("organisation", "Traeger")
    organisations = list(Traeger.objects.all())
    cases = Case.objects.filter(referral__isnull=False).select_related("referral")
    for case in cases.iterator():
        for old in RequestConsent.objects.filter(referral_id=case.referral_id):
            purpose = PURPOSES.get(old.purpose, "referral")
            consent = CaseConsent.objects.create(
                case=case,
                purposes=[purpose],
                given_by=old.given_by,
                relation=old.relation,
                given_on=old.given_on,
                form="written",
                valid_until=old.valid_until,
                scan=old.scan.name if old.scan else "",
                from_request=old,
                recorded_by_id=old.recorded_by_id,
                recorded_at=old.recorded_at,
                withdrawn_at=old.withdrawn_at,
            )
            consent.recipient_organisations.set(
                [o for o in organisations if _named(o, old.recipients)]
            )
            if purpose == "school_exchange" and case.referral.school_id:
                consent.recipient_schools.set([case.referral.school_id])


class Migration(migrations.Migration):
    dependencies = [("consents", "0001_initial")]

    operations = [migrations.RunPython(carry_over, migrations.RunPython.noop)]
