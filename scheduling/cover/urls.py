from django.urls import path

from scheduling.cover.views import links, requests

app_name = "cover"
urlpatterns = [
    # Signed links live under /c/ (exempt from the MFA redirect, like every emailed link).
    path("c/cover/swap/<str:token>/", links.swap_link, name="swap_link"),
    path("c/cover/<str:token>/", links.ask_link, name="link"),
    path("cover/ask/", requests.ask_for_seats, name="ask_for_seats"),
    path("teams/<slug:slug>/cover/", requests.team_requests, name="team"),
    path("teams/<slug:slug>/cover/settings/", requests.cover_settings, name="settings"),
    path("teams/<slug:slug>/cover/<id:pk>/", requests.request_detail, name="request"),
    path("teams/<slug:slug>/cover/<id:pk>/withdraw/", requests.withdraw, name="withdraw"),
    path("teams/<slug:slug>/cover/<id:pk>/undo/", requests.undo, name="undo"),
    path("teams/<slug:slug>/cover/<id:pk>/assign/", requests.assign, name="assign"),
    path("teams/<slug:slug>/cover/<id:pk>/take/", requests.take, name="take"),
    path(
        "teams/<slug:slug>/seats/<id:seat_id>/cant-make-it/",
        requests.cant_make_it,
        name="cant_make_it",
    ),
    path("teams/<slug:slug>/seats/<id:seat_id>/swap/", links.offer_swap, name="offer_swap"),
    path("teams/<slug:slug>/swaps/<id:pk>/withdraw/", links.withdraw_swap, name="withdraw_swap"),
]
