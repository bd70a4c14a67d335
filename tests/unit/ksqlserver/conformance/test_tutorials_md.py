"""The Markdown tutorials runner (`conformance/tutorials_md.py`) on a small synthetic README: its parts,
its steps (each statement with the output block after it), the table comparison (ordered, as a multiset,
wall-clock cells) and a whole session classified pass / fail / na."""

from __future__ import annotations

import time

import pytest

from ksqlserver.conformance import cli_session
from ksqlserver.conformance.tutorials_md import (
    FAIL,
    OK,
    PASS,
    Clock,
    cell_width,
    compare_table,
    parts,
    run_readme,
    steps,
    ui_properties,
)

TABLE = """+-----+-----+
|ID   |NAME |
+-----+-----+
|1    |a    |
|2    |b    |
+-----+-----+"""

README = f"""# A tutorial

```sql
CREATE STREAM s (id INT, name VARCHAR) WITH (kafka_topic='s', partitions=1, value_format='JSON');
```

<details>
  <summary>Local With Docker</summary>

  ```shell
  docker exec -it ksqldb-cli ksql http://ksqldb-server:8088
  ```

  ```sql
  CREATE STREAM s (id INT, name VARCHAR) WITH (kafka_topic='s', partitions=1, value_format='JSON');
  INSERT INTO s (id, name) VALUES (1, 'a');
  INSERT INTO s (id, name) VALUES (2, 'b');
  ```

  ```sql
  SET 'auto.offset.reset'='earliest';
  SELECT id, name FROM s EMIT CHANGES;
  ```

  ```plaintext
{TABLE}
  ```

  ```sql
  SELECT id FROM s EMIT CHANGES;
  ```

  ```plaintext
  +-----+
  |ID   |
  +-----+
  |2    |
  +-----+
  ```
</details>

<details>
  <summary>Confluent Cloud</summary>

  In the query properties section, change the value for `auto.offset.reset` to `Earliest`.

  ```sql
  CREATE STREAM s (id INT, name VARCHAR) WITH (kafka_topic='s', partitions=1, value_format='JSON');
  INSERT INTO s (id, name) VALUES (1, 'a');
  INSERT INTO s (id, name) VALUES (2, 'b');
  ```

  ```sql
  SELECT id, name FROM s EMIT CHANGES;
  ```

  ```plaintext
{TABLE}
  ```
</details>
"""


def test_parts_and_steps() -> None:
    found = parts(README)
    assert [p for p, _, _ in found] == ["local", "cloud"]
    assert ui_properties(found[1][1]) == {"auto.offset.reset": "earliest"}
    local = steps(found[0][1], found[0][2])
    assert [s.kind for s in local] == ["cli", "sql", "sql", "sql", "sql", "sql", "sql"]
    select = local[5]
    assert select.text.startswith("SELECT id, name") and select.expected is not None
    assert cell_width(select.expected.text) == 5
    assert local[4].expected is None  # the SET: the output block belongs to the statement after it


def test_table_comparison_rules() -> None:
    assert compare_table(TABLE, TABLE, ordered=True) is None
    swapped = TABLE.replace("|1    |a    |\n|2    |b    |", "|2    |b    |\n|1    |a    |")
    assert compare_table(swapped, TABLE, ordered=True) == "row 1: 2|b, the tutorial's 1|a"
    assert compare_table(swapped, TABLE, ordered=False) is None
    now = int(time.time() * 1000)
    ours = f"|X    |\n|{now}|\n|{now + 1000}|"
    theirs = "|X    |\n|1727450542650|\n|1727450543650|"
    assert compare_table(ours, theirs, True, Clock((now - 10, now + 10_000))) is None
    # a second wall-clock cell must keep the first one's shift
    assert compare_table(ours, "|X    |\n|1727450542650|\n|1727450999999|", True, Clock((now - 10, now + 10_000)))
    # a time the tutorial typed itself is compared exactly
    assert compare_table(ours, theirs, True, Clock((now - 10, now + 10_000), {"1727450542650"}))


def test_a_session_is_classified(monkeypatch: pytest.MonkeyPatch) -> None:
    # the engine is synchronous: a push query has given all its rows once it has been idle for a moment
    monkeypatch.setattr(cli_session, "_IDLE_S", 0.05)
    out = run_readme("x/ksql/README.md", README, {})
    statements = [o.status for o in out if o.kind == "statement"]
    outputs = [(o.part, o.status) for o in out if o.kind == "output"]
    # the Cloud part is a session of its own, its auto.offset.reset set from the prose (the editor's UI)
    assert statements == [OK] * 10
    assert outputs == [("local", PASS), ("local", FAIL), ("cloud", PASS)]
    failed = next(o for o in out if o.status == FAIL)
    assert failed.reason == "row 1: 1, the tutorial's 2"
