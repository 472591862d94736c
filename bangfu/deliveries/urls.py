"""Delivery and errand pages under /deliveries/, and distributions under the supplies' pages
(/supplies/distributions/), where the township office plans them beside its stock. Mounted at the
site's root so that both keep their paths in one namespace."""

from django.urls import path

from bangfu.deliveries import views

app_name = "deliveries"
urlpatterns = [
    path("deliveries/", views.delivery_list, name="deliveries"),
    path("deliveries/new/", views.delivery_create, name="create"),
    path("deliveries/<int:pk>/", views.delivery_detail, name="detail"),
    path("deliveries/<int:pk>/deliver/", views.delivery_complete, name="complete"),
    path("deliveries/<int:pk>/fail/", views.delivery_fail, name="fail"),
    path("deliveries/<int:pk>/assign/", views.delivery_assign, name="assign"),
    path("deliveries/<int:pk>/reopen/", views.delivery_reopen, name="reopen"),
    path("deliveries/for-need/<int:need_pk>/link/", views.delivery_link_need, name="link_need"),
    path("supplies/distributions/", views.distribution_list, name="distributions"),
    path("supplies/distributions/new/", views.distribution_plan, name="distribution_plan"),
    path("supplies/distributions/<int:pk>/", views.distribution_detail, name="distribution"),
]
