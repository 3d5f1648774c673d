from django.urls import path

from . import views

app_name = "forum"
urlpatterns = [
    path("", views.index, name="index"),
    path("staf/", views.staff_queue, name="staff"),
    path("staf/topik/<int:pk>/", views.staff_topic, name="staff-topic"),
    path("staf/balasan/<int:pk>/", views.staff_post, name="staff-post"),
    path("topik/<int:pk>/", views.topic, name="topic"),
    path("kabar/berhenti/<str:token>/", views.stop_news, name="stop"),
    path("<slug:agency>/", views.agency_forum, name="agency"),
    path("<slug:agency>/baru/", views.new_topic, name="new"),
    path("<slug:agency>/terkirim/", views.sent, name="sent"),
]
