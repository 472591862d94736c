from django.urls import path

from bangfu.briefings import briefing_views, views

app_name = "briefings"

urlpatterns = [
    path("prints/", views.prints, name="prints"),
    path("prints/household/<int:pk>.pdf", views.household_pdf, name="household_pdf"),
    path("prints/village/<str:code>/files/", views.village_files, name="village_files"),
    path("prints/jobs/<int:pk>/", views.job, name="job"),
    path("prints/jobs/<int:pk>.pdf", views.job_pdf, name="job_pdf"),
    path("prints/notice/<str:code>.pdf", views.notice_pdf, name="notice_pdf"),
    path("prints/welfare/<int:pk>/<str:kind>.pdf", views.payroll_pdf, name="payroll_pdf"),
    path("prints/project/<int:pk>/<str:stage>.pdf", views.project_notice_pdf, name="project_notice_pdf"),
]

urlpatterns += [
    path("", briefing_views.briefings, name="briefings"),
    path("<int:pk>/", briefing_views.briefing, name="briefing"),
    path("<int:pk>.docx", briefing_views.briefing_docx, name="briefing_docx"),
    path("<int:pk>.pdf", briefing_views.briefing_pdf, name="briefing_pdf"),
    path("template/", briefing_views.template_edit, name="template"),
]
