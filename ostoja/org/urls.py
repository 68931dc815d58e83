from django.urls import path

from ostoja.org import views

app_name = "org"
urlpatterns = [
    path("moje-konto/", views.profile, name="profile"),
    path("moje-konto/powiazania/", views.relation_own, name="relation_own"),
    path(
        "moje-konto/powiazania/<int:pk>/wycofaj/",
        views.relation_withdraw,
        name="relation_withdraw",
    ),
    path("powiazania-pracownikow/", views.relation_supervised, name="relation_supervised"),
    path("administracja/", views.admin_index, name="admin_index"),
    path("administracja/pracownicy/", views.staff_list, name="staff_list"),
    path("administracja/pracownicy/nowy/", views.staff_create, name="staff_create"),
    path("administracja/pracownicy/<int:pk>/", views.staff_edit, name="staff_edit"),
    path("administracja/jednostki/", views.unit_list, name="unit_list"),
    path("administracja/jednostki/nowa/", views.unit_create, name="unit_create"),
    path("administracja/jednostki/<int:pk>/", views.unit_edit, name="unit_edit"),
    path("administracja/upowaznienia/", views.authorisation_list, name="authorisation_list"),
    path(
        "administracja/upowaznienia/nowe/", views.authorisation_create, name="authorisation_create"
    ),
    path(
        "administracja/upowaznienia/<int:pk>/",
        views.authorisation_detail,
        name="authorisation_detail",
    ),
    path("administracja/ustawienia/", views.settings_edit, name="settings"),
    path("administracja/tokeny/", views.token_list, name="token_list"),
    path("administracja/tokeny/<int:pk>/uniewaznij/", views.token_revoke, name="token_revoke"),
    path("administracja/zmiany-rol/", views.role_change_list, name="role_change_list"),
    path(
        "administracja/zmiany-rol/<int:pk>/potwierdz/",
        views.role_change_confirm,
        name="role_change_confirm",
    ),
    path(
        "administracja/zmiany-rol/<int:pk>/odrzuc/",
        views.role_change_reject,
        name="role_change_reject",
    ),
]
