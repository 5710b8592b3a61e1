"""The admin's control for a record's `unverified` list: one checkbox per field.

The list holds the names of fields no source confirms; the pages mark those values
as unverified. Typed as JSON, a misspelt name would mark nothing and nobody would
notice, so editors tick fields by their label instead.
"""

from django import forms
from django.db import models
from django.utils.text import capfirst

# Fields that are never a sourced fact.
NOT_FACTS = {"id", "slug", "unverified", "notes", "sources"}


def field_choices(model):
    """(name, label) of the model's own fields that can be unverified."""
    fields = model._meta.fields + model._meta.many_to_many
    return [
        (field.name, capfirst(field.verbose_name))
        for field in fields
        if field.name not in NOT_FACTS and not field.name.endswith("_sources")
    ]


class UnverifiedChecklistMixin:
    """For ModelAdmins of models with an `unverified` JSON list."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "unverified" and isinstance(db_field, models.JSONField):
            return forms.MultipleChoiceField(
                choices=field_choices(self.model),
                required=False,
                widget=forms.CheckboxSelectMultiple,
                label="Not confirmed by a source",
                help_text="Tick each value no source confirms: the pages mark it "
                "as unverified.",
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        field = form.base_fields.get("unverified")
        if obj is not None and isinstance(field, forms.MultipleChoiceField):
            # A name recorded earlier that is not a field any more stays visible
            # (and can be unticked) rather than blocking the save.
            known = {name for name, _ in field.choices}
            extra = [name for name in obj.unverified or [] if name not in known]
            field.choices = [*field.choices, *((name, name) for name in extra)]
        return form
