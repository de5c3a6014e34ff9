from alqa.api.main import api

__all__ = ["api"]
