"""Knowledge from cited data: places, months, currencies, paraphrases, function words."""

from __future__ import annotations

import pycountry
import pytest

from assistant.text.function_words import AUXILIARIES, PREPOSITIONS, STOPWORDS
from assistant.text.paraphrases import paraphrased
from assistant.text.places import gazetteer
from assistant.text.vocabulary import currency_symbols, currency_words, month_names


def test_every_country_code_of_the_table_is_an_iso_code() -> None:
    places = gazetteer().places
    assert len(places) > 190
    unknown = [p.code for p in places if p.code not in ("-", "XKX") and pycountry.countries.get(alpha_3=p.code) is None]
    assert unknown == []
    assert len({p.code for p in places if p.code != "-"}) == len([p for p in places if p.code != "-"])


@pytest.mark.parametrize(
    ("word", "name"),
    [("Peruvians", "Peru"), ("dutch", "Netherlands"), ("Filipino", "Philippines"), ("Saudis", "Saudi Arabia")],
)
def test_a_nationality_names_its_country(word: str, name: str) -> None:
    place = gazetteer().by_demonym(word)
    assert place is not None and place.name == name


def test_place_words_and_their_alternatives() -> None:
    places = gazetteer()
    assert places.is_place_word("Chileans") and places.is_place_word("holland") and places.is_place_word("UK")
    assert not places.is_place_word("United") and not places.is_place_word("Revenue")
    assert places.alternatives("peruvian") == ["peru"]
    assert "british" in places.alternatives("britain")
    assert places.alternatives("uk") == []  # too short to stand for its people


def test_the_places_a_text_names() -> None:
    places = gazetteer()
    assert places.places_in("About 2,300 French nationals went to Syria.") == {"France", "Syria"}
    assert places.places_in("fighters from North Macedonia and Sri Lanka") == {"North Macedonia", "Sri Lanka"}
    assert places.places_in("France's watchlist and Colombia’s guerrillas") == {"France", "Colombia"}
    assert places.places_in("the Kosovo-origin fighter and his German-speaking unit") == {"Kosovo", "Germany"}
    assert places.places_in("a turkey and a chad of paper; United Revenue") == frozenset()


def test_months_come_from_the_calendar_and_cldr() -> None:
    months = month_names()
    assert {"January", "Sept", "Dec", "Enero", "Septembre", "Dezember"} <= set(months)


def test_currencies_come_from_cldr() -> None:
    symbols = currency_symbols()
    assert (symbols["$"], symbols["€"], symbols["£"], symbols["¥"], symbols["HK$"]) == (
        "USD",
        "EUR",
        "GBP",
        "JPY",
        "HKD",
    )
    words = currency_words()
    assert (words["yen"], words["euro"], words["dinar"], words["dollar"]) == ("JPY", "EUR", "dinar", "dollar")
    assert "real" not in words and "gold" not in words  # common English words are not units


def test_paraphrases_are_matched_by_stems() -> None:
    said = paraphrased(
        [
            "how",
            "many",
            "employees",
            "came",
            "back",
            "home",
            "or",
            "were",
            "repatriated",
            "and",
            "are",
            "still",
            "abroad",
        ]
    )
    assert said == ["how", "many", "employees", "return", "or", "were", "return", "and", "are", "remain", "abroad"]


def test_function_words_are_one_list_for_every_stage() -> None:
    assert {"the", "of", "how", "many", "according"} <= STOPWORDS
    assert "revenue" not in STOPWORDS and "won" not in STOPWORDS
    assert {"is", "were", "should"} <= AUXILIARIES and {"of", "between"} <= PREPOSITIONS
