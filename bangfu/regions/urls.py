from django.urls import path

from bangfu.regions import views

app_name = "regions"
urlpatterns = [
    path("villages/", views.village_list, name="villages"),
    path("villages/load/", views.villages_load, name="load"),
]
