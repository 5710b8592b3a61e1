"""Templates are compiled once per process: the settings leave Django's cached
loader on (the default when OPTIONS names no loaders), so no request reads or
parses a template file again."""

from django.template import engines
from django.template.loaders.cached import Loader as CachedLoader


def test_templates_come_through_the_cached_loader():
    engine = engines["django"].engine
    assert [type(loader) for loader in engine.template_loaders] == [CachedLoader]


def test_a_template_is_parsed_once():
    engine = engines["django"].engine
    first = engine.get_template("includes/initiative_rows.html")
    assert engine.get_template("includes/initiative_rows.html") is first
