from django.urls import path

from apps.organisation import views

app_name = "organisation"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("finder/", views.finder, name="finder"),
]
