"""What the pages share."""

from django.urls import reverse

from alqa.models import Meeting


def meeting_url(meeting: Meeting, anchor: str = "") -> str:
    """The meeting page, at one of its sections (`agenda`, `attendance`, `decisions` …)."""
    return reverse("meeting", args=[meeting.pk]) + (f"#{anchor}" if anchor else "")


def query_text(request, name: str = "q", limit: int = 200) -> str:
    """A words-to-find parameter of a page's address: trimmed, at most `limit` characters, and
    without NUL characters, which no person types and PostgreSQL refuses in a query."""
    return request.GET.get(name, "").replace("\x00", "").strip()[:limit]
