"""Editors' history (django-simple-history), with the records' links.

- Many-to-many links are versioned with the record (every link field of the
  model, unless `m2m_fields=` names some): removing a city's focus goal makes a
  history entry holding the goals it had, and reverting brings them back.
- A save that changes nothing (no field, no link) adds no history row.
- Text typed in the admin keeps the line endings it was stored with: browsers
  send a textarea's lines ending in CR LF, which would otherwise change every
  multi-line field at every save.
"""

import re

from django import forms
from django.db import DatabaseError, models, transaction
from django.http import HttpResponseBadRequest
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import HistoricalRecords


def link_target(field):
    """The attribute of a (historical) link row naming the linked record."""
    return field.m2m_reverse_field_name() + "_id"


class PortalHistoricalRecords(HistoricalRecords):
    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        if getattr(sender._meta, "simple_history_manager_attribute", None):
            sender._history_records = self  # for history_baseline()

    def get_m2m_fields_from_model(self, model):
        # Worked out per model, not kept: with inherit=True one instance serves
        # every model of an abstract base (framework.models.SluggedModel).
        if not self.m2m_fields:
            return list(model._meta.local_many_to_many)
        return super().get_m2m_fields_from_model(model)

    def m2m_changed(self, instance, action, attr, pk_set, reverse, **kwargs):
        # A record with no history yet was loaded raw (loaddata, the loader, a
        # restore), whose first version is made once it is whole: its links, set
        # one field after another while loading, add no row of their own.
        if not getattr(instance, self.manager_name).exists():
            return
        super().m2m_changed(instance, action, attr, pk_set, reverse, **kwargs)

    def create_historical_record(self, instance, history_type, using=None):
        if history_type == "~" and self.unchanged_since_last_record(instance):
            return
        super().create_historical_record(instance, history_type, using=using)

    def unchanged_since_last_record(self, instance):
        latest = getattr(instance, self.manager_name).first()
        if latest is None:
            return False
        for field in self.fields_included(instance):
            if getattr(latest, field.attname) != getattr(instance, field.attname):
                return False
        for field in latest._history_m2m_fields:
            then = {
                getattr(row, link_target(field))
                for row in getattr(latest, field.name).all()
            }
            now = set(getattr(instance, field.name).values_list("pk", flat=True))
            if then != now:
                return False
        return True


def history_baseline(instance, *, reason):
    """Record `instance` as it now is, links included, as a new history entry
    (after a restore, which loads records without history)."""
    instance._change_reason = reason
    type(instance)._history_records.create_historical_record(instance, "+")


def historical_links(record):
    """{link field name: [linked pks]} as `record` (a history row) holds them."""
    return {
        field.name: [
            getattr(row, link_target(field))
            for row in getattr(record, field.name).all()
        ]
        for field in record._history_m2m_fields
    }


class NormalisedTextField(forms.CharField):
    """A CharField whose lines end in LF, whatever the browser sent."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n")


class PortalHistoryAdmin(SimpleHistoryAdmin):
    def changelist_view(self, request, extra_context=None):
        """A list filtered by a lookup typed into the address that the database
        cannot run (`?unverified__contains=x`: SQLite has no JSON containment) is
        a 400 that says so, not a 500."""
        try:
            # A savepoint: on PostgreSQL a refused query spoils the transaction
            # it runs in, and the request may be inside one.
            with transaction.atomic():
                response = super().changelist_view(request, extra_context)
                if hasattr(response, "render"):
                    response.render()  # its queries run here, inside the try
            return response
        except DatabaseError as error:
            return HttpResponseBadRequest(
                "This list cannot be filtered by the address's parameters "
                f"({type(error).__name__}: {error}). Remove them and try again.\n",
                content_type="text/plain; charset=utf-8",
            )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.TextField) and not db_field.choices:
            kwargs.setdefault("form_class", NormalisedTextField)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def reverted_record(self, request, obj):
        """The history row whose revert page this request is, if it is one."""
        match = getattr(request, "resolver_match", None)
        if obj is None or obj.pk is None or match is None:
            return None
        if not (match.url_name or "").endswith("_simple_history"):
            return None
        # simple-history's URL passes (object_id, version_id) positionally.
        version_id = str(match.kwargs.get("version_id") or match.args[-1])
        if not re.fullmatch(r"[0-9]{1,18}", version_id):
            return None
        history = getattr(self.model, self.model._meta.simple_history_manager_attribute)
        original_pk = {self.model._meta.pk.attname: obj.pk}
        return history.filter(history_id=version_id, **original_pk).first()

    def get_form(self, request, obj=None, **kwargs):
        """On the revert page of a version, the form starts from that version's
        links (simple-history would show the current ones and keep them)."""
        form_class = super().get_form(request, obj, **kwargs)
        record = self.reverted_record(request, obj)
        if record is None:
            return form_class
        links = historical_links(record)

        class RevertForm(form_class):
            def __init__(self, *args, **form_kwargs):
                super().__init__(*args, **form_kwargs)
                for name, pks in links.items():
                    if name in self.fields:
                        self.initial[name] = pks

        return RevertForm

    def save_model(self, request, obj, form, change):
        """Reverting restores the version's links too: those in the form come
        from it (see get_form); those edited in inlines, which the revert page
        does not show, are set here. Linked records deleted since are left out."""
        super().save_model(request, obj, form, change)
        record = self.reverted_record(request, obj)
        if record is None:
            return
        for name, pks in historical_links(record).items():
            if name not in form.fields:
                related = obj._meta.get_field(name).related_model
                existing = related.objects.filter(pk__in=pks).values_list("pk")
                getattr(obj, name).set([pk for (pk,) in existing])
