from django.urls import path, re_path

from . import views

app_name = "forum"
urlpatterns = [
    path("", views.index, name="index"),
    path("staf/", views.staff_queue, name="staff"),
    path("staf/topik/<int:pk>/", views.staff_topic, name="staff-topic"),
    path("staf/balasan/<int:pk>/", views.staff_post, name="staff-post"),
    path("topik/<int:pk>/", views.topic, name="topic"),
    path("kabar/berhenti/<str:token>/", views.stop_news, name="stop"),
    # The link in a mail: the page opens in the mail's language (``id`` or ``en``), whatever the cookie.
    re_path(
        r"^kabar/berhenti/(?P<token>[^/]+)/(?P<language>id|en)/$", views.stop_news, name="stop-in"
    ),
    path("<slug:agency>/", views.agency_forum, name="agency"),
    path("<slug:agency>/baru/", views.new_topic, name="new"),
    path("<slug:agency>/terkirim/", views.sent, name="sent"),
]
