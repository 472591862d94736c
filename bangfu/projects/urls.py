from django.urls import path

from bangfu.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="list"),
    path("new/", views.project_create, name="create"),
    path("deadlines/", views.deadlines, name="deadlines"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/steps/<str:action>/", views.project_step, name="step"),
    path("<int:pk>/payments/", views.payment_create, name="payment"),
    path("<int:pk>/card/", views.project_card, name="card"),
    path("<int:pk>/notices/<str:stage>/", views.notice_print, name="notice"),
]
