"""The whole path of a meeting in a real browser, each person doing their own part in their own
language: a member (Russian) proposes a question with a memo and a PDF; the secretary (Russian)
schedules the meeting, puts the proposal on its agenda and invites an expert; the chair (Kazakh)
approves the agenda, which sends the invitations with an .ics file; the expert (Kazakh) answers
through the link in the mail without signing in; the secretary marks attendance, is refused a
decision without a quorum, completes the attendance and records the decision in both languages;
the member (Russian) and the chair (Kazakh) read it on the meeting page.

Most labels of these pages are not translated yet, so elements are found by their names, ids and
addresses; the text asserted is data, or a translation the catalogue already has."""

import base64
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation
from icalendar import Calendar
from playwright.sync_api import expect

from alqa.dates import human_date
from alqa.domain.bodies import add_guest
from alqa.domain.workdays import add_working_days
from alqa.domain.workdays_calendar import load_calendar
from alqa.enums import InvitationReply, ProposalStatus
from alqa.models import Attendance, Decision, Invitation, Meeting, Member, OutboxMessage, Proposal
from tests.browser.helpers import axe_violations, describe, sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

ALMATY = ZoneInfo("Asia/Almaty")
PDF = b"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"

TITLE_RU = "О допуске адвокатов в ИВС в ночное время"
TITLE_KK = "Адвокаттарды түнгі уақытта ИВС-ке жіберу туралы"
MEMO_RU = "Адвокаты ожидают допуска к подзащитным по три часа и более."
MEMO_KK = "Адвокаттар қорғаушыларына кіру үшін үш сағат және одан да көп күтеді."
DECISION_RU = "Обеспечить допуск адвокатов в ИВС круглосуточно в течение 30 минут с момента обращения."
DECISION_KK = (
    "Адвокаттардың ИВС-ке өтініш берген сәттен бастап 30 минут ішінде тәулік бойы кіруін қамтамасыз ету."
)
PLACE = "ДП г. Алматы, зал 3"


@pytest.fixture
def people(body, admin_user, chair, secretary, member, deputy, waive_mfa):
    """Police: the chair (reads Kazakh) and the secretary; bar: the member and a deputy chair
    (Russian). Quorum, each side's majority: 2 of 2 on each side. An expert who reads Kazakh."""
    for person, language in ((chair, "kk"), (secretary, "ru"), (member, "ru"), (deputy, "ru")):
        person.user.language = language
        person.user.save(update_fields=["language"])
        Member.objects.filter(pk=person.pk).update(language=language)  # the language of their mail
    expert = add_guest(
        body=body,
        actor=admin_user,
        full_name="Нурланов Ержан",
        kind="expert",
        email="expert@alqa.test",
        language="kk",
    )
    return {"chair": chair, "secretary": secretary, "member": member, "deputy": deputy, "expert": expert}


def side_text(side_ru: str, present: int, total: int, required: int, met: bool) -> str:
    """One side of the quorum arithmetic as the Russian catalogue words it (domain.describe_quorum)."""
    state = "кворум есть" if met else "кворума нет"
    return f"{side_ru}: присутствуют {present} из {total}, необходимо {required} — {state}"


def submit(page, form_selector: str) -> None:
    with page.expect_navigation():
        page.locator(f"{form_selector} button[type=submit]").first.click()


def assert_no_serious_axe_violations(page, name: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"{name}:\n{describe(violations)}"


# the meeting's hour is moved to the past in the test's body (time passes; nobody edits it)
@pytest.mark.unaudited_writes
def test_proposal_to_decision_by_member_secretary_chair_and_expert(new_page, body, people):
    chair, secretary, member, deputy, expert = (
        people[k] for k in ("chair", "secretary", "member", "deputy", "expert")
    )

    # --- the member proposes a question, in Russian -------------------------------------
    member_page = new_page(locale="ru-RU")
    sign_in(member_page, "member@alqa.test", PASSWORD)
    expect(member_page.locator("html")).to_have_attribute("lang", "ru")
    member_page.goto(f"/bodies/{body.pk}/proposals/")
    with member_page.expect_navigation():
        member_page.locator(f"main a[href='/bodies/{body.pk}/proposals/new/']").click()
    expect(member_page.locator("html")).to_have_attribute("lang", "ru")
    assert_no_serious_axe_violations(member_page, "proposal form")
    form = member_page.locator("main form.form")
    form.locator("#id_title_ru").fill(TITLE_RU)
    form.locator("#id_title_kk").fill(TITLE_KK)
    form.locator("#id_memo_ru").fill(MEMO_RU)
    form.locator("#id_memo_kk").fill(MEMO_KK)
    form.locator("input[type=file][name=files]").set_input_files(
        {"name": "spravka.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    submit(member_page, "main form.form")
    expect(member_page).to_have_url(re.compile(r"/proposals/\d+/$"))
    proposal = Proposal.objects.get(body=body)
    assert (proposal.author, proposal.status) == (member, ProposalStatus.SUBMITTED)
    expect(member_page.locator("main h1")).to_have_text(TITLE_RU)
    expect(member_page.locator("main section[lang=ru]")).to_contain_text(MEMO_RU)
    expect(member_page.locator("main section[lang=kk]")).to_contain_text(MEMO_KK)
    pdf_link = member_page.locator(f"main a[href^='/proposals/{proposal.pk}/files/']")
    expect(pdf_link).to_have_text("spravka.pdf")
    stored = proposal.attachments.get()
    assert (stored.name, stored.content_type, stored.size) == ("spravka.pdf", "application/pdf", len(PDF))

    # --- the secretary schedules a meeting a few minutes ahead, in Russian ----------------
    secretary_page = new_page(locale="ru-RU")
    sign_in(secretary_page, "secretary@alqa.test", PASSWORD)
    expect(secretary_page.locator("html")).to_have_attribute("lang", "ru")
    secretary_page.goto(f"/bodies/{body.pk}/meetings/")
    with secretary_page.expect_navigation():
        secretary_page.locator(f"main a[href='/bodies/{body.pk}/meetings/new/']").click()
    starts = (timezone.now() + timedelta(minutes=10)).astimezone(ALMATY).replace(second=0, microsecond=0)
    form = secretary_page.locator("main form.form")
    expect(form.locator("#id_presiding")).to_have_value(str(chair.pk))  # the chair presides by default
    form.locator("#id_starts_at").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    form.locator("#id_place").fill(PLACE)
    submit(secretary_page, "main form.form")
    expect(secretary_page).to_have_url(re.compile(r"/meetings/\d+/$"))
    meeting = Meeting.objects.get(body=body)
    assert (meeting.starts_at, meeting.presiding, meeting.place) == (starts, chair, PLACE)
    facts = secretary_page.locator("main dl.facts")
    expect(facts).to_contain_text(PLACE)
    expect(facts).to_contain_text(starts.strftime("%H:%M"))
    expect(facts).to_contain_text(chair.full_name)

    # ... puts the proposal on its agenda ...
    secretary_page.goto(f"/bodies/{body.pk}/proposals/")
    with secretary_page.expect_navigation():
        secretary_page.locator(f"main a[href='/proposals/{proposal.pk}/']").first.click()
    accept = f"main form[action='/proposals/{proposal.pk}/accept/']"
    secretary_page.locator(f"{accept} select[name=meeting]").select_option(str(meeting.pk))
    submit(secretary_page, accept)
    expect(secretary_page).to_have_url(re.compile(rf"/meetings/{meeting.pk}/$"))
    item = meeting.items.get()
    assert item.proposal == proposal and item.speaker == member
    row = secretary_page.locator(f"#item-{item.pk}")
    expect(row.locator("[lang=ru]").first).to_have_text(TITLE_RU)
    expect(row.locator("[lang=kk]").first).to_have_text(TITLE_KK)
    expect(row).to_contain_text(member.full_name)
    expect(row.locator(f"a[href^='/meetings/{meeting.pk}/files/']")).to_have_text("spravka.pdf")

    # ... and invites the expert.
    invite = f"main form[action='/meetings/{meeting.pk}/invite/']"
    secretary_page.locator(f"{invite} select[name=guest]").select_option(str(expert.pk))
    submit(secretary_page, invite)
    expect(secretary_page.locator("#invitations table")).to_contain_text(expert.full_name)
    assert Invitation.objects.filter(meeting=meeting, guest=expert).exists()
    # nothing is sent before the agenda is approved
    assert not OutboxMessage.objects.filter(text__contains="/invitations/").exists()
    # the secretary does not preside: no approval button for her
    expect(secretary_page.locator(f"form[action='/meetings/{meeting.pk}/approve/']")).to_have_count(0)

    # --- the chair approves the agenda, in Kazakh -------------------------------------------
    chair_page = new_page(locale="kk-KZ")
    sign_in(chair_page, "chair@alqa.test", PASSWORD)
    chair_page.goto(f"/meetings/{meeting.pk}/")
    expect(chair_page.locator("html")).to_have_attribute("lang", "kk")
    expect(chair_page.locator("main h1")).to_contain_text(body.name_kk)
    expect(chair_page.locator(f"#item-{item.pk} [lang=kk]").first).to_have_text(TITLE_KK)
    approve = f"main form[action='/meetings/{meeting.pk}/approve/']"
    submit(chair_page, approve)
    expect(chair_page.locator(approve)).to_have_count(0)
    expect(chair_page.locator("#agenda .message.success")).to_contain_text(chair.full_name)
    meeting.refresh_from_db()
    assert meeting.agenda_approved_by == chair and meeting.agenda_version == 1

    # --- the invitations in the outbox, each with an .ics file ---------------------------
    invited = {
        "chair@alqa.test": "kk",
        "secretary@alqa.test": "ru",
        "member@alqa.test": "ru",
        "deputy@alqa.test": "ru",
        "expert@alqa.test": "kk",
    }
    mails = {m.to: m for m in OutboxMessage.objects.filter(text__contains="/invitations/")}
    assert set(mails) == set(invited)
    for address, mail in mails.items():
        invitation = Invitation.objects.get(meeting=meeting, email=address)
        assert f"/invitations/{invitation.token}/" in mail.text, address
        assert invitation.language == invited[address]
        # the body's name in the reader's language
        assert (body.name_kk if invited[address] == "kk" else body.name_ru) in mail.text, address
        [ics] = mail.attachments
        assert ics["filename"] == "meeting.ics"
        assert ics["content_type"].startswith("text/calendar; method=REQUEST")
        calendar = Calendar.from_ical(base64.b64decode(ics["content"]))
        assert calendar["method"] == "REQUEST"
        [event] = calendar.walk("VEVENT")
        assert event.decoded("dtstart") == starts, address
        assert event.decoded("dtend") == starts + timedelta(minutes=120)
        assert str(event["attendee"]).lower() == f"mailto:{address}"
        assert str(event["location"]) == PLACE

    # --- the expert answers through the link in the mail, in Kazakh, without signing in ---
    expert_page = new_page(locale="kk-KZ")
    reply_path = re.search(r"/invitations/[^/\s]+/", mails["expert@alqa.test"].text).group(0)
    expert_page.goto(reply_path)
    expect(expert_page.locator("html")).to_have_attribute("lang", "kk")
    expect(expert_page.locator("main")).to_contain_text(expert.full_name)
    expect(expert_page.locator("main ol")).to_contain_text(TITLE_KK)
    will_attend = expert_page.locator("main form button[name=reply][value=attend]")
    expect(will_attend).to_have_text("Қатысады")  # "Will attend" in the Kazakh catalogue
    with expert_page.expect_navigation():
        will_attend.click()
    expect(expert_page).to_have_url(re.compile(rf"{re.escape(reply_path)}$"))
    expect(expert_page.locator("main form button[name=reply][value=attend]")).to_have_class(
        re.compile("primary")
    )
    invitation = Invitation.objects.get(meeting=meeting, guest=expert)
    assert invitation.reply == InvitationReply.ATTEND
    secretary_page.goto(f"/meetings/{meeting.pk}/")
    expect(secretary_page.locator("#invitations tr", has_text=expert.full_name)).to_contain_text(
        "Примет участие"  # "Will attend" in the Russian catalogue
    )

    # --- the meeting begins ---------------------------------------------------------------
    # Decisions are recorded at or after the meeting's start (domain.record_decision). The live
    # server runs in another thread, where time_machine cannot move the clock, so the meeting was
    # scheduled a few minutes ahead (the form refuses a past date) and its start is now moved to a
    # minute ago, directly in the database, as if those minutes had passed.
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(minutes=1))
    meeting.refresh_from_db()

    # --- attendance without the bar side's quorum -------------------------------------------
    secretary_page.goto(f"/meetings/{meeting.pk}/")
    attendance = secretary_page.locator(f"main form[action='/meetings/{meeting.pk}/attendance/']")
    for person in (chair, secretary, member):
        attendance.locator(f"#present-{person.pk}").check()
    expect(attendance.locator(f"#present-{deputy.pk}")).not_to_be_checked()
    attendance.locator(f"#guest-present-{expert.pk}").check()
    attendance.locator("button[type=submit]").click()  # htmx: only the quorum box is replaced
    box = secretary_page.locator("#quorum-region #quorum-box")
    expect(box).to_have_class(re.compile(r"\bnot-met\b"))
    expect(box).to_contain_text(side_text("полиция", 2, 2, 2, met=True))
    expect(box).to_contain_text(side_text("адвокатура", 1, 2, 2, met=False))
    expect(secretary_page).to_have_url(re.compile(rf"/meetings/{meeting.pk}/$"))
    assert set(
        Attendance.objects.filter(meeting=meeting, present=True, member__isnull=False).values_list(
            "member_id", flat=True
        )
    ) == {chair.pk, secretary.pk, member.pk}
    assert Attendance.objects.get(meeting=meeting, guest=expert).present

    # ... so a decision is refused, with the arithmetic.
    # Without the quorum the page offers no "record a decision" (domain.meetings.meeting_actions);
    # the form's address, reached all the same, refuses with the arithmetic.
    decision_url = f"/meetings/{meeting.pk}/items/{item.pk}/decision/"
    secretary_page.goto(f"/meetings/{meeting.pk}/")
    expect(secretary_page.locator(f"#item-{item.pk} a[href='{decision_url}']")).to_have_count(0)
    secretary_page.goto(decision_url)
    expect(secretary_page.locator("#quorum-box")).to_have_class(re.compile(r"\bnot-met\b"))
    form = secretary_page.locator("main form.form")

    def fill_decision():
        form.locator("#id_text_ru").fill(DECISION_RU)
        form.locator("#id_text_kk").fill(DECISION_KK)
        form.locator("#id_executors-0-member").select_option(str(member.pk))
        form.locator("#id_executors-0-due_working_days").fill("10")

    fill_decision()
    submit(secretary_page, "main form.form")
    expect(secretary_page).to_have_url(re.compile(rf"{re.escape(decision_url)}$"))
    refusal = secretary_page.locator("main .errors[role=alert]")
    expect(refusal).to_contain_text("Кворума нет: решения не могут быть внесены.")
    expect(refusal).to_contain_text(side_text("адвокатура", 1, 2, 2, met=False))
    expect(form.locator("#id_text_ru")).to_have_value(DECISION_RU)  # what was typed is kept
    assert not Decision.objects.filter(meeting=meeting).exists()

    # --- the deputy arrives: the quorum is met and the decision is recorded ---------------
    secretary_page.goto(f"/meetings/{meeting.pk}/")
    attendance.locator(f"#present-{deputy.pk}").check()
    attendance.locator("button[type=submit]").click()
    expect(box).to_have_class(re.compile(r"(^|\s)met\b"))
    expect(box).to_contain_text(side_text("адвокатура", 2, 2, 2, met=True))
    expect(box).to_contain_text(side_text("полиция", 2, 2, 2, met=True))

    secretary_page.goto(decision_url)
    expect(secretary_page.locator("#quorum-box")).to_have_class(re.compile(r"(^|\s)met\b"))
    fill_decision()
    submit(secretary_page, "main form.form")
    expect(secretary_page).to_have_url(re.compile(rf"/meetings/{meeting.pk}/#decisions$"))
    decision = Decision.objects.get(meeting=meeting)
    assert (decision.agenda_item, decision.text_ru, decision.text_kk) == (item, DECISION_RU, DECISION_KK)
    assert decision.quorum["met"] is True
    [assignment] = decision.assignments.all()
    meeting_day = timezone.localtime(meeting.starts_at).date()
    due = add_working_days(load_calendar(), start=meeting_day, days=10).due
    assert (assignment.executor_member, assignment.due_working_days, assignment.due_date) == (member, 10, due)
    assert due.weekday() < 5 and due > meeting_day
    assert_no_serious_axe_violations(secretary_page, "meeting page (secretary, after the decision)")

    # --- the member reads the decision, in Russian --------------------------------------------
    member_page.goto(f"/meetings/{meeting.pk}/")
    expect(member_page.locator("html")).to_have_attribute("lang", "ru")
    article = member_page.locator(f"#decision-{decision.pk}")
    expect(article).to_contain_text(DECISION_RU)
    expect(article).not_to_contain_text(DECISION_KK)
    executor = article.locator("tbody tr")
    expect(executor).to_have_count(1)
    expect(executor.locator("th")).to_have_text(member.full_name)
    with translation.override("ru"):
        due_ru, day_ru = human_date(due), human_date(meeting_day)
    expect(executor).to_contain_text(due_ru)
    expect(executor).to_contain_text(day_ru)  # counted from the day of the meeting
    expect(article).to_contain_text(side_text("адвокатура", 2, 2, 2, met=True))
    # the plain member sees no attendance form and no link to record a decision
    expect(member_page.locator(f"form[action='/meetings/{meeting.pk}/attendance/']")).to_have_count(0)
    expect(member_page.locator(f"a[href='{decision_url}']")).to_have_count(0)
    assert_no_serious_axe_violations(member_page, "meeting page (member)")

    # --- and the chair reads it in Kazakh -------------------------------------------------
    chair_page.goto(f"/meetings/{meeting.pk}/")
    expect(chair_page.locator("html")).to_have_attribute("lang", "kk")
    chair_article = chair_page.locator(f"#decision-{decision.pk}")
    expect(chair_article).to_contain_text(DECISION_KK)
    expect(chair_article).not_to_contain_text(DECISION_RU)
    with translation.override("kk"):
        due_kk = human_date(due)
    expect(chair_article.locator("tbody tr")).to_contain_text(due_kk)
