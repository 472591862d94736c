"""The pages of produce and sales under /sales/."""

from django.urls import path

from bangfu.sales import views

app_name = "sales"
urlpatterns = [
    path("", views.sale_list, name="list"),
    path("new/", views.sale_create, name="create"),
    path("products/", views.product_list, name="products"),
    path("products/new/", views.product_create, name="product_create"),
    path("cooperatives/new/", views.cooperative_create, name="cooperative_create"),
    path("buyers/", views.buyer_list, name="buyers"),
    path("buyers/new/", views.buyer_create, name="buyer_create"),
    path("numbers/", views.numbers, name="numbers"),
    path("numbers/<str:table>.xlsx", views.numbers_export, name="numbers_export"),
]
