from django.urls import path

from apps.schoolsupport import views

app_name = "schoolsupport"
urlpatterns = [
    path("", views.year, name="year"),
    path("verlaengerung/", views.renewals, name="renewals"),
    path("verlaengerung/fortschreibung/", views.renewals_start, name="renewals_start"),
    path("stunden/", views.hours, name="hours"),
    path("schule/", views.continuations, name="continuations"),
    path("schule/<int:pk>/fortsetzung/", views.continuation, name="continuation"),
    path("anfrage/<int:pk>/rueckmeldung/", views.feedback, name="feedback"),
]
