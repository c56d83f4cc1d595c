from django.urls import path

from apps.casework import views

app_name = "casework"
urlpatterns = [
    path("aufgaben/", views.my_tasks, name="my_tasks"),
    path("aufgaben/team/", views.team_tasks, name="team_tasks"),
    path("<int:case_pk>/notizen/", views.note_list, name="notes"),
    path("<int:case_pk>/notizen/neu/", views.note_create, name="note_create"),
    path("<int:case_pk>/notizen/entwurf/", views.note_draft_save, name="note_draft"),
    path("<int:case_pk>/notizen/<int:note_pk>/", views.note_history, name="note_history"),
    path("<int:case_pk>/notizen/<int:note_pk>/korrektur/", views.note_correct, name="note_correct"),
    path("<int:case_pk>/notizen/<int:note_pk>/freigabe/", views.note_share, name="note_share"),
    path("<int:case_pk>/wiedervorlagen/neu/", views.task_create, name="task_create"),
    path("<int:case_pk>/wiedervorlagen/<int:task_pk>/erledigt/", views.task_done, name="task_done"),
    path(
        "<int:case_pk>/wiedervorlagen/<int:task_pk>/bearbeiten/",
        views.task_edit,
        name="task_edit",
    ),
    path("<int:case_pk>/kontakte/neu/", views.contact_create, name="contact_create"),
]

# Help plan (§ 36 SGB VIII) and handing a case over; the views live in their own modules.
from apps.casework import views_handover, views_helpplan  # noqa: E402

urlpatterns += [
    path("<int:case_pk>/hilfeplan/", views_helpplan.helpplan_detail, name="helpplan"),
    path(
        "<int:case_pk>/hilfeplan/fortschreiben/",
        views_helpplan.helpplan_edit,
        name="helpplan_edit",
    ),
    path(
        "<int:case_pk>/hilfeplan/fassung/<int:number>/",
        views_helpplan.helpplan_version,
        name="helpplan_version",
    ),
    path(
        "<int:case_pk>/hilfeplan/vergleich/",
        views_helpplan.helpplan_compare,
        name="helpplan_compare",
    ),
    path("uebergaben/", views_handover.handover_list, name="handover_list"),
    path(
        "uebergaben/anvertraute-notizen/",
        views_handover.handover_confided_notes,
        name="handover_confided_notes",
    ),
    path("<int:case_pk>/uebergabe/", views_handover.handover_propose, name="handover_propose"),
    path(
        "<int:case_pk>/uebergabe/<int:handover_pk>/",
        views_handover.handover_detail,
        name="handover",
    ),
    path(
        "<int:case_pk>/uebergabe/<int:handover_pk>/annehmen/",
        views_handover.handover_accept,
        name="handover_accept",
    ),
    path(
        "<int:case_pk>/uebergabe/<int:handover_pk>/ablehnen/",
        views_handover.handover_decline,
        name="handover_decline",
    ),
]
