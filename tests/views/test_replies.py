"""Replies in the app (issue 9, point 5): a member answers their own invitation in the first
person, "I will send materials" leads to the upload; a member without an e-mail reads "not
notified — no e-mail" and the secretary sees whom to tell another way."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from alqa.domain.meetings import add_agenda_item, approve_agenda
from alqa.enums import InvitationReply, Side
from alqa.models import Attachment, AuditEvent, Invitation
from tests.conftest import login, make_member
from tests.helpers import meeting_in

pytestmark = pytest.mark.usefixtures("waive_mfa")

PDF = b"%PDF-1.4 materials of the member"


@pytest.fixture
def approved(body, secretary, chair, member):
    meeting = meeting_in(body, secretary, chair)
    add_agenda_item(meeting, actor=secretary.user, title_ru="Доступ в ИВС")
    approve_agenda(meeting, actor=chair.user)
    return meeting


@pytest.mark.parametrize(
    ("language", "attend", "materials"),
    [("ru", "Приму участие", "Направлю материалы"), ("kk", "Қатысамын", "Материалдар жіберемін")],
)
def test_a_member_replies_in_the_first_person(client, approved, member, language, attend, materials):
    login(client, member, language=language)
    page = client.get(f"/meetings/{approved.pk}/").content.decode()
    assert f'href="/meetings/{approved.pk}/reply/"' in page
    reply_page = client.get(f"/meetings/{approved.pk}/reply/").content.decode()
    assert attend in reply_page and materials in reply_page
    response = client.post(f"/meetings/{approved.pk}/reply/", {"reply": "attend"})
    assert response["Location"] == f"/meetings/{approved.pk}/#my-invitation"
    invitation = Invitation.objects.get(meeting=approved, member=member)
    assert invitation.reply == InvitationReply.ATTEND
    assert AuditEvent.objects.filter(action="invitation.replied", actor=member.user).exists()
    # the page, served from the cache since, shows the new reply at once
    page = client.get(f"/meetings/{approved.pk}/").content.decode()
    assert {"ru": "Примет участие", "kk": "Қатысады"}[language] in page


def test_will_send_materials_leads_to_the_upload(client, approved, member):
    login(client, member)
    response = client.post(f"/meetings/{approved.pk}/reply/", {"reply": "materials"})
    assert response["Location"] == f"/meetings/{approved.pk}/materials/"
    item = approved.items.get()
    response = client.post(f"/meetings/{approved.pk}/materials/", {"item": item.pk, "files": []})
    assert response.status_code == 200 and not Attachment.objects.exists()
    response = client.post(
        f"/meetings/{approved.pk}/materials/",
        {"item": item.pk, "files": [SimpleUploadedFile("справка.pdf", PDF, content_type="application/pdf")]},
    )
    assert response.status_code == 302
    assert list(item.attachments.values_list("name", flat=True)) == ["справка.pdf"]
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(f"/meetings/{approved.pk}/materials/", {"item": item.pk, "files": [fake]})
    assert response.status_code == 200 and item.attachments.count() == 1


def test_a_reply_of_nonsense_changes_nothing(client, approved, member):
    login(client, member)
    response = client.post(f"/meetings/{approved.pk}/reply/", {"reply": "pending"}, follow=True)
    assert "Choose one of the answers." in response.content.decode()
    assert Invitation.objects.get(meeting=approved, member=member).reply == InvitationReply.PENDING


def test_someone_not_invited_has_no_reply_page(client, body, secretary, chair, member):
    ahead = meeting_in(body, secretary, chair)  # not approved: nobody is invited yet
    login(client, member)
    assert client.get(f"/meetings/{ahead.pk}/reply/").status_code == 404
    assert client.get(f"/meetings/{ahead.pk}/materials/").status_code == 404


def test_a_member_without_an_e_mail_is_not_notified_and_the_secretary_is_told(
    client, body, admin_user, secretary, chair, member
):
    offline = make_member(body, admin_user, email="", side=Side.BAR, name="Без Почты Айдос", password=None)
    meeting = meeting_in(body, secretary, chair)
    add_agenda_item(meeting, actor=secretary.user, title_ru="Вопрос")
    approve_agenda(meeting, actor=chair.user)
    assert Invitation.objects.get(meeting=meeting, member=offline).email == ""
    login(client, secretary, language="ru")
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "не извещён — нет e-mail" in page
    assert "известите его иначе" in page and "<li>Без Почты Айдос</li>" in page
    # a plain member sees the reply column, not the leaders' list
    login(client, member, language="ru")
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "не извещён — нет e-mail" in page and "известите" not in page


def test_an_invited_expert_is_offered_only_what_they_may_open(client, approved, secretary, admin_user):
    import re

    from alqa.domain.attachments import attach_files
    from alqa.domain.bodies import add_guest
    from alqa.domain.meetings import invite_guest

    expert = add_guest(
        body=approved.body, actor=admin_user, full_name="Эксперт Нурланов", email="expert@alqa.test"
    )
    invite_guest(approved, guest=expert, actor=secretary.user)
    attach_files(
        approved.items.get(),
        files=[SimpleUploadedFile("справка.pdf", PDF, content_type="application/pdf")],
        actor=secretary.user,
    )
    expert.refresh_from_db()
    client.force_login(expert.user)
    page = client.get(f"/meetings/{approved.pk}/").content.decode()
    assert "print-pack" not in page
    links = set(re.findall(rf'href="(/meetings/{approved.pk}/[^"#]*)"', page))
    assert any("/files/" in link for link in links)
    for link in links:  # every download and page offered opens
        assert client.get(link).status_code == 200, link


@pytest.mark.parametrize(
    ("language", "help_text"),
    [("ru", "размер каждого файла — не более 10 МБ"), ("kk", "әр файлдың көлемі — ең көбі 10 МБ")],
)
def test_the_materials_page_says_which_files_in_the_readers_language(
    client, approved, member, language, help_text
):
    """The files field is made once, with its form class; its help is read when the page is drawn."""
    login(client, member, language=language)
    page = client.get(f"/meetings/{approved.pk}/materials/").content.decode()
    assert help_text in page
