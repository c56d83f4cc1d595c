from django.urls import path

from apps.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.entry_list, name="list"),
    path("export/", views.entry_export, name="export"),
    path("meine/", views.my_entries, name="mine"),
    path("fall/<int:case_id>/", views.case_access, name="case"),
]
