from django.urls import path

from webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("", views.endpoint_list, name="endpoint_list"),
    path("neu/", views.endpoint_edit, name="endpoint_create"),
    path("<int:pk>/", views.endpoint_detail, name="endpoint_detail"),
    path("<int:pk>/bearbeiten/", views.endpoint_edit, name="endpoint_edit"),
    path("<int:pk>/geheimnis/", views.endpoint_rotate, name="endpoint_rotate"),
    path("<int:pk>/aktiv/", views.endpoint_toggle, name="endpoint_toggle"),
    path("zustellung/<int:pk>/", views.delivery_detail, name="delivery_detail"),
    path("zustellung/<int:pk>/erneut/", views.delivery_replay, name="delivery_replay"),
]
