"""The `ksqlserver` command line: flags -> configs, and the one-line errors at the edge."""

from __future__ import annotations

import gc
import socket
from pathlib import Path

import pytest

from ksqlserver.cli import build_configs, build_parser, main
from ksqlserver.config import ConfigError, Secret, ServerConfig, parse_credentials, parse_listen
from ksqlserver.runtime import gc_policy


def test_flags_build_both_configs(tmp_path: Path) -> None:
    args = build_parser().parse_args(
        [
            "--bootstrap-servers", "localhost:9092",
            "--listen", "127.0.0.1:18088",
            "--service-id", "fraud_",
            "--state-dir", str(tmp_path / "state"),
            "--extension-dir", str(tmp_path / "ext"),
            "--basic-auth", "fred:s3cret:x",
            "-p", "ksql.streams.num.stream.threads=2",
        ]
    )  # fmt: skip
    server, engine = build_configs(args)
    assert (server.host, server.port, server.service_id) == ("127.0.0.1", 18088, "fraud_")
    assert server.credentials == {"fred": Secret("s3cret:x")}
    assert engine.service_id == "fraud_" and engine.state_dir == tmp_path / "state"
    assert engine.extension_dir == tmp_path / "ext"
    assert engine.properties["bootstrap.servers"] == "localhost:9092"
    assert engine.properties["ksql.streams.num.stream.threads"] == "2"


def test_listen_defaults_to_loopback() -> None:
    server, _ = build_configs(build_parser().parse_args(["--bootstrap-servers", "memory://"]))
    assert (server.host, server.port) == ("127.0.0.1", 8088)
    assert ServerConfig().host == "127.0.0.1"


def test_gc_threshold_flag_and_policy() -> None:
    server, _ = build_configs(build_parser().parse_args(["--bootstrap-servers", "memory://"]))
    assert server.gc_threshold == gc_policy.DEFAULT_THRESHOLD
    server, _ = build_configs(
        build_parser().parse_args(["--bootstrap-servers", "memory://", "--gc-threshold", "0"])
    )
    assert server.gc_threshold == 0
    before = gc.get_threshold()
    try:
        gc_policy.apply(0)  # 0 keeps Python's settings
        assert gc.get_threshold() == before
        gc_policy.apply(12_345)
        assert gc.get_threshold() == (12_345, before[1], before[2])
        assert gc.get_freeze_count() > 0  # what was alive at start-up is out of later collections
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("127.0.0.1:8088", ("127.0.0.1", 8088)),
        ("http://localhost:1/", ("localhost", 1)),
        ("[::1]:9", ("::1", 9)),
    ],
)
def test_parse_listen(text: str, expected: tuple[str, int]) -> None:
    assert parse_listen(text) == expected


@pytest.mark.parametrize("text", ["8088", "host:", "host:port", "h:70000", ""])
def test_parse_listen_rejects(text: str) -> None:
    with pytest.raises(ConfigError, match="invalid listen address"):
        parse_listen(text)


def test_credentials_file(tmp_path: Path) -> None:
    path = tmp_path / "users"
    path.write_text("# users\nfred: pw1\n\nwilma:pw2\n")
    assert parse_credentials(str(path)) == {"fred": Secret("pw1"), "wilma": Secret("pw2")}
    path.write_text("nocolon\n")
    with pytest.raises(ConfigError, match="expected USER:PASS"):
        parse_credentials(str(path))


def test_secret_never_shows_in_repr() -> None:
    config = ServerConfig(credentials={"fred": Secret("hunter2")})
    assert "hunter2" not in repr(config)


def test_port_in_use_is_one_clear_line(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        code = main(["--bootstrap-servers", "memory://", "--listen", f"127.0.0.1:{port}"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.strip() == f"ksqlserver: error: cannot listen on 127.0.0.1:{port}: address already in use"


def test_bad_listen_flag_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--bootstrap-servers", "memory://", "--listen", "nonsense"]) == 2
    assert "invalid listen address 'nonsense'" in capsys.readouterr().err
