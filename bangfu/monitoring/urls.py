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
    path("<int:pk>/", views.lead_detail, name="detail"),
    path("<int:pk>/<str:action>/", views.lead_step, name="step"),
]
