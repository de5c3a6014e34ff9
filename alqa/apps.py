from django.apps import AppConfig


class AlqaConfig(AppConfig):
    name = "alqa"
    verbose_name = "Alqa"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Register the huey tasks in every process, the worker included (huey's own discovery
        # looks for tasks.py; Alqa's tasks live in jobs.py).
        from alqa import jobs  # noqa: F401
