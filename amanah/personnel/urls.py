from django.urls import path

from . import views

app_name = "personnel"
urlpatterns = [
    path("", views.home, name="home"),
    path("saya/", views.me, name="me"),
    path("saya/pendaftaran/", views.self_enrol, name="self-enrol"),
    path("saya/skp/<int:pk>/keberatan/", views.object_skp, name="skp-object"),
    path("staf/", views.dashboard, name="dashboard"),
    path("pegawai/", views.employee_list, name="employees"),
    path("pegawai/baru/", views.employee_new, name="employee-new"),
    path("pegawai/<str:nip>/", views.employee_detail, name="employee"),
    path("pegawai/<str:nip>/pelatihan/", views.record_training, name="training-record"),
    path(
        "pegawai/<str:nip>/pelatihan/<int:pk>/selesai/",
        views.complete_enrolment,
        name="enrolment-complete",
    ),
    path("pegawai/<str:nip>/<str:action>/", views.employee_action, name="employee-action"),
    path("pegawai/<str:nip>/sertifikat/<int:pk>/", views.certificate, name="certificate"),
    path("jp/", views.behind, name="behind"),
    path("program/", views.programs, name="programs"),
    path("kompetensi/", views.competency_standards, name="competency"),
    path("kompetensi/baru/", views.competency_create, name="competency-create"),
    path("kompetensi/<int:pk>/nama/", views.competency_rename, name="competency-rename"),
    path(
        "kompetensi/standar/<int:pk>/hapus/",
        views.requirement_remove,
        name="requirement-remove",
    ),
    path("skp/<int:pk>/", views.skp_detail, name="skp"),
    path("disiplin/", views.case_list, name="cases"),
    path("disiplin/<str:number>/", views.case_detail, name="case"),
    path("mentoring/", views.mentoring, name="mentoring"),
    path("indeks/", views.index_units, name="index"),
    path("penghargaan/", views.awards, name="awards"),
    path("impor/", views.imports, name="imports"),
    path("ekspor/<str:kind>/", views.export, name="export"),
    path("mutasi/", views.transfers, name="transfers"),
    path("mutasi/<int:pk>/", views.transfer_detail, name="transfer"),
]
