"""Campaign messages: {prénom} and the other variables are filled in per person (the
original sent "{prénom}" as is); an unknown variable or a bad media link is refused."""

from __future__ import annotations

import pytest

from coachdesk.campaigns.message import Recipient, checked, render, variables_in
from coachdesk.errors import AppError

LEA = Recipient(
    name="Léa  Martin Dubois",
    ticket_url="https://studio.ch/t/abc",
    booking_url="https://studio.ch/#seances",
    promo_code="LEA-10",
)


def test_variables_are_filled_in_for_each_person() -> None:
    body = "Salut {prénom} {nom} ! Ton billet : {billet} · code {code_promo} · {réserver}"
    assert render(body, LEA) == (
        "Salut Léa Martin Dubois ! Ton billet : https://studio.ch/t/abc · code LEA-10 · "
        "https://studio.ch/#seances"
    )
    assert render("Hello {Prenom}, {CODE}", LEA) == "Hello Léa, LEA-10"


def test_a_value_the_person_lacks_leaves_nothing_and_braces_can_be_written() -> None:
    assert render("Bonjour {prénom}{nom}! {billet}", Recipient(name="Noé")) == "Bonjour Noé! "
    assert render("{{prénom}} = {prénom}", LEA) == "{prénom} = Léa"


def test_unknown_variables_empty_or_long_messages_and_bad_media_are_refused() -> None:
    cases = [
        (("Salut {firstname} !",), "unknown_variable"),
        (("   ",), "empty_message"),
        (("x" * 4001,), "message_too_long"),
        (("Salut", "javascript:alert(1)"), "bad_media_url"),
        (("Salut", "ftp://studio.ch/a.png"), "bad_media_url"),
        (("Salut", "https://"), "bad_media_url"),
    ]
    for args, code in cases:
        with pytest.raises(AppError) as caught:
            checked(*args)
        assert caught.value.code == code, args
    with pytest.raises(AppError) as caught:
        variables_in("{prénom} {prenon}")
    assert "{prenon}" in caught.value.message % caught.value.params


def test_a_good_message_passes_with_its_variables() -> None:
    assert checked("  Salut {prénom} ", "https://studio.ch/affiche.jpg") == "Salut {prénom}"
    assert variables_in("{prénom} {{nom}} {code}") == ["prénom", "code_promo"]
