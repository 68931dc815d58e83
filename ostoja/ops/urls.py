from django.urls import path

from ostoja.ops import views

app_name = "ops"
urlpatterns = [
    path("healthz/status", views.health, name="health"),
]
