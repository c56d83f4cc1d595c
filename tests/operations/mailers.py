import smtplib

from django.core.mail.backends.base import BaseEmailBackend


class RelayDown(BaseEmailBackend):
    """The mail relay refuses, naming the recipient the way real SMTP errors do."""

    def send_messages(self, email_messages):
        recipients = ", ".join(address for message in email_messages for address in message.to)
        raise smtplib.SMTPServerDisconnected(f"Relay nicht erreichbar für {recipients}")
