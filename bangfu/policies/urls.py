from django.urls import path

from bangfu.policies import views

app_name = "policies"

urlpatterns = [
    path("", views.policy_list, name="list"),
    path("new/", views.policy_create, name="create"),
    path("<slug:key>/edit/", views.policy_edit, name="edit"),
    path("gaps/", views.gaps, name="gaps"),
    path("import/", views.receipts_import, name="import"),
    path("receipts/new/<int:household_pk>/", views.receipt_add, name="receipt_add"),
]
