from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Sozialraum Weimar – Stammdaten und Konten"
admin.site.site_title = "Sozialraum Weimar Verwaltung"
admin.site.index_title = "Stammdaten und Konten (keine Fallinhalte)"

urlpatterns = [
    path("", include("apps.accounts.urls")),
    path("", include("apps.core.urls")),
    path("sozialraeume/", include("apps.organisation.urls")),
    path("", include("apps.referrals.urls")),
    path("faelle/", include("apps.cases.urls")),
    path("faelle/", include("apps.casework.urls")),
    path("faelle/", include("apps.consents.urls")),
    path("faelle/", include("apps.documents.urls")),
    path("fallberatung/", include("apps.conferences.urls")),
    path("schulbegleitung/", include("apps.schoolsupport.urls")),
    path("sozialraumarbeit/", include("apps.neighbourhood.urls")),
    path("nachrichten/", include("apps.notifications.urls")),
    path("protokoll/", include("apps.audit.urls")),
    path("verlauf/", include("apps.history.urls")),
    path("steuerung/", include("apps.reports.urls")),
    path("verwaltung/", admin.site.urls),
    path("", include("apps.operations.urls")),
]

handler400 = "apps.core.views.bad_request"
handler403 = "apps.core.views.permission_denied"
handler404 = "apps.core.views.page_not_found"
handler500 = "apps.core.views.server_error"
