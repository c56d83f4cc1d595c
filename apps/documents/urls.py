from django.urls import path

from apps.documents import views

app_name = "documents"
urlpatterns = [
    path("<int:case_pk>/dokumente/", views.document_list, name="list"),
    path("<int:case_pk>/dokumente/neu/", views.document_upload, name="upload"),
    path("<int:case_pk>/dokumente/<int:document_pk>/", views.document_download, name="download"),
]
