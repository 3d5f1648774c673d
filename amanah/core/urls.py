from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("akun/masuk/", views.login_view, name="login"),
    path("akun/keluar/", views.logout_view, name="logout"),
    path("akun/2fa/", views.totp_setup, name="totp-setup"),
    path("staf/", views.staff_home, name="staff-home"),
    path("layanan/", views.service_list, name="services"),
]
