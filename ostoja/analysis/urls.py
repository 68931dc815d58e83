from django.urls import path

from ostoja.analysis import views

app_name = "analysis"
urlpatterns = [
    path("analiza/", views.dashboard, name="dashboard"),
    path("analiza/mrpips03/", views.mrpips03, name="mrpips03"),
    path("analiza/symulacje/", views.whatif, name="whatif"),
    path("analiza/kalendarz/", views.reporting_calendar, name="calendar"),
    path("analiza/eksport/", views.pseudonymised_export, name="export"),
    path("analiza/sprawozdanie-roczne/<int:year>/", views.annual_report, name="annual_report"),
    path("analiza/ocena-zasobow/<int:year>/", views.resource_assessment, name="ozps"),
    path(
        "analiza/mrpips03/<str:period>/<str:section>/<str:row>/<str:column>/",
        views.mrpips03_cell,
        name="mrpips03_cell",
    ),
]
