"""The agenda under parallel requests: a proposal comes onto it once, an agenda is approved once
(issue: 20 parallel accepts gave 13 identical agenda items; 20 parallel approvals gave 13 approval
events and 13 invitations to every invitee)."""

from collections import Counter

from django.core import mail

from alqa.domain.bodies import add_guest
from alqa.domain.meetings import invite_guest
from alqa.domain.proposals import submit_proposal
from alqa.enums import ProposalStatus
from alqa.models import AgendaItem, AuditEvent, Invitation, OutboxMessage, Proposal
from tests.concurrency.parallel import N, api_post, page_post, run_parallel, statuses
from tests.conftest import meeting_on

ALREADY_APPROVED = "The agenda is already approved."


def _proposal(body, member):
    return submit_proposal(
        body=body, author=member, actor=member.user, title_ru="Доступ адвокатов в ИВС", memo_ru="Справка"
    )


def _last_outbox_id() -> int:
    last = OutboxMessage.objects.order_by("-id").first()
    return last.pk if last else 0


def assert_accepted_once(proposal, meeting, member, *, outbox_after: int, sent_before: int):
    items = AgendaItem.objects.filter(proposal=proposal)
    assert [(i.meeting_id, i.title_ru) for i in items] == [(meeting.pk, "Доступ адвокатов в ИВС")]
    assert meeting.items.count() == 2  # the question the meeting had, and the proposal
    assert AuditEvent.objects.filter(action="proposal.accepted").count() == 1
    assert AuditEvent.objects.filter(action="agenda.item_added", data__proposal=proposal.pk).count() == 1
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    # the author is told once: one outbox row, handed to the mail server once
    assert list(OutboxMessage.objects.filter(pk__gt=outbox_after).values_list("to", flat=True)) == [
        member.email
    ]
    assert [m.to for m in mail.outbox[sent_before:]] == [[member.email]]
    return items.get()


def test_twenty_parallel_accepts_through_the_api_give_one_agenda_item(
    server, token, body, chair, secretary, member
):
    meeting, _item = meeting_on(body, secretary, chair, days=7)
    proposal = _proposal(body, member)
    outbox_after, sent_before = _last_outbox_id(), len(mail.outbox)
    secret = token(secretary.user)
    call = api_post(secret, f"/proposals/{proposal.pk}/accept", {"meeting_id": meeting.pk})
    answers = run_parallel(server, [call] * N)
    # accepting again onto the same meeting is the same act: every caller gets the one item
    assert statuses(answers) == {200: N}
    item = assert_accepted_once(proposal, meeting, member, outbox_after=outbox_after, sent_before=sent_before)
    for answer in answers:
        assert answer.json()["status"] == "accepted"
        assert answer.json()["agenda_items"] == [{"id": item.pk, "meeting_id": meeting.pk}]


def test_twenty_parallel_accepts_through_the_page_give_one_agenda_item(
    server, session, body, chair, secretary, member
):
    meeting, _item = meeting_on(body, secretary, chair, days=7)
    proposal = _proposal(body, member)
    outbox_after, sent_before = _last_outbox_id(), len(mail.outbox)
    cookie = session(secretary.user)
    call = page_post(cookie, f"/proposals/{proposal.pk}/accept/", {"meeting": meeting.pk})
    answers = run_parallel(server, [call] * N)
    assert statuses(answers) == {302: N}
    assert {a.location for a in answers} == {f"/meetings/{meeting.pk}/"}
    assert all(
        a.messages() == ["The proposal has been put on the agenda; its author has been told."]
        for a in answers
    )
    assert_accepted_once(proposal, meeting, member, outbox_after=outbox_after, sent_before=sent_before)


def test_a_parallel_accept_and_return_decide_the_proposal_once(server, token, body, chair, secretary, member):
    meeting, _item = meeting_on(body, secretary, chair, days=7)
    proposal = _proposal(body, member)
    secret = token(secretary.user)
    accept = api_post(secret, f"/proposals/{proposal.pk}/accept", {"meeting_id": meeting.pk})
    refuse = api_post(secret, f"/proposals/{proposal.pk}/return", {"reason": "Не относится к мониторингу"})
    answers = run_parallel(server, [accept, refuse] * (N // 2))
    assert 500 not in statuses(answers)
    proposal.refresh_from_db()
    decided = AuditEvent.objects.filter(action__in=["proposal.accepted", "proposal.returned"])
    assert decided.count() == 1
    if proposal.status == ProposalStatus.ACCEPTED:
        assert AgendaItem.objects.filter(proposal=proposal).count() == 1
        assert statuses(answers) == {200: N // 2, 422: N // 2}  # every return refused
    else:
        assert proposal.status == ProposalStatus.RETURNED
        assert not AgendaItem.objects.filter(proposal=proposal).exists()
        assert statuses(answers) == {200: 1, 422: N - 1}
    refused = [a.json()["detail"] for a in answers if a.status == 422]
    assert all(
        d == [{"loc": ["body"], "msg": "This proposal has already been decided.", "type": "value_error"}]
        for d in refused
    )


def test_an_accepted_proposal_put_on_another_meeting_twenty_times_at_once_is_there_once(
    server, token, body, chair, secretary, member
):
    first, _item = meeting_on(body, secretary, chair, days=7)
    later, _item = meeting_on(body, secretary, chair, days=21)
    proposal = _proposal(body, member)
    secret = token(secretary.user)
    assert (
        run_parallel(
            server, [api_post(secret, f"/proposals/{proposal.pk}/accept", {"meeting_id": first.pk})]
        )[0].status
        == 200
    )
    call = api_post(secret, f"/meetings/{later.pk}/agenda-items", {"proposal_id": proposal.pk})
    answers = run_parallel(server, [call] * N)
    assert statuses(answers) == {201: 1, 422: N - 1}
    assert later.items.filter(proposal=proposal).count() == 1
    assert AgendaItem.objects.filter(proposal=proposal).count() == 2
    for answer in answers:
        if answer.status == 422:
            assert answer.json()["detail"] == [
                {
                    "loc": ["body", "proposal_id"],
                    "msg": "This proposal is already on this meeting's agenda.",
                    "type": "value_error",
                }
            ]


def _invitees(body, meeting, secretary):
    """Everyone the approval invites: the members on the day and an invited expert."""
    expert = add_guest(body=body, actor=secretary.user, full_name="Эксперт Нурлан", email="expert@alqa.test")
    invite_guest(meeting, guest=expert, actor=secretary.user)
    return {
        "chair@alqa.test",
        "secretary@alqa.test",
        "member@alqa.test",
        "deputy@alqa.test",
        "expert@alqa.test",
    }


def assert_approved_once(meeting, invitees, *, outbox_after: int, sent_before: int):
    assert AuditEvent.objects.filter(action="agenda.approved").count() == 1
    meeting.refresh_from_db()
    assert meeting.agenda_version == 1 and meeting.agenda_approved_at is not None
    assert Invitation.objects.filter(meeting=meeting).count() == len(invitees)
    queued = Counter(OutboxMessage.objects.filter(pk__gt=outbox_after).values_list("to", flat=True))
    assert queued == {address: 1 for address in invitees}
    handed = Counter(m.to[0] for m in mail.outbox[sent_before:])
    assert handed == {address: 1 for address in invitees}


def test_twenty_parallel_approvals_through_the_api_approve_once(
    server, token, body, chair, secretary, member, deputy
):
    meeting, _item = meeting_on(body, secretary, chair, days=7)
    invitees = _invitees(body, meeting, secretary)
    outbox_after, sent_before = _last_outbox_id(), len(mail.outbox)
    call = api_post(token(chair.user), f"/meetings/{meeting.pk}/agenda/approve", {})
    answers = run_parallel(server, [call] * N)
    assert statuses(answers) == {200: 1, 422: N - 1}
    assert next(a for a in answers if a.status == 200).json()["agenda_version"] == 1
    for answer in answers:
        if answer.status == 422:
            assert answer.json()["detail"] == [
                {"loc": ["body"], "msg": ALREADY_APPROVED, "type": "value_error"}
            ]
    assert_approved_once(meeting, invitees, outbox_after=outbox_after, sent_before=sent_before)


def test_twenty_parallel_approvals_through_the_page_approve_once(
    server, session, body, chair, secretary, member, deputy
):
    meeting, _item = meeting_on(body, secretary, chair, days=7)
    invitees = _invitees(body, meeting, secretary)
    outbox_after, sent_before = _last_outbox_id(), len(mail.outbox)
    call = page_post(session(chair.user), f"/meetings/{meeting.pk}/approve/", {})
    answers = run_parallel(server, [call] * N)
    assert statuses(answers) == {302: N}
    shown = Counter(message for a in answers for message in a.messages())
    assert shown == {"The agenda has been approved (version 1).": 1, ALREADY_APPROVED: N - 1}
    assert_approved_once(meeting, invitees, outbox_after=outbox_after, sent_before=sent_before)


def test_a_question_added_while_the_agenda_is_approved_is_never_left_approved_unseen(
    server, token, body, chair, secretary, member
):
    """Adding questions and approving at the same moment: every added question either was in the
    approved version, or withdrew the approval (the presiding person must approve again)."""
    meeting, _item = meeting_on(body, secretary, chair, days=7)
    approve = api_post(token(chair.user), f"/meetings/{meeting.pk}/agenda/approve", {})
    secret = token(secretary.user)
    adds = [
        # each says beforehand that it withdraws an approval it may meet
        api_post(
            secret,
            f"/meetings/{meeting.pk}/agenda-items",
            {"title_ru": f"Вопрос {i}", "withdraw_approval": True},
        )
        for i in range(N // 2)
    ]
    answers = run_parallel(server, [approve] * (N // 2) + adds)
    assert 500 not in statuses(answers)
    meeting.refresh_from_db()
    approvals = AuditEvent.objects.filter(action="agenda.approved")
    assert approvals.count() >= 1
    if meeting.agenda_approved_at is not None:
        approved_titles = {i["title_ru"] for i in approvals.order_by("-id").first().data["items"]}
        assert approved_titles == set(meeting.items.values_list("title_ru", flat=True))
    orders = list(meeting.items.values_list("order", flat=True))
    assert sorted(orders) == list(range(1, N // 2 + 2))  # no two questions share a number
    assert Proposal.objects.count() == 0
