"""Entities on small texts of our own: titles off people, full organisation names, variants merged, acronyms."""

from wiredesk.core.release import Release
from wiredesk.ingest.entities import find_acronyms, find_entities


def test_titles_and_roles_are_not_part_of_a_name():
    text = ("Managing Director Nandini Rao said the bank would grow. \"Air defence matters,\" Minister for Defence "
            "Procurement Alistair Rowe said. Raksha Mantri Shri Vikram Sethuraman addressed the session.")
    people = find_entities(text).people
    assert {"Nandini Rao", "Alistair Rowe", "Vikram Sethuraman"} <= set(people)
    assert not any(word in name for name in people for word in ("Managing", "Procurement", "Raksha", "Mantri", "Shri"))


def test_organisation_names_keep_leading_words_and_drop_based_prefixes():
    text = ("The Defence Research and Development Organisation (DRDO) worked with Bengaluru-based Kaveri Aerospace "
            "Systems. Kaveri Aerospace Systems said trials were over. The Ministry of Defence Raksha Mantri spoke.")
    orgs = find_entities(text).organizations
    assert "Defence Research and Development Organisation" in orgs
    assert "Kaveri Aerospace Systems" in orgs and not any("based" in o for o in orgs)
    assert "Ministry of Defence" in orgs and "Research and Development Organisation" not in orgs


def test_variants_merge_into_the_longest_name():
    text = ("The Indian Council of Medical Research (ICMR) ran the study. The Indian Council said more. "
            "The Council of Medical Research will publish it.")
    orgs = find_entities(text).organizations
    assert orgs[0] == "Indian Council of Medical Research"
    assert "Indian Council" not in orgs and "Council of Medical Research" not in orgs


def test_acronym_definitions():
    assert find_acronyms("the Society of Indian Defence Manufacturers (SIDM) met") == {"SIDM": "Society of Indian Defence Manufacturers"}
    assert find_acronyms("the Reserve Bank of India (RBI) said") == {"RBI": "Reserve Bank of India"}
    assert find_acronyms("the Monetary Policy Committee (MPC) voted") == {"MPC": "Monetary Policy Committee"}
    text = "The Solar Energy Corporation of India (SECI) held an auction."
    entities = find_entities(text)
    assert entities.acronyms == {"SECI": "Solar Energy Corporation of India"}
    assert "Solar Energy Corporation of India" in entities.organizations


def test_three_part_names_stay_whole_and_short_forms_fold_in():
    text = ("NEW DELHI, April 16 (PTI) Defence Secretary Rajesh Kumar Singh on Wednesday reviewed the programme. "
            "Singh told reporters that trials would end in June.\n\n"
            "\"We are on schedule,\" Kumar Singh said. EC trade commissioner Willy de Clercq and Finance Minister "
            "Barend du Plessis also spoke, as did Rein van der Does.")
    people = find_entities(text).people
    assert people[0] == "Rajesh Kumar Singh"
    assert "Singh" not in people and "Kumar Singh" not in people
    assert {"Willy de Clercq", "Barend du Plessis"} <= set(people)


def test_aiad_definition_gives_the_acronym_and_the_organisation():
    text = ("Kaveri Aerospace Systems signed an agreement with the Federation of Italian Companies for Aerospace, "
            "Defence and Security (AIAD) in Rome on Tuesday.")
    entities = find_entities(text)
    long_form = "Federation of Italian Companies for Aerospace, Defence and Security"
    assert entities.acronyms["AIAD"] == long_form
    assert long_form in entities.organizations
    assert find_acronyms("AIAD (Federation of Italian Companies for Aerospace, Defence and Security) met") == {
        "AIAD": long_form}


def test_a_wire_credit_in_brackets_is_no_acronym():
    assert find_acronyms("said Prime Minister Narendra Modi (PTI) on Monday. NEW DELHI (AP) - talks") == {}


def test_places_never_come_from_people_names():
    text = ("WASHINGTON, March 3 - Senator Chris Van Hollen said the bill would pass. Safi Qureshey, chairman of "
            "AST Research, told reporters the company would grow, and Brent Hoberman said so too. "
            "Habibullah Safi, a health official, said vaccines had arrived.")
    entities = find_entities(text, dateline_country="United States")
    assert {"Chris Van Hollen", "Safi Qureshey", "Brent Hoberman", "Habibullah Safi"} <= set(entities.people)
    assert not {"Van", "Brent", "Safi"} & set(entities.places)
    assert entities.countries == ("United States",)


def test_groups_and_newspapers_are_not_people():
    text = ("North Korea's Rodong Sinmun said the talks had failed. The Rodong Sinmun newspaper is the voice of the "
            "ruling party. Television Producers said they would strike, and Brennwerk Energie said it would not.")
    people = find_entities(text).people
    assert not {"Rodong Sinmun", "Television Producers", "Brennwerk Energie"} & set(people)


def test_countries_come_from_cities_names_and_nationalities():
    text = ("ROME, April 16 (ANI): Defence Minister Vikram Sethuraman met his Italian counterpart after talks in "
            "Rome on a roadmap for Indian and Italian industry. Sale of the first systems is due in 2026.\n\n"
            "The delegation later visited a shipyard near Mumbai.")
    entities = find_entities(text, title="India, Italy Agree Defence Roadmap", dateline_country="Italy")
    assert set(entities.countries) == {"Italy", "India"}
    assert "Rome" in entities.places and "Salé" not in entities.places
    # a city alone implies its country
    assert find_entities("Officials met in Osaka on Monday to discuss the plan.").countries == ("Japan",)


def test_a_passing_mention_or_money_is_not_what_a_story_is_about():
    text = ("TORONTO, March 3 - Algoma Steel said it would cut 300 jobs at its Ontario plant.\n\n"
            "The company's bonds are listed in Luxembourg. It paid 12 mln U.S. dlrs in interest.")
    entities = find_entities(text, dateline_country="Canada")
    assert entities.countries == ("Canada",)


def test_a_record_without_countries_is_about_its_dateline_country():
    # an imported record of an older extraction, or of another tool, has no countries
    record = {"body": "Talks went on.", "dateline": {"raw": "ROME, April 16", "city": "Rome", "country": "Italy"}}
    assert Release.from_dict(record).with_derived().countries == ("Italy",)
    assert Release.from_dict({**record, "countries": ["India"]}).with_derived().countries == ("India",)
