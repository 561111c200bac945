from django.urls import path

from calendars.views import feeds, links, pages

app_name = "calendars"
urlpatterns = [
    path("calendars/", pages.home, name="home"),
    path("calendars/regenerate/", pages.regenerate, name="regenerate"),
    path("calendars/preferences/", pages.preferences, name="preferences"),
    path("calendars/push/", pages.push_connect, name="push_connect"),
    path("calendars/push/disconnect/", pages.push_disconnect, name="push_disconnect"),
    path("calendars/feed/<str:token>.ics", feeds.personal_feed, name="feed"),
    path("calendars/team/<str:token>.ics", feeds.team_feed, name="team_feed"),
    path("teams/<slug:slug>/calendars/", pages.team_channels, name="team_channels"),
    path("teams/<slug:slug>/calendars/regenerate/", pages.team_regenerate, name="team_regenerate"),
    path("c/<str:token>/", links.cant_make_it, name="link"),
    path("c/<str:token>/done/", links.cant_make_it_done, name="link_done"),
]
