"""Records still in use cannot be deleted.

Foreign keys use on_delete=PROTECT. Many-to-many links would otherwise vanish
silently with the record (deleting a goal would strip it from every city), so the
records below refuse deletion while anything links to them: a pre_delete signal
for code, and the admin's delete confirmation for editors.
"""

from django.db.models import ProtectedError
from django.db.models.signals import pre_delete

# model label -> reverse many-to-many accessors that must be empty before deletion
PROTECTED_LINKS = {
    "framework.Goal": ("cities", "initiatives", "challenges"),
    "framework.Challenge": ("cities", "initiatives"),
    "framework.Source": (
        "cities",
        "membership_of",
        "initiatives",
        "goals",
        "challenges",
        "partners",
        "member_states",
        "outcomes",
        "framework_parts",
        "milestones",
        "network_figures",
    ),
    "cities.Partner": ("initiatives",),
}


def records_using(obj, limit=20):
    """Records that link to obj through a protected link (at most `limit`)."""
    using = []
    for accessor in PROTECTED_LINKS.get(obj._meta.label, ()):
        using.extend(getattr(obj, accessor).all()[: limit - len(using)])
        if len(using) >= limit:
            break
    return using


def refuse_delete_in_use(sender, instance, **kwargs):
    using = records_using(instance)
    if using:
        names = ", ".join(str(record) for record in using[:5])
        raise ProtectedError(
            f"Cannot delete {instance._meta.verbose_name} “{instance}”: "
            f"it is still used by {names}"
            + (" and others" if len(using) > 5 else "")
            + ". Remove those links first.",
            set(using),
        )


def connect_protection(app_config):
    for label in PROTECTED_LINKS:
        app_label, model_name = label.split(".")
        if app_label == app_config.label:
            pre_delete.connect(
                refuse_delete_in_use,
                sender=app_config.get_model(model_name),
                dispatch_uid=f"protect-{label}",
            )


class ProtectInUseAdminMixin:
    """Shows records still in use as 'protected' on the delete confirmation."""

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(
            objs, request
        )
        protected = list(protected)
        for obj in objs:
            for record in records_using(obj):
                protected.append(
                    f"{record._meta.verbose_name.capitalize()}: {record} "
                    f"(uses {obj._meta.verbose_name} “{obj}”)"
                )
        return deleted, model_count, perms_needed, protected
