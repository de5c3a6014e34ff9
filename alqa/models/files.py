"""What every stored file of a record keeps: its body, the file, the name it was sent with, its
content type (checked by content, alqa/domain/attachments.py), size and SHA-256. The kinds of file
differ only in what owns them and where they are kept (each declares `file` with its folder)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from alqa.models.bodies import Body


class StoredFile(models.Model):
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+")
    file: models.FileField  # declared by each kind, with the folder it is kept in
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name
