"""Settings a public deploy needs (ascn_portal/settings.py): production checks,
strict settings helpers, security headers and the Content Security Policy, HSTS
and the site domain."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth.models import User

ROOT = settings.BASE_DIR


def run_manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION_ENV = {
    "PRODUCTION": "true",
    "SECRET_KEY": "a-long-random-production-secret-for-the-check-0123456789abcdef",
    "ALLOWED_HOSTS": "ascn.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://ascn.example.org",
}


def test_check_deploy_passes_with_production_settings():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_fails_with_local_defaults():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env={})
    assert result.returncode != 0


def test_production_without_secret_key_refuses_to_start():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_bad_boolean_setting_refuses_to_start():
    result = run_manage("check", env={"DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


@pytest.mark.parametrize("path", ["/", "/cities/", "/cities/nope/", "/api/v1/cities/"])
def test_security_headers_on_every_response(client, real_data, path):
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "geolocation=()" in response["Permissions-Policy"]


def test_pages_have_no_inline_scripts(client, real_data):
    for path in [
        "/",
        "/cities/",
        "/cities/jakarta/",
        "/compare/?city=jakarta&city=bangkok",
        "/api/v1/docs/",
    ]:
        content = client.get(path).content.decode()
        for chunk in content.split("<script")[1:]:
            tag = chunk.split(">", 1)[0]
            assert "src=" in tag, f"inline script on {path}"


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
