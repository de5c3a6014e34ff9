
from django import template
from django.utils import formats
from django.utils.translation import get_language

from alqa.dates import human_date  # noqa: F401  (re-exported for templates' callers)

register = template.Library()


@register.filter
def in_language(name, language):
    """A DayName (or anything with .get(language)) in the reader's language."""
    return name.get(language) if hasattr(name, "get") else name


@register.filter
def long_date(value):
    """{{ day|long_date }}: see human_date. Empty for an empty value."""
    if not value:
        return ""
    return human_date(value)


# Django's Kazakh catalogue spells Friday «Жума»; Kazakh writes «Жұма». Until our own catalogue
# overrides it, Kazakh weekday names come from here.
_KK_WEEKDAYS = ("Дүйсенбі", "Сейсенбі", "Сәрсенбі", "Бейсенбі", "Жұма", "Сенбі", "Жексенбі")


@register.filter
def weekday(value):
    """{{ day|weekday }}: the name of the day of the week in the reader's language."""
    if not value:
        return ""
    if (get_language() or "").split("-")[0] == "kk":
        return _KK_WEEKDAYS[value.weekday()]
    return formats.date_format(value, "l")
