"""Demo data: the Almaty monitoring group with both sides, units and fictional people."""

from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from alqa.domain.bodies import add_guest, create_body, create_unit
from alqa.domain.members import add_member
from alqa.enums import AppointmentBasis, GuestKind, Role, Side, UnitKind
from alqa.models import Body, User

DEMO_PASSWORD = "alqa-demo-2026"

POLICE_UNITS = [
    ("Департамент полиции города Алматы", "Алматы қаласының Полиция департаменті", UnitKind.ORGANISATION, False),
    ("Следственное управление ДП г. Алматы", "Алматы қ. ПД Тергеу басқармасы", UnitKind.STRUCTURAL, False),
    ("Управление дознания ДП г. Алматы", "Алматы қ. ПД Анықтау басқармасы", UnitKind.STRUCTURAL, False),
    ("Управление криминальной полиции ДП г. Алматы", "Алматы қ. ПД Криминалдық полиция басқармасы", UnitKind.STRUCTURAL, True),
    ("Изолятор временного содержания ДП г. Алматы", "Алматы қ. ПД Уақытша ұстау изоляторы", UnitKind.SUBORDINATE, False),
    ("Специальный приёмник ДП г. Алматы", "Алматы қ. ПД Арнайы қабылдау орны", UnitKind.SUBORDINATE, False),
    ("Алмалинское районное управление полиции", "Алмалы аудандық полиция басқармасы", UnitKind.SUBORDINATE, False),
    ("Бостандыкское районное управление полиции", "Бостандық аудандық полиция басқармасы", UnitKind.SUBORDINATE, False),
    ("Ауэзовское районное управление полиции", "Әуезов аудандық полиция басқармасы", UnitKind.SUBORDINATE, False),
]
BAR_UNITS = [
    ("Алматинская городская коллегия адвокатов", "Алматы қалалық адвокаттар алқасы", UnitKind.ORGANISATION),
    ("Президиум Алматинской городской коллегии адвокатов", "Алматы қалалық адвокаттар алқасының Төралқасы", UnitKind.PRESIDIUM),
    ("Мониторинговая группа АГКА по взаимодействию с судебными и правоохранительными органами",
     "АҚАА сот және құқық қорғау органдарымен өзара іс-қимыл жөніндегі мониторинг тобы", UnitKind.STRUCTURAL),
]

# (full name, e-mail or "", side, role, unit index, position, language)
PEOPLE = [
    ("Серикбаев Арман Нурланович", "chair@demo.alqa.kz", Side.POLICE, Role.CHAIR, 0,
     "Заместитель начальника Департамента полиции по следствию и дознанию", "ru"),
    ("Жумабекова Гульнара Маратовна", "deputy@demo.alqa.kz", Side.BAR, Role.DEPUTY_CHAIR, 0,
     "Заместитель председателя коллегии адвокатов", "kk"),
    ("Ахметова Динара Ерлановна", "secretary@demo.alqa.kz", Side.POLICE, Role.SECRETARY, 1,
     "Старший следователь по особо важным делам", "ru"),
    ("Касымов Берик Тулегенович", "member@demo.alqa.kz", Side.POLICE, Role.MEMBER, 1, "Начальник отдела", "ru"),
    ("Оспанов Ерлан Жаксылыкович", "ospanov@demo.alqa.kz", Side.POLICE, Role.MEMBER, 2, "Начальник управления", "kk"),
    ("Ким Виктор Александрович", "", Side.POLICE, Role.MEMBER, 4, "Начальник ИВС", "ru"),
    ("Нургалиева Айгерим Сериковна", "", Side.POLICE, Role.MEMBER, 6, "Заместитель начальника РУП", "kk"),
    ("Бекова Самал Ажибаевна", "", Side.POLICE, Role.MEMBER, 7, "Начальник следственного отдела", "ru"),
    ("Исаев Тимур Маратович", "lawyer@demo.alqa.kz", Side.BAR, Role.MEMBER, 2, "Адвокат, член мониторинговой группы", "ru"),
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
]


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
        police = []
        for name_ru, name_kk, kind, operational in POLICE_UNITS:
            parent = police[0] if police else None
            police.append(create_unit(body=body, actor=admin, name_ru=name_ru, name_kk=name_kk, side=Side.POLICE,
                                      kind=kind, parent=parent, is_operational_criminal_police=operational))
        bar = []
        for name_ru, name_kk, kind in BAR_UNITS:
            parent = bar[0] if bar else None
            bar.append(create_unit(body=body, actor=admin, name_ru=name_ru, name_kk=name_kk, side=Side.BAR,
                                   kind=kind, parent=parent))
        for full_name, email, side, role, unit_index, position, language in PEOPLE:
            unit = (police if side == Side.POLICE else bar)[unit_index]
            basis = (
                {"basis_kind": AppointmentBasis.ORDER, "basis_number": "245", "basis_date": date(2025, 1, 15)}
                if side == Side.POLICE
                else {"basis_kind": AppointmentBasis.PRESIDIUM_RESOLUTION, "basis_number": "12",
                      "basis_date": date(2025, 1, 10)}
            )
            add_member(body=body, actor=admin, full_name=full_name, email=email, side=side, role=role, unit=unit,
                       position=position, active_from=date(2025, 2, 1), language=language, **basis)
        # A member who left: the register still answers who was a member on a past date.
        add_member(body=body, actor=admin, full_name="Омаров Руслан Кенжебекович", side=Side.POLICE,
                   role=Role.MEMBER, unit=police[8], position="Начальник следственного отдела",
                   active_from=date(2025, 2, 1), active_to=date(2025, 12, 31), language="ru")
        add_guest(body=body, actor=admin, full_name="Ермекова Лаура Сабитовна", kind=GuestKind.EXPERT,
                  organisation="Казахский национальный университет им. аль-Фараби",
                  position="Доцент кафедры уголовного процесса", email="expert@demo.alqa.kz", language="ru")
        add_guest(body=body, actor=admin, full_name="Жаксылыков Айдар Муратович", kind=GuestKind.PUBLIC,
                  organisation="Общественный совет г. Алматы", position="Член совета", language="kk")
        # A second body in the same installation: its data is invisible to the Almaty group.
        other = create_body(actor=admin, name_ru="Межведомственная мониторинговая группа ДП области Жетісу",
                            name_kk="Жетісу облысы ПД ведомствоаралық мониторинг тобы", city="Талдыкорган")
        other_unit = create_unit(body=other, actor=admin, name_ru="Департамент полиции области Жетісу",
                                 name_kk="Жетісу облысының Полиция департаменті", side=Side.POLICE,
                                 kind=UnitKind.ORGANISATION)
        add_member(body=other, actor=admin, full_name="Байжанов Марат Оралович", email="zhetysu@demo.alqa.kz",
                   side=Side.POLICE, role=Role.CHAIR, unit=other_unit, position="Заместитель начальника ДП",
                   active_from=date(2025, 3, 1), language="kk")
        # The deputy chair of Almaty also sits in the Zhetysu group: one user, two bodies.
        add_member(body=other, actor=admin, full_name="Жумабекова Гульнара Маратовна", email="deputy@demo.alqa.kz",
                   side=Side.BAR, role=Role.MEMBER, position="Адвокат", active_from=date(2025, 3, 1), language="kk")
        for user in User.objects.filter(email__endswith="@demo.alqa.kz"):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))

    def _print_logins(self):
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for email, what in LOGINS:
            self.stdout.write(f"  {email:<26} {what}")
        if not settings.DEMO_WAIVE_MFA:
            self.stdout.write("The second factor is required for chair, deputy chair, secretary and administrators.")
