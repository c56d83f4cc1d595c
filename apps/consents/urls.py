from django.urls import path

from apps.consents import views

app_name = "consents"
urlpatterns = [
    path("<int:case_pk>/einwilligungen/", views.consent_list, name="list"),
    path("<int:case_pk>/einwilligungen/neu/", views.consent_create, name="create"),
    path(
        "<int:case_pk>/einwilligungen/<int:consent_pk>/erneuern/",
        views.consent_renew,
        name="renew",
    ),
    path(
        "<int:case_pk>/einwilligungen/<int:consent_pk>/widerruf/",
        views.consent_withdraw,
        name="withdraw",
    ),
    path("<int:case_pk>/einwilligungen/<int:consent_pk>/scan/", views.consent_scan, name="scan"),
]
