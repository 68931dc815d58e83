from django.urls import path

from ostoja.care import views

app_name = "care"
P = "uslugi/"
urlpatterns = [
    path(P, views.index, name="index"),
    path(f"{P}zlecenia/nowe/", views.order_new, name="order_new"),
    path(f"{P}zlecenia/<int:pk>/", views.order_detail, name="order"),
    path(f"{P}zlecenia/<int:pk>/decyzja/", views.order_decide, name="order_decide"),
    path(f"{P}zlecenia/<int:pk>/zmiana/", views.order_change, name="order_change"),
    path(f"{P}miesiace/<int:pk>/rachunek.pdf", views.month_bill_pdf, name="month_bill_pdf"),
    path(
        f"{P}korekty/<int:pk>/rachunek.pdf", views.correction_bill_pdf, name="correction_bill_pdf"
    ),
    path(f"{P}miesiace/<int:pk>/<slug:action>/", views.month_action, name="month_action"),
    path(f"{P}faktury/", views.invoices, name="invoices"),
    path(f"{P}zaleglosci/<int:pk>/", views.month_receivable, name="month_receivable"),
    path(f"{P}zwroty/<int:pk>/", views.month_refund, name="month_refund"),
    path(f"{P}zdarzenia/", views.events, name="events"),
    path(f"{P}zdarzenia/nowe/", views.event_new, name="event_new"),
    path(f"{P}powiat/", views.powiat, name="powiat"),
    path(f"{P}powiat/usamodzielnienie/nowy/", views.leaving_new, name="leaving_new"),
    path(f"{P}powiat/usamodzielnienie/<int:pk>/", views.leaving_detail, name="leaving"),
    path(
        f"{P}powiat/usamodzielnienie/<int:pk>/decyzja/", views.leaving_decide, name="leaving_decide"
    ),
    path(f"{P}powiat/integracja/nowy/", views.integration_new, name="integration_new"),
    path(f"{P}powiat/integracja/<int:pk>/", views.integration_detail, name="integration"),
    path(
        f"{P}powiat/integracja/<int:pk>/decyzja/",
        views.integration_decide,
        name="integration_decide",
    ),
]
