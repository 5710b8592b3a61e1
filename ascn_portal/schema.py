"""What the OpenAPI schema says beyond what drf-spectacular infers: the error
answers every read can give, and the values the year facets accept."""

from drf_spectacular.openapi import AutoSchema

DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
PARAMETER_ERRORS = {
    "type": "object",
    "description": "Each unknown or invalid parameter, with what is wrong with it.",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}


def json_response(description, schema):
    return {
        "description": description,
        "content": {"application/json": {"schema": schema}},
    }


class PortalAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if self.method != "GET":
            return responses
        responses.setdefault(
            "400",
            json_response(
                "An unknown parameter, or a value it does not accept.",
                PARAMETER_ERRORS,
            ),
        )
        responses.setdefault(
            "404", json_response("No such record, or no such page.", DETAIL)
        )
        responses.setdefault(
            "406", json_response("The Accept header allows no JSON.", DETAIL)
        )
        return responses


def year_enums(result, generator, request, public):
    """`cohort` and `year` take the years the data holds (as of the request);
    `sort` may be empty (the default order, as the list page's form sends)."""
    from cities.models import City, Initiative

    try:
        years = {
            "cohort": set(City.objects.values_list("cohort_year", flat=True)),
            "year": set(
                Initiative.objects.exclude(year=None).values_list("year", flat=True)
            ),
        }
    except Exception:  # no database (a schema written at build time): no enums
        return result
    for item in result.get("paths", {}).values():
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                items = parameter.get("schema", {}).get("items", {})
                if parameter["name"] == "sort" and "" not in items.get("enum", [""]):
                    items["enum"].append("")  # the list page's "default order"
                if parameter.get("in") != "query" or parameter["name"] not in years:
                    continue
                values = sorted(years[parameter["name"]])
                if not values:
                    continue
                schema = parameter["schema"]
                target = schema["items"] if schema.get("type") == "array" else schema
                target.update(type="integer", enum=values)
    return result
