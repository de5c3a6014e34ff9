"""The warm-up of the document renderer at worker start (alqa/documents/warmup.py)."""

import importlib

from alqa.documents import warmup


def test_the_warm_up_lays_out_the_documents_faces():
    assert "DejaVu Serif" in warmup.SAMPLE and "әғқңөұүһі" in warmup.SAMPLE
    assert warmup.warm_documents() > 0
    thread = warmup.warm_in_background()
    thread.join(60)
    assert not thread.is_alive()


def test_the_worker_starts_the_warm_up_unless_turned_off(monkeypatch):
    started = []
    monkeypatch.setattr(warmup, "warm_in_background", lambda: started.append(True))
    monkeypatch.setenv("ALQA_WARM_DOCUMENTS", "false")
    import alqa.wsgi

    importlib.reload(alqa.wsgi)
    assert started == []
    monkeypatch.setenv("ALQA_WARM_DOCUMENTS", "true")
    importlib.reload(alqa.wsgi)
    assert started == [True]
