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
