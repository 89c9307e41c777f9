"""Check the answerer's decline point on your own question sets (not part of docqa).

    python benchmarks/answer_threshold.py corpus/questions.jsonl [MORE.jsonl ...] [--index DIR] [--mode hybrid]

`confidence` is the confidence model's probability that the answer is right (index/answering/confidence.py);
the answerer declines below the model's operating point, or below `AnswerSettings.min_score` when that is
set. Every question (and the last turn of every dialogue, earlier turns passed as history) is answered once
with no threshold; the script then prints, for a range of `min_score` values (probabilities), the share of
answerable items answered with the expected text, of unanswerable items declined, and of dialogues answered
right, marking the model's operating point. Without --index the bundled corpus is indexed into a temporary
folder first. To change the operating point for all collections, refit the model (benchmarks/fit_confidence.py).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("questions", nargs="+", type=Path)
    parser.add_argument("--index", type=Path)
    parser.add_argument("--mode", default=None)
    args = parser.parse_args()

    from docqa.index.answering.extractive import AnswerSettings
    from docqa.index.answering.followup import replay
    from docqa.index.assistant import Assistant
    from docqa.index.text import fold
    from docqa.index.embedding.embedder import get_embedder

    embedder = get_embedder()
    root = args.index
    if root is None:
        from docqa.ingest.pipeline import ingest

        root = Path(tempfile.mkdtemp(prefix="docqa-calibrate-"))
        ingest([REPO / "corpus"], index_root=root, embedder=embedder)
    assistant = Assistant(root, embedder=embedder, answer_settings=AnswerSettings(min_score=float("-inf")))

    rows: list[tuple[float, bool, bool, bool]] = []  # confidence, answerable, right text, is dialogue
    for path in args.questions:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            item = json.loads(line)
            turns = item.get("turns") or [item["question"]]
            answer = replay(assistant.ask, turns, mode=args.mode)
            answerable = item.get("answerable", True)
            right = answerable and fold(str(item.get("answer", ""))) in fold(answer.answer)
            rows.append((answer.confidence, answerable, right, "turns" in item))

    answerable = [r for r in rows if r[1]]
    unanswerable = [r for r in rows if not r[1]]
    dialogues = [r for r in answerable if r[3]]
    default = round(assistant.answerer.model.operating_point, 4)  # what the answerer uses when min_score is None
    print(f"{len(answerable)} answerable ({len(dialogues)} dialogues), {len(unanswerable)} unanswerable; operating point {default}")
    print("min_score  answerable right  unanswerable declined  dialogues right")
    for threshold in sorted({round(0.05 * i, 2) for i in range(20)} | {default}):
        right = sum(r[2] and r[0] >= threshold for r in answerable) / max(len(answerable), 1)
        declined = sum(r[0] < threshold for r in unanswerable) / max(len(unanswerable), 1)
        talk = sum(r[2] and r[0] >= threshold for r in dialogues) / max(len(dialogues), 1)
        mark = "  <- operating point" if threshold == default else ""
        print(f"{threshold:9.4f}  {right:16.1%}  {declined:21.1%}  {talk:15.1%}{mark}")


if __name__ == "__main__":
    main()
