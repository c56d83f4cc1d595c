from django.urls import path

from apps.conferences import views

app_name = "conferences"
urlpatterns = [
    path("", views.conference_list, name="list"),
    path("team/<int:team_pk>/neu/", views.conference_create, name="create"),
    path("<int:pk>/", views.conference_detail, name="detail"),
    path("<int:pk>/tagesordnung/", views.agenda_add, name="agenda_add"),
    path("<int:pk>/rollen/", views.conference_roles, name="roles"),
    path("<int:pk>/punkt/<int:item_pk>/", views.minutes, name="minutes"),
    path("<int:pk>/punkt/<int:item_pk>/schritte/", views.agreed_steps, name="agreed_steps"),
]
