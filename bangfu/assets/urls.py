from django.urls import path

from bangfu.assets import views

app_name = "assets"
urlpatterns = [
    path("", views.asset_list, name="list"),
    path("new/", views.asset_create, name="create"),
    path("fixes/", views.fixes, name="fixes"),
    path("settings/", views.asset_settings, name="settings"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("<int:pk>/", views.asset_detail, name="detail"),
    path("<int:pk>/edit/", views.asset_edit, name="edit"),
    path("<int:pk>/inspect/", views.inspection_create, name="inspect"),
    path("fixes/<int:pk>/", views.finding_fix, name="fix"),
    path("<int:pk>/income/", views.income_create, name="income"),
    path("<int:pk>/plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/approve/", views.plan_approve, name="plan_approve"),
    path("plans/<int:pk>/publish/", views.plan_publish, name="plan_publish"),
    path("plans/<int:pk>/payouts/", views.payout_create, name="payout"),
]
