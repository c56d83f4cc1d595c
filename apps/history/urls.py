from django.urls import path

from apps.history import views
from apps.history.kinds import KINDS

app_name = "history"
# One name per kind ("history:case"), so the access log names the right kind of record.
urlpatterns = [
    path(f"{kind}/<int:pk>/", views.record_history, {"kind": kind}, name=kind) for kind in KINDS
]
