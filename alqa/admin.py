"""Django admin for reference data, for installation administrators only."""

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from alqa.models import (
    AuditEvent,
    Body,
    BodyPolicy,
    CalendarException,
    Guest,
    Member,
    OutboxMessage,
    Protocol,
    RevocationList,
    TrustedRoot,
    Unit,
    User,
)

if TYPE_CHECKING:  # the mixin's super() is a ModelAdmin
    _AdminBase = admin.ModelAdmin[Any]
else:
    _AdminBase = object


class SuperuserOnly(_AdminBase):
    """Admin pages for installation administrators; every save and delete goes into the audit trail."""

    def save_model(self, request, obj, form, change):
        from django.db import transaction

        from alqa.domain.audit import record_event

        with transaction.atomic():
            super().save_model(request, obj, form, change)
            record_event(
                obj,
                "admin.changed" if change else "admin.added",
                actor=request.user,
                body=_body_of(obj),
                data={"fields": sorted(form.changed_data)},
            )

    def delete_model(self, request, obj):
        from django.db import transaction

        from alqa.domain.audit import record_event

        with transaction.atomic():
            record_event(obj, "admin.deleted", actor=request.user, body=_body_of(obj))
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        """The list's "delete selected" action: one audited deletion per row, all or none."""
        from django.db import transaction

        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


class KeptByTheRegister(_AdminBase):
    """Records whose rules live in the domain (one chair per body, terms that do not overlap, sides,
    the policy's bounds): the admin shows them, and changes go through the body's register pages
    or the API, which keep those rules. An edit here would save past them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _body_of(obj):
    if isinstance(obj, Body):
        return obj
    return getattr(obj, "body", None)


class UserAdminForm(UserChangeForm):
    """The admin's user form: the ИИН passes the same check as on the profile page."""

    def clean_iin(self):
        from alqa.domain.case_guard import is_iin

        value = "".join((self.cleaned_data.get("iin") or "").split())
        if value and not is_iin(value):
            raise ValidationError(
                _("This is not a valid IIN: 12 digits, beginning with the date of birth, with a check digit.")
            )
        return value


@admin.register(User)
class UserAdmin(SuperuserOnly, BaseUserAdmin):
    form = UserAdminForm
    ordering = ["email"]
    list_display = ["email", "full_name", "language", "is_staff", "is_superuser", "is_active"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "language", "iin")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    filter_horizontal = ()
    list_filter = ["is_staff", "is_superuser", "is_active"]


@admin.register(Body)
class BodyAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ["name_ru", "name_kk", "city"]

    def save_model(self, request, obj, form, change):
        """A body added here gets its policy with the regulation's defaults, as `create_body` gives
        one, in the transaction of the audited save."""
        from django.db import transaction

        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if not change:
                BodyPolicy.objects.create(body=obj)


@admin.register(BodyPolicy)
class BodyPolicyAdmin(KeptByTheRegister, SuperuserOnly, admin.ModelAdmin):
    list_display = ["body", "meeting_interval_months", "quorum_rule", "protocol_signing_days"]


@admin.register(Unit)
class UnitAdmin(KeptByTheRegister, SuperuserOnly, admin.ModelAdmin):
    list_display = ["name_ru", "body", "side", "kind", "is_operational_criminal_police"]
    list_filter = ["body", "side", "kind"]


@admin.register(Member)
class MemberAdmin(KeptByTheRegister, SuperuserOnly, admin.ModelAdmin):
    list_display = ["full_name", "body", "side", "role", "active_from", "active_to"]
    list_filter = ["body", "side", "role"]
    search_fields = ["full_name", "email"]


@admin.register(Guest)
class GuestAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ["full_name", "body", "kind", "organisation"]


@admin.register(CalendarException)
class CalendarExceptionAdmin(SuperuserOnly, admin.ModelAdmin):
    """Exceptions are added at /workdays/calendar/new/ or through the API and removed here, always
    through the domain, so that every open deadline the change moves is moved with it."""

    list_display = ["date", "kind", "name_ru", "legal_act"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        from alqa.domain.workdays_calendar import remove_calendar_exception

        remove_calendar_exception(obj, actor=request.user)


@admin.register(AuditEvent)
class AuditEventAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ["at", "action", "body", "actor_label", "object_label"]
    list_filter = ["action", "body"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboxMessage)
class OutboxAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ["created_at", "to", "subject", "status", "attempts"]
    list_filter = ["status"]


@admin.register(TrustedRoot)
class TrustedRootAdmin(SuperuserOnly, admin.ModelAdmin):
    """Roots are installed at /admin-tools/esign-roots/ (the certificate is checked there) and
    deactivated, never deleted, through the domain, so that each change is audited."""

    list_display = ["name", "body", "fingerprint_sha256", "not_after", "added_by", "added_at", "active"]
    list_filter = ["active", "body"]
    readonly_fields = [
        "name",
        "body",
        "pem",
        "fingerprint_sha256",
        "subject",
        "not_after",
        "added_by",
        "added_at",
        "active",
    ]
    actions = ["deactivate"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Deactivate the selected certificates"))
    def deactivate(self, request, queryset):
        from alqa.domain.trusted_roots import deactivate_trusted_root

        for root in queryset:
            deactivate_trusted_root(root, actor=request.user)


@admin.register(RevocationList)
class RevocationListAdmin(SuperuserOnly, admin.ModelAdmin):
    """Lists are uploaded at /admin-tools/esign-roots/ (read and audited there) and kept."""

    list_display = ["issuer", "this_update", "next_update", "revoked_count", "added_by", "added_at"]
    exclude = ["der"]
    readonly_fields = [
        "issuer",
        "fingerprint_sha256",
        "this_update",
        "next_update",
        "revoked_count",
        "added_by",
        "added_at",
    ]


@admin.register(Protocol)
class ProtocolAdmin(SuperuserOnly, admin.ModelAdmin):
    """Read only: protocols change through their pages (audited, signed, kept). No delete at all,
    bulk action included: a signed protocol is kept for its term and then destroyed with an act
    (alqa.domain.protocols.destroy_protocol)."""

    list_display = ["__str__", "body", "status", "sign_due", "signed_on", "retain_until"]
    list_filter = ["status", "body"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
