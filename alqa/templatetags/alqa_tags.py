from django import template
from django.conf import settings
from django.utils.translation import get_language, pgettext_lazy

from alqa import dates, permissions
from alqa.fragments import cached_fragment

register = template.Library()


@register.simple_tag(takes_context=True)
def site_header(context):
    """The top of every page: menu, body switch, languages, the reader. Cached per reader, body,
    address and language; the bodies' names come from the database, so a signed-in reader's copy
    is also renewed at any change (alqa.fragments)."""
    request = context.get("request")
    user = context.get("user")
    authenticated = bool(user is not None and user.is_authenticated)
    body_ids = permissions.body_ids_for_user(user) if authenticated else ()
    current_id = (
        permissions.current_body_id(user, getattr(request, "session", None)) if authenticated else None
    )
    admin = bool(context.get("is_installation_admin"))
    next_path = request.get_full_path() if request is not None else ""
    user_label = (user.full_name or user.email) if authenticated else ""

    def data():
        bodies = permissions.listed_bodies_for_user(user) if authenticated else []
        return {
            "authenticated": authenticated,
            "current_body": next((b for b in bodies if b.pk == current_id), None),
            "my_bodies": bodies,
            "is_installation_admin": admin,
            "LANG": get_language(),
            "LANGUAGES": settings.LANGUAGES,
            "next_path": next_path,
            "user_label": user_label,
        }

    return cached_fragment(
        request,
        "alqa/partials/header.html",
        data,
        parts=(
            "header",
            user.pk if authenticated else None,
            user_label,
            current_id,
            body_ids,
            admin,
            next_path,
        ),
        watch_changes=authenticated,
        store=authenticated,  # the signed-out pages' headers are not kept: anyone can make up addresses
    )


@register.filter
def in_language(name, language):
    """A DayName (or anything with .get(language)) in the reader's language."""
    return name.get(language) if hasattr(name, "get") else name


register.filter("long_date", dates.long_date)  # {{ day|long_date }}: see alqa.dates.long_date
register.filter("date_of", dates.date_of)  # «заседание 1 декабря» / «1 желтоқсандағы отырыс»

# Our own catalogue names the days, with a context of their own: Django's Kazakh catalogue spells
# Friday «Жума», where Kazakh writes «Жұма».
WEEKDAYS = (
    pgettext_lazy("day of the week", "Monday"),
    pgettext_lazy("day of the week", "Tuesday"),
    pgettext_lazy("day of the week", "Wednesday"),
    pgettext_lazy("day of the week", "Thursday"),
    pgettext_lazy("day of the week", "Friday"),
    pgettext_lazy("day of the week", "Saturday"),
    pgettext_lazy("day of the week", "Sunday"),
)


@register.filter
def weekday(value):
    """{{ day|weekday }}: the name of the day of the week in the reader's language."""
    if not value:
        return ""
    return str(WEEKDAYS[value.weekday()])
