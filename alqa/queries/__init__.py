"""Read functions: one per page, returning plain frozen dataclasses of what the page shows.

They sit above permissions (they take the reader's permissions.MeetingReader and the like, never
decide access themselves) and below views; they never write. See docs/architecture.md."""
