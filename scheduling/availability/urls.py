from django.urls import path

from scheduling.availability.views import calendars, month, team

app_name = "availability"
urlpatterns = [
    path("availability/", month.month, name="month"),
    path("availability/mark/", month.mark, name="mark"),
    path("availability/ranges/", month.add_range, name="add_range"),
    path("availability/ranges/<id:entry_id>/delete/", month.delete_range, name="delete_range"),
    path("availability/busy/<id:block_id>/override/", month.override_block, name="override_block"),
    path("availability/confirm/", month.confirm, name="confirm"),
    path("availability/calendars/", calendars.connections, name="connections"),
    path("availability/calendars/ics/", calendars.add_ics, name="add_ics"),
    path("availability/calendars/caldav/", calendars.add_caldav, name="add_caldav"),
    path(
        "availability/calendars/<id:connection_id>/calendar/",
        calendars.pick_calendar,
        name="pick_calendar",
    ),
    path(
        "availability/calendars/<id:connection_id>/sync/",
        calendars.sync_now,
        name="sync_now",
    ),
    path(
        "availability/calendars/<id:connection_id>/remove/",
        calendars.remove,
        name="remove_connection",
    ),
    path("teams/<slug:slug>/availability/", team.team, name="team"),
    path("teams/<slug:slug>/availability/settings/", team.team_settings, name="team_settings"),
    path("teams/<slug:slug>/availability/deadline/", team.set_deadline, name="team_deadline"),
]
