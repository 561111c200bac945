def test_dashboard_lists_my_team(engineer_client, team):
    response = engineer_client.get("/")
    assert response.status_code == 200
    assert team.name in response.content.decode()
