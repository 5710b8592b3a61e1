"""The API's URLs (ascn_portal/api_urls.py)."""


def test_api_docs_answer_options_with_405(client, db):
    for path in ("/api/v1/docs/", "/api/v1/docs/explorer/"):
        assert client.options(path).status_code == 405
        assert client.get(path).status_code == 200


def test_any_other_api_address_is_a_json_404_even_with_a_newline(client, db):
    # schemathesis sent a slug holding a newline; "." in the catch-all did not
    # match it, and Django's HTML 404 answered instead of the API's JSON one.
    for path in ("/api/v1/nothing", "/api/v1/nothing%0A", "/api/v1/a%0Ab/c"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/json", path
        assert response.json() == {"detail": "Not found."}
