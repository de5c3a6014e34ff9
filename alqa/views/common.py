"""What the pages share."""

from django.urls import reverse

from alqa.models import Meeting


def meeting_url(meeting: Meeting, anchor: str = "") -> str:
    """The meeting page, at one of its sections (`agenda`, `attendance`, `decisions` …)."""
    return reverse("meeting", args=[meeting.pk]) + (f"#{anchor}" if anchor else "")
