from django.urls import path

from . import views

app_name = "complaints"
urlpatterns = [
    path("", views.new, name="new"),
    path("lacak/", views.track_form, name="track-form"),
    path("lacak/lupa/", views.resend_codes, name="resend-codes"),
    path("lacak/<str:code>/", views.track, name="track"),
    path("lacak/<str:code>/tanda-terima.pdf", views.track_receipt, name="track-receipt"),
    path(
        "lacak/<str:code>/lampiran/<int:attachment_id>/",
        views.track_attachment,
        name="track-attachment",
    ),
    path("publik/", views.published, name="published"),
    path("staf/", views.inbox, name="inbox"),
    path("staf/baru/", views.staff_new, name="staff-new"),
    path("staf/ekspor.<str:fmt>", views.inbox_export, name="inbox-export"),
    path("staf/templat/", views.staff_templates, name="staff-templates"),
    path("staf/<str:code>/", views.staff_case, name="staff-case"),
    path("staf/<str:code>/tanda-terima.pdf", views.staff_receipt, name="staff-receipt"),
    path("staf/<str:code>/bukti/<int:evidence_id>/", views.staff_evidence, name="staff-evidence"),
]
