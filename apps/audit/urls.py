from django.urls import path

from apps.audit import views, views_privacy

app_name = "audit"
urlpatterns = [
    path("", views.entry_list, name="list"),
    path("export/", views.entry_export, name="export"),
    path("meine/", views.my_entries, name="mine"),
    path("fall/<int:case_id>/", views.case_access, name="case"),
    path("aufbewahrung/", views_privacy.retention_overview, name="retention"),
    path("aufbewahrung/sperren/", views_privacy.hold_create, name="hold_create"),
    path(
        "aufbewahrung/sperren/<int:pk>/aufheben/",
        views_privacy.hold_release,
        name="hold_release",
    ),
    path("auskunft/", views_privacy.access_request, name="access_request"),
    path("auskunft/export/", views_privacy.access_export, name="access_export"),
]
