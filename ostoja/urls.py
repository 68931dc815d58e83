"""URL configuration: every view here is behind ostoja.core.access (deny by default)."""

from django.urls import include, path

from ostoja.api.main import api

urlpatterns = [
    path("konto/", include("allauth.urls")),
    path("api/v1/", api.urls),
    path("", include("ostoja.web.urls")),
    path("", include("ostoja.org.urls")),
    path("", include("ostoja.audit.urls")),
    path("", include("ostoja.registry.urls")),
    path("", include("ostoja.cases.urls")),
    path("", include("ostoja.decisions.urls")),
    path("", include("ostoja.payments.urls")),
    path("", include("ostoja.socialwork.urls")),
    path("", include("ostoja.facilities.urls")),
    path("", include("ostoja.care.urls")),
    path("", include("ostoja.partners.urls")),
    path("", include("ostoja.analysis.urls")),
    path("", include("ostoja.ops.urls")),
]

handler400 = "ostoja.web.errors.bad_request"
handler403 = "ostoja.web.errors.forbidden"
handler404 = "ostoja.web.errors.not_found"
handler500 = "ostoja.web.errors.server_error"
