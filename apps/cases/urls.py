from django.urls import path

from apps.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("aus-anfrage/<int:referral_pk>/", views.case_open, name="open"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/status/", views.case_move, name="move"),
    path("<int:pk>/abschliessen/", views.case_close, name="close"),
    path("<int:pk>/wiedereroeffnen/", views.case_reopen_view, name="reopen"),
    path("<int:pk>/empfehlung/", views.recommendation_create, name="recommend"),
    path("<int:pk>/entscheidung/", views.decision_create, name="decide"),
    path("<int:pk>/bescheide/<int:decision_pk>/", views.decision_letter, name="decision"),
]
urlpatterns += [
    path("<int:pk>/falldaten/", views.case_edit, name="edit"),
]
urlpatterns += [
    path("suche/", views.person_search, name="search"),
]
