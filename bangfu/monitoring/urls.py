from django.urls import path

from bangfu.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("", views.board, name="board"),
    path("new/", views.lead_create, name="create"),
    path("settings/", views.settings_page, name="settings"),
    path("drops/new/", views.drop_upload, name="drop_upload"),
    path("drops/<int:pk>/", views.drop_detail, name="drop"),
    path("drops/<int:pk>/outcomes.xlsx", views.drop_export, name="drop_export"),
    path("notice/<str:code>/", views.notice_print, name="notice"),
    path("notice/<str:code>/notice.xlsx", views.notice_xlsx, name="notice_xlsx"),
    path("qr/<str:code>/", views.apply_qr, name="qr"),
    path("apply/<str:code>/", views.apply, name="apply"),
    path("apply/<str:code>/thanks/", views.thanks, name="thanks"),
    path("flags/", views.flags, name="flags"),
    path("households/<int:pk>/plan/", views.plan, name="plan"),
    path("households/<int:pk>/plan/measures/", views.measure_add, name="measure_add"),
    path("households/<int:pk>/clearance/", views.clearance_start, name="clearance_start"),
    path("measures/<int:pk>/status/", views.measure_status, name="measure_status"),
    path("clearances/<int:pk>/<str:action>/", views.clearance_step, name="clearance_step"),
    path("<int:pk>/", views.lead_detail, name="detail"),
    path("<int:pk>/<str:action>/", views.lead_step, name="step"),
]
