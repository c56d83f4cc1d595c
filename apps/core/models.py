from django.conf import settings
from django.db import models


class FormDraft(models.Model):
    """What a person typed into a long form, kept on the server (see ``apps.core.drafts``).

    Keyed by person, form and the object the form is about (a case, a
    conference item, a team): not by session, so it survives an expired
    session and is there again after the next login.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="form_drafts"
    )
    form_key = models.CharField(max_length=60)
    object_id = models.BigIntegerField()
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "Entwurf"
        verbose_name_plural = "Entwürfe"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "form_key", "object_id"], name="one_form_draft_per_object"
            )
        ]

    def __str__(self) -> str:
        return f"Entwurf {self.form_key}"


class SubmissionKey(models.Model):
    """A create form's one-time key, spent by its first POST (see ``apps.core.submissions``)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.UUIDField()
    # What the first POST created: "app_label.model" and its primary key.
    model = models.CharField(max_length=100, blank=True)
    object_pk = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Formular-Schlüssel"
        verbose_name_plural = "Formular-Schlüssel"
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="submission_key_once_per_user")
        ]

    def __str__(self) -> str:
        return str(self.key)
