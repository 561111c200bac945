from django.urls import path

from calendars import views, views_feeds, views_links

app_name = "calendars"
urlpatterns = [
    path("calendars/", views.home, name="home"),
    path("calendars/regenerate/", views.regenerate, name="regenerate"),
    path("calendars/preferences/", views.preferences, name="preferences"),
    path("calendars/push/", views.push_connect, name="push_connect"),
    path("calendars/push/disconnect/", views.push_disconnect, name="push_disconnect"),
    path("calendars/feed/<str:token>.ics", views_feeds.personal_feed, name="feed"),
    path("calendars/team/<str:token>.ics", views_feeds.team_feed, name="team_feed"),
    path("teams/<slug:slug>/calendars/", views.team_channels, name="team_channels"),
    path("teams/<slug:slug>/calendars/regenerate/", views.team_regenerate, name="team_regenerate"),
    path("c/<str:token>/", views_links.cant_make_it, name="link"),
    path("c/<str:token>/done/", views_links.cant_make_it_done, name="link_done"),
]
