"""The object catalogue: loading objects.toml and the errors that name file, section and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from statsrv.config_error import ConfigError
from statsrv.domain.catalogue import (
    CampaignConfig,
    Catalogue,
    TenantConfig,
    load_catalogue,
    parse_catalogue,
)
from statsrv.paths import bundled_config_dir


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "objects.toml"
    path.write_text(text)
    return path


def config_error(tmp_path: Path, text: str) -> ConfigError:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as error:
        load_catalogue(path)
    assert error.value.file == str(path)
    return error.value


def test_shipped_objects_file_holds_the_demo_catalogue() -> None:
    catalogue = load_catalogue(bundled_config_dir() / "objects.toml")
    environment = catalogue.tenants["Environment"]
    assert environment.strict_objects is True
    assert environment.password is None
    assert environment.campaigns == (
        CampaignConfig("Spring2027", ("Sales", "Retention"), ("LeadsEast", "LeadsWest")),
        CampaignConfig("Autumn2027", ("Sales",), ("LeadsWest",)),
    )


def test_default_tenant_always_present() -> None:
    assert set(parse_catalogue({}).tenants) == {"Environment"}
    assert set(Catalogue().tenants) == {"Environment"}
    other = parse_catalogue({"tenants": {"Acme": {}}})
    assert set(other.tenants) == {"Acme", "Environment"}


def test_tenant_settings_and_defaults(tmp_path) -> None:
    path = write(
        tmp_path,
        """
        [tenants.Acme]
        strict_objects = false
        password = "s3cret"
        [tenants.Acme.campaigns.Winter]
        [tenants."Big Corp".campaigns.Spring]
        groups = ["North"]
        """,
    )
    catalogue = load_catalogue(path)
    assert catalogue.tenants["Acme"] == TenantConfig(
        "Acme", False, "s3cret", (CampaignConfig("Winter"),)
    )
    big = catalogue.tenants["Big Corp"]
    assert (big.strict_objects, big.password) == (True, None)
    assert big.campaigns == (CampaignConfig("Spring", ("North",)),)


def test_config_error_str_names_file_section_and_key() -> None:
    error = ConfigError(
        "objects.toml",
        "tenants.Environment.campaigns.Spring2027",
        "groups",
        "expected a list of strings",
    )
    assert str(error) == (
        "objects.toml [tenants.Environment.campaigns.Spring2027] groups: expected a list of strings"
    )


CAMPAIGN = "[tenants.Environment.campaigns.Spring2027]\n"
CAMPAIGN_SECTION = "tenants.Environment.campaigns.Spring2027"

ERRORS = [
    # (toml text, section, key, part of the reason)
    ("colour = 1\n", "", "colour", "unknown key"),
    ("tenants = 3\n", "", "tenants", "expected a table"),
    ("[tenants.Environment]\nstrict = true\n", "tenants.Environment", "strict", "unknown key"),
    (
        "[tenants.Environment]\nstrict_objects = 'yes'\n",
        "tenants.Environment",
        "strict_objects",
        "expected true or false",
    ),
    ("[tenants.Environment]\npassword = 1\n", "tenants.Environment", "password", "non-empty"),
    ("[tenants.Environment]\npassword = ''\n", "tenants.Environment", "password", "non-empty"),
    ("[tenants.Environment]\ncampaigns = 1\n", "tenants.Environment", "campaigns", "table"),
    ("[tenants]\nEnvironment = 1\n", "tenants", "Environment", "expected a table"),
    ('[tenants."a@b"]\n', "tenants", "a@b", "tenant name must not contain '@'"),
    ('[tenants.""]\n', "tenants", "", "tenant name must not be empty"),
    (
        '[tenants.Environment.campaigns."S@1"]\n',
        "tenants.Environment.campaigns",
        "S@1",
        "campaign name must not contain '@'",
    ),
    (CAMPAIGN + "groups = 'Sales'\n", CAMPAIGN_SECTION, "groups", "expected a list of strings"),
    (CAMPAIGN + "groups = ['Sales', 3]\n", CAMPAIGN_SECTION, "groups", "list of strings"),
    (CAMPAIGN + "groups = ['Sa@les']\n", CAMPAIGN_SECTION, "groups", "must not contain '@'"),
    (CAMPAIGN + "groups = ['']\n", CAMPAIGN_SECTION, "groups", "must not be empty"),
    (CAMPAIGN + "groups = ['A', 'B', 'A']\n", CAMPAIGN_SECTION, "groups", "duplicate name 'A'"),
    (CAMPAIGN + "calling_lists = [1]\n", CAMPAIGN_SECTION, "calling_lists", "list of strings"),
    (
        CAMPAIGN + "calling_lists = ['L', 'L']\n",
        CAMPAIGN_SECTION,
        "calling_lists",
        "duplicate name 'L'",
    ),
    (CAMPAIGN + "lists = ['L']\n", CAMPAIGN_SECTION, "lists", "unknown key"),
    (
        '[tenants."Big Corp".campaigns.Spring]\ngroups = 1\n',
        'tenants."Big Corp".campaigns.Spring',
        "groups",
        "list of strings",
    ),
]


@pytest.mark.parametrize(("text", "section", "key", "reason"), ERRORS)
def test_loading_error_names_file_section_and_key(tmp_path, text, section, key, reason) -> None:
    error = config_error(tmp_path, text)
    assert (error.section, error.key) == (section, key)
    assert reason in error.reason
    assert str(error).startswith(str(tmp_path / "objects.toml"))


def test_invalid_toml_is_a_config_error(tmp_path) -> None:
    error = config_error(tmp_path, "[tenants.Environment\n")
    assert "not valid TOML" in error.reason


def test_duplicate_table_is_a_config_error(tmp_path) -> None:
    error = config_error(tmp_path, CAMPAIGN + "groups = []\n" + CAMPAIGN)
    assert "not valid TOML" in error.reason


def test_missing_file_is_a_config_error(tmp_path) -> None:
    path = tmp_path / "absent.toml"
    with pytest.raises(ConfigError) as error:
        load_catalogue(path)
    assert error.value.file == str(path)
    assert "cannot read" in error.value.reason
