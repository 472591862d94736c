from django.urls import path

from bangfu.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change, name="password"),
    path("setup/<str:token>/", views.setup, name="setup"),
    path("users/", views.user_list, name="users"),
    path("users/add/", views.user_add, name="user_add"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/edit/", views.user_edit, name="user_edit"),
    path("users/<int:pk>/active/", views.user_active, name="user_active"),
    path("users/<int:pk>/reset-password/", views.user_reset_password, name="user_reset_password"),
]
