from django.urls import URLPattern, path

from ostoja.partners import views

app_name = "partners"
P = "wspolpraca/"
urlpatterns: list[URLPattern] = [
    path(P, views.index, name="index"),
    path(f"{P}partnerzy/nowy/", views.partner_new, name="partner_new"),
    path(f"{P}partnerzy/<int:pk>/", views.partner_detail, name="partner"),
    path(f"{P}partnerzy/<int:pk>/edycja/", views.partner_edit, name="partner_edit"),
    path(f"{P}dotacje/", views.grants, name="grants"),
    path(f"{P}konkursy/<int:pk>/", views.call_detail, name="call"),
    path(f"{P}umowy/<int:pk>/", views.grant_detail, name="grant"),
    path(f"{P}oferty/<int:pk>/umowa/", views.grant_sign, name="grant_sign"),
    path(f"{P}programy/", views.programmes, name="programmes"),
    path(f"{P}programy/<int:pk>/", views.programme_detail, name="programme"),
    path(f"{P}sprawy/<int:pk>/skierowania/", views.case_referrals, name="case_referrals"),
    path(f"{P}sprawy/<int:pk>/programy/", views.case_programmes, name="case_programmes"),
    path(f"{P}konta/", views.accounts, name="accounts"),
    path(f"{P}konta/<int:pk>/", views.account_action, name="account_action"),
    path(f"{P}partner/", views.portal, name="portal"),
    path(f"{P}partner/skierowania/<int:pk>/", views.portal_referral, name="portal_referral"),
]
