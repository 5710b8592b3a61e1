"""The API's URLs (ascn_portal/api_urls.py)."""


def test_api_docs_answer_options_with_405(client, db):
    for path in ("/api/v1/docs/", "/api/v1/docs/explorer/"):
        assert client.options(path).status_code == 405
        assert client.get(path).status_code == 200
