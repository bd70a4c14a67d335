"""Child process for `compile_proto`: protoc (grpcio-tools) bundles its own protobuf C++ runtime, which
aborts a process that already loaded another one (TensorFlow's, onnx's), so it runs on its own.

Usage: python -m schemaregistry.schemas._protoc DIR FILE  ->  stdout JSON {"descriptor": b64} or {"errors": [...]}
"""

from __future__ import annotations

import ast
import base64
import json
import os
import sys


def main() -> int:
    root, name = sys.argv[1], sys.argv[2]
    import grpc_tools
    from grpc_tools import _protoc_compiler

    well_known = os.path.join(os.path.dirname(grpc_tools.__file__), "_proto")
    try:
        generated = _protoc_compiler.get_protos(name.encode(), [root.encode(), well_known.encode()])
    except _protoc_compiler.ProtocErrors as exc:
        errors = exc.args[0] if exc.args else []
        lines = [f"{e.filename.decode()}:{e.line + 1}:{e.column + 1}: {e.message.decode()}" for e in errors]
        print(json.dumps({"errors": lines or [str(exc)]}))
        return 0
    code = dict(generated)[name.replace(".proto", "_pb2.py").encode()].decode()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "AddSerializedFile":
            print(json.dumps({"descriptor": base64.b64encode(ast.literal_eval(node.args[0])).decode()}))
            return 0
    print(json.dumps({"errors": ["protoc produced no file descriptor"]}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
