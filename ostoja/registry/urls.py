from django.urls import path

from ostoja.registry import views

app_name = "registry"
urlpatterns: list[object] = [
    path("klienci/", views.person_list, name="person_list"),
    path("klienci/nowa/", views.person_create, name="person_create"),
    path("klienci/import/", views.person_import, name="person_import"),
    path("klienci/ulice/", views.street_options, name="street_options"),
    path("klienci/<int:pk>/", views.person_detail, name="person_detail"),
    path("klienci/<int:pk>/edycja/", views.person_edit, name="person_edit"),
    path("klienci/<int:pk>/dochody/", views.income_add, name="income_add"),
    path("klienci/dochody/<int:pk>/usun/", views.income_delete, name="income_delete"),
    path("klienci/<int:pk>/scal/", views.person_merge, name="person_merge"),
    path("klienci/<int:pk>/rodzina/", views.household_create, name="household_create"),
    path("rodziny/<int:pk>/", views.household_detail, name="household_detail"),
    path("rodziny/<int:pk>/edycja/", views.household_edit, name="household_edit"),
    path("rodziny/<int:pk>/czlonkowie/", views.member_add, name="member_add"),
    path("rodziny/<int:pk>/zakonczenie/", views.member_end, name="member_end"),
    path("administracja/ulice/", views.street_admin, name="street_admin"),
    path("administracja/ulice/import/", views.street_import, name="street_import"),
    path(
        "administracja/ulice/przypisania/<int:pk>/usun/",
        views.street_district_delete,
        name="street_district_delete",
    ),
]
