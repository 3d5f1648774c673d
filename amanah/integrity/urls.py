from django.urls import path

from . import views

app_name = "integrity"
urlpatterns = [
    path("", views.index, name="index"),
    path("lapor/", views.report_new, name="report"),
    path("gratifikasi/", views.gratification_new, name="gratification"),
    path("tindak-lanjut/", views.follow_up, name="follow-up"),
    path("kasus-saya/", views.my_case, name="my-case"),
    path("kasus-saya/balas/", views.my_case_reply, name="my-case-reply"),
    path("kasus-saya/pembalasan/", views.my_case_retaliation, name="my-case-retaliation"),
    path(
        "kasus-saya/identitas/<int:pk>/<slug:answer>/",
        views.my_case_disclosure,
        name="my-case-disclosure",
    ),
    path("kasus-saya/kontak/", views.my_case_contact, name="my-case-contact"),
    path("kasus-saya/kontak/hapus/", views.my_case_contact_remove, name="my-case-contact-remove"),
    path("kabar/berhenti/<str:token>/", views.news_stop, name="news-stop"),
    path("keluar/", views.reporter_logout, name="logout"),
    path("statistik/", views.statistics, name="statistics"),
    path("staf/", views.staff_list, name="staff-list"),
    path("staf/identitas/", views.staff_disclosures, name="staff-disclosures"),
    path("staf/identitas/<int:pk>/putuskan/", views.staff_decide, name="staff-decide"),
    path("staf/<int:pk>/", views.staff_case, name="staff-case"),
    path("staf/<int:pk>/ekspor/", views.staff_export, name="staff-export"),
    path("staf/<int:pk>/bukti/<int:evidence_id>/", views.staff_evidence, name="staff-evidence"),
    path("staf/<int:pk>/<slug:action>/", views.staff_action, name="staff-action"),
]
