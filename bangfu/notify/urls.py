from django.urls import path

from bangfu.notify import views, views_channels

app_name = "notify"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/open/", views.notification_open, name="open"),
    path("read-all/", views.notifications_read_all, name="read_all"),
    path("groups/", views_channels.channel_list, name="channels"),
    path("groups/add/", views_channels.channel_add, name="channel_add"),
    path("groups/<int:pk>/", views_channels.channel_edit, name="channel_edit"),
    path("groups/<int:pk>/test/", views_channels.channel_test, name="channel_test"),
    path("groups/<int:pk>/stop/", views_channels.channel_stop, name="channel_stop"),
    path("groups/<int:pk>/resume/", views_channels.channel_resume, name="channel_resume"),
    path("groups/digests/", views_channels.digest_list, name="digests"),
]
