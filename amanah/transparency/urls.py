from django.urls import path

from . import views

app_name = "transparency"
urlpatterns = [
    path("", views.national, name="national"),
    path("data/", views.data_dictionary, name="data"),
    path("pimpinan/", views.leadership, name="leadership"),
    path("pimpinan/target/", views.set_target, name="set-target"),
    path("i/<slug:agency_code>/", views.agency, name="agency"),
    path("i/<slug:agency_code>/indikator/", views.indicators, name="indicators"),
    path("i/<slug:agency_code>/u/<slug:unit_code>/", views.unit, name="unit"),
]
