from django.urls import path

from bangfu.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("template/", views.template_download, name="template"),
    path("export/", views.export, name="export"),
    path("jobs/", views.job_list, name="jobs"),
    path("jobs/<int:pk>/", views.job_detail, name="job"),
    path("jobs/<int:pk>/confirm/", views.job_confirm, name="confirm"),
    path("jobs/<int:pk>/recheck/", views.job_recheck, name="recheck"),
    path("jobs/<int:pk>/download/", views.job_download, name="download"),
]
