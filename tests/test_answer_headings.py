"""Heading lines ("Fees", "Who can apply?"): they label the text under them and answer nothing themselves; a
section's first sentence is read with its heading's words, and an FAQ answer with the question it answers."""

import pytest

from docqa.index.answering import page_title

FAQ = (
    "Applicant questions\n\nThis page answers the questions applicants ask most often about the grants.\n\n"
    "Who can apply?\nResearchers who obtained their doctorate up to eight years ago may apply. They must hold a "
    "contract with a host institution.\n\n"
    "Do I need a permanent position?\nNo. A written commitment from the host institution is sufficient.\n\n"
    "Fees\nAttendance is free of charge for participants from universities. Companies pay a small amount per participant.\n"
)


@pytest.fixture
def faq_assistant(tmp_path, fake_embedder):
    from docqa.index.assistant import Assistant
    from tests.conftest import index_of

    return Assistant(index_of(tmp_path, fake_embedder, {"faq.txt": FAQ}), embedder=fake_embedder)


def _headings_of(tmp_path, fake_embedder, page: str):
    """(the index root of `page` alone, the heading lines its chunks hold)."""
    from docqa.index.answering.sentence_reading import heading_lines as _heading_lines
    from docqa.index.storage import store
    from tests.conftest import index_of

    root = index_of(tmp_path, fake_embedder, {"page.txt": page})
    loaded = store.load(root / "versions" / (root / "CURRENT").read_text().strip())
    headings = set()
    for i in range(len(loaded)):
        chunk = loaded.chunk(i)
        headings |= {chunk.text[chunk.sentences[p][0] : chunk.sentences[p][1]].strip() for p in _heading_lines(chunk)}
    return root, headings


def test_an_faq_question_is_answered_by_the_text_under_it_not_by_itself(faq_assistant):
    # Before heading lines were read, the FAQ's own question line was the answer ("Who can apply?", at 0.82).
    answer = faq_assistant.ask("Who can apply?")
    assert answer.answered and answer.answer != "Who can apply?"
    assert "Researchers who obtained their doctorate" in answer.answer
    assert answer.answer.startswith("Who can apply?")  # shown with the question it answers


def test_a_bare_reply_is_read_with_the_question_it_answers(faq_assistant):
    answer = faq_assistant.ask("Is a permanent position needed?")
    assert answer.answer != "Do I need a permanent position?"
    if answer.answered:
        assert answer.answer.startswith("Do I need a permanent position?\nNo.")


def test_an_faq_answer_asked_as_the_page_asks_it_is_as_close_as_its_question(faq_assistant):
    # The reply's own words share nothing with the question ("No."): it was credited with the
    # mean of its cosine and its question's; the question asked as the page asks it is the reply's whole evidence.
    from docqa.index.answering.features import FEATURES

    found = faq_assistant.answerer.assess("Do I need a permanent position?")
    assert found.candidate is not None and faq_assistant.answerer._shown_text(found.candidate).startswith("Do I need a permanent position?\nNo.")
    assert dict(zip(FEATURES, found.features))["similarity"] > 0.99


def test_a_heading_line_is_no_answer(faq_assistant):
    # "What are the fees?" was answered "Fees" (0.53): the heading names the topic, the text under it answers.
    for question in ("What are the fees?", "Fees?", "Tell me about the fees"):
        answer = faq_assistant.ask(question)
        assert answer.answer.strip() != "Fees"
        assert not answer.answered or "free of charge" in answer.answer


def test_heading_lines_are_short_lines_of_their_own_not_titles_lead_ins_or_list_items(tmp_path, fake_embedder):
    page = (
        "Data policy\n\nThe agency expects data to be shared.\n\n"
        "Data management plan\nEvery project submits a plan. The plan must describe:\n"
        "- the types of data\n- where they are deposited\n\n"
        "A line ending with a full stop is no heading.\nIt is a sentence.\n"
    )
    assert _headings_of(tmp_path, fake_embedder, page)[1] == {"Data management plan"}


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Will the info day recordings have subtitles?", False),
        ("Do the videos come with subtitles in French?", False),
        ("Are subtitles provided for the livestream?", False),
        # "which / what" asking for something else that has subtitles asks of captions too
        ("Which recordings have subtitles?", False),
        ("In what language are the video subtitles?", False),
        ("What languages are the subtitles available in?", False),
        ("What is the subtitle of the second section?", True),
        ("What are the subtitles of this page?", True),
        ("What are the page's subtitles?", True),
        ("Which subheading comes after the title?", True),
    ],
)
def test_subtitles_a_recording_has_are_no_heading(question, asks):
    assert page_title.asks_for_section_heading(question) is asks


def test_a_block_of_short_lines_is_no_heading(tmp_path, fake_embedder):
    # An address, a table or a verse is a run of short lines, one under the other: none of them heads the next, and
    # its lines stay answer candidates ("12 High Street", "Telephone 020 7946 0000" were headings, never answers).
    page = (
        "Contact the admissions office\n\nThe admissions office answers questions from applicants.\n\n"
        "Admissions Office\n12 High Street\nLondon SW1 2AB\nTelephone 020 7946 0000\n"
        "We reply to letters within a week.\n\nFees\n\nAttendance is free of charge.\n"
    )
    assert _headings_of(tmp_path, fake_embedder, page)[1] == {"Fees"}


@pytest.mark.parametrize(
    ("page", "heading", "question", "said"),
    [
        # "Deadline: 15 March 2025" on a line of its own states the deadline: read as a heading, it never answered
        (
            "Call for proposals\n\nThe agency funds research projects in all fields.\n\nDeadline: 15 March 2025\n\n"
            "Applications are submitted online through the portal.\n\nEligibility\n\nThe call is open to all universities.\n",
            "Eligibility", "What is the deadline?", "15 March 2025",
        ),
        # "Published 18 February 2025" says when
        (
            "Call for proposals\n\nThe agency funds research projects in all fields.\n\nPublished 18 February 2025\n\n"
            "The call is open to all universities.\n\nEligibility\n\nApplicants must hold a doctorate.\n",
            "Eligibility", "When was the call published?", "18 February 2025",
        ),
        # "Opening hours 9:00 to 17:00" gives the hours
        (
            "Visiting the library\n\nThe library welcomes all visitors.\n\nOpening hours 9:00 to 17:00\n\n"
            "The reading room is on the first floor.\n\nAccess\n\nThe entrance is on Main Street.\n",
            "Access", "What are the opening hours?", "9:00 to 17:00",
        ),
    ],
)
def test_a_label_with_its_value_a_date_or_a_clock_time_is_no_heading(tmp_path, fake_embedder, page, heading, question, said):
    from docqa.index.answering.extractive import AnswerSettings
    from docqa.index.assistant import Assistant

    root, headings = _headings_of(tmp_path, fake_embedder, page)
    assert headings == {heading}
    # the decline point set to 0: with the fake embedder the right line scores below the shipped one
    assert said in Assistant(root, embedder=fake_embedder, answer_settings=AnswerSettings(min_score=0.0)).ask(question).answer
