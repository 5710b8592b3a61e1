"""Settings a public deploy needs (ascn_portal/settings.py): the Content Security
Policy, HSTS and the site domain."""

import subprocess
import sys

import pytest
from django.contrib.auth.models import User

from tests.test_production import PRODUCTION_ENV, ROOT


def style_src(response):
    csp = response["Content-Security-Policy"]
    return next(part for part in csp.split(";") if "style-src" in part)


@pytest.mark.parametrize(
    "path", ["/", "/cities/", "/cities/jakarta/", "/search/?q=x", "/nope/"]
)
def test_public_pages_allow_no_inline_styles(client, real_data, path):
    assert "unsafe-inline" not in style_src(client.get(path))


def test_public_pages_have_no_style_attributes_or_elements(client, real_data):
    for path in [
        "/",
        "/cities/",
        "/cities/jakarta/",
        "/compare/?city=jakarta&city=bangkok",
        "/initiatives/",
        "/goals/civic-and-social/",
        "/member-states/thailand/",
    ]:
        content = client.get(path).content.decode()
        assert " style=" not in content, path
        assert "<style" not in content, path


def test_admin_and_docs_relax_style_src_for_themselves(client, db):
    client.force_login(User.objects.create_superuser("root", "r@example.org", "pw"))
    assert "'unsafe-inline'" in style_src(client.get("/admin/"))
    assert "'unsafe-inline'" in style_src(client.get("/admin/cities/city/"))
    assert "'unsafe-inline'" in style_src(client.get("/api/v1/docs/explorer/"))
    assert "unsafe-inline" not in style_src(client.get("/api/v1/docs/"))
    assert "unsafe-inline" not in style_src(client.get("/api/v1/cities/"))


def settings_value(name, env):
    code = (
        "import django; django.setup(); from django.conf import settings; "
        f"print(settings.{name})"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **env,
            "DJANGO_SETTINGS_MODULE": "ascn_portal.settings",
            "PATH": "/usr/bin:/bin",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_hsts_preload_and_subdomains_only_when_asked_for():
    assert settings_value("SECURE_HSTS_SECONDS", PRODUCTION_ENV) == "31536000"
    assert settings_value("SECURE_HSTS_PRELOAD", PRODUCTION_ENV) == "False"
    assert settings_value("SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION_ENV) == "False"
    opted_in = {
        **PRODUCTION_ENV,
        "SECURE_HSTS_PRELOAD": "true",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    }
    assert settings_value("SECURE_HSTS_PRELOAD", opted_in) == "True"
    assert settings_value("SECURE_HSTS_INCLUDE_SUBDOMAINS", opted_in) == "True"


def test_site_domain_comes_from_the_environment():
    assert settings_value("SITE_DOMAIN", PRODUCTION_ENV) == "ascn.example.org"
    env = {**PRODUCTION_ENV, "SITE_DOMAIN": "portal.example.net"}
    assert settings_value("SITE_DOMAIN", env) == "portal.example.net"
