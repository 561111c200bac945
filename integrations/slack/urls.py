from django.urls import path

from integrations.slack import views

app_name = "slack"
urlpatterns = [
    path("commands", views.commands, name="commands"),
    path("interactions", views.interactions, name="interactions"),
    path("oauth/callback", views.oauth_callback, name="oauth_callback"),
    path("teams/<slug:slug>/", views.team, name="team"),
    path("teams/<slug:slug>/connect", views.connect, name="connect"),
    path("teams/<slug:slug>/test", views.send_test, name="test"),
    path("teams/<slug:slug>/disconnect", views.disconnect, name="disconnect"),
    path("teams/<slug:slug>/calls/<id:pk>/retry", views.retry, name="retry"),
]
