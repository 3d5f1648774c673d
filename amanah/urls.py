from django.contrib import admin
from django.urls import include, path

from amanah.api import api
from amanah.core.views import admin_login

admin.site.login = (
    admin_login  # the admin signs in through Amanah's login (throttle, second factor)
)

urlpatterns = [
    path("", include("amanah.core.urls")),
    path("pengaduan/", include("amanah.complaints.urls")),
    path("integritas/", include("amanah.integrity.urls")),
    path("skm/", include("amanah.surveys.urls")),
    path("kepegawaian/", include("amanah.personnel.urls")),
    path("forum/", include("amanah.forum.urls")),
    path("transparansi/", include("amanah.transparency.urls")),
    path("open311/v2/", include("amanah.complaints.open311")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler400 = "amanah.core.views.bad_request"
