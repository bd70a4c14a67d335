"""Child process compiling `.proto` files with protoc (grpcio-tools' in-process compiler), for
`protoc.compile_files`. protoc brings its own protobuf C++ runtime, which may not share a process with
another one (TensorFlow's, ONNX's), so it runs here, one request per line of stdin:

    {"main": "schema.proto", "files": {"schema.proto": "...", "dep.proto": "..."}}
    -> {"descriptors": [base64 FileDescriptorProto, ...]}  (every given file, dependencies first)
    -> {"errors": ["schema.proto:3:5: ..."]}
"""

from __future__ import annotations

import ast
import base64
import json
import os
import sys
import tempfile


def _descriptor(name: str, root: str, well_known: str) -> bytes:
    from grpc_tools import _protoc_compiler

    generated = dict(_protoc_compiler.get_protos(name.encode(), [root.encode(), well_known.encode()]))
    code = generated[name[: -len(".proto")].replace("-", "_").encode() + b"_pb2.py"].decode()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "AddSerializedFile":
            return ast.literal_eval(node.args[0])  # type: ignore[no-any-return]
    raise ValueError(f"protoc produced no file descriptor for {name}")


def _compile(request: dict) -> dict:  # type: ignore[type-arg]
    import grpc_tools
    from grpc_tools import _protoc_compiler

    well_known = os.path.join(os.path.dirname(grpc_tools.__file__), "_proto")
    files: dict[str, str] = request["files"]
    with tempfile.TemporaryDirectory(prefix="ksql-proto-") as root:
        for name, text in files.items():
            if ".." in name.split("/") or name.startswith("/"):
                return {"errors": [f"invalid import name {name!r}"]}
            path = os.path.join(root, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text)
        try:
            order = [n for n in files if n != request["main"]] + [request["main"]]
            out = [base64.b64encode(_descriptor(n, root, well_known)).decode() for n in order]
        except _protoc_compiler.ProtocErrors as exc:
            errors = exc.args[0] if exc.args else []
            lines = [f"{e.filename.decode()}:{e.line + 1}:{e.column + 1}: {e.message.decode()}" for e in errors]
            return {"errors": lines or [str(exc)]}
        except Exception as exc:
            return {"errors": [f"{type(exc).__name__}: {exc}"]}
    return {"descriptors": out}


def main() -> int:
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            reply = _compile(json.loads(line))
        except Exception as exc:
            reply = {"errors": [f"{type(exc).__name__}: {exc}"]}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
