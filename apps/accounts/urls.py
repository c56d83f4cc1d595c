from django.urls import path

from apps.accounts import approval_views, views

app_name = "accounts"
urlpatterns = [
    path("", views.start, name="start"),
    path("anmelden/", views.login, name="login"),
    path("abmelden/", views.logout, name="logout"),
    path("anmelden/zweiter-faktor/", views.otp_verify, name="otp_verify"),
    path("anmelden/zweiter-faktor/einrichten/", views.otp_setup, name="otp_setup"),
    path("sitzungen/", views.session_list, name="sessions"),
    path("sitzungen/<int:pk>/beenden/", views.session_end, name="session_end"),
    path("passwort/<str:uidb64>/<str:token>/", views.password_set, name="password_set"),
    path("freigaben/", approval_views.approval_list, name="approvals"),
    path("freigaben/<int:pk>/", approval_views.approval_decide, name="approval_decide"),
    path("sitzungen/verlaengern/", views.session_keepalive, name="session_keepalive"),
]
