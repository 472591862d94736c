"""Emergency pages: the emergencies of the area, an emergency's overview for the office, the daily
check board and form, returnees."""

from django.urls import path

from bangfu.emergency import views

app_name = "emergencies"
urlpatterns = [
    path("", views.emergency_list, name="list"),
    path("new/", views.emergency_open, name="open"),
    path("<int:pk>/", views.emergency_overview, name="overview"),
    path("<int:pk>/extend/", views.emergency_extend, name="extend"),
    path("<int:pk>/close/", views.emergency_close, name="close"),
    path("checks/", views.check_board, name="checks"),
    path("checks/<int:pk>/", views.check_form, name="check"),
    path("<int:pk>/returnees/", views.returnee_list, name="returnees"),
    path("<int:pk>/returnees/new/", views.returnee_register, name="returnee_register"),
]
