from django.urls import path

from apps.referrals.views import detail, intake, school, triage

app_name = "referrals"
urlpatterns = [
    # School leaders (and everyone with access: the status view)
    path("anfragen/", school.referral_list, name="list"),
    path("anfragen/neu/", school.referral_create, name="create"),
    path("anfragen/kinderschutz/", school.child_protection_create, name="child_protection"),
    path("anfragen/entwurf/", school.draft_save, name="draft_save"),
    path("anfragen/<int:pk>/", detail.referral_detail, name="detail"),
    path(
        "anfragen/<int:pk>/rueckfragen/<int:question_pk>/antwort/",
        school.question_answer,
        name="question_answer",
    ),
    path(
        "anfragen/<int:pk>/einwilligungen/<int:consent_pk>/scan/",
        school.consent_scan,
        name="consent_scan",
    ),
    # Intake from anyone at an office or on the phone (Familienamt and teams)
    path("anfragen/aufnehmen/", intake.office_intake, name="office_intake"),
    path("beratungskontakte/", intake.counselling_create, name="counselling"),
    # Familienamt triage
    path("eingang/", triage.queue, name="queue"),
    path("eingang/zuweisen/", triage.bulk_assign, name="bulk_assign"),
    path("eingang/filter/", triage.filter_save, name="filter_save"),
    path("eingang/filter/<int:filter_pk>/loeschen/", triage.filter_delete, name="filter_delete"),
    path("anfragen/<int:pk>/pruefen/", triage.start, name="start_triage"),
    path("anfragen/<int:pk>/rueckfrage/", triage.ask, name="ask"),
    path("anfragen/<int:pk>/ablehnen/", triage.reject, name="reject"),
    path("anfragen/<int:pk>/zustaendigkeit/", triage.reroute, name="reroute"),
]
