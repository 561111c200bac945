from django.urls import path

from accounts import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("profile/", views.profile, name="profile"),
    path("invite/<str:token>/", views.invitation, name="invitation"),
    path("teams/", views.team_list, name="team_list"),
    path("teams/<slug:slug>/", views.team_detail, name="team_detail"),
    path("teams/<slug:slug>/settings/", views.team_settings, name="team_settings"),
    path("teams/<slug:slug>/invite/", views.invite, name="team_invite"),
    path(
        "teams/<slug:slug>/invitations/<id:invitation_id>/revoke/",
        views.revoke_invitation,
        name="team_revoke_invitation",
    ),
    path(
        "teams/<slug:slug>/members/<id:member_id>/role/",
        views.change_role,
        name="team_change_role",
    ),
    path(
        "teams/<slug:slug>/members/<id:member_id>/remove/",
        views.remove_member,
        name="team_remove_member",
    ),
]
