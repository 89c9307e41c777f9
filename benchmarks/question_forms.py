"""Questions as visitors type them: with a typo, in capitals, wrapped in greetings. Answers side by side, in one run.

    python benchmarks/question_forms.py [QUESTIONS.jsonl ...] [--form typo|capitals|wrapped] [--seeds 1 2] [--index DIR]
    python benchmarks/question_forms.py --squad ../shared/datasets/squad2-a/dev-a-v2.0.json [--part check]
                                        [--form typo|capitals|wrapped] [--seed 7]

--form typo (the default): each question gets one typo, drawn with a seeded generator: in one word of five
letters or more, written in lower case and not a stop word, two neighbouring letters swapped, one dropped, one
doubled or one replaced by a neighbour on the keyboard (a question with no such word is left out). The typed
questions are asked with the spelling check (index/answering/spelling.py) on and off
(`AnswerSettings(correct_typos=...)`), and the questions as written with the check on.

--form capitals: each question as written, ALL IN CAPITALS, In Title Case (each word's first letter a capital)
and in lower case (index/answering/casing.py reads the last three again).

--form wrapped: each question as written, between "Hi!" and "Thanks!", after a sentence about the visitor, after
"Can you please tell me:", before ", please?" and with "???" for its question mark (index/answering/utterance.py
reads the question alone).

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
from typing import Callable

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


def title_case(question: str) -> str:
    """Each word's first letter a capital, the rest as written."""
    return " ".join(word[:1].upper() + word[1:] for word in question.split(" "))


def columns(form: str, rng: random.Random) -> list[tuple[str, Callable[[str], str | None], bool]]:
    """(label, the question as typed or None to leave it out, spelling check on) for each column of `form`."""
    if form == "capitals":
        return [("as written", lambda q: q, True), ("CAPITALS", str.upper, True), ("Title Case", title_case, True), ("lower case", str.lower, True)]
    if form == "wrapped":
        return [
            ("as written", lambda q: q, True),
            ("Hi! … Thanks!", lambda q: f"Hi! {q} Thanks!", True),
            ("I am … know something.", lambda q: f"Hello, I am a researcher and I would like to know something. {q}", True),
            ("Can you please tell me …", lambda q: f"Can you please tell me: {q}", True),
            ("… please?", lambda q: q.rstrip(" ?") + ", please?", True),
            ("…???", lambda q: q.rstrip(" ?") + "???", True),
        ]
    typos: dict[str, str | None] = {}

    def typed(question: str) -> str | None:  # the same typo in both typed columns
        if question not in typos:
            typos[question] = with_typo(question, rng)
        return typos[question]

    return [("as written", lambda q: q if typed(q) else None, True), ("typo, check off", typed, False), ("typo, check on", typed, True)]


def question_sets(paths: list[Path], seeds: list[int], *, form: str, index: Path | None) -> None:
    from docqa.index.answering.extractive import AnswerSettings
    from docqa.index.assistant import Assistant
    from docqa.index.embedding.embedder import get_embedder

    embedder = get_embedder()
    if index is None:
        from docqa.ingest.pipeline import ingest

        index = Path(tempfile.mkdtemp(prefix="docqa-forms-"))
        ingest([REPO / "corpus"], index_root=index, embedder=embedder)
    assistants = {on: Assistant(index, embedder=embedder, answer_settings=AnswerSettings(correct_typos=on)) for on in (True, False)}
    for path in paths:
        items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        items = [i for i in items if "question" in i]
        for seed in seeds if form == "typo" else [None]:
            cols = columns(form, random.Random(seed))
            cells = []
            for label, typed, check in cols:
                right = declined = answerable = unanswerable = 0
                for item in items:
                    question = typed(item["question"])
                    if question is None:
                        continue
                    answer = assistants[check].ask(question)
                    if item.get("answerable", True):
                        answerable += 1
                        right += answer.answered and text.fold(str(item.get("answer", ""))) in text.fold(answer.answer)
                    else:
                        unanswerable += 1
                        declined += not answer.answered
                cells.append(f"{label}: {right}/{answerable} right, {declined}/{unanswerable} declined")
            print(f"{path.name}{'' if seed is None else f', seed {seed}'}: " + " | ".join(cells))


def squad_part(data: Path, part_name: str, *, form: str, seed: int) -> None:
    from docqa.config import default_cache_dir
    from docqa.index.answering.extractive import AnswerSettings
    from docqa.index.assistant import Assistant
    from docqa.index.embedding.embedder import get_embedder
    from docqa.index.evaluation import squad_eval
    from docqa.ingest import squad

    part = squad.select_part(squad.read_squad(data), part_name)  # type: ignore[arg-type]
    embedder = get_embedder()
    root = squad.prepare_index(part, embedder=embedder, cache=default_cache_dir(), name=f"{data.stem}-{part_name}", progress=True)
    print("squad2 part %s (%d questions, --form %s): answerable correct / unanswerable declined / short EM / F1 / AUC" % (part_name, len(part.questions), form))
    for label, typed, check in columns(form, random.Random(seed)):
        questions = [dataclasses.replace(q, question=typed(q.question) or q.question) for q in part.questions]
        rows, _ = squad_eval.ask_all(Assistant(root, embedder=embedder, answer_settings=AnswerSettings(correct_typos=check)), questions, mode=None)
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
    parser.add_argument("--form", choices=("typo", "capitals", "wrapped"), default="typo", help="what is done to each question")
    args = parser.parse_args()
    if args.squad:
        squad_part(args.squad, args.part, form=args.form, seed=args.seed)
    else:
        question_sets(args.questions, args.seeds, form=args.form, index=args.index)


if __name__ == "__main__":
    main()
