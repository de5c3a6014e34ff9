from django.conf import settings

from alqa.permissions import bodies_for_user, can_edit_calendar, is_installation_admin


def alqa(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"demo_mode": settings.DEMO_WAIVE_MFA}
    # A view that has just listed the user's bodies leaves them on the request (saves a query).
    bodies = getattr(request, "_alqa_bodies", None)
    if bodies is None:
        bodies = list(bodies_for_user(user))
    current_id = request.session.get(settings.BODY_SESSION_KEY)
    current = next((b for b in bodies if b.pk == current_id), bodies[0] if bodies else None)
    return {
        "my_bodies": bodies,
        "current_body": current,
        "is_installation_admin": is_installation_admin(user),
        "can_edit_calendar": can_edit_calendar(user),
        "demo_mode": settings.DEMO_WAIVE_MFA,
    }
