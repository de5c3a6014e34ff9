"""Members' proposals as their people use them: submit with a memo and files, the queue of the
chair and the secretary, accept onto a meeting's agenda or return with a reason, files behind the
permission check, nothing across bodies."""

from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alqa.domain.meetings import cancel_meeting
from alqa.domain.proposals import submit_proposal
from alqa.enums import AgendaItemKind, ProposalStatus, Side
from alqa.models import AgendaItem, Attachment, AuditEvent, OutboxMessage, Proposal
from tests.conftest import login, make_member
from tests.documents.helpers import docx_bytes
from tests.helpers import meeting_in

pytestmark = pytest.mark.usefixtures("waive_mfa")

ALMATY = ZoneInfo("Asia/Almaty")
PDF = b"%PDF-1.4 justification"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 16


def propose(body, author, title="О доступе адвокатов в ИВС", files=()):
    return submit_proposal(
        body=body,
        author=author,
        actor=author.user,
        title_ru=title,
        memo_ru="Адвокаты ждут допуска по три часа.",
        files=list(files),
    )


def test_member_submits_a_proposal_with_files_and_sees_its_status(client, body, chair, secretary, member):
    login(client, member)
    page = client.get(f"/bodies/{body.pk}/proposals/").content.decode()
    assert "Submit a proposal" in page
    form = client.get(f"/bodies/{body.pk}/proposals/new/").content.decode()
    assert 'enctype="multipart/form-data"' in form and 'accept=".pdf,.docx,.png,.jpg,.jpeg"' in form
    response = client.post(
        f"/bodies/{body.pk}/proposals/new/",
        {
            "title_ru": "О доступе адвокатов в ИВС",
            "title_kk": "ИВС-ке адвокаттардың қолжетімділігі туралы",
            "memo_ru": "Адвокаты ждут допуска по три часа.",
            "memo_kk": "",
            "files": [
                SimpleUploadedFile("memo.pdf", PDF),
                SimpleUploadedFile("table.docx", docx_bytes()),
                SimpleUploadedFile("scan.jpg", JPEG),
            ],
        },
        follow=True,
    )
    proposal = Proposal.objects.get()
    assert (proposal.author, proposal.status, proposal.memo_ru) == (
        member,
        ProposalStatus.SUBMITTED,
        "Адвокаты ждут допуска по три часа.",
    )
    assert sorted(proposal.attachments.values_list("name", flat=True)) == [
        "memo.pdf",
        "scan.jpg",
        "table.docx",
    ]
    page = response.content.decode()
    assert "Your proposal has been submitted." in page and "Submitted" in page
    assert "Адвокаты ждут допуска по три часа." in page and "ИВС-ке адвокаттардың" in page
    assert "/media/" not in page
    memo = proposal.attachments.get(name="memo.pdf")
    download = client.get(f"/proposals/{proposal.pk}/files/{memo.pk}/")
    assert b"".join(download.streaming_content) == PDF and "memo.pdf" in download["Content-Disposition"]
    listing = client.get(f"/bodies/{body.pk}/proposals/").content.decode()
    assert (
        "Waiting for a decision" in listing and "О доступе адвокатов в ИВС" in listing and ">you<" in listing
    )
    assert AuditEvent.objects.filter(action="proposal.submitted", actor=member.user).exists()
    assert "Put on a meeting" not in page  # a plain member does not decide


TOO_BIG = b"%PDF-" + b"0" * (10 * 1024 * 1024)
BAD_PROPOSALS = [
    ({"title_ru": "", "title_kk": ""}, [], "Give the title in Russian or Kazakh."),
    ({"memo_ru": " ", "memo_kk": ""}, [], "Write the justification memo in Russian or Kazakh."),
    ({}, [("big.pdf", TOO_BIG)], "big.pdf is larger than 10 MB."),
    ({}, [("virus.exe", b"MZ\x90")], "virus.exe: only PDF, DOCX, PNG and JPEG files are accepted."),
    (
        {},
        [("memo.pdf", PDF), ("fake.png", b"GIF89a")],
        "fake.png is not the kind of file its extension says.",
    ),
    ({}, [("fake.docx", b"PK\x03\x04 not a zip")], "fake.docx is not the kind of file its extension says."),
    ({}, [("empty.pdf", b"")], "The submitted file is empty."),
    ({}, [(f"m{i}.pdf", PDF) for i in range(11)], "Attach at most 10 files."),
]


def test_bad_proposals_show_a_message_and_save_nothing(client, body, member):
    login(client, member)
    for changes, files, message in BAD_PROPOSALS:
        data = {"title_ru": "Предложение", "title_kk": "", "memo_ru": "Справка", "memo_kk": ""} | changes
        data["files"] = [SimpleUploadedFile(name, content) for name, content in files]
        response = client.post(f"/bodies/{body.pk}/proposals/new/", data)
        assert response.status_code == 400, message
        page = response.content.decode()
        assert message in page and "Nothing was saved" in page, message
        assert not Proposal.objects.exists() and not Attachment.objects.exists(), message


@pytest.mark.unaudited_writes  # the body arranges data directly, past the domain
def test_someone_who_is_not_a_member_cannot_submit(client, body, admin_user):
    admin_user.language = "en"
    admin_user.save()
    client.force_login(admin_user)  # an installation admin sees the body but is not its member
    response = client.get(f"/bodies/{body.pk}/proposals/new/")
    page = response.content.decode()
    assert response.status_code == 403
    assert "Only a member of this body may submit a proposal." in page and "<textarea" not in page
    response = client.post(f"/bodies/{body.pk}/proposals/new/", {"title_ru": "T", "memo_ru": "M"})
    assert response.status_code == 403
    assert "Only a member of this body may submit a proposal." in response.content.decode()
    assert not Proposal.objects.exists()


def test_secretary_accepts_a_proposal_onto_a_meeting_and_the_author_is_told(
    client, body, chair, secretary, member
):
    meeting = meeting_in(body, secretary, chair)
    past = meeting_in(body, secretary, chair, days=-5)
    cancelled = meeting_in(body, secretary, chair, days=20)
    cancel_meeting(cancelled, actor=secretary.user, reason="Перенос")
    proposal = propose(body, member, files=[SimpleUploadedFile("memo.pdf", PDF)])
    login(client, secretary)
    listing = client.get(f"/bodies/{body.pk}/proposals/").content.decode()
    assert f"/proposals/{proposal.pk}/" in listing
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "Put on a meeting&#x27;s agenda" in page or "Put on a meeting's agenda" in page
    assert f'value="{meeting.pk}"' in page
    assert (
        f'value="{past.pk}"' not in page and f'value="{cancelled.pk}"' not in page
    )  # only scheduled ones ahead

    response = client.post(f"/proposals/{proposal.pk}/accept/", {"meeting": str(cancelled.pk)})
    assert "Select a valid choice" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED and not AgendaItem.objects.exists()

    page = client.post(
        f"/proposals/{proposal.pk}/accept/", {"meeting": str(meeting.pk)}, follow=True
    ).content.decode()
    proposal.refresh_from_db()
    item = AgendaItem.objects.get()
    assert proposal.status == ProposalStatus.ACCEPTED and proposal.decided_by == secretary
    assert (item.meeting, item.kind, item.speaker, item.proposal) == (
        meeting,
        AgendaItemKind.PROPOSAL,
        member,
        proposal,
    )
    assert "The proposal has been put on the agenda" in page and "Адвокаты ждут допуска по три часа." in page
    assert "memo.pdf" in page  # the proposal's file among the meeting's materials
    assert OutboxMessage.objects.filter(to=member.email, text__contains=f"/meetings/{meeting.pk}/").exists()

    page = client.post(f"/proposals/{proposal.pk}/accept/", {"meeting": str(meeting.pk)}).content.decode()
    assert AgendaItem.objects.count() == 1 and "Accept onto the agenda" not in page

    login(client, member)
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "Accepted onto an agenda" in page and f"/meetings/{meeting.pk}/" in page


def test_secretary_returns_a_proposal_with_a_reason(client, body, chair, secretary, member):
    proposal = propose(body, member)
    login(client, secretary)
    response = client.post(f"/proposals/{proposal.pk}/return/", {"reason": "   "})
    assert response.status_code == 200 and response.context["return_form"].errors["reason"]
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED
    client.post(f"/proposals/{proposal.pk}/return/", {"reason": "Касается конкретного уголовного дела"})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.RETURNED and proposal.return_reason.startswith("Касается")
    assert OutboxMessage.objects.filter(to=member.email, text__contains="Касается конкретного").exists()
    page = client.post(f"/proposals/{proposal.pk}/return/", {"reason": "Ещё раз"}).content.decode()
    assert "Return with this reason" not in page
    proposal.refresh_from_db()
    assert proposal.return_reason.startswith("Касается")

    login(client, member)
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "Returned" in page and "Касается конкретного уголовного дела" in page
    listing = client.get(f"/bodies/{body.pk}/proposals/").content.decode()
    assert listing.index("Decided") < listing.index("Касается конкретного уголовного дела")


def test_plain_member_reads_but_does_not_decide(client, body, chair, secretary, member, admin_user):
    meeting = meeting_in(body, secretary, chair)
    colleague = make_member(
        body, admin_user, email="colleague@alqa.test", side=Side.BAR, name="Коллега Адвокат"
    )
    proposal = propose(body, colleague)
    login(client, member)
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "Адвокаты ждут допуска" in page and "Accept onto the agenda" not in page and ">you<" not in page
    assert client.post(f"/proposals/{proposal.pk}/accept/", {"meeting": str(meeting.pk)}).status_code == 403
    assert client.post(f"/proposals/{proposal.pk}/return/", {"reason": "Нет"}).status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED


def test_other_bodies_proposals_and_files_are_invisible(
    client, body, other_body, member, outsider, admin_user
):
    proposal = propose(body, member, files=[SimpleUploadedFile("memo.pdf", PDF)])
    theirs = propose(other_body, outsider, title="Чужое", files=[SimpleUploadedFile("their.pdf", PDF)])
    mine = proposal.attachments.get()
    login(client, outsider)
    for url in (
        f"/bodies/{body.pk}/proposals/",
        f"/bodies/{body.pk}/proposals/new/",
        f"/proposals/{proposal.pk}/",
        f"/proposals/{proposal.pk}/files/{mine.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/proposals/{proposal.pk}/return/", {"reason": "x"}).status_code == 404
    assert (
        client.post(f"/bodies/{body.pk}/proposals/new/", {"title_ru": "T", "memo_ru": "M"}).status_code == 404
    )
    # a file of another proposal is not served through one the reader may see
    assert client.get(f"/proposals/{theirs.pk}/files/{mine.pk}/").status_code == 404
    assert Proposal.objects.count() == 2


@pytest.mark.unaudited_writes  # the body arranges data directly, past the domain
def test_proposal_list_costs_the_same_with_more_proposals(client, body, chair, secretary, member):
    meeting = meeting_in(body, secretary, chair)
    propose(body, member)
    url = f"/bodies/{body.pk}/proposals/"
    login(client, secretary)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    Proposal.objects.bulk_create(
        Proposal(
            body=body,
            author=member,
            title_ru=f"Предложение {i:03d}",
            memo_ru="Справка",
            status=ProposalStatus.RETURNED if i % 2 else ProposalStatus.ACCEPTED,
            return_reason="Нет",
        )
        for i in range(30)
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting, order=i + 1, title_ru=p.title_ru, kind=AgendaItemKind.PROPOSAL, proposal=p
        )
        for i, p in enumerate(Proposal.objects.filter(status=ProposalStatus.ACCEPTED))
    )
    with CaptureQueriesContext(connection) as large:
        page = client.get(url).content.decode()
    assert "Предложение 029" in page and page.count(f"/meetings/{meeting.pk}/") == 15
    assert len(large.captured_queries) == len(small.captured_queries)
