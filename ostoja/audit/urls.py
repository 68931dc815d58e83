from django.urls import path

from ostoja.audit import views

app_name = "audit"
urlpatterns = [path("audyt/", views.audit_log, name="log")]
