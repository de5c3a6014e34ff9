"""Demo data: the Almaty monitoring group with both sides, units and fictional people, and a year
of its meetings (proposals, agendas, attendance, decisions with executors) ending around today."""

from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from alqa.domain.bodies import add_guest, create_body, create_unit
from alqa.domain.meetings import (
    AttendanceRow,
    ExecutorInput,
    add_agenda_item,
    approve_agenda,
    change_agenda_item,
    invite_guest,
    move_agenda_item,
    record_attendance,
    record_decision,
    reply_to_invitation,
    schedule_meeting,
)
from alqa.domain.members import add_member
from alqa.domain.plans import PlanExecutor, add_plan_item, approve_plan, create_plan, record_plan_result
from alqa.domain.proposals import accept_proposal, return_proposal, submit_proposal
from alqa.domain.remarks import close_remark, file_remark
from alqa.enums import (
    AgendaItemKind,
    AppointmentBasis,
    ExtraordinaryInitiator,
    GuestKind,
    InvitationReply,
    MeetingFormat,
    MeetingKind,
    OnlineGround,
    Role,
    Side,
    UnitKind,
)
from alqa.models import Assignment, Body, Decision, Guest, Meeting, Member, Unit, User

DEMO_PASSWORD = "alqa-demo-2026"

POLICE_UNITS = [
    (
        "Департамент полиции города Алматы",
        "Алматы қаласының Полиция департаменті",
        UnitKind.ORGANISATION,
        False,
    ),
    ("Следственное управление ДП г. Алматы", "Алматы қ. ПД Тергеу басқармасы", UnitKind.STRUCTURAL, False),
    ("Управление дознания ДП г. Алматы", "Алматы қ. ПД Анықтау басқармасы", UnitKind.STRUCTURAL, False),
    (
        "Управление криминальной полиции ДП г. Алматы",
        "Алматы қ. ПД Криминалдық полиция басқармасы",
        UnitKind.STRUCTURAL,
        True,
    ),
    (
        "Изолятор временного содержания ДП г. Алматы",
        "Алматы қ. ПД Уақытша ұстау изоляторы",
        UnitKind.SUBORDINATE,
        False,
    ),
    ("Специальный приёмник ДП г. Алматы", "Алматы қ. ПД Арнайы қабылдау орны", UnitKind.SUBORDINATE, False),
    (
        "Алмалинское районное управление полиции",
        "Алмалы аудандық полиция басқармасы",
        UnitKind.SUBORDINATE,
        False,
    ),
    (
        "Бостандыкское районное управление полиции",
        "Бостандық аудандық полиция басқармасы",
        UnitKind.SUBORDINATE,
        False,
    ),
    (
        "Ауэзовское районное управление полиции",
        "Әуезов аудандық полиция басқармасы",
        UnitKind.SUBORDINATE,
        False,
    ),
]
BAR_UNITS = [
    ("Алматинская городская коллегия адвокатов", "Алматы қалалық адвокаттар алқасы", UnitKind.ORGANISATION),
    (
        "Президиум Алматинской городской коллегии адвокатов",
        "Алматы қалалық адвокаттар алқасының Төралқасы",
        UnitKind.PRESIDIUM,
    ),
    (
        "Мониторинговая группа АГКА по взаимодействию с судебными и правоохранительными органами",
        "АҚАА сот және құқық қорғау органдарымен өзара іс-қимыл жөніндегі мониторинг тобы",
        UnitKind.STRUCTURAL,
    ),
]

# (full name, e-mail or "", side, role, unit index, position, language)
PEOPLE = [
    (
        "Серикбаев Арман Нурланович",
        "chair@demo.alqa.kz",
        Side.POLICE,
        Role.CHAIR,
        0,
        "Заместитель начальника Департамента полиции по следствию и дознанию",
        "ru",
    ),
    (
        "Жумабекова Гульнара Маратовна",
        "deputy@demo.alqa.kz",
        Side.BAR,
        Role.DEPUTY_CHAIR,
        0,
        "Заместитель председателя коллегии адвокатов",
        "kk",
    ),
    (
        "Ахметова Динара Ерлановна",
        "secretary@demo.alqa.kz",
        Side.POLICE,
        Role.SECRETARY,
        1,
        "Старший следователь по особо важным делам",
        "ru",
    ),
    (
        "Касымов Берик Тулегенович",
        "member@demo.alqa.kz",
        Side.POLICE,
        Role.MEMBER,
        1,
        "Начальник отдела",
        "ru",
    ),
    (
        "Оспанов Ерлан Жаксылыкович",
        "ospanov@demo.alqa.kz",
        Side.POLICE,
        Role.MEMBER,
        2,
        "Начальник управления",
        "kk",
    ),
    ("Ким Виктор Александрович", "", Side.POLICE, Role.MEMBER, 4, "Начальник ИВС", "ru"),
    ("Нургалиева Айгерим Сериковна", "", Side.POLICE, Role.MEMBER, 6, "Заместитель начальника РУП", "kk"),
    ("Бекова Самал Ажибаевна", "", Side.POLICE, Role.MEMBER, 7, "Начальник следственного отдела", "ru"),
    (
        "Исаев Тимур Маратович",
        "lawyer@demo.alqa.kz",
        Side.BAR,
        Role.MEMBER,
        2,
        "Адвокат, член мониторинговой группы",
        "ru",
    ),
    ("Абдрахманова Жанар Болатовна", "", Side.BAR, Role.MEMBER, 2, "Адвокат", "kk"),
    ("Садыков Нурлан Ермекович", "", Side.BAR, Role.MEMBER, 2, "Адвокат", "ru"),
    ("Ли Ольга Викторовна", "", Side.BAR, Role.MEMBER, 2, "Адвокат", "ru"),
    ("Тлеубаев Данияр Асетович", "", Side.BAR, Role.MEMBER, 1, "Член Президиума, адвокат", "kk"),
    ("Мусина Асель Кайратовна", "", Side.BAR, Role.MEMBER, 2, "Адвокат", "kk"),
]

LOGINS = [
    ("admin@demo.alqa.kz", "installation administrator"),
    ("chair@demo.alqa.kz", "chair"),
    ("deputy@demo.alqa.kz", "deputy chair"),
    ("secretary@demo.alqa.kz", "secretary"),
    ("member@demo.alqa.kz", "member, police side"),
    ("lawyer@demo.alqa.kz", "member, bar side"),
    ("expert@demo.alqa.kz", "invited participant (expert)"),
]

# The memos of the demo's proposals, in Russian and in Kazakh.
MEMO_ACCESS_RU = """Справка-обоснование.

В третьем квартале 2025 года в мониторинговую группу АГКА поступило 14 обращений адвокатов о том, что допуск к подзащитным в изолятор временного содержания ДП г. Алматы занимал более двух часов. В шести случаях следственные действия начинались до встречи адвоката с подзащитным наедине.

Предлагается: установить в ИВС журнал регистрации прибытия адвокатов с отметкой времени допуска; определить ответственное лицо дежурной смены; ежемесячно направлять сведения в мониторинговую группу."""
MEMO_ACCESS_KK = """Негіздеме анықтамасы.

2025 жылдың үшінші тоқсанында АҚАА мониторинг тобына адвокаттардан Алматы қ. ПД уақытша ұстау изоляторына қорғалушыға кіру екі сағаттан астам уақыт алғаны туралы 14 өтініш түсті.

Ұсынылады: ИВС-те адвокаттардың келуін тіркеу журналын енгізу; кезекші ауысымның жауапты тұлғасын белгілеу; мәліметтерді ай сайын мониторинг тобына жіберу."""
MEMO_NOTICE_KK = """Негіздеме анықтамасы.

Қорғаушыға процестік әрекеттер туралы хабарлау мерзімдері жиі бұзылады: өткен тоқсанда 9 жағдайда хабарлама тергеу әрекеті басталғанға дейін бір сағаттан аз уақыт бұрын жіберілген. Бұл қорғаушының қатысу құқығын іс жүзінде шектейді.

Ұсынылады: хабарламаларды кемінде 24 сағат бұрын жіберу тәртібін бекіту және оны тергеушілердің назарына жеткізу."""
MEMO_VIDEO_RU = """Справка-обоснование.

Обобщение жалоб в порядке статей 105, 106 УПК РК за первое полугодие 2026 года показывает, что треть жалоб связана с допросами без видеофиксации при наличии технической возможности.

Предлагается: обобщить практику, довести до личного состава подразделений следствия и дознания, установить контроль за применением видеофиксации при допросах подозреваемых."""
MEMO_VIDEO_KK = """Негіздеме анықтамасы.

ҚР ҚПК 105, 106-баптары бойынша шағымдарды қорыту 2026 жылдың бірінші жартыжылдығында шағымдардың үштен бірі техникалық мүмкіндік бола тұра бейнетіркеусіз жауап алуға қатысты екенін көрсетеді.

Ұсынылады: тәжірибені қорыту, тергеу және анықтау бөлімшелерінің жеке құрамына жеткізу."""
MEMO_SPEC_RU = """Справка-обоснование.

Адвокаты сообщают о случаях, когда доставленные в специальный приёмник лица не могли связаться с защитником в течение суток. Предлагается обеспечить телефонную связь и разместить памятку о праве на защитника на казахском и русском языках."""
MEMO_NIGHT_RU = """Справка-обоснование.

В ночное время следственно-оперативные группы не всегда обеспечивают участие дежурного адвоката. Предлагается согласовать график дежурств адвокатов по районам и порядок их вызова."""


class Command(BaseCommand):
    help = "Load demo data (the Almaty monitoring group); safe to run again."

    def handle(self, *args, **options):
        name = "Межведомственная мониторинговая группа ДП г. Алматы и АГКА"
        if Body.objects.filter(name_ru=name).exists():
            self.stdout.write("Demo data is already loaded.")
        else:
            self._load(name)
        self._print_logins()

    @transaction.atomic
    def _load(self, name):
        admin, _ = User.objects.get_or_create(
            email="admin@demo.alqa.kz",
            defaults={"full_name": "Администратор Alqa", "is_staff": True, "is_superuser": True},
        )
        admin.set_password(DEMO_PASSWORD)
        admin.save()
        body = create_body(
            actor=admin,
            name_ru=name,
            name_kk="Алматы қаласының Полиция департаменті мен Алматы қалалық адвокаттар алқасының ведомствоаралық мониторинг тобы",
            city="Алматы",
            short_name="ММГ Алматы",
        )
        police: list[Unit] = []
        for name_ru, name_kk, kind, operational in POLICE_UNITS:
            parent = police[0] if police else None
            police.append(
                create_unit(
                    body=body,
                    actor=admin,
                    name_ru=name_ru,
                    name_kk=name_kk,
                    side=Side.POLICE,
                    kind=kind,
                    parent=parent,
                    is_operational_criminal_police=operational,
                )
            )
        bar: list[Unit] = []
        for name_ru, name_kk, kind in BAR_UNITS:
            parent = bar[0] if bar else None
            bar.append(
                create_unit(
                    body=body,
                    actor=admin,
                    name_ru=name_ru,
                    name_kk=name_kk,
                    side=Side.BAR,
                    kind=kind,
                    parent=parent,
                )
            )
        for full_name, email, side, role, unit_index, position, language in PEOPLE:
            unit = (police if side == Side.POLICE else bar)[unit_index]
            basis = (
                {"basis_kind": AppointmentBasis.ORDER, "basis_number": "245", "basis_date": date(2025, 1, 15)}
                if side == Side.POLICE
                else {
                    "basis_kind": AppointmentBasis.PRESIDIUM_RESOLUTION,
                    "basis_number": "12",
                    "basis_date": date(2025, 1, 10),
                }
            )
            add_member(
                body=body,
                actor=admin,
                full_name=full_name,
                email=email,
                side=side,
                role=role,
                unit=unit,
                position=position,
                active_from=date(2025, 2, 1),
                language=language,
                **basis,
            )
        # A member who left: the register still answers who was a member on a past date.
        add_member(
            body=body,
            actor=admin,
            full_name="Омаров Руслан Кенжебекович",
            side=Side.POLICE,
            role=Role.MEMBER,
            unit=police[8],
            position="Начальник следственного отдела",
            position_kk="Тергеу бөлімінің бастығы",
            active_from=date(2025, 2, 1),
            active_to=date(2025, 12, 31),
            language="ru",
        )
        add_guest(
            body=body,
            actor=admin,
            full_name="Ермекова Лаура Сабитовна",
            kind=GuestKind.EXPERT,
            organisation="Казахский национальный университет им. аль-Фараби",
            organisation_kk="Әл-Фараби атындағы Қазақ ұлттық университеті",
            position="Доцент кафедры уголовного процесса",
            position_kk="Қылмыстық процесс кафедрасының доценті",
            email="expert@demo.alqa.kz",
            language="ru",
        )
        add_guest(
            body=body,
            actor=admin,
            full_name="Жаксылыков Айдар Муратович",
            kind=GuestKind.PUBLIC,
            organisation="Общественный совет г. Алматы",
            organisation_kk="Алматы қаласының Қоғамдық кеңесі",
            position="Член совета",
            position_kk="Кеңес мүшесі",
            language="kk",
        )
        # A second body in the same installation: its data is invisible to the Almaty group.
        other = create_body(
            actor=admin,
            name_ru="Межведомственная мониторинговая группа ДП области Жетісу",
            name_kk="Жетісу облысы ПД ведомствоаралық мониторинг тобы",
            city="Талдыкорган",
        )
        other_unit = create_unit(
            body=other,
            actor=admin,
            name_ru="Департамент полиции области Жетісу",
            name_kk="Жетісу облысының Полиция департаменті",
            side=Side.POLICE,
            kind=UnitKind.ORGANISATION,
        )
        add_member(
            body=other,
            actor=admin,
            full_name="Байжанов Марат Оралович",
            email="zhetysu@demo.alqa.kz",
            side=Side.POLICE,
            role=Role.CHAIR,
            unit=other_unit,
            position="Заместитель начальника ДП",
            active_from=date(2025, 3, 1),
            language="kk",
        )
        # The deputy chair of Almaty also sits in the Zhetysu group: one user, two bodies.
        add_member(
            body=other,
            actor=admin,
            full_name="Жумабекова Гульнара Маратовна",
            email="deputy@demo.alqa.kz",
            side=Side.BAR,
            role=Role.MEMBER,
            position="Адвокат",
            basis_kind=AppointmentBasis.PRESIDIUM_RESOLUTION,
            basis_number="15",
            basis_date=date(2025, 2, 24),
            active_from=date(2025, 3, 1),
            language="kk",
        )
        self._meetings(body, admin, police, bar)
        self._esign_iins()
        self._protocols(body)
        self._plans(body, police)
        self._execution(body)
        self._oversight(body, admin, police)
        self._contacts_and_legislation(body, admin, police, bar)
        self._complaints(body, admin, police)
        for user in User.objects.filter(email__endswith="@demo.alqa.kz"):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))

    def _esign_iins(self):
        """The chair's and the secretary's ИИН on their profiles, as each would enter it to sign
        protocols with an e-signature (valid ИИНs of invented people)."""
        from alqa.domain.users import set_iin

        for email, iin in (
            ("chair@demo.alqa.kz", "770707100002"),
            ("secretary@demo.alqa.kz", "850115300001"),
        ):
            user = User.objects.filter(email=email).first()
            if user is not None:
                set_iin(user, actor=user, iin=iin)

    def _oversight(self, body, admin, police):
        """Oversight between meetings (issue 12): facilities (one an operational unit of the
        criminal police, closed to visits), a visit recorded today with a finding turned into a
        proposal and another still open, a visit planned, requests answered and overdue, and a
        publication approved by both sides and published."""
        from alqa.domain.publications import approve_publication, create_publication, publish
        from alqa.domain.requests import create_request, mark_sent, record_answer
        from alqa.domain.visits import (
            CheckInput,
            add_finding,
            create_facility,
            plan_visit,
            propose_from_finding,
            record_visit,
        )
        from alqa.enums import CheckResult, FacilityKind
        from alqa.models import ChecklistItem

        m = {member.full_name.split()[0]: member for member in Member.objects.filter(body=body)}
        chair, deputy, secretary = m["Серикбаев"], m["Жумабекова"], m["Ахметова"]
        chair_user, deputy_user, secretary_user = chair.user, deputy.user, secretary.user
        assert chair_user is not None and deputy_user is not None and secretary_user is not None
        today = timezone.localdate()
        units = {u.name_ru: u for u in police}
        ivs = create_facility(
            body=body,
            actor=admin,
            name_ru="ИВС ДП г. Алматы",
            name_kk="Алматы қ. ПД уақытша ұстау изоляторы",
            kind=FacilityKind.TEMPORARY_DETENTION,
            address="г. Алматы, ул. Байзакова, 300",
            unit=units.get("Изолятор временного содержания ДП г. Алматы"),
        )
        create_facility(
            body=body,
            actor=admin,
            name_ru="Спецприёмник ДП г. Алматы",
            name_kk="Алматы қ. ПД арнайы қабылдау орны",
            kind=FacilityKind.SPECIAL_RECEPTION,
            address="г. Алматы, ул. Ахмедьярова, 10",
            unit=units.get("Специальный приёмник ДП г. Алматы"),
        )
        district = create_facility(
            body=body,
            actor=admin,
            name_ru="Алмалинское РУП",
            name_kk="Алмалы аудандық полиция басқармасы",
            kind=FacilityKind.DISTRICT_DEPARTMENT,
            address="г. Алматы, ул. Толе би, 91",
            unit=units.get("Алмалинское районное управление полиции"),
        )
        create_facility(
            body=body,
            actor=admin,
            name_ru="Отдел УКП ДП г. Алматы",
            name_kk="Алматы қ. ПД КПБ бөлімі",
            kind=FacilityKind.OTHER,
            unit=units.get("Управление криминальной полиции ДП г. Алматы"),
        )
        visit = plan_visit(
            body=body,
            facility=ivs,
            actor=chair_user,
            planned_on=today,
            purpose="Проверка условий содержания и доступа адвокатов",
        )
        items = list(ChecklistItem.objects.filter(body=body, kind=ivs.kind))
        checks = [CheckInput(i.pk, CheckResult.COMPLIANT) for i in items]
        checks[1] = CheckInput(items[1].pk, CheckResult.VIOLATION, "Адвокат ожидал встречи 50 минут")
        record_visit(
            visit,
            actor=chair_user,
            visited_on=today,
            participants=[chair, deputy],
            checks=checks,
            summary_ru="Условия содержания в целом соответствуют требованиям; выявлена задержка допуска адвоката.",
            summary_kk="Ұстау жағдайлары жалпы талаптарға сай; адвокатты жіберудің кешіктірілгені анықталды.",
        )
        finding = add_finding(
            visit,
            actor=deputy_user,
            kind="lawyer_access",
            description="Адвокат ожидал допуска к подзащитному 50 минут: нет отдельной комнаты для встреч.",
            cause="В ИВС одна комната для следственных действий и встреч с адвокатами.",
            unit=ivs.unit,
        )
        propose_from_finding(finding, actor=deputy_user, author=deputy)
        add_finding(
            visit,
            actor=chair_user,
            kind="register",
            description="В журнале учёта не указано время уведомления родственников.",
        )
        plan_visit(body=body, facility=district, actor=deputy_user, planned_on=today + timedelta(days=9))
        answered = create_request(
            body=body,
            actor=secretary_user,
            addressee_kind="police_unit",
            addressee="Департамент полиции г. Алматы",
            addressee_unit="Изолятор временного содержания",
            subject="Копии журнала учёта посещений адвокатами за октябрь",
            legal_basis="подпункт 8 пункта 2.2 Положения",
        )
        mark_sent(answered, actor=secretary_user, sent_on=today - timedelta(days=20))
        record_answer(
            answered,
            actor=secretary_user,
            answered_on=today - timedelta(days=6),
            answer_summary="Копии журнала представлены.",
            assessment="complete",
        )
        late = create_request(
            body=body,
            actor=secretary_user,
            addressee_kind="organisation",
            addressee="Городская больница № 7",
            subject="Сведения об оказании медицинской помощи доставленным лицам",
            legal_basis="подпункт 8 пункта 2.2 Положения",
        )
        mark_sent(late, actor=secretary_user, sent_on=today - timedelta(days=40))
        item = create_publication(
            body=body,
            actor=secretary_user,
            title_ru="Мониторинговая группа посетила ИВС ДП г. Алматы",
            title_kk="Мониторинг тобы Алматы қ. ПД уақытша ұстау изоляторына барды",
            text_ru="Члены группы от полиции и коллегии адвокатов проверили условия содержания и доступ адвокатов к подзащитным. Предложения будут рассмотрены на следующем заседании.",
            text_kk="Полиция мен адвокаттар алқасы тарапынан топ мүшелері ұстау жағдайларын және адвокаттардың қорғалушыларына қол жеткізуін тексерді. Ұсыныстар келесі отырыста қаралады.",
        )
        approve_publication(item, actor=chair_user, approver=chair)
        approve_publication(item, actor=deputy_user, approver=deputy)
        publish(item, actor=secretary_user)

    def _contacts_and_legislation(self, body, admin, police, bar):
        """Urgent contacts (clause 2.2.5): heads and phones in the units register, two contacts
        made since the last meeting, waiting for the next one; a legislative proposal
        (clause 2.2.11) approved by a decision of a held meeting and submitted, and a draft."""
        from alqa.domain.bodies import update_unit
        from alqa.domain.legislation import create_proposal, move
        from alqa.domain.urgent_contacts import log_contact
        from alqa.models import Decision

        heads = {
            "Изолятор временного содержания ДП г. Алматы": (
                "Подполковник полиции Касымов Ерлан Болатович",
                "+7 727 254 41 10",
            ),
            "Алмалинское районное управление полиции": (
                "Полковник полиции Нургалиев Данияр Серикович",
                "+7 727 279 12 02",
            ),
            "Бостандыкское районное управление полиции": (
                "Полковник полиции Тулегенов Асхат Маратович",
                "+7 727 395 20 20",
            ),
            "Следственное управление ДП г. Алматы": (
                "Полковник полиции Омаров Руслан Кайратович",
                "+7 727 254 40 01",
            ),
        }
        units = {u.name_ru: u for u in [*police, *bar]}
        for name, (head, phone) in heads.items():
            update_unit(units[name], actor=admin, changes={"head_name": head, "phone": phone})
        presidium = units["Президиум Алматинской городской коллегии адвокатов"]
        update_unit(
            presidium,
            actor=admin,
            changes={
                "head_name": "Председатель Президиума Байтурсынова Алия Ерболовна",
                "phone": "+7 727 272 30 30",
                "email": "presidium@agka.kz",
            },
        )
        m = {member.full_name.split()[0]: member for member in Member.objects.filter(body=body)}
        deputy, chair = m["Жумабекова"], m["Серикбаев"]
        secretary = m["Ахметова"].user
        assert deputy.user is not None and chair.user is not None and secretary is not None
        now = timezone.now()
        log_contact(
            body=body,
            actor=deputy.user,
            member=deputy,
            unit=units["Алмалинское районное управление полиции"],
            contacted_at=now - timedelta(days=2, hours=3),
            reason="Адвокату в течение двух часов не обеспечивали свидание с доставленным в районное управление.",
            outcome="Начальник управления распорядился обеспечить свидание; адвокат допущен через 20 минут.",
        )
        log_contact(
            body=body,
            actor=chair.user,
            member=chair,
            unit=presidium,
            contacted_at=now - timedelta(days=1, hours=5),
            reason="Жалоба начальника ИВС на неявку дежурных адвокатов в ночное время.",
            outcome="Президиум обещал уточнить график дежурств до конца недели.",
        )
        decision = Decision.objects.filter(meeting__body=body).order_by("-meeting__starts_at").first()
        proposal = create_proposal(
            body=body,
            actor=secretary,
            title_ru="О сроке допуска защитника к задержанному в ИВС",
            title_kk="Қорғаушыны УҰИ-дағы ұсталған адамға жіберу мерзімі туралы",
            text_ru="Дополнить статью 66 Уголовно-процессуального кодекса частью третьей-1: «Свидание защитника с задержанным обеспечивается не позднее одного часа с момента обращения».",
            text_kk="Қылмыстық-процестік кодекстің 66-бабын 3-1-бөлікпен толықтыру: «Қорғаушының ұсталған адаммен кездесуі жүгінген сәттен бастап бір сағаттан кешіктірілмей қамтамасыз етіледі».",
            act="Уголовно-процессуальный кодекс Республики Казахстан, статья 66",
            justification="Посещения ИВС и районных управлений выявили задержки допуска адвокатов до трёх часов; срок в законе не установлен.",
            addressee="Мажилис Парламента Республики Казахстан",
        )
        if decision is not None:
            move(proposal, actor=secretary, to="approved", decision=decision)
            submitted = max(
                timezone.localtime(decision.meeting.starts_at).date(),
                timezone.localdate() - timedelta(days=3),
            )
            move(
                proposal, actor=secretary, to="submitted", submitted_on=submitted, outgoing_ref="ММГ-14/2026"
            )
        create_proposal(
            body=body,
            actor=secretary,
            title_ru="О видеофиксации в комнатах доставленных",
            title_kk="Жеткізілгендер бөлмелерінде бейнетіркеу туралы",
            text_ru="Предусмотреть обязательную видеофиксацию в комнатах для доставленных районных управлений полиции.",
            text_kk="Полиция аудандық басқармаларының жеткізілгендерге арналған бөлмелерінде міндетті бейнетіркеуді көздеу.",
            act="Закон Республики Казахстан «Об органах внутренних дел»",
            justification="Проверки выявили споры о времени доставления, которые видеозапись сняла бы.",
            addressee="Министерство внутренних дел Республики Казахстан",
        )

    def _meetings(self, body, admin, police, bar):
        """A year of meetings ending around today, so that the cadence card means something:
        regular ones about every seven weeks, one extraordinary, one online (on its ground, clause
        3.3), one without quorum (listed as not held) and the same question held again with one;
        the next one scheduled ahead with its agenda approved (its invitations are queued)."""
        m = {member.full_name.split()[0]: member for member in Member.objects.filter(body=body)}
        chair, deputy, secretary = m["Серикбаев"], m["Жумабекова"], m["Ахметова"]
        writer, chair_user = secretary.user, chair.user  # the demo gives both an account
        assert writer is not None and chair_user is not None
        expert = Guest.objects.get(body=body, email="expert@demo.alqa.kz")
        today = timezone.localdate()

        def at(offset_days: int, hour: int = 10) -> datetime:
            day = today + timedelta(days=offset_days)
            while day.weekday() not in (1, 3):  # Tuesdays and Thursdays
                day -= timedelta(days=1)
            return timezone.make_aware(datetime.combine(day, time(hour, 0)))

        def past(offset: int, **fields: Any) -> Meeting | None:
            starts = at(offset, fields.pop("hour", 10))
            if starts.date() < date(2025, 3, 1):  # before the register begins: nothing to hold
                return None
            defaults: dict[str, Any] = {
                "kind": MeetingKind.REGULAR,
                "format": MeetingFormat.IN_PERSON,
                "presiding": chair,
                "place": "ДП г. Алматы, ул. Масанчи, 57А, зал совещаний",
            }
            return schedule_meeting(
                body=body, actor=writer, retrospective=True, starts_at=starts, **(defaults | fields)
            )

        def approve(meeting):
            approve_agenda(meeting, actor=meeting.presiding.user, now=meeting.starts_at - timedelta(days=6))

        def attend(meeting, absent=()):
            on = timezone.localtime(meeting.starts_at).date()
            rows = [
                AttendanceRow(x.pk, x.full_name.split()[0] not in absent)
                for x in Member.objects.filter(body=body).on(on)
            ]
            record_attendance(meeting, actor=writer, members=rows)

        def decide(meeting, item, text_ru, text_kk="", executors=()):
            return record_decision(
                meeting,
                actor=writer,
                agenda_item=item,
                text_ru=text_ru,
                text_kk=text_kk,
                executors=list(executors),
            )

        def due(meeting, days):
            return timezone.localtime(meeting.starts_at).date() + timedelta(days=days)

        def proposal(author, before=None, **fields):
            """A proposal by `author`; one for the agenda of a past meeting `before` is dated three
            weeks ahead of it (and accepted two weeks ahead), as it was made then."""
            at = before.starts_at - timedelta(days=21) if before is not None else None
            return submit_proposal(body=body, author=author, actor=author.user or writer, at=at, **fields)

        # December: access of lawyers to the temporary detention facility (a proposal, Russian and Kazakh memo).
        first = past(-352)
        first_decision = None
        if first is not None:
            item = accept_proposal(
                proposal(
                    m["Исаев"],
                    before=first,
                    title_ru="О допуске адвокатов к подзащитным в ИВС ДП г. Алматы",
                    title_kk="Алматы қ. ПД ИВС-те адвокаттардың қорғалушыларға кіруі туралы",
                    memo_ru=MEMO_ACCESS_RU,
                    memo_kk=MEMO_ACCESS_KK,
                ),
                meeting=first,
                at=first.starts_at - timedelta(days=14),
                actor=writer,
                decider=chair,
            )
            plan = add_agenda_item(
                first,
                actor=writer,
                kind=AgendaItemKind.PLAN_REPORT,
                speaker=m["Касымов"],
                title_ru="Отчёт о выполнении плана работы за IV квартал 2025 года",
                title_kk="2025 жылғы IV тоқсандағы жұмыс жоспарының орындалуы туралы есеп",
                plan_item_ref="План на 2025 год, п. 4",
            )
            invite_guest(first, guest=expert, actor=writer)
            approve(first)
            attend(first, absent={"Ким", "Ли"})
            first_decision = decide(
                first,
                item,
                "Ввести в ИВС ДП г. Алматы журнал регистрации прибытия адвокатов с отметкой времени допуска; "
                "сведения ежемесячно направлять в мониторинговую группу.",
                "Алматы қ. ПД ИВС-те адвокаттардың келуін тіркеу журналын енгізу; мәліметтерді ай сайын мониторинг "
                "тобына жіберу.",
                [
                    ExecutorInput(unit_id=police[4].pk, due_date=due(first, 30)),
                    ExecutorInput(member_id=m["Ким"].pk, due_working_days=10),
                ],
            )
            decide(
                first,
                plan,
                "Информацию о выполнении плана работы за IV квартал 2025 года принять к сведению.",
                executors=[ExecutorInput(member_id=secretary.pk, due_working_days=5)],
            )

        # February: notice to the defence of procedural actions (a proposal with a Kazakh memo only).
        second = past(-300)
        if second is not None:
            item = accept_proposal(
                proposal(
                    m["Абдрахманова"],
                    before=second,
                    title_kk="Қорғаушыға процестік әрекеттер туралы хабарлау мерзімдері туралы",
                    title_ru="О сроках уведомления защитника о процессуальных действиях",
                    memo_kk=MEMO_NOTICE_KK,
                ),
                meeting=second,
                at=second.starts_at - timedelta(days=14),
                actor=writer,
                decider=chair,
            )
            approve(second)
            attend(second, absent={"Садыков", "Бекова", "Оспанов"})
            decide(
                second,
                item,
                "Рекомендовать следователям направлять уведомления защитникам не позднее чем за 24 часа до "
                "проведения процессуальных действий.",
                "Тергеушілерге қорғаушыларға хабарламаларды процестік әрекеттерден кемінде 24 сағат бұрын "
                "жіберуді ұсыну.",
                [
                    ExecutorInput(unit_id=police[1].pk, due_working_days=15),
                    ExecutorInput(unit_id=police[2].pk, due_working_days=15),
                ],
            )

        # March: the quarterly plan report, the deputy chair presiding on the chair's instruction.
        third = past(
            -248, presiding=deputy, delegation_basis="Поручение председателя № 3 от 02.03.2026", hour=15
        )
        if third is not None:
            item = add_agenda_item(
                third,
                actor=writer,
                kind=AgendaItemKind.PLAN_REPORT,
                speaker=m["Оспанов"],
                title_ru="Отчёт о выполнении плана работы за I квартал 2026 года",
                title_kk="2026 жылғы I тоқсандағы жұмыс жоспарының орындалуы туралы есеп",
                plan_item_ref="План на 2026 год, п. 1",
            )
            approve(third)
            attend(third, absent={"Мусина", "Нургалиева"})
            decide(
                third,
                item,
                "Информацию принять к сведению; план работы на II квартал 2026 года утвердить.",
                "Ақпарат назарға алынсын; 2026 жылғы II тоқсанға арналған жұмыс жоспары бекітілсін.",
                [ExecutorInput(member_id=secretary.pk, due_date=due(third, 7))],
            )

        # April: extraordinary, proposed by the head of the Bar's monitoring group, decided by the chair.
        extra = past(
            -222,
            kind=MeetingKind.EXTRAORDINARY,
            initiator_kind=ExtraordinaryInitiator.BAR_MONITORING_HEAD,
            initiator_name="Тлеубаев Данияр Асетович",
            decided_by=chair,
            hour=15,
        )
        if extra is not None:
            item = add_agenda_item(
                extra,
                actor=writer,
                speaker=m["Тлеубаев"],
                title_ru="О случаях недопуска защитников к задержанным в Ауэзовском РУП",
                title_kk="Әуезов АПБ-да қорғаушыларды ұсталғандарға жібермеу жағдайлары туралы",
            )
            approve(extra)
            attend(extra, absent={"Ли"})
            decide(
                extra,
                item,
                "Провести служебную проверку по изложенным фактам; результаты представить мониторинговой группе.",
                executors=[
                    ExecutorInput(unit_id=police[8].pk, due_working_days=10),
                    ExecutorInput(
                        name="Начальник Ауэзовского РУП",
                        due_working_days=10,
                        email="rup.auezov@police.demo.kz",
                        language="kk",
                    ),
                ],
            )

        # May: no quorum on the bar's side: attendance recorded, no decisions.
        empty = past(-196)
        if empty is not None:
            add_agenda_item(
                empty,
                actor=writer,
                kind=AgendaItemKind.PLAN_REPORT,
                speaker=m["Бекова"],
                title_ru="О практике продления сроков досудебного расследования",
                title_kk="Сотқа дейінгі тергеп-тексеру мерзімдерін ұзарту тәжірибесі туралы",
            )
            approve(empty)
            attend(empty, absent={"Абдрахманова", "Садыков", "Ли", "Тлеубаев", "Мусина"})

        # Two weeks later the meeting is held again, with a quorum: the question left over.
        # (A meeting without a quorum is not a held meeting: the cadence counts this one.)
        again = past(-182, hour=15)
        if again is not None:
            item = add_agenda_item(
                again,
                actor=writer,
                kind=AgendaItemKind.PLAN_REPORT,
                speaker=m["Бекова"],
                title_ru="О практике продления сроков досудебного расследования",
                title_kk="Сотқа дейінгі тергеп-тексеру мерзімдерін ұзарту тәжірибесі туралы",
            )
            approve(again)
            attend(again, absent={"Касымов"})
            decide(
                again,
                item,
                "Обобщить практику продления сроков и довести до следователей.",
                executors=[ExecutorInput(unit_id=police[1].pk, due_date=due(again, 45))],
            )

        # July: the plan report of the second quarter, and a remark on the December decision.
        july = past(-144)
        if july is not None:
            item = add_agenda_item(
                july,
                actor=writer,
                kind=AgendaItemKind.PLAN_REPORT,
                speaker=m["Оспанов"],
                plan_item_ref="План на 2026 год, п. 2",
                title_ru="Отчёт о выполнении плана работы за II квартал 2026 года",
                title_kk="2026 жылғы II тоқсандағы жұмыс жоспарының орындалуы туралы есеп",
            )
            remark = None
            if first_decision is not None:
                remark = add_agenda_item(
                    july,
                    actor=writer,
                    remark_on=first_decision,
                    speaker=m["Исаев"],
                    title_ru="Замечание: журнал допуска адвокатов в ИВС ведётся не во всех сменах",
                    title_kk="Ескерту: ИВС-те адвокаттарды жіберу журналы барлық ауысымда жүргізілмейді",
                )
            approve(july)
            attend(july, absent={"Касымов"})
            decide(
                july,
                item,
                "Информацию принять к сведению.",
                "Ақпарат назарға алынсын.",
                [ExecutorInput(member_id=secretary.pk, due_working_days=5)],
            )
            if remark is not None:
                decide(
                    july,
                    remark,
                    "Обеспечить ведение журнала во всех дежурных сменах ИВС.",
                    "ИВС-тің барлық кезекші ауысымдарында журнал жүргізуді қамтамасыз ету.",
                    [ExecutorInput(member_id=m["Ким"].pk, due_working_days=5)],
                )

        # August: online, a proposal on video recording of interrogations.
        online = past(
            -92,
            format=MeetingFormat.ONLINE,
            place="",
            conference_url="https://conference.demo.alqa.kz/mmg-almaty-2026-08",
            online_ground=OnlineGround.URGENT,
            online_ground_note="Жалобы на допросы без видеофиксации: обобщение нужно до конца квартала",
        )
        if online is not None:
            item = accept_proposal(
                proposal(
                    m["Садыков"],
                    before=online,
                    title_ru="О видеофиксации допросов подозреваемых",
                    title_kk="Күдіктілерден жауап алуды бейнетіркеу туралы",
                    memo_ru=MEMO_VIDEO_RU,
                    memo_kk=MEMO_VIDEO_KK,
                ),
                meeting=online,
                at=online.starts_at - timedelta(days=14),
                actor=writer,
                decider=chair,
            )
            approve(online)
            attend(online, absent={"Ли", "Нургалиева"})
            decide(
                online,
                item,
                "Обобщить практику жалоб по статьям 105, 106 УПК РК и довести до личного состава подразделений "
                "следствия и дознания.",
                "ҚПК 105, 106-баптары бойынша шағымдар тәжірибесін қорытып, жеке құрамға жеткізу.",
                [
                    ExecutorInput(unit_id=police[1].pk, due_working_days=20),
                    ExecutorInput(unit_id=bar[2].pk, due_working_days=20),
                ],
            )

        # October: the special reception centre.
        october = past(-40)
        if october is not None:
            item = accept_proposal(
                proposal(
                    m["Ли"],
                    before=october,
                    title_ru="О связи доставленных в специальный приёмник с защитником",
                    memo_ru=MEMO_SPEC_RU,
                ),
                meeting=october,
                at=october.starts_at - timedelta(days=14),
                actor=writer,
                decider=chair,
            )
            plan = add_agenda_item(
                october,
                actor=writer,
                kind=AgendaItemKind.PLAN_REPORT,
                speaker=m["Оспанов"],
                plan_item_ref="План на 2026 год, п. 3",
                title_ru="Отчёт о выполнении плана работы за III квартал 2026 года",
                title_kk="2026 жылғы III тоқсандағы жұмыс жоспарының орындалуы туралы есеп",
            )
            approve(october)
            attend(october, absent={"Тлеубаев"})
            decide(
                october,
                item,
                "Обеспечить доставленным в специальный приёмник возможность связаться с защитником; разместить "
                "памятку на казахском и русском языках.",
                "Арнайы қабылдау орнына жеткізілгендерге қорғаушымен байланысу мүмкіндігін қамтамасыз ету.",
                [ExecutorInput(unit_id=police[5].pk, due_date=due(october, 21))],
            )
            decide(
                october,
                plan,
                "Информацию принять к сведению.",
                executors=[ExecutorInput(member_id=secretary.pk, due_working_days=5)],
            )

        # Ahead: the next regular meeting, its agenda approved, the invitations queued.
        upcoming = schedule_meeting(
            body=body,
            actor=writer,
            kind=MeetingKind.REGULAR,
            format=MeetingFormat.IN_PERSON,
            starts_at=at(10),
            presiding=chair,
            place="ДП г. Алматы, ул. Масанчи, 57А, зал совещаний",
        )
        accept_proposal(
            proposal(
                m["Мусина"],
                title_ru="О дежурствах адвокатов в ночное время",
                title_kk="Адвокаттардың түнгі кезекшілігі туралы",
                memo_ru=MEMO_NIGHT_RU,
                memo_kk="Негіздеме анықтамасы.\n\nТүнгі уақытта тергеу-жедел топтары кезекші адвокаттың "
                "қатысуын әрдайым қамтамасыз ете бермейді. Аудандар бойынша кезекшілік кестесін "
                "келісу ұсынылады.",
            ),
            meeting=upcoming,
            actor=writer,
            decider=chair,
        )
        accept_proposal(
            proposal(
                m["Нургалиева"],
                title_kk="Ұсталғандардың туыстарына хабарлау тәртібі туралы",
                memo_kk="Негіздеме анықтамасы.\n\nҰсталғандардың туыстарына хабарлау уақыты журналда "
                "көрсетілмейді. Хабарлаудың уақыты мен тәсілін тіркеу ұсынылады.",
            ),
            meeting=upcoming,
            actor=writer,
            decider=chair,
        )
        plan_2027 = add_agenda_item(
            upcoming,
            actor=writer,
            kind=AgendaItemKind.PLAN_REPORT,
            speaker=m["Касымов"],
            title_ru="О плане работы на 2027 год",
            title_kk="2027 жылға арналған жұмыс жоспары туралы",
            plan_item_ref="План на 2026 год, п. 6",
        )
        # the secretary edits the draft: the plan first, its title made precise
        move_agenda_item(plan_2027, actor=writer, direction="up")
        move_agenda_item(plan_2027, actor=writer, direction="up")
        change_agenda_item(
            plan_2027,
            actor=writer,
            title_ru="О проекте плана работы на 2027 год",
            title_kk="2027 жылға арналған жұмыс жоспарының жобасы туралы",
            plan_item_ref="План на 2026 год, п. 6",
            speaker=m["Касымов"],
        )
        invite_guest(upcoming, guest=expert, actor=writer)
        approve_agenda(upcoming, actor=chair_user)
        # two members reply in the app: one attends, one will send materials
        for name, reply in (("Мусина", InvitationReply.ATTEND), ("Касымов", InvitationReply.MATERIALS)):
            reply_to_invitation(upcoming.invitations.get(member=m[name]), reply=reply)

        # The queue: one proposal waiting for a decision, one returned to its author.
        proposal(
            m["Оспанов"],
            title_ru="Об оборудовании комнат для конфиденциальных встреч адвокатов в РУП",
            title_kk="АПБ-да адвокаттардың құпия кездесулеріне арналған бөлмелер туралы",
            memo_ru="Справка-обоснование.\n\nВ трёх районных управлениях полиции нет помещений для "
            "конфиденциальных встреч адвоката с подзащитным. Предлагается определить такие помещения.",
        )
        returned = proposal(
            m["Исаев"],
            title_ru="О рассмотрении жалобы по уголовному делу № 2026-0417",
            memo_ru="Прошу рассмотреть на заседании доводы защиты по конкретному уголовному делу.",
        )
        return_proposal(
            returned,
            actor=writer,
            decider=chair,
            reason="Группа не рассматривает вопросы конкретного уголовного дела (пункт 1.2 Положения): "
            "доводы защиты заявляются в порядке, установленном УПК.",
        )

    def _plans(self, body, police):
        """This year's plan, approved in January, with items done on time, late, not done and in
        progress (the parts of the year already past); this quarter's plan as a draft; compliance
        remarks on a decision, one open and one closed with its outcome."""
        m = {member.full_name.split()[0]: member for member in Member.objects.filter(body=body)}
        chair, secretary = m["Серикбаев"], m["Ахметова"]
        writer = secretary.user
        assert writer is not None and chair.user is not None
        today = timezone.localdate()
        year = today.year
        annual = create_plan(body=body, actor=writer, period="year", year=year)
        items = [
            (
                "Посещение ИВС ДП г. Алматы: условия содержания и допуск адвокатов",
                "Алматы қ. ПД УҰИ-ға бару: ұстау жағдайлары және адвокаттардың кіруі",
                "Справка по итогам посещения",
                date(year, 3, 31),
                [PlanExecutor(member_id=m["Исаев"].pk), PlanExecutor(unit_id=police[1].pk)],
                ("done", date(year, 3, 20), "Посещение проведено 20 марта, справка заслушана."),
            ),
            (
                "Обобщение жалоб по статьям 105 и 106 УПК за полугодие",
                "ҚПК-нің 105 және 106-баптары бойынша шағымдарды жарты жылдағы қорыту",
                "Аналитическая записка",
                date(year, 6, 30),
                [PlanExecutor(member_id=m["Касымов"].pk)],
                ("done", date(year, 7, 14), "Записка подготовлена с опозданием на две недели."),
            ),
            (
                "Семинар для адвокатов о порядке допуска в ИВС",
                "Адвокаттарға арналған УҰИ-ға кіру тәртібі туралы семинар",
                "Проведённый семинар",
                date(year, 9, 30),
                [PlanExecutor(name="Президиум АГКА")],
                ("not_done", None, "Семинар не проведён: перенесён по решению Президиума."),
            ),
            (
                "Отчёт о работе группы за год",
                "Топтың бір жылғы жұмысы туралы есеп",
                "Отчёт, заслушанный на заседании",
                date(year, 12, 31),
                [PlanExecutor(member_id=chair.pk), PlanExecutor(member_id=m["Исаев"].pk)],
                None,
            ),
        ]
        added = []
        for activity_ru, activity_kk, expected_ru, due, executors, result in items:
            added.append(
                (
                    add_plan_item(
                        annual,
                        actor=writer,
                        activity_ru=activity_ru,
                        activity_kk=activity_kk,
                        expected_ru=expected_ru,
                        due_date=due,
                        executors=executors,
                    ),
                    result,
                )
            )
        approve_plan(
            annual, actor=chair.user, approver=chair, now=timezone.make_aware(datetime(year, 1, 10, 11))
        )
        for item, result in added:
            if result is None:
                continue
            status, done_on, text = result
            if item.due_date < today and (done_on is None or done_on <= today):
                record_plan_result(item, actor=writer, status=status, done_on=done_on, result_ru=text)
        quarter = (today.month - 1) // 3 + 1
        last_month = 3 * quarter
        last_day = date(year + (last_month == 12), last_month % 12 + 1, 1) - timedelta(days=1)
        draft = create_plan(body=body, actor=writer, period="quarter", year=year, quarter=quarter)
        add_plan_item(
            draft,
            actor=writer,
            activity_ru="Проверка журналов регистрации прибытия адвокатов в ИВС",
            activity_kk="УҰИ-да адвокаттардың келуін тіркеу журналдарын тексеру",
            expected_ru="Справка о результатах проверки",
            due_date=last_day,
            executors=[PlanExecutor(member_id=m["Исаев"].pk), PlanExecutor(unit_id=police[1].pk)],
        )
        decisions = list(
            Decision.objects.filter(meeting__body=body).order_by("meeting__starts_at", "number")[:2]
        )
        if decisions:
            file_remark(
                body=body,
                author=m["Исаев"],
                actor=m["Исаев"].user or writer,
                decision=decisions[0],
                facts_ru="В журнале ИВС за последний месяц нет отметок о времени допуска адвокатов: решение "
                "группы не исполняется.",
                facts_kk="Соңғы айда УҰИ журналында адвокаттардың кіру уақыты туралы белгілер жоқ: топтың "
                "шешімі орындалмайды.",
            )
        if len(decisions) > 1:
            closed = file_remark(
                body=body,
                author=m["Касымов"],
                actor=m["Касымов"].user or writer,
                decision=decisions[1],
                facts_ru="Сведения о выполнении решения не представлены в установленный срок.",
            )
            close_remark(
                closed,
                actor=writer,
                outcome_ru="Сведения получены с опозданием; исполнителю указано на соблюдение сроков.",
                outcome_kk="Мәліметтер кешіктіріліп алынды; орындаушыға мерзімдерді сақтау көрсетілді.",
            )

    def _complaints(self, body, admin, police):
        """Two years of a district's complaints under Art. 105 and 106 (generated, reproducible),
        imported the way a secretary imports police statistics, and one approved generalisation
        note of the last full half-year."""
        import random

        from django.core.files.uploadedfile import SimpleUploadedFile

        from alqa.domain.complaint_import import (
            guess_columns,
            preview,
            receive_import,
            run_import,
            start_import,
        )
        from alqa.domain.complaint_notes import approve_note, create_note

        units = [u for u in police if u.side == Side.POLICE and u.kind != UnitKind.ORGANISATION] or police
        rng = random.Random(2025)
        today = timezone.localdate()
        start = today.replace(day=1) - timedelta(days=730)
        subjects = [
            ("Отказ в регистрации заявления (сообщения)", 18),
            ("Прекращение уголовного дела", 22),
            ("Приостановление досудебного расследования", 14),
            ("Обыск, выемка", 9),
            ("Задержание", 11),
            ("Доступ к защитнику", 8),
            ("Нарушение сроков", 12),
            ("Иное", 6),
        ]
        officials = [
            ("Следователь", 55),
            ("Дознаватель", 25),
            ("Начальник подразделения", 12),
            ("Прокурор", 8),
        ]
        outcomes = [
            ("Удовлетворена полностью", 17),
            ("Удовлетворена частично", 9),
            ("Отказано в удовлетворении", 52),
            ("Оставлена без рассмотрения", 14),
            ("Отозвана", 8),
        ]

        def pick(weighted):
            return rng.choices([w[0] for w in weighted], weights=[w[1] for w in weighted])[0]

        lines = [
            "Статья;Дата подачи;Дата решения;Подразделение;Должностное лицо;Предмет;Результат;Нарушение;Меры"
        ]
        day = start
        while day < today:
            for _ in range(rng.choice((0, 1, 1, 1, 2, 2))):
                filed = day + timedelta(days=rng.randrange(7))
                if filed >= today:
                    continue
                article = "106" if rng.random() < 0.3 else "105"
                wait = rng.choice((1, 2, 3, 3, 5, 5, 7, 10, 15, 20, 30))
                decided = filed + timedelta(days=wait)
                outcome = pick(outcomes) if decided < today else "На рассмотрении"
                satisfied = outcome.startswith("Удовлетворена")
                lines.append(
                    ";".join(
                        [
                            article,
                            f"{filed:%d.%m.%Y}",
                            f"{decided:%d.%m.%Y}" if decided < today else "",
                            rng.choice(units).name_ru,
                            pick(officials),
                            pick(subjects),
                            outcome,
                            "да" if satisfied and rng.random() < 0.8 else "нет",
                            "Указание об устранении нарушений" if satisfied else "",
                        ]
                    )
                )
            day += timedelta(days=7)
        content = ("\n".join(lines) + "\n").encode()
        job = receive_import(
            body=body,
            actor=admin,
            upload=SimpleUploadedFile("statistika-dp-2-goda.csv", content),
            source="Статистика ДП г. Алматы",
        )
        headers, _rows = preview(job)
        start_import(job, actor=admin, columns=guess_columns(headers, {}), headers=headers)
        run_import(job.pk)
        half = date(today.year, 1, 1) if today.month > 6 else date(today.year - 1, 7, 1)
        end = date(half.year, 6, 30) if half.month == 1 else date(half.year, 12, 31)
        note = create_note(
            body=body,
            actor=admin,
            title_ru=f"Обобщение практики рассмотрения жалоб по ст. 105, 106 УПК ({half:%d.%m.%Y} – {end:%d.%m.%Y})",
            title_kk=f"ҚПК-нің 105, 106-баптары бойынша шағымдарды қарау тәжірибесін қорыту ({half:%d.%m.%Y} – {end:%d.%m.%Y})",
            period_from=half,
            period_to=end,
            causes_ru="Основная доля жалоб связана с прекращением дел и отказом в регистрации заявлений; "
            "типичная причина — немотивированность постановлений.",
            causes_kk="Шағымдардың негізгі үлесі істерді тоқтатумен және арыздарды тіркеуден бас тартумен "
            "байланысты; әдеттегі себеп — қаулылардың дәлелсіздігі.",
            conclusions_ru="Доля удовлетворённых жалоб остаётся стабильной; по ст. 106 сроки рассмотрения короче.",
            conclusions_kk="Қанағаттандырылған шағымдардың үлесі тұрақты; 106-бап бойынша қарау мерзімдері қысқа.",
            recommendations_ru="Рассмотреть результаты на занятиях по служебной подготовке следователей и дознавателей.",
            recommendations_kk="Нәтижелерді тергеушілер мен анықтаушылардың қызметтік даярлық сабақтарында қарау.",
        )
        chair = Member.objects.filter(body=body, role=Role.CHAIR).select_related("user").first()
        if chair is not None and chair.user is not None:
            approve_note(note, actor=chair.user)
        from alqa.domain.complaints import add_subject

        # a subject of the district's own, beside the classifier every body starts with
        add_subject(body=body, actor=admin, name_ru="Изъятие имущества", name_kk="Мүлікті алып қою")

    def _print_logins(self):
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for email, what in LOGINS:
            self.stdout.write(f"  {email:<26} {what}")
        if not settings.DEMO_WAIVE_MFA:
            self.stdout.write(
                "The second factor is required for chair, deputy chair, secretary and administrators."
            )

    def _execution(self, body):
        """The assignments of the demo's decisions in every state of execution control: received on
        paper, information given, report submitted, done, returned, withdrawn, one extended and one
        awaiting a decision on its extension, the named official with a personal link; the older
        ones left overdue."""
        from django.core.exceptions import ValidationError

        from alqa.domain import execution

        chair = Member.objects.filter(body=body, role=Role.CHAIR).first()
        secretary = Member.objects.filter(body=body, role=Role.SECRETARY).first()
        if chair is None or secretary is None or chair.user is None or secretary.user is None:
            return
        clerk, boss = secretary.user, chair.user
        tasks = list(
            Assignment.objects.filter(body=body, decision__isnull=False)
            .select_related("body", "decision__meeting")
            .order_by("-decision__meeting__starts_at", "pk")
        )

        def receive(a):
            try:
                execution.record_receipt(a, actor=clerk, via="paper")
            except ValidationError:  # its protocol is not signed yet
                pass

        def report(a, kind, text):
            return execution.submit_report(a, kind=kind, text=text, actor=clerk)[0]

        plans = ["received", "info", "submitted", "done", "returned", "extended", "asks", "withdrawn"]
        for a, plan in zip(tasks, plans, strict=False):
            receive(a)
            if plan == "info":
                report(a, "info", "Издан приказ о порядке допуска адвокатов; ответственные назначены.")
            elif plan in ("submitted", "done", "returned"):
                report(a, "info", "Начато исполнение, назначены ответственные.")
                final = report(a, "final", "Исполнено: памятки размещены во всех ИВС, журнал ведётся.")
                if plan == "done":
                    execution.decide_report(final, actor=boss, accept=True)
                elif plan == "returned":
                    execution.decide_report(
                        final, actor=boss, accept=False, comment="Приложите копию журнала за месяц."
                    )
            elif plan in ("extended", "asks"):
                ask, _new = execution.request_extension(
                    a, reason="Ремонт помещения ИВС до конца месяца.", working_days=10, actor=clerk
                )
                if plan == "extended":
                    execution.decide_extension(
                        ask, actor=boss, grant=True, comment="Продлить на 10 рабочих дней."
                    )
            elif plan == "withdrawn":
                execution.close_assignment(
                    a, actor=boss, withdraw=True, comment="Решение исполнено в рамках другого поручения."
                )
        for a in tasks:
            a.refresh_from_db()
            if a.executor_email and a.status in ("issued", "received"):
                execution.send_link(a, actor=clerk)
        self._plan_execution(body, clerk=clerk, boss=boss)

    def _plan_execution(self, body, *, clerk, boss):
        """The assignments of this year's plan items in the states of the decisions' (through the
        same domain functions, audited): the first item's done on time, the second's done late,
        the third's left overdue, and of the last item's one with its report awaiting the chair's
        decision and one received."""
        from django.core.exceptions import ValidationError

        from alqa.domain import execution

        now = timezone.now()
        tasks = list(
            Assignment.objects.filter(
                body=body, plan_item__plan__year=now.year, plan_item__plan__period="year"
            )
            .select_related("body", "plan_item__plan")
            .order_by("plan_item__number", "pk")
        )
        by_item: dict[int, list[Assignment]] = {}  # in the items' order
        for a in tasks:
            by_item.setdefault(a.plan_item_id or 0, []).append(a)

        def at(day: date, hour: int = 11) -> datetime:
            return min(timezone.make_aware(datetime.combine(day, time(hour))), now)

        def receive(a, day: date):
            try:
                execution.record_receipt(a, actor=clerk, via="paper", on=min(day, now.date()), now=at(day))
            except ValidationError:
                pass

        numbers = list(by_item)
        for position, number in enumerate(numbers):
            for index, a in enumerate(by_item[number]):
                due = a.due_date
                if position == 0 or position == 1:  # done on time, then done late
                    day = due - timedelta(days=7) if position == 0 else due + timedelta(days=12)
                    receive(a, due - timedelta(days=20))
                    final, _new = execution.submit_report(
                        a,
                        kind="final",
                        text="Исполнено: справка по итогам представлена.",
                        actor=clerk,
                        now=at(day),
                    )
                    execution.decide_report(
                        final, actor=boss, accept=True, now=at(day + timedelta(days=1), 15)
                    )
                elif position == len(numbers) - 1 and index == 0:  # a report awaiting the chair
                    receive(a, now.date() - timedelta(days=10))
                    execution.submit_report(
                        a, kind="final", text="Отчёт подготовлен, прошу заслушать.", actor=clerk, now=now
                    )
                elif position == len(numbers) - 1:
                    receive(a, now.date() - timedelta(days=10))
                # the others are left as issued: overdue once their deadline has passed

    def _protocols(self, body):
        """Protocols of the year's meetings that took place, one in each state: signed on time,
        signed late, distributed, acknowledged, amended, and the newest a draft. Signatures are
        recorded as made on paper on their days (the demo's meetings are entered after the fact)."""
        from alqa.domain import protocols as protocols_domain
        from alqa.enums import SignatureMethod

        chair = Member.objects.filter(body=body, role=Role.CHAIR).first()
        secretary = Member.objects.filter(body=body, role=Role.SECRETARY).first()
        if chair is None or secretary is None or secretary.user is None:
            return
        clerk = secretary.user
        today = timezone.localdate()
        held = [
            m
            for m in Meeting.objects.filter(body=body, starts_at__lt=timezone.now()).order_by("starts_at")
            if protocols_domain.meeting_took_place(m)
        ]
        plans = ["on_time", "late", "distributed", "acknowledged", "amended", "draft"]
        count = min(len(held), len(plans))
        for meeting, plan in zip(held[len(held) - count :], plans[len(plans) - count :], strict=True):
            protocol = protocols_domain.create_protocol(meeting, actor=clerk)
            if plan == "draft":
                continue
            day = timezone.localtime(meeting.starts_at).date()
            signed_on = min(day + timedelta(days=2), today)
            if plan == "late":
                signed_on = min(protocol.sign_due + timedelta(days=4), today)

            def sign(protocol=protocol, signed_on=signed_on):
                h = protocols_domain.current_revision(protocol).content_hash
                for member in (chair, secretary):
                    protocols_domain.sign_protocol(
                        protocol,
                        actor=clerk,
                        signed_hash=h,
                        method=SignatureMethod.PAPER,
                        member=member,
                        signed_on=signed_on,
                    )

            sign()
            if plan in ("distributed", "acknowledged", "amended"):
                protocols_domain.distribute_protocol(protocol, actor=clerk)
            if plan in ("acknowledged", "amended"):
                for recipient in protocol.recipients.exclude(outbox=None).order_by("pk")[:3]:
                    protocols_domain.acknowledge(recipient.token)
            if plan == "amended":
                protocols_domain.amend_protocol(
                    protocol,
                    actor=clerk,
                    reason="Уточнена фамилия выступавшего / Сөйлеушінің тегі нақтыланды",
                )
                sign()
                # the amendment went out again: one recipient has acknowledged the new text, the
                # others' acknowledgements of the first are shown as of the earlier text
                again = protocol.recipients.exclude(outbox=None).order_by("pk").first()
                if again is not None:
                    protocols_domain.acknowledge(again.token)
