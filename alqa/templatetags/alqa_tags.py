from django import template

register = template.Library()


@register.filter
def in_language(name, language):
    """A DayName (or anything with .get(language)) in the reader's language."""
    return name.get(language) if hasattr(name, "get") else name
