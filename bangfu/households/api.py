"""API routes for households (filled in below)."""

from ninja import Router

router = Router(tags=["households"])
