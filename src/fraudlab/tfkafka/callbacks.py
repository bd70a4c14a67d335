"""A Keras callback that writes `model.predict` outputs to a topic, one JSON object per row."""

from __future__ import annotations

import time
from typing import Any

import keras
import numpy as np
import orjson
from confluent_kafka import Producer

from fraudlab.kafka import KafkaConfig, send_all
from fraudlab.tfkafka.errors import TfKafkaError


class PredictionWriter(keras.callbacks.Callback):
    """`model.predict(ds, callbacks=[PredictionWriter(topic, config)])` writes
    `{"row": i, "prediction": p, "model": name, "predicted_at": ms}` per input row (key: the row
    number), and waits for every record to be acknowledged when prediction ends."""

    def __init__(self, topic: str, config: KafkaConfig, model_name: str | None = None) -> None:
        super().__init__()
        self.topic = topic
        self.model_name = model_name
        self.rows = 0
        self._producer = Producer(config.as_librdkafka(**{"linger.ms": 20, "compression.type": "lz4"}))

    def on_predict_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        outputs = np.asarray((logs or {}).get("outputs"))
        preds = outputs.reshape(len(outputs), -1)
        name = self.model_name or (self.model.name if self.model is not None else None)
        now = time.time_ns() // 1_000_000
        first = self.rows
        values = [
            orjson.dumps({"row": first + i, "prediction": row[0] if len(row) == 1 else row, "model": name,
                          "predicted_at": now})
            for i, row in enumerate(preds.tolist())
        ]
        send_all(self._producer, self.topic, values, [str(first + i).encode() for i in range(len(values))])
        self.rows += len(values)
        self._producer.poll(0)

    def on_predict_end(self, logs: dict[str, Any] | None = None) -> None:
        remaining = self._producer.flush(60)
        if remaining:
            raise TfKafkaError(self.topic, f"{remaining} predictions were not acknowledged within 60 s")
