from django.urls import path

from . import views

app_name = "surveys"
urlpatterns = [
    path("", views.index, name="index"),
    path("s/<slug:code>/", views.questionnaire, name="short"),
    path("s/<slug:code>/terima-kasih/", views.thanks, name="thanks"),
    path("u/<slug:unit_code>/", views.unit_entry, name="unit"),
    path("u/<slug:unit_code>/hasil/", views.unit_results, name="unit-results"),
    path("hasil/<int:pk>/", views.results_page, name="results"),
    path("hasil/<int:pk>/laporan.pdf", views.report_pdf, name="report-pdf"),
    path("hasil/<int:pk>/jawaban.xlsx", views.answers_xlsx, name="answers-xlsx"),
    path("poster/<slug:unit_code>.svg", views.poster_svg, name="poster-svg"),
    path("poster/<slug:unit_code>.pdf", views.poster_pdf, name="poster-pdf"),
    path("staf/", views.staff_list, name="staff"),
    path("staf/periode/<int:pk>/", views.staff_period, name="staff-period"),
    path("staf/periode/<int:pk>/jawaban.xlsx", views.staff_answers_xlsx, name="staff-answers-xlsx"),
    path("staf/periode/<int:pk>/status/", views.staff_status, name="staff-status"),
    path("staf/periode/<int:pk>/analisis/", views.staff_analysis, name="staff-analysis"),
    path("staf/periode/<int:pk>/kertas/", views.staff_paper, name="staff-paper"),
    path("staf/periode/<int:pk>/rencana/", views.staff_plan, name="staff-plan"),
    path(
        "staf/periode/<int:pk>/rencana/<int:plan_id>/kemajuan/",
        views.staff_progress,
        name="staff-progress",
    ),
]
