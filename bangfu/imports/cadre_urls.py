from django.urls import path

from bangfu.imports import cadres

app_name = "cadres"
urlpatterns = [path("", cadres.cadres_upload, name="upload")]
