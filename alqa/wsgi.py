import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alqa.settings")
application = get_wsgi_application()

# The first print pack of a worker would pay for WeasyPrint's start (alqa/documents/warmup.py).
if os.environ.get("ALQA_WARM_DOCUMENTS", "true").lower() not in ("0", "false", "no"):
    from alqa.documents.warmup import warm_in_background

    warm_in_background()
