from django.urls import path

from ostoja.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("kalkulator/", views.calculator, name="calculator"),
    path("sprawdz/", views.precheck_page, name="precheck"),
    path("deklaracja-dostepnosci/", views.accessibility_statement, name="accessibility"),
    path("sesja/przedluz/", views.session_extend, name="session_extend"),
]
