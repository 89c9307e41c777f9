"""direction.py: a sentence saying the question's words the other way round ("from a firebox to a bunker" asked,
"from a supply bin (bunker) to the firebox" written)."""

import pytest

from docqa.index.answering import direction


@pytest.mark.parametrize(
    "question, sentence",
    [
        ("What mechanism moves coal from a firebox to a bunker?", "A screw mechanism may move the fuel from a supply bin (bunker) to the firebox."),
        ("What do bacteria use to move proteins from the host to the pathogen?", "They insert a tube, providing a route for proteins to move from the pathogen to the host."),
        ("What gene converts calcitriol into calcidiol?", "The gene is responsible for converting the pre-hormone, calcidiol into the hormone, calcitriol."),
        ("What are peptides processed into?", "The complex is taken up and processed by proteolysis into peptides."),
        ("What keeps immune cells away from the site of infection?", "These chemicals recruit immune cells to the site of infection."),
        ("Which flights go from Berlin to Paris?", "Two daily flights go from Paris to Berlin."),
    ],
)
def test_ends_swapped_declines(question, sentence):
    assert direction.ends_swapped(question, sentence)


@pytest.mark.parametrize(
    "question, sentence",
    [
        ("What mechanism moves coal from a bunker to the firebox?", "A screw mechanism may move the fuel from a supply bin (bunker) to the firebox."),
        ("What gene converts calcidiol into calcitriol?", "The gene is responsible for converting the pre-hormone, calcidiol into the hormone, calcitriol."),
        ("What does water turn into when heated?", "Water is heated and transforms into steam within a boiler."),
        ("Does the plan cover everything from basic research to market access?", "The plan will feed into the European Research Area Network."),
        ("Who wanted Israel to withdraw from its border?", "Heath called for Israel to withdraw to its pre-1967 borders."),
        ("What flows from the lungs to the heart?", "Blood flows from the heart to the lungs and returns from the lungs to the heart."),
    ],
)
def test_ends_swapped_leaves_alone(question, sentence):
    assert not direction.ends_swapped(question, sentence)


@pytest.mark.parametrize(
    "question, sentence",
    [
        ("Who asks supplementary questions and then a general question of the First Minister?",
         "Opposition leaders ask a general question of the First Minister and then supplementary questions."),
        ("What did the king do after the war?", "The king died before the war."),
        ("Who was the Uighur King of Qocho ranked below?", "The Uighur King of Qocho was ranked higher than the Karluk ruler."),
        ("What concept, originally discovered by Watt, was later discovered independently by Black?",
         "Watt independently discovered latent heat, which was confirmed by the original discoverer Joseph Black."),
    ],
)
def test_order_reversed_declines(question, sentence):
    assert direction.order_reversed(question, sentence)


@pytest.mark.parametrize(
    "question, sentence",
    [
        ("Who asks a general question and then supplementary questions?",
         "Opposition leaders ask a general question of the First Minister and then supplementary questions."),
        ("What happened to the army after the battle?", "The army retreated after the battle."),
        ("What did the king do before the war?", "The war broke out after the king died."),
        ("Who was the Uighur King of Qocho ranked above?", "The Uighur King of Qocho was ranked higher than the Karluk ruler."),
        # the same rank told from the other side
        ("Who was the Karluk ruler ranked below?", "The Uighur King of Qocho was ranked higher than the Karluk ruler."),
        ("What concept, originally discovered by Black, was later discovered independently by Watt?",
         "Watt independently discovered latent heat, which was confirmed by the original discoverer Joseph Black."),
    ],
)
def test_order_reversed_leaves_alone(question, sentence):
    assert not direction.order_reversed(question, sentence)


def test_long_input_is_bounded():
    import time

    text = "from the a " * 500 + "into then after ranked higher " * 100
    start = time.perf_counter()
    direction.ends_swapped(text, text[::-1])
    direction.order_reversed(text, text[::-1])
    assert time.perf_counter() - start < 1.0
