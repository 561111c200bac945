from django.urls import path

from integrations.paging import views

app_name = "paging"
urlpatterns = [
    path("teams/<slug:slug>/integrations/paging/", views.connect, name="connect"),
    path("teams/<slug:slug>/integrations/paging/<id:pk>/sync/", views.sync_now, name="sync"),
    path(
        "teams/<slug:slug>/integrations/paging/<id:pk>/disconnect/",
        views.disconnect,
        name="disconnect",
    ),
    path("teams/<slug:slug>/integrations/paging/feeds/", views.feed_create, name="feed_create"),
    path("teams/<slug:slug>/integrations/paging/history/", views.import_history, name="history"),
    path("integrations/paging/feeds/<str:token>.ics", views.paging_feed, name="feed"),
]
