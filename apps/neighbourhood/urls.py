from django.urls import path

from apps.neighbourhood import views

app_name = "neighbourhood"
urlpatterns = [
    path("", views.activity_list, name="overview"),
    path("aktivitaeten/neu/", views.activity_create, name="activity_create"),
    path("aktivitaeten/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("aktivitaeten/<int:pk>/bearbeiten/", views.activity_edit, name="activity_edit"),
    path("ressourcen/", views.resource_list, name="resource_list"),
    path("ressourcen/neu/", views.resource_create, name="resource_create"),
    path("ressourcen/<int:pk>/", views.resource_detail, name="resource_detail"),
    path("ressourcen/<int:pk>/bearbeiten/", views.resource_edit, name="resource_edit"),
    path("ressourcen/<int:pk>/faelle/", views.resource_link_case, name="resource_link_case"),
    path("faelle/<int:case_pk>/ressourcen/", views.case_link_resource, name="case_link_resource"),
]
