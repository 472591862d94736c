from django.urls import path

from bangfu.casework import views

app_name = "casework"
urlpatterns = [
    path("today/", views.worklist, name="worklist"),
    path("today/print/", views.worklist_print, name="worklist_print"),
    path("caseworkers/", views.worklists, name="worklists"),
    path("villages/print/", views.village_print_pick, name="village_print_pick"),
    path("villages/<str:code>/print/", views.village_print, name="village_print"),
    path("caseworkers/<int:user_id>/", views.worklist, name="worklist_of"),
    path("caseworkers/<int:user_id>/print/", views.worklist_print, name="worklist_print_of"),
    path("households/<int:pk>/call/", views.call, name="call"),
    path("households/<int:pk>/contact/", views.contact_add, name="contact_add"),
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/close/", views.campaign_close, name="campaign_close"),
    path("campaigns/<int:pk>/extend/", views.campaign_extend, name="campaign_extend"),
    path("assessments/", views.assessment_overview, name="assessments"),
    path("schedules/", views.schedules, name="schedules"),
]
