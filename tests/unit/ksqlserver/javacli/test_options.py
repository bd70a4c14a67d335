"""Port of ksqlDB 0.29 `io.confluent.ksql.cli.commands.OptionsTest` (ksqldb-cli): the `ksql` command line
(`ksqlserver.console.options`)."""

from __future__ import annotations

import pytest

from ksqlserver.console.options import Options, OptionsError, parse


def test_should_use_default_server_if_none_supplied() -> None:
    assert parse([]).server == "http://localhost:8088"


def test_should_work_with_user_supplied_server() -> None:
    assert parse(["custom server"]).server == "custom server"


@pytest.mark.parametrize("args", [["-u", "joe"], ["http://foobar", "-p", "joe"]])
def test_should_throw_config_exception_if_only_username_or_password_is_provided(args: list[str]) -> None:
    """shouldThrowConfigExceptionIfOnlyUsernameIsProvided, shouldThrowConfigExceptionIfOnlyPasswordIsProvided."""
    options = parse(args)
    with pytest.raises(OptionsError, match="You must specify both a username and a password"):
        options.credentials()


def test_should_return_user_password_pair_when_both_provided() -> None:
    assert parse(["http://foobar", "-u", "joe", "-p", "pp"]).credentials() == ("joe", "pp")


def test_should_return_empty_option_when_user_and_pass_not_present() -> None:
    assert parse([]).credentials() is None


@pytest.mark.parametrize(
    ("args", "required"),
    [
        pytest.param([], False, id="shouldNotRequirePasswordIfUserNameNotSet"),
        pytest.param(["-u", "joe", "-p", "oo"], False, id="shouldNotRequirePasswordIfUserNameAndPasswordSupplied"),
        pytest.param(["-u", "joe"], True, id="shouldRequirePasswordIfUserNameSuppliedButNotPassword"),
        pytest.param(["-u", "joe", "-p", ""], True, id="shouldNotRequirePasswordIfUserNameAndPasswordSuppliedButEmpty"),
    ],
)
def test_requires_password(args: list[str], required: bool) -> None:
    assert parse(args).requires_password() is required


def test_should_not_trim_passwords() -> None:
    credentials = parse(["-u", "joe", "-p", "  "]).credentials()
    assert credentials is not None and credentials[1] == "  "


@pytest.mark.parametrize("args", [["--confluent-api-key", "api_key"], ["http://foobar", "--confluent-api-secret", "s"]])
def test_should_throw_config_exception_if_only_api_key_or_secret_is_provided(args: list[str]) -> None:
    """shouldThrowConfigExceptionIfOnlyApiKeyIsProvided, shouldThrowConfigExceptionIfOnlyApiSecretIsProvided."""
    options = parse(args)
    with pytest.raises(OptionsError, match="You must specify both an API key and the associated secret"):
        options.ccloud_api_key()


def test_should_return_api_key_secret_pair_when_both_provided() -> None:
    options = parse(["http://foobar", "--confluent-api-key", "api_key", "--confluent-api-secret", "api_secret"])
    assert options.ccloud_api_key() == ("api_key", "api_secret")


def test_should_return_empty_option_when_api_key_not_present() -> None:
    assert parse([]).ccloud_api_key() is None


def test_should_define_variables() -> None:
    variables = parse(["-d", "env=qa", "-d", "size=1", "--define", "prod=true"]).variables()
    assert variables == {"env": "qa", "size": "1", "prod": "true"}


def test_execute_gets_its_missing_semicolon() -> None:
    """Options.getExecute: a statement without its final `;` gets one; an empty one is none."""
    assert parse(["-e", "SHOW STREAMS"]).execute_text() == "SHOW STREAMS;"
    assert parse(["-e", "SHOW STREAMS;"]).execute_text() == "SHOW STREAMS;"
    assert Options(execute="").execute_text() is None


def test_a_bad_define_is_refused() -> None:
    """VariableParser.getVariables."""
    with pytest.raises(OptionsError, match="Failed to parse argument env: variables must be defined using '='"):
        parse(["-d", "env"]).variables()
