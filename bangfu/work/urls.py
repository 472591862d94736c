"""Work pages: the labour force, a village's month, imports; drives; employment subsidies."""

from django.urls import path

from bangfu.work import views, welfare_views

app_name = "work"
urlpatterns = [
    path("", views.labour_list, name="labour"),
    path("labourers/<int:pk>/", views.labourer, name="labourer"),
    path("grid/", views.grid, name="grid"),
    path("import/", views.status_import, name="import"),
    path("drives/", views.drive_list, name="drives"),
    path("drives/new/", views.drive_add, name="drive_add"),
    path("drives/<int:pk>/", views.drive_detail, name="drive"),
    path("drives/targets/<int:pk>/", views.drive_outcome, name="drive_outcome"),
    path("subsidies/", views.subsidy_lists, name="subsidies"),
    path("subsidies/new/", views.subsidy_add, name="subsidy_add"),
    path("subsidies/rates/", views.subsidy_rates, name="rates"),
    path("subsidies/<int:pk>/", views.subsidy_detail, name="subsidy"),
    path("subsidies/<int:pk>/approve/", views.subsidy_approve, name="subsidy_approve"),
    path("subsidies/<int:pk>/export/", views.subsidy_export, name="subsidy_export"),
    path("subsidies/payments/<int:pk>/account/", views.subsidy_account, name="subsidy_account"),
    path("subsidies/payments/<int:pk>/remove/", views.subsidy_remove, name="subsidy_remove"),
    # public-welfare posts
    path("welfare/", welfare_views.posts, name="welfare_posts"),
    path("welfare/new/", welfare_views.post_add, name="welfare_post_add"),
    path("welfare/published/", welfare_views.published, name="welfare_published"),
    path("welfare/attendance/", welfare_views.attendance, name="welfare_attendance"),
    path("welfare/assessment/", welfare_views.assessment, name="welfare_assessment"),
    path("welfare/payrolls/", welfare_views.payrolls, name="welfare_payrolls"),
    path("welfare/payrolls/<int:pk>/", welfare_views.payroll, name="welfare_payroll"),
    path("welfare/payrolls/<int:pk>/approve/", welfare_views.payroll_approve, name="welfare_payroll_approve"),
    path("welfare/payrolls/<int:pk>/export/", welfare_views.payroll_export, name="welfare_payroll_export"),
]

# Job postings (work.posting_views).
from bangfu.work import posting_views  # noqa: E402

urlpatterns += [
    path("postings/", posting_views.posting_list, name="postings"),
    path("postings/new/", posting_views.posting_add, name="posting_add"),
    path("postings/import/", posting_views.posting_import, name="posting_import"),
    path("postings/publish/", posting_views.publish, name="publish"),
    path("postings/publications/<int:pk>/", posting_views.publication_detail, name="publication"),
    path("postings/publications/<int:pk>/poster.png", posting_views.publication_poster, name="publication_poster"),
    path("postings/<int:pk>/", posting_views.posting_detail, name="posting"),
    path("postings/<int:pk>/edit/", posting_views.posting_edit, name="posting_edit"),
    path("postings/<int:pk>/close/", posting_views.posting_close, name="posting_close"),
    path("postings/<int:pk>/refer/", posting_views.posting_refer, name="posting_refer"),
    path("labourers/<int:pk>/postings/", posting_views.labourer_postings, name="labourer_postings"),
]

# Appointing to public-welfare posts, exits, the bank card and the county's rules (work.appointment_views).
from bangfu.work import appointment_views  # noqa: E402

urlpatterns += [
    path("welfare/<int:pk>/appoint/", appointment_views.appoint, name="welfare_appoint"),
    path("welfare/appointments/<int:pk>/", appointment_views.appointment, name="welfare_appointment"),
    path("welfare/appointments/<int:pk>/start/", appointment_views.appointment_start, name="welfare_start"),
    path("welfare/appointments/<int:pk>/exit/", appointment_views.appointment_exit, name="welfare_exit"),
    path("welfare/appointments/<int:pk>/account/", appointment_views.appointment_account, name="welfare_account"),
    path("welfare/rules/", appointment_views.rules, name="welfare_rules"),
]
