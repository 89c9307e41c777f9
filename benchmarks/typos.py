"""Questions with a typo: answers with and without the spelling check (index/answering/spelling.py), side by side.

    python benchmarks/typos.py [QUESTIONS.jsonl ...] [--seeds 1 2] [--index DIR]
    python benchmarks/typos.py --squad ../shared/datasets/squad2-a/dev-a-v2.0.json [--part check] [--seed 7]

Each question of a set gets one typo, drawn with a seeded generator: in one word of five letters or more,
written in lower case and not a stop word, two neighbouring letters swapped, one dropped, one doubled or
one replaced by a neighbour on the keyboard (a question with no such word is left out). The typed
questions are asked with the check on and off (`AnswerSettings(correct_typos=...)`), and the questions as
written with the check on.

Question sets (default: the bundled page's `corpus/questions.jsonl` and `corpus/questions-heldout.jsonl`,
their one-turn items): answerable items answered with the expected text, unanswerable items declined.
Without --index the bundled corpus is indexed into a temporary folder first.

--squad: every question of the part (`squad_eval`, as `docqa eval FILE.json` scores it), on the cached
evaluation index `benchmarks/squad_answers.py` uses: answerable correct, unanswerable declined, short-answer
EM / F1, AUC of `confidence`.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import re
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from docqa.index import text  # noqa: E402

_KEYBOARD = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def _neighbours(letter: str) -> list[str]:
    for row in _KEYBOARD:
        at = row.find(letter)
        if at >= 0:
            return [row[j] for j in (at - 1, at + 1) if 0 <= j < len(row)]
    return [letter]


def with_typo(question: str, rng: random.Random) -> str | None:
    """`question` with one typo in one of its lower-case content words of 5+ letters; None if it has none."""
    stop = text.stopwords()
    words = [m for m in re.finditer(r"(?<![^\W\d_])[a-z]{5,}(?![^\W\d_])", question) if m.group() not in stop]
    if not words:
        return None
    match = rng.choice(words)
    word, i = match.group(), rng.randrange(1, len(match.group()) - 1)
    kind = rng.choice(("swap", "drop", "double", "near"))
    if kind == "swap" and word[i] != word[i + 1]:
        typed = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    elif kind == "drop":
        typed = word[:i] + word[i + 1 :]
    elif kind == "double":
        typed = word[:i] + word[i] + word[i:]
    else:
        typed = word[:i] + rng.choice(_neighbours(word[i])) + word[i + 1 :]
    return question[: match.start()] + typed + question[match.end() :]


def question_sets(paths: list[Path], seeds: list[int], *, index: Path | None) -> None:
    from docqa.index.answering.extractive import AnswerSettings
    from docqa.index.assistant import Assistant
    from docqa.index.embedding.embedder import get_embedder

    embedder = get_embedder()
    if index is None:
        from docqa.ingest.pipeline import ingest

        index = Path(tempfile.mkdtemp(prefix="docqa-typos-"))
        ingest([REPO / "corpus"], index_root=index, embedder=embedder)
    on = Assistant(index, embedder=embedder)
    off = Assistant(index, embedder=embedder, answer_settings=AnswerSettings(correct_typos=False))
    print("set, seed: answerable right (of N) / unanswerable declined (of M) | as written | typo, check off | typo, check on")
    for path in paths:
        items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        items = [i for i in items if "question" in i]
        for seed in seeds:
            rng = random.Random(seed)
            typed = [(item, t) for item in items if (t := with_typo(item["question"], rng)) is not None]
            cells = []
            for assistant, use_typo in ((on, False), (off, True), (on, True)):
                right = declined = 0
                for item, t in typed:
                    answer = assistant.ask(t if use_typo else item["question"])
                    if item.get("answerable", True):
                        right += answer.answered and text.fold(str(item.get("answer", ""))) in text.fold(answer.answer)
                    else:
                        declined += not answer.answered
                cells.append(f"{right:3d} / {declined:3d}")
            n = sum(1 for item, _ in typed if item.get("answerable", True))
            print(f"{path.name}, seed {seed} (N={n}, M={len(typed) - n}): " + " | ".join(cells))


def squad_part(data: Path, part_name: str, seed: int) -> None:
    from docqa.config import default_cache_dir
    from docqa.index.answering.extractive import AnswerSettings
    from docqa.index.assistant import Assistant
    from docqa.index.embedding.embedder import get_embedder
    from docqa.index.evaluation import squad_eval
    from docqa.ingest import squad

    part = squad.select_part(squad.read_squad(data), part_name)  # type: ignore[arg-type]
    embedder = get_embedder()
    root = squad.prepare_index(part, embedder=embedder, cache=default_cache_dir(), name=f"{data.stem}-{part_name}", progress=True)
    rng = random.Random(seed)
    typed = [dataclasses.replace(q, question=with_typo(q.question, rng) or q.question) for q in part.questions]
    print("squad2 part %s (%d questions; seed %d): answerable correct / unanswerable declined / short EM / F1 / AUC" % (part_name, len(typed), seed))
    for label, questions, settings in (("as written, check on", part.questions, AnswerSettings()),
                                       ("typo, check off", typed, AnswerSettings(correct_typos=False)),
                                       ("typo, check on", typed, AnswerSettings())):  # fmt: skip
        rows, _ = squad_eval.ask_all(Assistant(root, embedder=embedder, answer_settings=settings), questions, mode=None)
        f = squad_eval.figures(rows)
        print(f"  {label:22s} {100 * f.answerable_correct:5.1f}% / {100 * f.unanswerable_declined:5.1f}% / {f.short_em:.1f} / {f.short_f1:.1f} / {f.auc_answerable:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("questions", nargs="*", type=Path, default=[REPO / "corpus" / "questions.jsonl", REPO / "corpus" / "questions-heldout.jsonl"])
    parser.add_argument("--seeds", nargs="+", type=int, default=[1, 2])
    parser.add_argument("--index", type=Path, help="an index of the questions' documents (default: the bundled corpus, indexed now)")
    parser.add_argument("--squad", type=Path, help="a SQuAD 2.0 file: its --part asked instead of question sets")
    parser.add_argument("--part", choices=("fit", "check"), default="check")
    parser.add_argument("--seed", type=int, default=7, help="the typo generator's seed for --squad")
    args = parser.parse_args()
    if args.squad:
        squad_part(args.squad, args.part, args.seed)
    else:
        question_sets(args.questions, args.seeds, index=args.index)


if __name__ == "__main__":
    main()
