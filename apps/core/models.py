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
