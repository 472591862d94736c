"""HTTPS settings for a deployment: HSTS and the redirect to HTTPS, set by environment variables."""

from __future__ import annotations

import os
import subprocess
import sys


def check_deploy(tmp_path, **env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items()
                   if not k.startswith("BANGFU_") and k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    environment.update(BANGFU_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="bangfu.settings", **env)
    return subprocess.run([sys.executable, "-m", "django", "check", "--deploy"], env=environment,
                          capture_output=True, text=True, timeout=120)


def probe(tmp_path, **env) -> str:
    environment = {k: v for k, v in os.environ.items()
                   if not k.startswith("BANGFU_") and k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    environment.update(BANGFU_DATA_DIR=str(tmp_path), **env)
    code = ("import bangfu.settings as s; "
            "print(s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, getattr(s, 'SECURE_PROXY_SSL_HEADER', None))")
    run = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    return run.stdout.strip()


def test_https_settings_default_off_and_are_read_from_the_environment(tmp_path):
    assert probe(tmp_path) == "0 False None"
    assert probe(tmp_path, BANGFU_HSTS_SECONDS="31536000", BANGFU_SSL_REDIRECT="true",
                 BANGFU_TRUST_FORWARDED_PROTO="1") == "31536000 True ('HTTP_X_FORWARDED_PROTO', 'https')"


def test_a_bad_value_stops_the_start_with_its_name(tmp_path):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("BANGFU_")}
    environment.update(BANGFU_DATA_DIR=str(tmp_path), BANGFU_SSL_REDIRECT="maybe")
    run = subprocess.run([sys.executable, "-c", "import bangfu.settings"], env=environment, capture_output=True,
                         text=True, timeout=60)
    assert run.returncode != 0 and "BANGFU_SSL_REDIRECT must be a boolean" in run.stderr


def test_check_deploy_no_longer_warns_of_hsts_and_redirect_once_set(tmp_path):
    default = check_deploy(tmp_path)
    assert "security.W004" in default.stderr and "security.W008" in default.stderr
    configured = check_deploy(tmp_path, BANGFU_HSTS_SECONDS="31536000", BANGFU_SSL_REDIRECT="true")
    assert "security.W004" not in configured.stderr and "security.W008" not in configured.stderr
