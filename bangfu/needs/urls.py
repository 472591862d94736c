from django.urls import path

from bangfu.needs import views

app_name = "needs"
urlpatterns = [
    path("", views.need_board, name="board"),
    path("numbers/", views.need_numbers, name="numbers"),
    path("settings/", views.deadline_settings, name="settings"),
    path("assign/", views.needs_assign_bulk, name="assign_bulk"),
    path("new/<int:household_pk>/", views.need_create, name="create"),
    path("<int:pk>/", views.need_detail, name="detail"),
    path("<int:pk>/<str:action>/", views.need_act, name="act"),
]
