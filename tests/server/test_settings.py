"""statsrv.toml: defaults, every mistake named by key, exit code 2, and the bundled files."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from statsrv.cli import main
from statsrv.config_error import ConfigError
from statsrv.paths import bundled_config_dir
from statsrv.settings import hash_token, load_settings, resolve_zone, token_accepted


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "statsrv.toml"
    path.write_text(text)
    return path


def test_bundled_settings_are_the_documented_defaults():
    settings = load_settings()
    assert (settings.server.client_port, settings.server.ingest_port) == (7070, 7071)
    assert settings.server.host == "127.0.0.1"
    assert settings.limits.max_statistics_per_client == 300_000
    assert settings.server.registration_timeout_seconds == 10.0
    assert settings.validity.grace_seconds == 5.0
    assert settings.statistics_path.is_file() and settings.objects_path.is_file()


def test_files_resolve_against_the_settings_file_not_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert load_settings().statistics_path == bundled_config_dir() / "statistics.toml"


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("[server]\nclient_port = 'x'\n", "[server] client_port: expected int"),
        ("[server]\nclient_port = 70000\n", "[server] client_port: must be 0..65535"),
        ("[server]\ncolour = 1\n", "[server] colour: unknown key"),
        ("[serve]\n", "[serve] (section): unknown section"),
        ("[limits]\nmax_pending_output_bytes = 10\n", "[limits] max_pending_output_bytes"),
        ("[server]\nmode = 'Standby'\n", "[server] mode: must be Primary or Backup"),
        ("[server]\ntime_zone = 'Mars/Olympus'\n", "[server] time_zone: unknown time zone"),
        ("[auth]\nclient_token_sha256 = ['abc']\n", "[auth] client_token_sha256"),
        ("[ingest]\nack_interval_seconds = 3\n", "[ingest] ack_interval_seconds"),
        ("[server\n", "syntax"),
    ],
)
def test_each_mistake_names_the_key(tmp_path, text, where):
    with pytest.raises(ConfigError) as caught:
        load_settings(write(tmp_path, text))
    assert where in str(caught.value)
    assert str(caught.value).startswith("statsrv.toml")


def test_bad_config_exits_2_with_one_clear_line(tmp_path, capsys):
    path = write(tmp_path, "[limits]\nmax_statistics_per_client = 0\n")
    assert main(["serve", "--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert "[limits] max_statistics_per_client: must be >= 1" in err
    assert "Traceback" not in err


def test_bad_statistics_file_exits_2(tmp_path):
    (tmp_path / "statistics.toml").write_text("[StatisticTypes.X]\nCategory = 'Nope'\n")
    (tmp_path / "objects.toml").write_text("")
    path = write(tmp_path, "[server]\nclient_port = 0\ningest_port = 0\n")
    result = subprocess.run(
        [sys.executable, "-m", "statsrv", "serve", "--config", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "statistics.toml" in result.stderr
    assert "Traceback" not in result.stderr


def test_tokens_are_checked_against_their_digests():
    digest = hash_token("s3cret")
    assert len(digest) == 64
    assert token_accepted("s3cret", (digest,))
    assert not token_accepted("guess", (digest,))
    assert not token_accepted(None, (digest,))
    assert token_accepted(None, ())


def test_empty_time_zone_follows_tz(monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Berlin")
    assert resolve_zone("").key == "Europe/Berlin"


def test_wheel_ships_the_bundled_configuration(tmp_path):
    root = Path(__file__).resolve().parents[2]
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(root)],
        check=True,
        timeout=300,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("statsrv-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ("statsrv.toml", "statistics.toml", "objects.toml"):
        assert f"statsrv/_config/{name}" in names
    assert "protocol/SPEC.md" in names
    assert any(n.startswith("statsrv/_config/scenarios/") for n in names)
