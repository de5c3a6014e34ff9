from django.conf import settings

from alqa.permissions import can_edit_calendar, is_installation_admin


def alqa(request):
    """What every page's frame needs besides the header (alqa_tags.site_header reads the reader's
    bodies itself, and only when its cached copy cannot serve)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"demo_mode": settings.DEMO_WAIVE_MFA}
    return {
        "is_installation_admin": is_installation_admin(user),
        "can_edit_calendar": can_edit_calendar(user),
        "demo_mode": settings.DEMO_WAIVE_MFA,
    }
