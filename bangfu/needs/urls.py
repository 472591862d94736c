from django.urls import path

app_name = "needs"
urlpatterns = [path("", lambda r: None, name="board"), path("<int:pk>/", lambda r, pk: None, name="detail")]
