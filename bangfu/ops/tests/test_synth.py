"""`bangfu synth`: a county's households, and every app's synth steps for them."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bangfu.households.models import Household
from bangfu.regions.models import Region


def test_synth_command(regions):
    out = StringIO()
    call_command("synth", "--households", "30", "--county", "370215", "--workers", "1", stdout=out)
    assert "30 households" in out.getvalue()
    assert Household.objects.count() == 30


def test_synth_households_only_leaves_out_the_steps(regions):
    from bangfu.casework.models import Contact

    out = StringIO()
    call_command("synth", "--households", "20", "--county", "370215", "--workers", "1", "--households-only",
                 stdout=out)
    assert Household.objects.count() == 20
    assert not Contact.objects.exists()
    assert "synth: casework" not in out.getvalue()
    call_command("synth", "--households", "5", "--county", "370215", "--workers", "1", stdout=out)
    assert Contact.objects.exists()


@pytest.mark.parametrize("args", [["--households", "0"], ["--households", "5", "--county", "3702"]])
def test_synth_command_refuses_bad_input(regions, args):
    with pytest.raises(CommandError):
        call_command("synth", *args, stdout=StringIO())
    assert not Household.objects.exists()


def test_synth_command_refuses_a_county_without_townships(regions):
    Region.objects.create(code="370299", name="无乡镇县", level="county", parent_id="3702")
    with pytest.raises(CommandError, match="370299"):
        call_command("synth", "--households", "5", "--county", "370299", stdout=StringIO())
