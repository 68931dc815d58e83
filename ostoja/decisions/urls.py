from django.urls import path

from ostoja.decisions import views

app_name = "decisions"
urlpatterns = [
    path("decyzje/", views.register, name="register"),
    path("decyzje/eksport.<str:fmt>", views.export, name="export"),
    path("decyzje/druk-dnia/", views.batch_print, name="batch_print"),
    path(
        "decyzje/projekt/wniosek/<int:application_pk>/",
        views.draft_from_application,
        name="draft_from_application",
    ),
    path(
        "decyzje/projekt/wniosek/<int:application_pk>/umorzenie/",
        views.discontinue_application,
        name="discontinue_application",
    ),
    path("decyzje/<int:pk>/", views.detail, name="detail"),
    path("decyzje/<int:pk>/edycja/", views.edit, name="edit"),
    path("decyzje/<int:pk>/pdf/", views.pdf, name="pdf"),
    path("decyzje/<int:pk>/czynnosc/<str:action>/", views.transition, name="transition"),
    path("decyzje/<int:pk>/zmiana/", views.amend, name="amend"),
    path("decyzje/<int:pk>/sprostowanie/", views.rectify, name="rectify"),
    path(
        "decyzje/<int:pk>/sprostowanie/<int:rpk>/pdf/",
        views.rectification_pdf,
        name="rectification_pdf",
    ),
    path(
        "decyzje/<int:pk>/odwolanie/<int:apk>/<str:what>/",
        views.appeal_action,
        name="appeal_action",
    ),
]
