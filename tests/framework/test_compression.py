"""Pages are sent compressed to clients that accept gzip."""

import gzip


def test_pages_are_gzipped_when_the_client_accepts_it(client, real_data):
    plain = client.get("/cities/")
    packed = client.get("/cities/", headers={"accept-encoding": "gzip"})
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert gzip.decompress(packed.content) == plain.content
    assert len(packed.content) < len(plain.content) / 3


def test_exports_are_gzipped_too(client, real_data):
    packed = client.get("/initiatives/export.csv", headers={"accept-encoding": "gzip"})
    assert packed["Content-Encoding"] == "gzip"
    body = b"".join(packed.streaming_content) if packed.streaming else packed.content
    assert gzip.decompress(body).startswith(b"slug,") or b"," in gzip.decompress(body)
