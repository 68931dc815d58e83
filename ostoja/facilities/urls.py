from django.urls import path

from ostoja.facilities import views

app_name = "facilities"
urlpatterns = [
    path("placowki/", views.register, name="register"),
    path("placowki/wolne-miejsca/", views.free_places, name="free_places"),
    path("placowki/naleznosci/", views.charges, name="charges"),
    path("placowki/skierowania/nowe/", views.referral_new, name="referral_new"),
    path("placowki/skierowania/<int:pk>/", views.referral_detail, name="referral"),
    path("placowki/pobyty/<int:pk>/", views.stay_detail, name="stay"),
    path("placowki/<int:pk>/", views.facility_detail, name="facility"),
    path("placowki/<int:pk>/edycja/", views.facility_edit, name="facility_edit"),
    path("placowki/<int:pk>/lista-oczekujacych/", views.waiting_list, name="waiting_list"),
    path("placowki/<int:pk>/noclegi/", views.nights, name="nights"),
]
