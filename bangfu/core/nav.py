"""The main menu: each app declares its entries on its AppConfig (`nav`), so adding an app adds its
links without touching the base template."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.module_loading import import_string
from django.utils.translation import get_language

from bangfu.core.permissions import permission_table
from bangfu.core.plugins import declared


@dataclass(frozen=True)
class NavItem:
    label: str  # a lazy translation
    url_name: str
    permission: str
    order: int = 100
    # Other views of the app that count as "this entry" for aria-current (e.g. the list entry for a
    # household's page); an exact url_name match always wins.
    also_current: tuple[str, ...] = ()
    # A dotted path to `f(user) -> int`, shown beside the label when not 0 (unread notifications).
    badge: str = ""
    # Less used entries go under "More" (a disclosure at the end of the menu), so that the daily
    # ones fit on one line. An entry with a badge should stay out of it: the count would be hidden.
    more: bool = False


@dataclass(frozen=True)
class NavLink:
    label: str
    href: str
    current: bool
    badge: int = 0
    more: bool = False


@dataclass(frozen=True)
class NavMenu:
    """The menu as shown: the daily entries, then the others under "More" (none when fewer than two
    would be there: a disclosure for one link is a click for nothing)."""

    main: list[NavLink]
    more: list[NavLink]

    @property
    def more_current(self) -> bool:
        return any(link.current for link in self.more)

    @property
    def current(self) -> NavLink | None:
        """The entry of the page shown (named on the phone's menu button)."""
        return next((link for link in [*self.main, *self.more] if link.current), None)

    @property
    def badge_total(self) -> int:
        """Every count on the menu, so that a closed phone menu does not hide one."""
        return sum(link.badge for link in [*self.main, *self.more])


@lru_cache(maxsize=256)
def _links_for(role: str, view_name: str | None, language: str | None, urlconf,
               prefix: str) -> tuple[tuple[NavItem, NavLink], ...]:
    """The menu of a role on a view: the same for every user of that role, so built (permission
    checks, reversed URLs, translated labels) once per process rather than on every page."""
    table = permission_table()
    items = [item for item in declared("nav") if role in table[item.permission]]
    current = next((item for item in items if item.url_name == view_name), None)
    if current is None and view_name:
        namespace = view_name.rpartition(":")[0]
        current = next((item for item in items if view_name in item.also_current
                        or f"{namespace}:*" in item.also_current), None)
    return tuple((item, NavLink(label=str(item.label), href=reverse(item.url_name), current=item is current,
                                   more=item.more))
                 for item in items)


def nav_links(user, view_name: str | None) -> list[NavLink]:
    """The entries this user may follow, marking the one the current view belongs to."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    links = _links_for(user.role, view_name, get_language(), get_urlconf(), get_script_prefix())
    # A count is read once a request (the user object is the request's): a kept page's key and the
    # page itself both show it (bangfu.history.pagecache).
    badges = user.__dict__.setdefault("_nav_badges", {})
    for item, _link in links:
        if item.badge and item.badge not in badges:
            badges[item.badge] = import_string(item.badge)(user)
    return [replace(link, badge=badges[item.badge]) if item.badge else link for item, link in links]


def nav_menu(user, view_name: str | None) -> NavMenu:
    links = nav_links(user, view_name)
    more = [link for link in links if link.more]
    if len(more) < 2:
        return NavMenu(main=links, more=[])
    return NavMenu(main=[link for link in links if not link.more], more=more)


def nav_menu_html(user, view_name: str | None) -> str:
    """The menu as HTML (core/_nav.html). The same links (with the same badge counts) always give
    the same HTML, so each menu as shown is rendered once per process and language."""
    menu = nav_menu(user, view_name)
    return _menu_html(tuple(menu.main), tuple(menu.more), get_language())


@lru_cache(maxsize=512)
def _menu_html(main: tuple[NavLink, ...], more: tuple[NavLink, ...], language: str | None) -> str:
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe

    # The template file's last newline is not part of the menu (base.html has its own).
    html = render_to_string("core/_nav.html", {"menu": NavMenu(main=list(main), more=list(more))})
    return mark_safe(html.removesuffix("\n"))
