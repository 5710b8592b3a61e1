"""What framework/apps.py does after every migrate: the Site record names the
public host."""

from django.contrib.auth.models import User
from django.contrib.sites.models import Site
from django.core.management import call_command


def test_migrate_sets_the_site_domain_for_view_on_site(client, db, settings):
    settings.SITE_DOMAIN = "ascn.example.org"
    call_command("migrate", verbosity=0)
    assert Site.objects.get_current().domain == "ascn.example.org"

    from tests.conftest import make_city

    city = make_city(slug="viewed")
    client.force_login(User.objects.create_superuser("root", "r@example.org", "pw"))
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(city)
    response = client.get(f"/admin/r/{content_type.pk}/{city.pk}/")
    assert response["Location"] == "http://ascn.example.org/cities/viewed/"
