from django.urls import path

from apps.core import views

app_name = "core"
urlpatterns = [
    path("entwurf/<int:object_id>/", views.draft_save, name="draft_save"),
]
