from django.urls import path

from ostoja.payments import views

app_name = "payments"
urlpatterns = [
    path("wyplaty/", views.index, name="index"),
    path("wyplaty/uruchom/", views.run, name="run"),
    path("wyplaty/listy/<int:list_id>/", views.list_detail, name="list_detail"),
    path("wyplaty/listy/<int:list_id>/zatwierdz/", views.list_approve, name="list_approve"),
    path("wyplaty/listy/<int:list_id>/plik/<str:fmt>/", views.list_export, name="list_export"),
    path("wyplaty/listy/<int:list_id>/druk/", views.list_print, name="list_print"),
    path("wyplaty/wyciagi/", views.statements, name="statements"),
    path("wyplaty/wyciagi/<int:import_id>/", views.statement_detail, name="statement_detail"),
    path("wyplaty/zwroty/", views.returns, name="returns"),
    path("wyplaty/platnosci/<int:payment_id>/ponow/", views.reissue, name="reissue"),
    path(
        "wyplaty/platnosci/<int:payment_id>/potwierdz-rachunek/",
        views.reissue_confirm,
        name="reissue_confirm",
    ),
    path("wyplaty/naleznosci/", views.receivables, name="receivables"),
    path(
        "wyplaty/naleznosci/z-decyzji/<int:decision_id>/",
        views.receivable_from_decision,
        name="receivable_from_decision",
    ),
    path(
        "wyplaty/naleznosci/<int:receivable_id>/", views.receivable_detail, name="receivable_detail"
    ),
    path("wyplaty/skladki/", views.health, name="health"),
    path("wyplaty/plan/", views.plan, name="plan"),
]
