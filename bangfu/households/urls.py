from django.urls import path

from bangfu.households import views

app_name = "households"
urlpatterns = [
    path("", views.household_list, name="list"),
    path("new/", views.household_create, name="create"),
    path("assign/", views.household_assign_bulk, name="assign_bulk"),
    path("<int:pk>/", views.household_detail, name="detail"),
    path("<int:pk>/edit/", views.household_edit, name="edit"),
    path("<int:pk>/delete/", views.household_delete, name="delete"),
    path("<int:pk>/assign/", views.household_assign, name="assign"),
    path("<int:pk>/reveal-phone/", views.household_reveal_phone, name="reveal_phone"),
    path("<int:pk>/members/new/", views.member_add, name="member_add"),
    path("members/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("members/<int:pk>/make-head/", views.member_make_head, name="member_make_head"),
    path("members/<int:pk>/reveal/<str:field>/", views.member_reveal, name="member_reveal"),
    path("held-edits/", views.conflict_list, name="conflicts"),
    path("held-edits/<int:pk>/apply/", views.conflict_apply, name="conflict_apply"),
    path("held-edits/<int:pk>/keep/", views.conflict_keep, name="conflict_keep"),
]
