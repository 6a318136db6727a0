"""Entities on small texts of our own: titles off people, full organisation names, variants merged, acronyms."""

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
