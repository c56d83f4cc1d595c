from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("apps.accounts.urls")),
    path("sozialraeume/", include("apps.organisation.urls")),
    path("", include("apps.referrals.urls")),
    path("faelle/", include("apps.cases.urls")),
    path("faelle/", include("apps.casework.urls")),
    path("fallberatung/", include("apps.conferences.urls")),
    path("sozialraumarbeit/", include("apps.neighbourhood.urls")),
    path("nachrichten/", include("apps.notifications.urls")),
    path("protokoll/", include("apps.audit.urls")),
    path("verlauf/", include("apps.history.urls")),
    path("verwaltung/", admin.site.urls),
]

handler403 = "apps.core.views.permission_denied"
handler404 = "apps.core.views.page_not_found"
handler500 = "apps.core.views.server_error"
