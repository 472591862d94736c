from django.urls import path

from bangfu.reports import views_dashboard

app_name = "reports"
urlpatterns = [
    # The dashboards (驾驶舱)
    path("dashboard/", views_dashboard.dashboard, name="dashboard"),
    path("dashboard/xlsx/", views_dashboard.dashboard_xlsx, name="dashboard_xlsx"),
]
