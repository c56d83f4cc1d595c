from django.urls import path

from apps.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.steering, name="steering"),
    path("kennzahl/<slug:key>.csv", views.steering_csv, name="steering_csv"),
    path("berichte/", views.report_list, name="report_list"),
    path("berichte/neu/", views.report_create, name="report_create"),
    path("berichte/<int:pk>/", views.report_edit, name="report_edit"),
    path("berichte/<int:pk>/vorschau/", views.report_preview, name="report_preview"),
    path("berichte/<int:pk>/veroeffentlichen/", views.report_publish_view, name="report_publish"),
    path("veroeffentlicht/<int:pk>/", views.published_report, name="published"),
    path("veroeffentlicht/<int:pk>.csv", views.published_csv, name="published_csv"),
    path("statistik/", views.statistics_export, name="statistics"),
    path("budget/", views.budget_list, name="budget_list"),
    path("budget/neu/", views.budget_create, name="budget_create"),
    path("budget/<int:pk>/", views.budget_edit, name="budget_edit"),
]
