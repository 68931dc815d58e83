from django.urls import path

from ostoja.ops import views
from ostoja.ops.rodo import views as rodo_views

app_name = "ops"
urlpatterns = [
    path("healthz/status", views.health, name="health"),
    path("moje-pliki/", views.my_files, name="my_files"),
    path("moje-pliki/zlec/", views.file_request, name="file_request"),
    path("moje-pliki/<int:pk>/pobierz/", views.file_download, name="file_download"),
    path("rodo/", rodo_views.register, name="register"),
    path("rodo/sprostowania/", rodo_views.rectifications, name="rectifications"),
    path("rodo/osoby/<int:person_id>/", rodo_views.person_rights, name="person_rights"),
    path("rodo/anonimizacje/", rodo_views.anonymisations, name="anonymisations"),
    path(
        "rodo/anonimizacje/<int:pk>/potwierdz/",
        rodo_views.anonymisation_confirm,
        name="anonymisation_confirm",
    ),
    path(
        "rodo/anonimizacje/<int:pk>/odrzuc/",
        rodo_views.anonymisation_reject,
        name="anonymisation_reject",
    ),
]
