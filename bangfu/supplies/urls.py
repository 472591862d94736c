from django.urls import path

from bangfu.supplies import views

app_name = "supplies"
urlpatterns = [
    path("", views.stock, name="stock"),
    path("items/new/", views.item_create, name="item_create"),
    path("items/<int:pk>/", views.ledger, name="ledger"),
    path("move/<str:kind>/", views.move, name="move"),
]
