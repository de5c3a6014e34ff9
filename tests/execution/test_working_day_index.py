"""The working-day index (alqa/domain/execution.py) counts as the walk over the calendar does:
for dates across years, either order, and with the calendar's own exceptions."""

import random
from datetime import date, timedelta

from alqa.domain.execution import WorkingDayIndex, working_days_between, working_days_to
from alqa.domain.workdays import DAY_OFF, WORKING_DAY, DayException, DayName, calendar_with


def test_the_index_counts_as_the_walk_does():
    calendar = calendar_with(
        [
            DayException(day=date(2025, 3, 5), kind=DAY_OFF, name=DayName("Выходной", "Демалыс", "Day off")),
            DayException(day=date(2025, 3, 8), kind=WORKING_DAY, name=DayName("Рабочий", "Жұмыс", "Working")),
        ]
    )
    index = WorkingDayIndex(calendar)
    pick = random.Random(11)
    start = date(2017, 1, 1)
    for _ in range(300):
        a = start + timedelta(days=pick.randrange(3650))
        b = start + timedelta(days=pick.randrange(3650))
        assert index.between(a, b) == working_days_between(calendar, a, b), (a, b)
    today = date(2026, 12, 2)
    days = [date(2025, 3, 4), date(2025, 3, 7), date(2019, 12, 31), today]
    assert working_days_to(calendar, days, today) == {
        d: working_days_between(calendar, d, today) for d in days
    }
