"""Words for requests and cases in list rows: the short status and whose move."""

from django import template

from apps.referrals.workflow import short_label, short_party

register = template.Library()


@register.filter
def short_status(status: str) -> str:
    return short_label(status)


@register.filter
def whose_move_short(party: str) -> str:
    return short_party(party)
