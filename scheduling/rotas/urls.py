from django.urls import path

from scheduling.rotas.views import periods, published, seats, settings, several, shifts

app_name = "rotas"
urlpatterns = [
    path("rota/recommend/", several.recommend_several, name="recommend_several"),
    path("teams/<slug:slug>/rota/", periods.periods, name="periods"),
    path("teams/<slug:slug>/rota/settings/", settings.rota_settings, name="settings"),
    path("teams/<slug:slug>/rota/templates/new/", settings.template_edit, name="template_new"),
    path(
        "teams/<slug:slug>/rota/templates/<id:template_id>/",
        settings.template_edit,
        name="template_edit",
    ),
    path("teams/<slug:slug>/rota/<id:pk>/", periods.period, name="period"),
    path("teams/<slug:slug>/rota/<id:pk>/timeline/", published.timeline, name="timeline"),
    path("teams/<slug:slug>/rota/<id:pk>/collect/", periods.open_collecting, name="collect"),
    path("teams/<slug:slug>/rota/<id:pk>/recommend/", periods.recommend, name="recommend"),
    path("teams/<slug:slug>/rota/<id:pk>/status/", periods.recommendation_status, name="status"),
    path("teams/<slug:slug>/rota/<id:pk>/accept/", periods.accept, name="accept"),
    path("teams/<slug:slug>/rota/<id:pk>/publish/", periods.publish, name="publish"),
    path(
        "teams/<slug:slug>/rota/<id:pk>/seats/<id:seat_id>/panel/", seats.panel, name="seat_panel"
    ),
    path("teams/<slug:slug>/rota/<id:pk>/seats/<id:seat_id>/assign/", seats.assign, name="assign"),
    path("teams/<slug:slug>/rota/<id:pk>/seats/<id:seat_id>/clear/", seats.clear, name="clear"),
    path("teams/<slug:slug>/rota/<id:pk>/seats/<id:seat_id>/lock/", seats.lock, name="lock"),
    path("shifts/<id:pk>/", shifts.shift, name="shift"),
]
