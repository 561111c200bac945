import pytest

pytestmark = pytest.mark.django_db


def _profile(**overrides):
    data = {
        "display_name": "Eddie",
        "timezone": "America/New_York",
        "oncall_phone": "+1 (212) 555-0143",
        "notification_email": "",
    }
    data.update(overrides)
    return data


def test_profile_saves_and_normalises_phone(engineer_client, engineer):
    response = engineer_client.post("/profile/", _profile())
    assert response.status_code == 302
    engineer.refresh_from_db()
    assert engineer.oncall_phone == "+12125550143"
    assert engineer.timezone == "America/New_York"


def test_invalid_timezone_is_a_form_error(engineer_client, engineer):
    response = engineer_client.post("/profile/", _profile(timezone="Europe/Atlantis"))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    engineer.refresh_from_db()
    assert engineer.timezone == "Europe/London"


@pytest.mark.parametrize("phone", ["12345", "call me maybe", "+0 123 456 789"])
def test_invalid_phone_is_a_form_error(engineer_client, engineer, phone):
    before = engineer.oncall_phone
    response = engineer_client.post("/profile/", _profile(oncall_phone=phone))
    assert response.status_code == 200
    assert "international form" in response.content.decode()
    engineer.refresh_from_db()
    assert engineer.oncall_phone == before


def test_times_are_shown_in_the_viewers_zone(engineer_client, engineer):
    engineer.timezone = "Asia/Singapore"
    engineer.save()
    assert "Times are shown in Asia/Singapore" in engineer_client.get("/").content.decode()


def test_dashboard_warns_about_a_missing_oncall_phone(engineer_client, engineer):
    engineer.oncall_phone = ""
    engineer.save()
    assert "an on-call phone" in engineer_client.get("/").content.decode()
