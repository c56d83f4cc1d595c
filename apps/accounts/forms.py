"""The forms of signing in: user name and password, then the code of the second factor."""

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from apps.core import forms as core_forms


class LoginForm(AuthenticationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        username, password = self.fields["username"], self.fields["password"]
        username.label = "Benutzername"
        username.error_messages["required"] = "Bitte geben Sie Ihren Benutzernamen ein."
        username.widget.attrs.update({"autocapitalize": "none", "spellcheck": "false"})
        password.label = "Passwort"
        password.error_messages["required"] = "Bitte geben Sie Ihr Passwort ein."


class CodeForm(core_forms.Form):
    """A code from the authenticator app (or a recovery code); the view checks it."""

    code = forms.CharField(
        label="Code",
        max_length=64,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
        error_messages={"required": "Bitte geben Sie den Code ein."},
    )

    def __init__(self, *args: Any, label: str = "Code", autofocus: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["code"].label = label
        if autofocus:
            self.fields["code"].widget.attrs["autofocus"] = True

    def refuse(self, message: str) -> None:
        """Show why the code was not accepted, at the field."""
        self.is_valid()  # a bound form collects its errors before one is added
        self.add_error("code", message)
