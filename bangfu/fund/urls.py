"""The fund's pages under /fund/: councils, a council's ledger and its printed notice, agreements,
contributions and payouts, arrears."""

from django.urls import path

from bangfu.fund import views

app_name = "fund"
urlpatterns = [
    path("", views.council_list, name="councils"),
    path("councils/new/", views.council_create, name="council_create"),
    path("councils/<int:pk>/", views.council_detail, name="council"),
    path("councils/<int:pk>/print/", views.council_print, name="council_print"),
    path("councils/<int:pk>/agreements/new/", views.agreement_create, name="agreement_create"),
    path("arrears/", views.arrears_list, name="arrears"),
    path("match/", views.match_setting, name="match"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement"),
    path("agreements/<int:pk>/edit/", views.agreement_edit, name="agreement_edit"),
    path("agreements/<int:pk>/contributions/new/", views.contribution_create, name="contribution_create"),
    path("agreements/<int:pk>/payouts/new/", views.payout_create, name="payout_create"),
]
