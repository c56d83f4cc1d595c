from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest

from apps.accounts.models import RoleAssignment, User

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


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [RoleAssignmentInline]
    list_display = ["username", "first_name", "last_name", "is_active", "is_demo"]
    list_filter = ["is_active", "is_demo", "role_assignments__role"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += SUPERUSER_ONLY_FIELDS
        return fields
