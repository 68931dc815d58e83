from django.urls import path

from ostoja.socialwork import views

app_name = "socialwork"
P = "praca-socjalna/"
urlpatterns = [
    path(P, views.index, name="index"),
    path(f"{P}sprawy/<int:pk>/", views.case_page, name="case"),
    path(f"{P}sprawy/<int:pk>/notatki/dodaj/", views.note_add, name="note_add"),
    path(f"{P}notatki/<int:pk>/korekta/", views.note_correct, name="note_correct"),
    path(f"{P}sprawy/<int:pk>/wizyty/zaplanuj/", views.visit_plan, name="visit_plan"),
    path(f"{P}wizyty/", views.visit_list, name="visits"),
    path(f"{P}wizyty/kalendarz/", views.visit_calendar, name="calendar"),
    path(f"{P}wizyty/<int:pk>/", views.visit_detail, name="visit"),
    path(f"{P}wizyty/<int:pk>/odwolanie/", views.visit_cancel, name="visit_cancel"),
    path(f"{P}sprawy/<int:pk>/kontrakty/nowy/", views.contract_new, name="contract_new"),
    path(f"{P}kontrakty/<int:pk>/", views.contract_detail, name="contract"),
    path(f"{P}kontrakty/<int:pk>/edycja/", views.contract_edit, name="contract_edit"),
    path(f"{P}kontrakty/<int:pk>/pdf/", views.contract_pdf_view, name="contract_pdf"),
    path(f"{P}kontrakty/<int:pk>/<slug:action>/", views.contract_action, name="contract_action"),
    path(f"{P}sprawy/<int:pk>/plany/nowy/", views.plan_new, name="plan_new"),
    path(f"{P}plany/<int:pk>/", views.plan_detail, name="plan"),
    path(f"{P}sprawy/<int:pk>/ochrona/", views.protect, name="protect"),
    path(f"{P}sprawy/<int:pk>/dostep/", views.break_glass, name="break_glass"),
    path(f"{P}obciazenie/", views.caseload, name="caseload"),
    path(f"{P}sprawy/<int:pk>/przydzial/", views.reassign, name="reassign"),
]
