"""Kazakh dates inflected where the sentence needs it (LANGUAGE.md): the month takes the case
ending by vowel harmony and its last sound; Russian and English use a preposition."""

from datetime import date

import pytest
from django.template import Context, Template
from django.utils import translation

from alqa.dates import human_date, inflected_date, kk_case
from alqa.domain.cadence import add_months
from alqa.domain.meetings import meeting_day
from tests import audit_guard
from tests.conftest import login, meeting_on

LOCATIVE = (
    "қаңтардағы",
    "ақпандағы",
    "наурыздағы",
    "сәуірдегі",
    "мамырдағы",
    "маусымдағы",
    "шілдедегі",
    "тамыздағы",
    "қыркүйектегі",
    "қазандағы",
    "қарашадағы",
    "желтоқсандағы",
)
DATIVE = (
    "қаңтарға",
    "ақпанға",
    "наурызға",
    "сәуірге",
    "мамырға",
    "маусымға",
    "шілдеге",
    "тамызға",
    "қыркүйекке",
    "қазанға",
    "қарашаға",
    "желтоқсанға",
)
ABLATIVE = (
    "қаңтардан",
    "ақпаннан",
    "наурыздан",
    "сәуірден",
    "мамырдан",
    "маусымнан",
    "шілдеден",
    "тамыздан",
    "қыркүйектен",
    "қазаннан",
    "қарашадан",
    "желтоқсаннан",
)


@pytest.mark.parametrize("month", range(1, 13))
@pytest.mark.parametrize("day", [1, 9, 10, 28])
def test_every_month_takes_its_ending(month, day):
    with translation.override("kk"):
        on = date(2026, month, day)
        assert inflected_date(on, "locative") == f"2026 жылғы {day} {LOCATIVE[month - 1]}"
        assert inflected_date(on, "terminative") == f"2026 жылғы {day} {DATIVE[month - 1]} дейін"
        assert inflected_date(on, "ablative") == f"2026 жылғы {day} {ABLATIVE[month - 1]} бастап"


def test_the_template_filter_and_the_other_languages():
    template = Template('{% load alqa_tags %}{{ d|long_date:"locative" }} · {{ d|long_date:"terminative" }}')
    with translation.override("kk"):
        assert (
            template.render(Context({"d": date(2027, 1, 9)}))
            == "2027 жылғы 9 қаңтардағы · 2027 жылғы 9 қаңтарға дейін"
        )
    with translation.override("ru"):
        text = template.render(Context({"d": date(2027, 1, 9)}))
        assert text == "9 января 2027 г. · до 9 января 2027 г."
    with translation.override("kk"):
        plain = Template("{% load alqa_tags %}{{ d|long_date }}").render(Context({"d": date(2027, 12, 1)}))
        assert plain == "2027 жылғы 1 желтоқсан"  # the month in lower case in running text


def test_an_unknown_form_is_a_programming_error():
    with pytest.raises(ValueError):
        inflected_date(date(2026, 1, 9), "vocative")
    with pytest.raises(ValueError):
        kk_case("қаңтар", "vocative")


# --- the pages, mails, documents and audit sentences that use the forms -------------------------
# A Kazakh date that stands before its noun is attributive («2026 жылғы 1 желтоқсандағы отырыс»),
# one before «дейін» is dative, one before «кешіктірілмей» or «ауыстырылды» (moved from) is ablative;
# the Russian text of the same place reads as it always did.

ATTRIBUTIVE_ENDINGS = ("дағы", "дегі", "тағы", "тегі")


def _kk(value, form: str = "") -> str:
    with translation.override("kk"):
        return inflected_date(value, form) if form else human_date(value)


def _ru(value) -> str:
    with translation.override("ru"):
        return human_date(value)


@pytest.fixture
def group(chair, secretary, member, deputy):
    return {"chair": chair, "secretary": secretary, "member": member, "deputy": deputy}


def _held(body, group, days):
    from alqa.domain.meetings import AttendanceRow, record_attendance

    meeting, _item = meeting_on(body, group["secretary"], group["chair"], days=days, title=None)
    rows = [AttendanceRow(m.pk, True) for m in group.values()]
    record_attendance(meeting, actor=group["secretary"].user, members=rows)
    return meeting


@pytest.mark.usefixtures("waive_mfa")
def test_the_cadence_of_meetings_inflects_its_dates_in_kazakh(client, body, group):
    first, second = _held(body, group, -200), _held(body, group, -100)
    first_day, second_day = meeting_day(first), meeting_day(second)
    first_due, second_due = add_months(first_day, 2), add_months(second_day, 2)

    login(client, group["member"], "kk")
    page = _text(client.get(f"/bodies/{body.pk}/"))
    assert f"Мерзім бұзылды: келесі отырыс {_kk(second_due, 'ablative_bare')} кешіктірілмей" in page
    assert (
        f"{_kk(first_day, 'locative')} отырыстан кейін келесі отырыс {_kk(first_due, 'ablative_bare')} "
        f"кешіктірілмей өткізілуі тиіс еді; ол {_kk(second_day)} күні өткізілді." in page
    )
    assert "күнгі" not in page and "күнінен" not in page

    login(client, group["member"], "ru")
    page = _text(client.get(f"/bodies/{body.pk}/"))
    assert f"очередное заседание должно было состояться не позднее {_ru(second_due)}" in page
    assert f"После заседания {_ru(first_day)} очередное заседание должно было состояться не позднее" in page


@pytest.mark.usefixtures("waive_mfa")
def test_the_meeting_page_the_reply_and_the_members_name_the_day_before_the_noun(client, body, group):
    meeting, _item = meeting_on(body, group["secretary"], group["chair"], days=9, approved=True)  # invited
    day = meeting_day(meeting)
    login(client, group["member"], "kk")
    heading = _text(client.get(f"/meetings/{meeting.pk}/")).split("\n")
    assert any(f"{_kk(day, 'locative')} отырыс, сағат 10:00" in line for line in heading)
    reply = _text(client.get(f"/meetings/{meeting.pk}/reply/"))
    assert f"Шақыруға жауабыңыз: {_kk(day, 'locative')} отырыс, сағат 10:00" in reply
    members = _text(client.get(f"/bodies/{body.pk}/members/?on={day.isoformat()}"))
    assert f"{_kk(day, 'locative')} құрам" in members
    assert _kk(day, "locative").endswith(ATTRIBUTIVE_ENDINGS)

    login(client, group["member"], "ru")
    assert f"заседание {_ru(day)}, 10:00" in _text(client.get(f"/meetings/{meeting.pk}/"))
    assert f"Состав на {_ru(day)}" in _text(client.get(f"/bodies/{body.pk}/members/?on={day.isoformat()}"))


def test_the_proposal_accepted_mail_names_the_meeting_by_its_inflected_day(body, group):
    from alqa.domain.proposals import accept_proposal, submit_proposal
    from alqa.models import OutboxMessage

    member = group["member"]
    with audit_guard.paused():  # arranging the reader, as a fixture would
        member.language = "kk"
        member.save(update_fields=["language"])
    meeting, _item = meeting_on(body, group["secretary"], group["chair"], days=12, title=None)
    proposal = submit_proposal(
        body=body, author=member, actor=member.user, title_kk="Адвокаттың кіруі", memo_kk="Негіздеме мәтіні."
    )
    accept_proposal(proposal, meeting=meeting, actor=group["secretary"].user, decider=group["secretary"])
    mail = OutboxMessage.objects.get(to=member.email, subject__contains=proposal.title)
    day = _kk(meeting_day(meeting), "locative")
    assert f"«Адвокаттың кіруі» ұсынысыңыз {day} отырыстың күн тәртібіне енгізілді." in " ".join(
        mail.text.split()
    )
    assert "Желтоқсан" not in mail.text and "күнгі" not in mail.text


def test_the_request_letter_asks_for_the_answer_until_the_dative_day(body, secretary):
    import io

    import docx

    from alqa.documents.request_letter import request_letter_docx
    from alqa.domain.requests import create_request, mark_sent

    request = create_request(
        body=body,
        actor=secretary.user,
        addressee_kind="police_unit",
        addressee="ДП г. Алматы",
        subject="Журнал задержанных ИВС",
        legal_basis="пункт 2.2.8 Положения",
    )
    sent_on = date(2026, 11, 2)
    request = mark_sent(request, actor=secretary.user, sent_on=sent_on)
    request.refresh_from_db()

    def paragraphs(language):
        document = docx.Document(io.BytesIO(request_letter_docx(request, language=language)))
        return [p.text for p in document.paragraphs]

    kk = paragraphs("kk")
    assert f"Жауапты {_kk(request.due_on, 'dative')} дейін беруіңізді сұраймыз." in kk
    assert f"{_kk(sent_on, 'locative')} № {request.outgoing_number} шығыс хат" in kk
    ru = paragraphs("ru")
    assert f"Просим ответить до {_ru(request.due_on)}." in ru
    assert f"Исх. № {request.outgoing_number} от {_ru(sent_on)}" in ru


def test_an_audit_sentence_moves_a_deadline_from_the_ablative_to_the_dative_day():
    from alqa.models import AuditEvent
    from alqa.queries.audit import _parts
    from alqa.queries.audit_actions import ACTIONS

    event = AuditEvent(
        action="deadline.recounted",
        object_type="assignment",
        object_id="1",
        object_label="Қосымша",
        data={"deadline": "execution", "from": "2027-01-08", "to": "2027-01-11"},
    )
    with translation.override("kk"):
        sentence = str(ACTIONS["deadline.recounted"].sentence) % _parts(event, {}, "—")
    assert "«Қосымша» мерзімі 2027 жылғы 8 қаңтардан 2027 жылғы 11 қаңтарға ауыстырылды" in sentence
    with translation.override("ru"):
        sentence = str(ACTIONS["deadline.recounted"].sentence) % _parts(event, {}, "—")
    assert "перенесён с 8 января 2027 г. на 11 января 2027 г." in sentence


def test_the_bare_cases_leave_russian_and_english_plain():
    on = date(2027, 3, 9)
    with translation.override("kk"):
        assert inflected_date(on, "dative") == "2027 жылғы 9 наурызға"
        assert inflected_date(on, "ablative_bare") == "2027 жылғы 9 наурыздан"
    for language in ("ru", "en"):
        with translation.override(language):
            assert inflected_date(on, "dative") == inflected_date(on, "ablative_bare") == human_date(on)


def _text(response) -> str:
    """The page's visible text, one line per block, spaces collapsed."""
    import html
    import re

    assert response.status_code == 200
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    body = re.sub(r"<(br|/p|/h\d|/li|/tr|/dd|/dt|/div)[^>]*>", "\n", body)
    lines = (" ".join(html.unescape(re.sub(r"<[^>]+>", " ", line)).split()) for line in body.split("\n"))
    return "\n".join(line for line in lines if line)
