from django.urls import path

from scheduling.rotas.views import periods, published, seats, settings, shifts

app_name = "rotas"
urlpatterns = [
    path("teams/<slug:slug>/rota/", periods.periods, name="periods"),
    path("teams/<slug:slug>/rota/settings/", settings.rota_settings, name="settings"),
    path("teams/<slug:slug>/rota/templates/new/", settings.template_edit, name="template_new"),
    path(
        "teams/<slug:slug>/rota/templates/<int:template_id>/",
        settings.template_edit,
        name="template_edit",
    ),
    path("teams/<slug:slug>/rota/<int:pk>/", periods.period, name="period"),
    path("teams/<slug:slug>/rota/<int:pk>/timeline/", published.timeline, name="timeline"),
    path("teams/<slug:slug>/rota/<int:pk>/collect/", periods.open_collecting, name="collect"),
    path("teams/<slug:slug>/rota/<int:pk>/recommend/", periods.recommend, name="recommend"),
    path("teams/<slug:slug>/rota/<int:pk>/status/", periods.recommendation_status, name="status"),
    path("teams/<slug:slug>/rota/<int:pk>/accept/", periods.accept, name="accept"),
    path("teams/<slug:slug>/rota/<int:pk>/publish/", periods.publish, name="publish"),
    path(
        "teams/<slug:slug>/rota/<int:pk>/seats/<int:seat_id>/assign/", seats.assign, name="assign"
    ),
    path("teams/<slug:slug>/rota/<int:pk>/seats/<int:seat_id>/clear/", seats.clear, name="clear"),
    path("teams/<slug:slug>/rota/<int:pk>/seats/<int:seat_id>/lock/", seats.lock, name="lock"),
    path("shifts/<int:pk>/", shifts.shift, name="shift"),
]
