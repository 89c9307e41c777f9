"""prefix_pairs.prefix_pair_swapped: the sentence's word with the opposite prefix asked."""

import pytest

from docqa.index.answering import prefix_pairs


@pytest.mark.parametrize(
    "question, sentence, swapped",
    [
        ("The down turned boat skylights are located in what lobby?", "The upturned boat skylights of the Garden Lobby complete it.", True),
        ("Micro-physical considerations yield what?", "This is often due to macrophysical considerations that yield forces.", True),
        ("What did the post-industrial economy make?", "The preindustrial economy made cloth.", True),
        ("Who overestimated the costs?", "The ministry underestimated the costs.", True),
        # the asked word written too, or both prefixes asked
        ("What did the post-industrial economy make?", "The preindustrial and postindustrial economies made cloth.", False),
        ("Which pre-industrial and post-industrial towns grew?", "Preindustrial towns grew.", False),
        # a preposition before a small word or a number, no prefix; a word the prefix only opens
        ("What did they take over their territory?", "The land was under their control.", False),
        ("Who is over twenty years old?", "Members under twenty years old pay less.", False),
        ("Who can present a proposal?", "Anyone can submit a proposal.", False),
        ("Is it a post-industrial town?", "It is a preindustrial town.", False),  # a yes/no question
        ("When does the call close?", "The call opens on 1 March and the deadline is 15 April.", False),
    ],
)
def test_the_opposite_prefix_on_the_same_word(question, sentence, swapped):
    assert prefix_pairs.prefix_pair_swapped(question, sentence) is swapped
