"""part_whole.part_for_whole: a part asked where the sentence says the whole."""

import pytest

from docqa.index.answering import part_whole


@pytest.mark.parametrize(
    "question, sentence, swapped",
    [
        ("What is submitted to only part of Parliament for a full debate?", "The bill is then submitted to the whole Parliament for a full debate.", True),
        ("What did they want to subject a small part of the country to?", "They wanted to subject the entire country to their version of law.", True),
        ("Which rules apply to part of the members?", "The rules apply to all of the members.", True),
        ("What is shared with part of the region?", "The plan is shared with the region as a whole.", True),
        # the sentence writes a part too, or nothing as a whole
        ("What is submitted to only part of Parliament?", "Part of the bill is submitted to the whole Parliament.", False),
        ("What is submitted to only part of Parliament?", "The bill is then submitted to Parliament.", False),
        # "take part", "as part of", "what part of": no part set against a whole
        ("Who can take part?", "All researchers in the whole of Europe can apply.", False),
        ("Who can take part of the funding?", "The whole funding goes to the coordinator.", False),
        ("What is funded as part of the programme?", "The entire programme is funded by the EU.", False),
        ("What part of the costs is covered?", "The grant covers the full costs of the project.", False),
    ],
)
def test_a_part_asked_where_the_sentence_says_the_whole(question, sentence, swapped):
    assert part_whole.part_for_whole(question, sentence) is swapped
