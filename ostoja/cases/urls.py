from django.urls import path

from ostoja.cases import views

app_name = "cases"
urlpatterns: list[object] = [
    path("sprawy/", views.desk, name="desk"),
    path("sprawy/wnioski/", views.application_list, name="application_list"),
    path("sprawy/<int:pk>/", views.case_detail, name="case_detail"),
    path("sprawy/<int:pk>/pracownik/", views.case_assign, name="case_assign"),
    path("sprawy/<int:pk>/wywiad/", views.interview_start, name="interview_start"),
    path("sprawy/<int:pk>/oblicz/", views.calculate, name="calculate"),
    path(
        "rodziny/<int:household_pk>/wniosek/", views.application_create, name="application_create"
    ),
    path(
        "sprawy/wnioski/<int:pk>/przekazanie/",
        views.application_forward,
        name="application_forward",
    ),
    path(
        "sprawy/wnioski/<int:pk>/bez-rozpoznania/",
        views.application_leave,
        name="application_leave",
    ),
    path("sprawy/wnioski/<int:pk>/gotowy/", views.application_ready, name="application_ready"),
    path("sprawy/wnioski/<int:pk>/pisma/", views.letter_create, name="letter_create"),
    path(
        "sprawy/wnioski/<int:pk>/pisma/<int:letter_pk>/pdf/",
        views.letter_pdf,
        name="letter_pdf",
    ),
    path("sprawy/wywiady/<int:pk>/", views.interview_detail, name="interview"),
    path("sprawy/wywiady/<int:pk>/pdf/", views.interview_print, name="interview_print"),
    path(
        "sprawy/wywiady/<int:pk>/czesc/<slug:section>/",
        views.interview_section,
        name="interview_section",
    ),
    path(
        "sprawy/wywiady/<int:pk>/zakonczenie/", views.interview_complete, name="interview_complete"
    ),
    path("sprawy/obliczenia/<int:pk>/", views.calculation_detail, name="calculation"),
]
