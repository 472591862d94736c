from django.urls import path

from bangfu.emergency import views

app_name = "emergency"
urlpatterns = [
    path("", views.delivery_list, name="deliveries"),
    path("new/", views.delivery_create, name="create"),
    path("<int:pk>/", views.delivery_detail, name="detail"),
    path("<int:pk>/deliver/", views.delivery_complete, name="complete"),
    path("<int:pk>/fail/", views.delivery_fail, name="fail"),
    path("<int:pk>/assign/", views.delivery_assign, name="assign"),
    path("<int:pk>/reopen/", views.delivery_reopen, name="reopen"),
]
