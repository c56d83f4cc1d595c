from typing import Any, cast

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts import approvals
from apps.accounts.credentials import send_password_link
from apps.accounts.models import RoleAssignment, User
from apps.core import forms as core_forms

# Nobody in the admin manages another person's second factor (issue 9): the
# device pages would let an administrator add a TOTP device of their own for
# a caseworker and log in as them.
for device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(device_model):
        admin.site.unregister(device_model)

# Administrators are staff without superuser rights. Fields through which they
# could raise their own rights are left to a superuser.
SUPERUSER_ONLY_FIELDS = ("is_superuser", "groups", "user_permissions")


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["school"]

    def _is_own_account(self, request: HttpRequest, obj: Any) -> bool:
        # Separation of duties: an administrator must not give themself a role
        # that opens case files.
        return obj is not None and obj.pk == request.user.pk and not request.user.is_superuser

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self._is_own_account(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self._is_own_account(request, obj) and super().has_change_permission(
            request, obj
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self._is_own_account(request, obj) and super().has_delete_permission(
            request, obj
        )


class AccountCreationForm(core_forms.ModelForm):
    """A new account without a password: the person sets it through the e-mailed link."""

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields[
            "email"
        ].help_text = "Hierhin geht der Link, mit dem die Person ihr Passwort festlegt."

    def save(self, commit: bool = True) -> User:
        user: User = super().save(commit=False)
        user.set_unusable_password()
        if commit:
            user.save()
        return user


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Accounts and roles, never credentials: no password form, no password on 'add'."""

    inlines = [RoleAssignmentInline]
    add_form = AccountCreationForm
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "first_name", "last_name", "email")}),
    )
    fieldsets = tuple(
        (name, {**options, "fields": tuple(f for f in options["fields"] if f != "password")})
        for name, options in BaseUserAdmin.fieldsets or ()
    )
    actions = ["send_password_links", "request_second_factor_resets"]
    list_display = ["username", "first_name", "last_name", "is_active", "is_demo"]
    list_filter = ["is_active", "is_demo", "role_assignments__role"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += SUPERUSER_ONLY_FIELDS
        return fields

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        raise PermissionDenied("Passwörter setzt nur die Person selbst (Link per E-Mail).")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if not change and obj.email:
            transaction.on_commit(lambda: send_password_link(obj, new_account=True))

    @admin.action(description="Link zum Festlegen des Passworts per E-Mail senden")
    def send_password_links(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        sent = 0
        for user in queryset.filter(is_active=True).exclude(email=""):
            send_password_link(user, new_account=False)
            sent += 1
        self.message_user(request, f"{sent} Link(s) verschickt.", messages.SUCCESS)

    @admin.action(description="Zweiten Faktor zurücksetzen (Freigabe durch die Leitung)")
    def request_second_factor_resets(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        by = cast(User, request.user)
        asked = 0
        for user in queryset.exclude(pk=by.pk):
            approvals.request_second_factor_reset(subject=user, by=by)
            asked += 1
        self.message_user(
            request,
            f"{asked} Antrag/Anträge gestellt. Die Leitung des Familienamts entscheidet; "
            "die Personen sind per E-Mail informiert.",
            messages.SUCCESS,
        )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """A role that opens case content becomes a request to the Leitung, not a role.

        Removing a role and other roles take effect at once. What was held back
        is left out of the admin's change message, which would otherwise say
        the role was added.
        """
        if formset.model is not RoleAssignment:
            super().save_formset(request, form, formset, change)
            return
        by = cast(User, request.user)
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        changed = {id(obj): fields for obj, fields in formset.changed_objects}
        held: list[RoleAssignment] = []
        for obj in instances:
            opens_access = obj.pk is None or {"role", "team"} & set(changed.get(id(obj), ()))
            if opens_access and approvals.needs_approval(obj.role):
                approvals.request_role(
                    subject=form.instance,
                    role=obj.role,
                    team=obj.team,
                    employer=obj.employer,
                    by=by,
                )
                held.append(obj)
            else:
                obj.save()
        formset.save_m2m()
        if held:
            formset.new_objects = [o for o in formset.new_objects if o not in held]
            formset.changed_objects = [c for c in formset.changed_objects if c[0] not in held]
            names = ", ".join(str(obj) for obj in held)
            self.message_user(
                request,
                f"Wartet auf Freigabe durch die Leitung des Familienamts: {names}. "
                "Bis dahin hat die Person diesen Zugang nicht.",
                messages.WARNING,
            )
