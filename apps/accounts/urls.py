from django.urls import path

from apps.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.start, name="start"),
    path("anmelden/", views.login, name="login"),
    path("abmelden/", views.logout, name="logout"),
]
