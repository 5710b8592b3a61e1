"""Headers on static files (ascn_portal/static_headers.py)."""

import pytest


@pytest.mark.parametrize("path", ["/static/css/portal.css", "/static/js/portal.js"])
def test_static_files_carry_nosniff_and_a_policy(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response["Content-Security-Policy"]
