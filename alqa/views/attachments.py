"""Files of agenda items and proposals, served to those who may read the record they belong to;
`serve_stored` serves every kind of stored file, once its view has found it through the permission
choke points."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import FileResponse, Http404

from alqa import permissions
from alqa.models import Attachment
from alqa.models.files import StoredFile


def serve_stored(stored: StoredFile, filename: str | None = None) -> FileResponse:
    """The file as a download under the name it was sent with, or `filename` (quoted for any
    script by FileResponse), streamed, with its checked content type; a file missing from the
    storage is a 404, not an error. The pages and the API both serve files through it."""
    try:
        handle = stored.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404("The file is missing.") from None
    return FileResponse(
        handle, as_attachment=True, filename=filename or stored.name, content_type=stored.content_type
    )


@login_required
def meeting_attachment(request, meeting_id, attachment_id):
    """A file of the meeting's agenda: of one of its questions, or of a proposal on its agenda."""
    meeting = permissions.get_meeting_for_user(request.user, meeting_id)
    attachment = (
        Attachment.objects.filter(pk=attachment_id)
        .filter(Q(agenda_item__meeting=meeting) | Q(proposal__items__meeting=meeting))
        .first()
    )
    if attachment is None:
        raise Http404("No such file.")
    return serve_stored(attachment)


@login_required
def proposal_attachment(request, proposal_id, attachment_id):
    proposal = permissions.get_proposal_for_user(request.user, proposal_id)
    attachment = proposal.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404("No such file.")
    return serve_stored(attachment)
