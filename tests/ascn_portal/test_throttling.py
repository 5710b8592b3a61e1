"""Admin sign-in throttling (ascn_portal/throttling.py): hostile input is refused,
not a server error."""


def test_admin_sign_in_with_an_overlong_username_is_refused_not_a_500(client, db):
    response = client.post(
        "/admin/login/", {"username": "u" * 1000, "password": "wrong"}
    )
    assert response.status_code == 200
    assert "Please enter the correct username" in response.content.decode() or (
        "Ensure this value has at most" in response.content.decode()
    )
