"""The `.proto` texts of Confluent's known Protobuf dependencies: `confluent/meta.proto`,
`confluent/type/decimal.proto`, `google/type/date.proto` and `google/type/timeofday.proto`.

Confluent's schema registry resolves these imports itself (ProtobufSchema's known dependencies), while
protoc's own include path has only google/protobuf/*; ksqlDB's DECIMAL, DATE and TIME columns import them.
Both `schemaregistry` (compiling registered schemas) and `ksqlserver` (compiling the schemas it reads and
writes, against our registry or Confluent's) supply them to protoc. They share this one statement rather than
each other: the engine must work against any registry and the registry knows nothing of the engine, so this
is a package of its own that imports neither.
"""

from __future__ import annotations

KNOWN_DEPENDENCIES: dict[str, str] = {
    "confluent/meta.proto": """syntax = "proto3";
package confluent;
import "google/protobuf/descriptor.proto";
message Meta {
  string doc = 1;
  map<string, string> params = 2;
  repeated string tags = 3;
}
extend google.protobuf.FileOptions { Meta file_meta = 1088; }
extend google.protobuf.MessageOptions { Meta message_meta = 1088; }
extend google.protobuf.FieldOptions { Meta field_meta = 1088; }
extend google.protobuf.EnumOptions { Meta enum_meta = 1088; }
extend google.protobuf.EnumValueOptions { Meta enum_value_meta = 1088; }
""",
    "confluent/type/decimal.proto": """syntax = "proto3";
package confluent.type;
message Decimal {
  bytes value = 1;
  uint32 precision = 2;
  int32 scale = 3;
}
""",
    "google/type/date.proto": """syntax = "proto3";
package google.type;
message Date {
  int32 year = 1;
  int32 month = 2;
  int32 day = 3;
}
""",
    "google/type/timeofday.proto": """syntax = "proto3";
package google.type;
message TimeOfDay {
  int32 hours = 1;
  int32 minutes = 2;
  int32 seconds = 3;
  int32 nanos = 4;
}
""",
}
