# Kazakh formats: Django ships translations for Kazakh but no formats module.
#
# Kazakh writes the year first, with the adjective "жылғы", then the day and the month:
# «2026 жылғы 25 қараша». Letters outside ASCII are not format characters, so the Kazakh words need
# no escaping. (Django's Kazakh month names are capitalised; alqa_tags.human_date writes them in
# lower case inside a date.)
# The *_FORMAT strings use the Django date format syntax,
# see https://docs.djangoproject.com/en/5.2/ref/templates/builtins/#date
DATE_FORMAT = "Y жылғы j E"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "Y жылғы j E, H:i"
YEAR_MONTH_FORMAT = "Y жылғы F"
MONTH_DAY_FORMAT = "j E"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

# The *_INPUT_FORMATS strings use the Python strftime format syntax,
# see https://docs.python.org/3/library/datetime.html#strftime-strptime-behavior
DATE_INPUT_FORMATS = [
    "%d.%m.%Y",  # '25.11.2026'
    "%d.%m.%y",  # '25.11.26'
    "%Y-%m-%d",  # '2026-11-25' (what <input type="date"> sends)
]
TIME_INPUT_FORMATS = [
    "%H:%M:%S",  # '14:30:59'
    "%H:%M:%S.%f",  # '14:30:59.000200'
    "%H:%M",  # '14:30'
]
DATETIME_INPUT_FORMATS = [
    "%d.%m.%Y %H:%M:%S",  # '25.11.2026 14:30:59'
    "%d.%m.%Y %H:%M:%S.%f",  # '25.11.2026 14:30:59.000200'
    "%d.%m.%Y %H:%M",  # '25.11.2026 14:30'
    "%d.%m.%y %H:%M:%S",  # '25.11.26 14:30:59'
    "%d.%m.%y %H:%M",  # '25.11.26 14:30'
    "%Y-%m-%d %H:%M:%S",  # '2026-11-25 14:30:59'
    "%Y-%m-%d %H:%M",  # '2026-11-25 14:30'
    "%Y-%m-%dT%H:%M",  # '2026-11-25T14:30' (what <input type="datetime-local"> sends)
]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # non-breaking space
NUMBER_GROUPING = 3
