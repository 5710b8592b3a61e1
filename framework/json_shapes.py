"""The shapes the records' JSON fields must have.

Editors type these fields as JSON in the admin, and the fixtures carry them. A
value of another shape (a number where a list belongs, `null`, a dict of the
wrong kind) used to be saved, and then every page showing the record failed with
a 500. The models' `clean()` calls `check()`, so the admin answers with a message
on the field and the loader names the record, and nothing is saved. (`clean()`
runs whatever the form: Django skips a field's own validators when the form
holds an empty value for it, and `null` is one.)
"""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

# The years any record may carry (framework.models imports them from here).
YEAR_MIN, YEAR_MAX = 1900, 2100
web_address = URLValidator(schemes=["http", "https"])


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def text_list(value):
    if not isinstance(value, list) or not all(
        isinstance(item, str) and item.strip() for item in value
    ):
        raise ValidationError(
            'Enter a list of texts in double quotes, e.g. ["first", "second"], '
            "or [] for none."
        )


def year_list(value):
    if not isinstance(value, list) or not all(
        isinstance(item, int)
        and not isinstance(item, bool)
        and YEAR_MIN <= item <= YEAR_MAX
        for item in value
    ):
        raise ValidationError(
            f"Enter a list of years from {YEAR_MIN} to {YEAR_MAX}, e.g. "
            "[2023, 2024], or [] for none."
        )


def addresses_by_challenge(value, *, challenge_slugs):
    """{"challenge-slug": ["https://...", ...]}: each key a challenge, each
    address a web address."""
    example = 'e.g. {"congestion": ["https://example.org/report"]}, or {} for none'
    if not isinstance(value, dict):
        raise ValidationError(f"Enter addresses by challenge, {example}.")
    unknown = sorted(key for key in value if key not in challenge_slugs)
    if unknown:
        raise ValidationError(
            "No challenge has the slug "
            + ", ".join(f'"{key}"' for key in unknown)
            + "; use a challenge's slug as the key."
        )
    for key, addresses in value.items():
        if not isinstance(addresses, list) or not addresses:
            raise ValidationError(
                f'"{key}": enter a list of one or more addresses, {example}.'
            )
        for address in addresses:
            try:
                if not isinstance(address, str):
                    raise ValidationError("not text")
                web_address(address)
            except ValidationError:
                raise ValidationError(
                    f'"{key}": {address!r} is not a web address (http or https).'
                ) from None


def figure_values(value):
    """A network figure's values: {"2024": 108, ...} (numbers or texts), or one
    level deeper, {"2024": {"civic-and-social": 29, ...}, ...}."""
    message = (
        'Enter values by key, e.g. {"2024": 108, "2025": 134}, or by key and then '
        'by goal, e.g. {"2024": {"civic-and-social": 29}}.'
    )

    def scalar(item):
        return is_number(item) or (isinstance(item, str) and item.strip())

    if not isinstance(value, dict) or not value:
        raise ValidationError(message)
    inner = list(value.values())
    flat = all(scalar(item) for item in inner)
    nested = all(
        isinstance(item, dict) and item and all(scalar(v) for v in item.values())
        for item in inner
    )
    if not (flat or nested):
        raise ValidationError(message)


def check(instance, checks):
    """Run `checks` ({field name: check}) on the instance's values; raise one
    ValidationError naming every field that fails."""
    errors = {}
    for name, check_value in checks.items():
        try:
            check_value(getattr(instance, name))
        except ValidationError as error:
            errors[name] = error.messages
    if errors:
        raise ValidationError(errors)
