from django.urls import path

from bangfu.core import views

app_name = "core"

urlpatterns = [
    path("sw.js", views.service_worker, name="service_worker"),
    path("", views.outbox, name="outbox"),
]
