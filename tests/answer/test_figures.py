"""Figure extraction on sentences and table rows copied from the corpus, in their cleaned form
(note markers set apart as "[19]" or "[a]")."""

from __future__ import annotations

import pytest

from assistant.answer.figures import Figure, extract_figures, row_figures
from assistant.ingest.layout_cells import layout_cells
from assistant.model import Cell, Row, Table

KH = (
    "In 2011, KH was assessed to have 400 active members in Iraq,[19] while today KH (PMF brigades 45, 56, 57) "
    "maintain around 7,500 fighters assigned to Iraqi operations, 2,500 fighters assigned to Syria, for a total "
    "of 10,000.[20]"
)
SPECIAL_GROUPS = (
    "Adding in all the other bulleted groups above, the author assesses that the Special Groups (not including "
    "18,000-22,000 Badr troops[h]) currently have 63,000 registered personnel.[i] According to the author’s "
    "calculation, this is 15 times the size of the Special Groups in 2010, when there were probably as few as "
    "4,000 Special Group operatives in Iraq (again not including Badr personnel in 2010).[j]"
)
NUJABA = (
    "Kata’ib Jund al-Imam (PMF brigade 6) has around 5,000 registered fighters,[24] Kata’ib Sayyid al-Shuhada "
    "(PMF brigade 14) and Saraya Talia al-Khurasani (PMF brigade 18) each have around 3,000 fighters,[25] and even "
    "the small Harakat Hezbollah al-Nujaba (PMF brigade 12) now boasts more than 1,500 fighters—nearly four times "
    "the KH membership in 2011.[26]"
)
ABDAL = (
    "Newer Special Groups assessed to be primarily loyal to Abu Mahdi al-Muhandis and willing to provide material "
    "support to IRGC-QF include (from most militarily capable to least) Harakat al-Abdal (PMF brigade 39), Saraya "
    "al-Jihad (PMF brigade 17), Liwa al-Tafuf (brigade 13) and the less capable Liwa al-Muntadher (brigade 7)."
)
PRISONS = (
    "Since then, KH has strongly consolidated a “no-go” zone in which displaced Sunni residents cannot return[44] "
    "[k] and where only KH forces operate,[45] complete with private prisons (holding well over 1,000 illegal "
    "detainees).[46]"
)
RAN = (
    "In July 2017, the Radicalization Awareness Network (RAN) estimated that about 30% of the approximately 5,000 "
    "residents of the European Union thought to have gone to Syria and Iraq had returned home.[12]"
)
ROCKETS = (
    "On March 27, 2012, a 12-rocket attack was partially undertaken (nine misfired) during the lead-up to the "
    "first post-Saddam Arab League summit in Baghdad."
)
KOSOVARS = (
    "Between 2012 and 2015 a total of 355 Kosovars—consisting of 256 men, 52 women, and 47 children—are believed "
    "to have traveled to Syria and Iraq.[a] (See Table 1.) This is one of the highest per capita rates of ‘foreign "
    "fighter’ outflows[b] anywhere in the world."
)
MI5 = (
    "The head of the UK security service MI5 said this week that fewer than expected of the 800 Britons who joined "
    "IS had returned recently and that at least 130 had been killed."
)
COLOMBIA = (
    "According to Colombian military officials, up to 30 percent of guerrillas in eastern Colombia and 10 percent "
    "nationwide are estimated to be of Venezuelan origin.[95]"
)
SENTENCES = (
    "Yet, due to generally lenient sentencing regimes[29] in the countries of the Western Balkans, often based on "
    "plea bargains, the prison sentences in terrorism-related cases have largely ranged from one to six years with "
    "few exceptions in cases of prominent recruiters.[30] For example, in Kosovo, the average sentence in "
    "terrorism-related cases has been 3.5 years.[31]"
)
FINE = (
    "In one criminal proceeding, a defendant holding dual Bosnian and Austrian citizenship entered a guilty plea for "
    "providing recurrent financial support to the Islamic State and settled with the court to pay a fine of about "
    "$15,000 in lieu of a one-year prison sentence.[32]"
)
BORDER = (
    "However, many other fighters have been leaving the “caliphate“, mostly through the 822km (510 mile) long "
    "border between Turkey and Syria."
)
SMUGGLED = (
    "After Mosul and Raqqa fell, the only way out was to be smuggled, which cost between $7,000 and $10,000 a person."
)
UIGHURS = "The Chinese are locking up, if we believe the reports, around a million Uighurs.[3]"


def find(text: str, figure_text: str) -> Figure:
    figures = [f for f in extract_figures(text) if f.text == figure_text]
    assert figures, f"no figure {figure_text!r} in {[f.text for f in extract_figures(text)]}"
    return figures[0]


# --- what is read, and its value --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "figure", "value", "high", "qualifier", "unit", "kind"),
    [
        (SPECIAL_GROUPS, "18,000-22,000", 18_000, 22_000, "range", None, "count"),
        (SPECIAL_GROUPS, "63,000", 63_000, None, "exact", None, "count"),
        (
            "Badr has around 18,000 to 22,000 troops registered within the PMF, based on a tallying of the author’s "
            "interview data.",
            "around 18,000 to 22,000",
            18_000,
            22_000,
            "range",
            None,
            "count",
        ),
        (
            "The United Nations Human Rights Council at the beginning of 2016 believed that in Mosul province alone "
            "IS had abducted between 800 and 900 children, subjecting those over ten to military training.[169]",
            "between 800 and 900",
            800,
            900,
            "range",
            None,
            "count",
        ),
        (SMUGGLED, "between $7,000 and $10,000", 7_000, 10_000, "range", "USD", "money"),
        (SENTENCES, "from one to six years", 1, 6, "range", "years", "duration"),
        (ROCKETS, "nine", 9, None, "exact", None, "count"),
        (ROCKETS, "12-rocket", 12, None, "exact", None, "count"),
        (
            "For example, France foiled twelve attacks between January and September 2017;[119] in a nine-week "
            "period between April and June 2017, the United Kingdom saw three successful and five foiled plots;[120]",
            "twelve",
            12,
            None,
            "exact",
            None,
            "count",
        ),
        (
            "A dozen attacks have been launched on U.S. military, diplomatic, and commercial targets in Iraq.",
            "A dozen",
            12,
            None,
            "exact",
            None,
            "count",
        ),
        (UIGHURS, "around a million", 1_000_000, None, "approx", None, "count"),
        (SPECIAL_GROUPS, "15 times", 15, None, "exact", "times", "multiplier"),
        (NUJABA, "nearly four times", 4, None, "approx", "times", "multiplier"),
        (COLOMBIA, "up to 30 percent", 30, None, "at_most", "percent", "percent"),
        (COLOMBIA, "10 percent", 10, None, "exact", "percent", "percent"),
        (
            "In 2011, only 15.5% of respondents had high confidence that militias could provide security, versus "
            "65.8% for the Iraq army.[16]",
            "15.5%",
            15.5,
            None,
            "exact",
            "percent",
            "percent",
        ),
        (
            "finding that in the five months to May 2017, seven terrorist plots in Europe, or 23 per cent of the "
            "total, had involved women",
            "23 per cent",
            23,
            None,
            "exact",
            "percent",
            "percent",
        ),
        (
            "Muhaxheri had even sent €1,350 to help finance the operation.[26]",
            "€1,350",
            1_350,
            None,
            "exact",
            "EUR",
            "money",
        ),
        (FINE, "about $15,000", 15_000, None, "approx", "USD", "money"),
        (BORDER, "822km (510 mile)", 822, None, "exact", "km", "distance"),
        (
            "Kata’ib Hezbollah has carved out an exclusive principality in Jurf as-Sakr, 40 kilometers southwest of "
            "Baghdad.",
            "40 kilometers",
            40,
            None,
            "exact",
            "km",
            "distance",
        ),
        (SENTENCES, "3.5 years", 3.5, None, "exact", "years", "duration"),
        (
            "Meanwhile, the women and children were initially held at an asylum center near Pristina for a period of "
            "72 hours.",
            "72 hours",
            72,
            None,
            "exact",
            "hours",
            "duration",
        ),
        (
            "As part of Xhemati Alban’s continued engagement and propaganda efforts via social media channels "
            "targeting audiences in the Balkans, in August 2018, the group released a 33-minute video entitled "
            "“Albanian Snipers in the Lands of Sham.”[18]",
            "33-minute",
            33,
            None,
            "exact",
            "minutes",
            "duration",
        ),
        (
            "About two-thirds of the contingent, or 67 percent, were male adults at the time of departure, 15 percent "
            "women, and 18 percent children.[c]",
            "About two-thirds",
            2 / 3,
            None,
            "approx",
            None,
            "fraction",
        ),
        (
            "It soon transpired that the group, which was in possession of more than 2.5 kilograms of explosives, was "
            "being jointly coordinated from afar by Muhaxheri and Haqifi.[10]",
            "more than 2.5 kilograms",
            2.5,
            None,
            "more_than",
            "kg",
            "measure",
        ),
        (KH, "10,000", 10_000, None, "exact", None, "count"),  # "10,000.[20]": the marker is not part of it
    ],
)
def test_expressions_are_read_with_value_qualifier_and_unit(
    text: str, figure: str, value: float, high: float | None, qualifier: str, unit: str | None, kind: str
) -> None:
    found = find(text, figure)
    assert found.value == pytest.approx(value)
    assert found.value_high == (pytest.approx(high) if high is not None else None)
    assert (found.qualifier, found.unit, found.kind) == (qualifier, unit, kind)


@pytest.mark.parametrize(
    ("text", "figure", "qualifier"),
    [
        (PRISONS, "well over 1,000", "more_than"),
        (
            "Over 1,000 adult male foreign fighters, women, and minors from the Western Balkans spent time in Syria "
            "and Iraq and around 500 from the region are still there, including children born in theater.",
            "Over 1,000",
            "more_than",
        ),
        (
            "AAH (PMF brigades 41, 42, 43) has likewise swollen from a small Sadrist[f] splinter militia of under "
            "3,000 members in 2011[21] to an equivalent KH-size three-brigade force of around 10,000.[22]",
            "under 3,000",
            "less_than",
        ),
        (
            "To date, fewer than one in five individuals involved in attacks on the West since the “caliphate” was "
            "declared in 2014 had experience as foreign fighters.",
            "fewer than one in five",
            "less_than",
        ),
        (MI5, "at least 130", "at_least"),
        (
            "Under the existing limits put in place by the Obama administration, the military can have up to 503 US "
            "forces in Syria.",
            "up to 503",
            "at_most",
        ),
        (
            "As a result, the military’s leadership would, by 2019, balloon to “as many as 2,000 admirals and "
            "generals… as much as twice the top brass as the U.S. military.”",
            "as many as 2,000",
            "at_most",
        ),
        (
            "Some 460 others have gradually returned home, mainly between 2013 and 2015.",
            "Some 460",
            "approx",
        ),
        (
            "Roughly 30,000 foreign fighters joined IS and there is concern that these battle-hardened individuals "
            "will return home.",
            "Roughly 30,000",
            "approx",
        ),
        (
            "At the very least, some of the 600+ members of the all-female Al Khansaa unit in Raqqa claimed to have "
            "taken part in torture and to have enjoyed doing so.[158]",
            "600+",
            "more_than",
        ),
        (SPECIAL_GROUPS, "as few as 4,000", "approx"),
    ],
)
def test_qualifiers_keep_their_words_in_the_text(text: str, figure: str, qualifier: str) -> None:
    assert find(text, figure).qualifier == qualifier


def test_a_ratio_reads_as_a_fraction() -> None:
    assert find(
        "To date, fewer than one in five individuals involved in attacks on the West since the “caliphate” was "
        "declared in 2014 had experience as foreign fighters.",
        "fewer than one in five",
    ).value == pytest.approx(0.2)


# --- what is not a figure ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        # years, year ranges and dates
        (
            "The 2011-2014 period of the Special Groups is important to understand at a time when today’s "
            "Iran-backed militias are also looking beyond their prior mission.",
            [],
        ),
        (
            "On June 13, 2014, following the fall of Mosul to the Islamic State, the highest Shi`a religious "
            "authority in Iraq issued a fatwa.",
            [],
        ),
        (
            "The metrics provided in this article have been compiled from data that was last updated in early to "
            "mid-2019 and was provided or released by Western Balkans law enforcement agencies.",
            [],
        ),
        # a note number run into the text after a year ("2019.2")
        (
            "A dozen attacks have been launched on U.S. military, diplomatic, and commercial targets in Iraq so far in "
            "2019.2 Then on May 14, 2019, two Saudi oil pumping stations were struck by long-range explosive drones.",
            ["A dozen", "two"],
        ),
        # note markers
        (KH, ["400", "45", "56", "57", "around 7,500", "2,500", "10,000"]),
        # page numbers and citations
        (
            "For Albania, see “Commission Staff Working Document, Albania 2018 Report,” European Commission, April 17, "
            "2018, p. 36; for Kosovo, see “Commission Staff Working Document, Kosovo* 2018 Report,” European "
            "Commission, April 17, 2018, p. 32.",
            [],
        ),
        (
            "For further discussion, see Michael Knights, “The Evolution of Iran’s Special Groups in Iraq,” CTC "
            "Sentinel 3:11-12 (2010): p. [2].",
            [],
        ),
        # article and table numbers
        (
            "Their Syrian deployments—which violate Article 9 of the Iraqi Constitution,[b] undertaken without "
            "approval—required larger-scale recruitment.",
            [],
        ),
        (KOSOVARS, ["355", "256", "52", "47"]),
        # list numbering
        (
            "Returnees, fall broadly into five categories, each presenting a different level of risk: (i) those who "
            "left early or after only a short stay and were never particularly integrated with IS; (ii) those who "
            "stayed longer, but did not agree with everything that IS was doing;",
            ["five"],
        ),
        ("1. Those who left early.\n2. Those who stayed longer.", []),  # constructed: the corpus numbers no lists
        # ordinals used as names, a comment header with its rating and id
        (
            "Throughout the 19th and 20th centuries, the Venezuelan military regularly intervened in domestic "
            "politics.[18]",
            [],
        ),
        ("It isn't us who is defeating ISIS Jeralyn (none / 0) (#1)", []),
        ("Behind door number three will be the third group referred to as the returnees.", []),
        # hundreds is not a number
        (
            "The result is that authorities are overwhelmed, having to monitor hundreds of battle-hardened fighters.",
            [],
        ),
    ],
)
def test_only_quantities_are_figures(text: str, kept: list[str]) -> None:
    assert [f.text for f in extract_figures(text)] == kept


def test_no_figure_text_holds_a_note_marker() -> None:
    for text in (KH, SPECIAL_GROUPS, NUJABA, PRISONS, RAN, KOSOVARS):
        assert all("[" not in f.text for f in extract_figures(text))


# --- identifiers ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "figure", "value", "name"),
    [
        (ABDAL, "39", 39, "Harakat al-Abdal"),
        (ABDAL, "17", 17, "Saraya al-Jihad"),
        (ABDAL, "7", 7, "Liwa al-Muntadher"),
        (KH, "45", 45, "KH"),
        (KH, "57", 57, "KH"),
        (NUJABA, "12", 12, "Harakat Hezbollah al-Nujaba"),
        (
            "Kata’ib Hezbollah also controls the Iraqi side of the border, maintaining checkpoints on the border road "
            "(Highway 20).[40]",
            "20",
            20,
            "border road",
        ),
    ],
)
def test_unit_and_road_numbers_are_identifiers_named_for_their_unit(
    text: str, figure: str, value: int, name: str
) -> None:
    found = find(text, figure)
    assert (found.kind, found.qualifier, found.value) == ("identifier", "exact", value)
    assert name in found.label
    assert "number" in found.label


def test_brigade_label_says_what_kind_of_number_it_is() -> None:
    assert find(ABDAL, "39").label == "PMF brigade number of Harakat al-Abdal"


# --- labels -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "figure", "words"),
    [
        (SPECIAL_GROUPS, "63,000", ["registered personnel", "Special Groups"]),
        (SPECIAL_GROUPS, "18,000-22,000", ["Badr troops"]),
        (SPECIAL_GROUPS, "15 times", ["size of the Special Groups"]),
        (KH, "400", ["active members in Iraq", "KH"]),
        (KH, "around 7,500", ["KH", "fighters assigned to Iraqi operations"]),
        (KH, "2,500", ["KH", "fighters assigned to Syria"]),
        (KH, "10,000", ["total", "KH"]),
        (NUJABA, "around 5,000", ["registered fighters", "Kata’ib Jund al-Imam"]),
        (NUJABA, "more than 1,500", ["fighters", "Harakat Hezbollah al-Nujaba"]),
        (PRISONS, "well over 1,000", ["illegal detainees"]),
        (RAN, "about 30%", ["residents of the European Union", "had returned home"]),
        (RAN, "approximately 5,000", ["residents of the European Union"]),
        (ROCKETS, "nine", ["rocket", "misfired"]),
        (MI5, "800", ["Britons"]),
        (MI5, "at least 130", ["Britons", "killed"]),
        (KOSOVARS, "256", ["men", "Kosovars"]),
        (KOSOVARS, "52", ["women", "Kosovars"]),
        (COLOMBIA, "up to 30 percent", ["guerrillas in eastern Colombia"]),
        (COLOMBIA, "10 percent", ["guerrillas nationwide"]),
        (SENTENCES, "3.5 years", ["average sentence"]),
        (FINE, "about $15,000", ["fine"]),
        (SMUGGLED, "between $7,000 and $10,000", ["cost", "a person"]),
        (BORDER, "822km (510 mile)", ["border between Turkey and Syria"]),
        (UIGHURS, "around a million", ["Uighurs"]),
        (
            "Roughly 30,000 foreign fighters joined IS and there is concern that these battle-hardened individuals "
            "will return home.",
            "Roughly 30,000",
            ["foreign fighters joined IS"],
        ),
        (
            "Then in April 2019, the government of Kosovo—assisted by the United States—repatriated 110 of its "
            "citizens (four men, 32 women, and 74 children) who were being held in Kurdish detention camps in Syria.",
            "74",
            ["children", "citizens"],
        ),
        (
            "A similar trend has characterized the reverse flow, where according to official data about 460 "
            "individuals from the region have returned home from Syria and Iraq, 242 of whom to Kosovo.[21]",
            "242",
            ["individuals", "to Kosovo"],
        ),
        (
            "Almost 7,200 EU nationals or residents, about 70% of which are French, British and German nationals or "
            "residents, are involved in jihadi networks, including almost 5,800 departures and more than 1,500 "
            "returnees in the EU.",
            "about 70%",
            ["EU nationals or residents", "are French"],
        ),
        (
            "Due to new births between 2012 and 2019, the number of children of foreign fighters born in theater to "
            "Kosovan and Bosnian parents as of early 2019 stood at 155.[d]",
            "155",
            ["children of foreign fighters"],
        ),
    ],
)
def test_labels_say_what_is_counted_in_the_source_words(text: str, figure: str, words: list[str]) -> None:
    label = find(text, figure).label
    for word in words:
        assert word in label


def test_labels_stay_short() -> None:
    for text in (KH, SPECIAL_GROUPS, NUJABA, PRISONS, RAN, ROCKETS, KOSOVARS, MI5, COLOMBIA, SENTENCES, FINE):
        for figure in extract_figures(text):
            assert 0 < len(figure.label.split()) <= 14, figure


# --- sentences and offsets --------------------------------------------------------------------------------


def test_offsets_point_at_the_text_and_the_sentence_holds_it() -> None:
    passage = f"{KH}\n\n{RAN} In some cases, for example in Denmark, the rate was higher."
    figures = extract_figures(passage)
    assert len(figures) == 9
    for figure in figures:
        assert passage[figure.start : figure.end] == figure.text
        assert figure.text in figure.sentence
    assert find(passage, "about 30%").sentence == RAN


def test_a_passage_without_numbers_has_no_figures() -> None:
    assert extract_figures("Badr remains the heart of the PMF, but not its only power.") == []


# --- tables -----------------------------------------------------------------------------------------------

SOUFAN = "COUNTRY [18] FFs [19] SENTBACK/STOP LISTED IN TURKEY[20] REMAIN RETURNED DATE"
SOUFAN_CAPTION = (
    "Table: Foreign Fighters who have (i) gone to Syria or Iraq; (ii) been stopped in, deported from, denied entry "
    "to, or watch-listed by Turkey; (iii) remain fighting; and, (iv) returned."
)
KOSOVO = "Men Women Children Total"
WOMEN = "COUNTRY TOTAL[173] WOMEN CHILDREN"


def layout_figures(row: str, header: str | None, caption: str | None = None) -> list[Figure]:
    """The figures of one row of a text layout's table, read as ingest reads the table."""
    head, (body,) = layout_cells(Row(header, 0, len(header), None) if header else None, [Row(row, 0, len(row), None)])
    captioned = Cell(caption, 0, len(caption)) if caption else None
    laid_out = Table(1, (head,) if head else (), (body,), captioned)
    return row_figures(laid_out, 0, laid_out.row_line(0))


def table(row: str, header: str | None, caption: str | None = None) -> list[tuple[str, float, str, str]]:
    return [(f.text, f.value, f.qualifier, f.label) for f in layout_figures(row, header, caption)]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            "Tunisia [97] 2,926 -/4,605 [98] >800 [99] 12/2016",
            [
                ("2,926", 2926, "exact", "Tunisia — FFs"),
                ("4,605", 4605, "exact", "Tunisia — STOP LISTED IN TURKEY"),
                (">800", 800, "more_than", "Tunisia — RETURNED"),
            ],
        ),
        (
            "Jordan ~3,000 [60] ~900 [61] >250 [62] 05/2017",
            [
                ("~3,000", 3000, "approx", "Jordan — FFs"),
                ("~900", 900, "approx", "Jordan — REMAIN"),
                (">250", 250, "more_than", "Jordan — RETURNED"),
            ],
        ),
        (
            "Morocco [74] 1,660 183/2,831 929 [75] 236 [76] 10/2017",
            [
                ("1,660", 1660, "exact", "Morocco — FFs"),
                ("183", 183, "exact", "Morocco — SENTBACK"),
                ("2,831", 2831, "exact", "Morocco — STOP LISTED IN TURKEY"),
                ("929", 929, "exact", "Morocco — REMAIN"),
                ("236", 236, "exact", "Morocco — RETURNED"),
            ],
        ),
        (
            "Indonesia [53] ~600 435/-[54] 384 [55] <50 [56] 03/2017",
            [
                ("~600", 600, "approx", "Indonesia — FFs"),
                ("435", 435, "exact", "Indonesia — SENTBACK"),
                ("384", 384, "exact", "Indonesia — REMAIN"),
                ("<50", 50, "less_than", "Indonesia — RETURNED"),
            ],
        ),
        (
            "Norway 90 [79] 40 [80] >30 [81] 09/2016",
            [
                ("90", 90, "exact", "Norway — FFs"),
                ("40", 40, "exact", "Norway — REMAIN"),
                (">30", 30, "more_than", "Norway — RETURNED"),
            ],
        ),
        (
            "Algeria [23] 170 87 01/2016",
            [("170", 170, "exact", "Algeria — FFs"), ("87", 87, "exact", "Algeria — RETURNED")],
        ),
        (
            "Switzerland [93] ~ 70 14 02/2017",
            [("~ 70", 70, "approx", "Switzerland — FFs"), ("14", 14, "exact", "Switzerland — RETURNED")],
        ),
    ],
)
def test_soufan_rows_put_each_value_under_its_column(row: str, expected: list[tuple[str, float, str, str]]) -> None:
    assert table(row, SOUFAN) == expected


def test_a_caption_that_enumerates_the_columns_explains_them() -> None:
    labels = {
        f.text: f.label
        for f in layout_figures("Morocco [74] 1,660 183/2,831 929 [75] 236 [76] 10/2017", SOUFAN, SOUFAN_CAPTION)
    }
    assert labels["1,660"] == "Morocco — FFs (gone to Syria or Iraq)"
    assert labels["929"] == "Morocco — REMAIN (remain fighting)"
    assert labels["236"] == "Morocco — RETURNED"  # the caption's word is the column's own
    assert (
        table("Returned home 124 38 80 242", KOSOVO, "Table: Kosovars (i) abroad; (ii) home")[0][3]
        == "Returned home — Men"
    )


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            "Returned home 124 38 80 242",
            [
                ("124", 124, "exact", "Returned home — Men"),
                ("38", 38, "exact", "Returned home — Women"),
                ("80", 80, "exact", "Returned home — Children"),
                ("242", 242, "exact", "Returned home — Total"),
            ],
        ),
        (
            "Children born in Syria N/A N/A 76 76",
            [
                ("76", 76, "exact", "Children born in Syria — Children"),
                ("76", 76, "exact", "Children born in Syria — Total"),
            ],
        ),
    ],
)
def test_a_header_without_a_label_column_lines_up_with_the_values(
    row: str, expected: list[tuple[str, float, str, str]]
) -> None:
    assert table(row, KOSOVO) == expected


def test_a_row_label_column_is_split_from_the_first_header_group() -> None:
    assert table("UK ~850 >100[198] 50[199]", WOMEN) == [
        ("~850", 850, "approx", "UK — TOTAL"),
        (">100", 100, "more_than", "UK — WOMEN"),
        ("50", 50, "exact", "UK — CHILDREN"),
    ]


def test_text_after_a_value_stays_in_its_label() -> None:
    figures = layout_figures("Kazakhstan[187] ~500 >200 women and children", WOMEN)
    assert [(f.text, f.qualifier) for f in figures] == [("~500", "approx"), (">200", "more_than")]
    assert figures[0].label == "Kazakhstan — TOTAL"
    assert "women and children" in figures[1].label


def test_table_figures_carry_their_row_line_and_offsets_in_it() -> None:
    row = "Tunisia [97] 2,926 -/4,605 [98] >800 [99] 12/2016"
    figures = layout_figures(row, SOUFAN, SOUFAN_CAPTION)
    (line,) = {f.sentence for f in figures}
    assert line.startswith("Tunisia [97] — FFs: 2,926; SENTBACK/STOP LISTED IN TURKEY: -/4,605 [98]")
    for figure in figures:
        assert line[figure.start : figure.end] == figure.text
    assert all(f.kind == "count" and f.value_high is None for f in figures)


def test_dates_markers_and_empty_cells_are_not_table_figures() -> None:
    values = [f.value for f in layout_figures("Egypt [41] ~600 150/- 01/2017", SOUFAN)]
    assert values == [600, 150]


def test_a_row_without_a_header_is_labelled_by_its_row_label() -> None:
    assert table("Killed 92 6 1 99", None) == [
        ("92", 92, "exact", "Killed"),
        ("6", 6, "exact", "Killed"),
        ("1", 1, "exact", "Killed"),
        ("99", 99, "exact", "Killed"),
    ]
