"""Plug-in discovery: the apps' declarations on their AppConfigs, collected once."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.exceptions import ImproperlyConfigured

from bangfu.core.plugins import declared, merged


def test_tables_merge_the_apps_declarations():
    configs = [SimpleNamespace(label="one", table={"a.view": 1}), SimpleNamespace(label="two"),
               SimpleNamespace(label="three", table={"b.view": 2, "b.change": 3})]
    assert merged("table", configs) == {"a.view": 1, "b.view": 2, "b.change": 3}


def test_a_key_two_apps_declare_is_an_error():
    configs = [SimpleNamespace(label="one", table={"a.view": 1}), SimpleNamespace(label="two", table={"a.view": 1})]
    with pytest.raises(ImproperlyConfigured, match="'a.view' is declared by both one and two"):
        merged("table", configs)


def test_declarations_come_in_their_order_and_apps_in_installed_order_between_equals():
    from django.apps import apps

    every = [item for config in apps.get_app_configs() for item in getattr(config, "nav", ())]
    assert list(declared("nav")) == sorted(every, key=lambda item: item.order)
    assert declared("no_such_declaration") == ()
