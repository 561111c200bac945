from django.urls import path

from scheduling.requirements import views

app_name = "requirements"
urlpatterns = [
    path("teams/<slug:slug>/requirements/", views.team, name="team"),
    path("teams/<slug:slug>/requirements/new/", views.requirement_form, name="create"),
    path(
        "teams/<slug:slug>/requirements/<id:requirement_id>/edit/",
        views.requirement_form,
        name="edit",
    ),
    path(
        "teams/<slug:slug>/requirements/<id:requirement_id>/new-version/",
        views.new_version,
        name="new_version",
    ),
    path(
        "teams/<slug:slug>/requirements/<id:requirement_id>/archive/",
        views.archive,
        name="archive",
    ),
    path("teams/<slug:slug>/requirements/<id:requirement_id>/attest/", views.attest, name="attest"),
    path(
        "teams/<slug:slug>/requirements/<id:requirement_id>/request/",
        views.request_approval,
        name="request",
    ),
    path(
        "teams/<slug:slug>/requirements/<id:requirement_id>/evidence/",
        views.submit_evidence,
        name="evidence",
    ),
    path(
        "teams/<slug:slug>/requirements/<id:requirement_id>/remind/<id:user_id>/",
        views.remind,
        name="remind",
    ),
    path(
        "teams/<slug:slug>/requirements/requests/<id:completion_id>/decide/",
        views.decide,
        name="decide",
    ),
    path(
        "teams/<slug:slug>/requirements/requests/<id:completion_id>/file/",
        views.evidence_file,
        name="file",
    ),
]
