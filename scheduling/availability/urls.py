from django.urls import path

from scheduling.availability import views, views_calendars, views_team

app_name = "availability"
urlpatterns = [
    path("availability/", views.month, name="month"),
    path("availability/mark/", views.mark, name="mark"),
    path("availability/ranges/", views.add_range, name="add_range"),
    path("availability/ranges/<id:entry_id>/delete/", views.delete_range, name="delete_range"),
    path("availability/busy/<id:block_id>/override/", views.override_block, name="override_block"),
    path("availability/confirm/", views.confirm, name="confirm"),
    path("availability/calendars/", views_calendars.connections, name="connections"),
    path("availability/calendars/ics/", views_calendars.add_ics, name="add_ics"),
    path("availability/calendars/caldav/", views_calendars.add_caldav, name="add_caldav"),
    path(
        "availability/calendars/<id:connection_id>/calendar/",
        views_calendars.pick_calendar,
        name="pick_calendar",
    ),
    path(
        "availability/calendars/<id:connection_id>/sync/",
        views_calendars.sync_now,
        name="sync_now",
    ),
    path(
        "availability/calendars/<id:connection_id>/remove/",
        views_calendars.remove,
        name="remove_connection",
    ),
    path("teams/<slug:slug>/availability/", views_team.team, name="team"),
    path(
        "teams/<slug:slug>/availability/settings/", views_team.team_settings, name="team_settings"
    ),
    path("teams/<slug:slug>/availability/deadline/", views_team.set_deadline, name="team_deadline"),
]
