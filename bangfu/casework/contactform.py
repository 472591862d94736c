"""Other apps' parts of the contact form: what a caseworker records on the same screen as a contact
(a need, for instance), saved in the same transaction as the contact, once.

Protocol:

* An app lists its parts on its AppConfig::

      contact_form_parts = ("bangfu.needs.contactpart.NeedPart",)

* The dotted path names a class built as ``Part(data, *, household, user)`` (``data`` is
  request.POST or None) with:

  - ``template_name``: the include rendered inside the contact form, in the
    ``{% block contact_parts %}`` of casework/contact_form.html, given ``part``. Its inputs carry
    the part's own prefix, so parts never clash with the contact's fields or each other.
  - ``is_valid() -> bool``: checked with the contact form; if any part is invalid nothing is saved
    and the screen is shown again with the part's errors.
  - ``save(contact) -> None``: called inside ``casework.services.contact_create``'s transaction
    (its ``then`` steps) with the new contact, only when the contact is created (not for a retried
    submission). It calls its own app's service; a ValidationError it raises rolls the contact back
    and is shown on the form.
  - an optional ``order`` (lower first).
  - an optional ``outcome``: after ``save``, a sentence saying what became of what the part
    saved (a need reported to the office), added to the page's "saved" message.

A caller outside the pages (the API, an import) passes its own ``then`` steps to contact_create.
"""

from __future__ import annotations

from functools import cache

from django.utils.module_loading import import_string

from bangfu.core.plugins import declared


@cache
def _part_classes() -> list[type]:
    classes = [import_string(path) for path in declared("contact_form_parts")]
    return sorted(classes, key=lambda cls: getattr(cls, "order", 100))


def contact_form_parts(data, *, household, user) -> list:
    return [cls(data, household=household, user=user) for cls in _part_classes()]
