"""The timeline puts the system's words in the reader's language and shows people's words as typed."""

from revive.cases.event_text import in_language, label_pairs

PAIRS = [("بدهی مالیاتی", "Tax debt"), ("انجام نشد", "Not done"), ("شرکت گاز سمنان", "Semnan gas company")]


def test_a_resolution_text_is_shown_as_typed_only_the_addressee_is_translated():
    text = "شرکت گاز سمنان: تقسیط بدهی مالیاتی واحد"
    assert in_language(text, "resolution", "en", PAIRS) == "Semnan gas company: تقسیط بدهی مالیاتی واحد"
    assert in_language(text, "resolution", "fa", PAIRS) == text


def test_an_answer_translates_addressee_and_status_not_the_response():
    text = "شرکت گاز سمنان: انجام نشد بدهی مالیاتی باقی است"
    assert (
        in_language(text, "resolution_answer", "en", PAIRS)
        == "Semnan gas company: Not done بدهی مالیاتی باقی است"
    )
    english = "Semnan gas company: Not done Tax debt remains"
    assert (
        in_language(english, "resolution_answer", "fa", PAIRS) == "شرکت گاز سمنان: انجام نشد Tax debt remains"
    )


def test_a_whole_label_is_translated_and_a_note_containing_one_is_not():
    assert in_language("بدهی مالیاتی", "obstacle_add", "en", PAIRS) == "Tax debt"
    assert in_language("بدهی مالیاتی و بیمه", "obstacle_add", "en", PAIRS) == "بدهی مالیاتی و بیمه"
    assert in_language("Tax debt", "visit", "fa", PAIRS) == "Tax debt"  # a person's findings


def test_real_labels(db):
    assert ("بدهی مالیاتی", "Tax debt") in label_pairs()
    assert in_language("بدهی مالیاتی", "obstacle_add", "en") == "Tax debt"


def test_a_loan_events_request_number_is_in_the_page_digits():
    text = "#137: درخواست تسهیلات سرمایه در گردش ثبت شد"
    assert in_language(text, "loan", "fa", PAIRS) == "#۱۳۷: درخواست تسهیلات سرمایه در گردش ثبت شد"
    assert (
        in_language("#137: Loan request registered", "loan", "en", PAIRS) == "#137: Loan request registered"
    )
    assert in_language("no number 12", "loan", "fa", PAIRS) == "no number 12"  # only the finance prefix
