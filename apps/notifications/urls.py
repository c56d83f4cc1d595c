from django.urls import path

from apps.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/gelesen/", views.mark_read, name="mark_read"),
]
